"""`family-time watch [--once]`: the long-lived process IT runs on the server.

Watches the inbox (events, or polling on network shares), handles every file exactly once,
and runs the owed side effects. --once handles the backlog and exits (for a scheduled task).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

HELP = "Watch the inbox and process every file that arrives (--once: the backlog, then exit)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true",
                        help="process what is in the inbox now, then exit")
    parser.add_argument("--config", help="the working folder's family-time.toml")


def open_working_folder(config_path=None):
    """(config, profile, ledger), or None after printing what is wrong for a person."""
    from pipeline.config import ConfigError, load_config
    from pipeline.files import private_dir
    from pipeline.ledger import Ledger
    from pipeline.profile import ProfileError
    try:
        config = load_config(config_path)
        profile = config.load_profile()
    except (ConfigError, ProfileError) as exc:
        print(exc, file=sys.stderr)
        return None
    try:
        for folder in (config.inbox_dir, config.archive_dir, config.state_dir,
                       config.outbox_dir):
            private_dir(folder)
        ledger = Ledger(config.ledger_path)
    except OSError as exc:
        print(f"The working folder cannot be used: {exc}", file=sys.stderr)
        return None
    return config, profile, ledger


def templates_ready() -> bool:
    """Check the paperwork templates before any file is touched: a template broken by an edit
    in Word stops start-up with the file and paragraph, not half-way through a family's pack."""
    from pipeline.render import TemplateProblem, preflight
    try:
        preflight()
    except TemplateProblem as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return False
    return True


def run(args: argparse.Namespace) -> int:
    from pipeline.watcher import InboxWatcher
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    opened = open_working_folder(args.config)
    if opened is None:
        return 2
    config, profile, ledger = opened
    if not templates_ready():
        return 2
    watcher = InboxWatcher(config, profile, ledger)
    if args.once:
        n = watcher.run_once()
        print(f"Processed {n} file(s) from the inbox.")
        if watcher.left_for_next_run:
            print(f"{len(watcher.left_for_next_run)} file(s) still being written were left in "
                  "the inbox for the next run.")
        return 0
    stop = threading.Event()

    def _stop(*_):
        stop.set()
    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                signal.signal(sig, _stop)
            except (ValueError, OSError):
                pass
    print(f"Watching {config.inbox_dir} ({watcher.mode} mode). Press Ctrl+C to stop.",
          file=sys.stderr)
    watcher.run(stop)
    return 0
