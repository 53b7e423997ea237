"""`family-time doctor`: what to put right before going live (and after any change)."""

from __future__ import annotations

import argparse
import os

HELP = (
    "Check the working folder and its service profile before going live: placeholders, "
    "rules not stated, team settings and what they mean, training days, venues, mail, "
    "folders, templates. Changes nothing."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from pipeline.commands import folder

    folder.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from pipeline.commands import folder
    from pipeline.doctor import FIX, examine, say
    from pipeline.paths import DEFAULT_CONFIG, PROFILES
    from pipeline.profile import profile_path

    opened = folder.open_for(args, False, "")
    if opened is None:
        return 2
    config, profile = opened
    profile_file = profile_path(config.profile_reference())
    if config.base.resolve() == DEFAULT_CONFIG.parent.resolve():
        print(say("command", "embedded"))
    elif profile_file.resolve().parent == PROFILES.resolve():
        print(say("command", "shipped", name=profile_file.stem, file=profile_file))
    else:
        print(say("command", "own_copy", file=profile_file))
    findings = examine(config, profile, profile_file, os.environ)
    fixes = [f for f in findings if f.level == FIX]
    for f in findings:
        print(say("command", "fix" if f.level == FIX else "check", what=f.what))
    if not findings:
        print(say("command", "nothing"))
    print(say("command", "totals", fixes=len(fixes), checks=len(findings) - len(fixes)))
    return 1 if fixes else 0
