"""`family-time doctor`: what to put right before going live (and after any change)."""

from __future__ import annotations

import argparse
import os

HELP = (
    "Check the working folder and its service profile before going live: placeholders, "
    "training days, venues, mail, folders, templates. Changes nothing."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from pipeline.commands import folder

    folder.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from pipeline.commands import folder
    from pipeline.doctor import FIX, examine
    from pipeline.profile import profile_path

    opened = folder.open_for(args, False, "")
    if opened is None:
        return 2
    config, profile = opened
    profile_file = profile_path(config.profile_reference())
    print(
        f"  The service profile is {profile_file}: the settings below are changed there "
        "(the working folder's family-time.toml says which profile to use)."
    )
    findings = examine(config, profile, profile_file, os.environ)
    fixes = [f for f in findings if f.level == FIX]
    for f in findings:
        print(f"  {'✗ fix  ' if f.level == FIX else '• check'}  {f.what}")
    if not findings:
        print("  Nothing to put right.")
    print(f"{len(fixes)} to fix, {len(findings) - len(fixes)} to check.")
    return 1 if fixes else 0
