"""`family-time demo`: copy the sample forms into the inbox, process them, show the status."""

from __future__ import annotations

import argparse
import shutil
import sys
import tomllib

HELP = "Try it out: copy sample forms into the inbox, process them once, then show the status."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="the working folder's family-time.toml")


def sample_files():
    from pipeline.paths import FORM_TEMPLATES, ROOT
    with open(FORM_TEMPLATES / "samples.toml", "rb") as fh:
        listed = tomllib.load(fh).get("files", [])
    return [ROOT / p for p in listed if (ROOT / p).is_file()]


def run(args: argparse.Namespace) -> int:
    from pipeline.commands.status import describe, gather
    from pipeline.commands.watch import open_working_folder
    from pipeline.watcher import InboxWatcher
    opened = open_working_folder(args.config)
    if opened is None:
        return 2
    config, profile, ledger = opened
    samples = sample_files()
    if not samples:
        print("No sample forms found (they are in tests/fixtures/ of the repository).",
              file=sys.stderr)
        return 2
    for src in samples:
        shutil.copyfile(src, config.inbox_dir / src.name)
    print(f"Copied {len(samples)} sample file(s) into {config.inbox_dir}.")
    watcher = InboxWatcher(config, profile, ledger)
    watcher.run_once()
    for item in watcher.handled:
        ref = f" [{item.reference}]" if item.reference else ""
        print(f"  {item.original_name}: {item.outcome.replace('_', ' ')}{ref}")
    print()
    print("\n".join(describe(gather(ledger, config, profile))))
    return 0
