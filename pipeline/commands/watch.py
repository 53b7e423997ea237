"""`family-time watch [--once]`: the long-lived process IT runs on the server.

Watches the inbox (events, or polling on network shares), handles every file exactly once,
and runs the owed side effects. --once handles the backlog and exits (for a scheduled task).

Before anything is touched: the state folder must be local, the outbox and tracker folders
must exist (pipeline/server/startup.py), only one `watch` may run per working folder
(pipeline/server/watch_lock.py), and a long-running watch waits for an inbox share that is
not mounted yet (--once refuses at once). Ctrl+C, Ctrl+Break or a service stop ends it within
a second (pipeline/server/service.py); the log also goes to a rotating UTF-8 file (--log-file,
or [watch] log_file in family-time.toml; pipeline/server/logs.py).
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

HELP = "Watch the inbox and process every file that arrives (--once: the backlog, then exit)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--once", action="store_true", help="process what is in the inbox now, then exit"
    )
    parser.add_argument("--config", help="the working folder's family-time.toml")
    parser.add_argument(
        "--log-file",
        type=Path,
        default=None,
        help="also log to this file (UTF-8, rotated at 5 MB; default: "
        "[watch] log_file in family-time.toml)",
    )


def open_working_folder(config_path=None, create: bool = True, as_json: bool = False):
    """(config, profile, ledger), or None after printing what is wrong for a person.

    With create=False (watch) only state/ and archive/ are made: the inbox, outbox and tracker
    folders are `init`'s to create, and their absence is a problem to report."""
    from pipeline.config import ConfigError, load_config
    from pipeline.files import private_dir, use_scratch
    from pipeline.ledger import Ledger
    from pipeline.profile import ProfileError

    try:
        config = load_config(config_path)
        profile = config.load_profile()
    except (ConfigError, ProfileError) as exc:
        print(exc, file=sys.stderr)
        return None
    if not create:
        from pipeline.server.startup import state_on_network

        network = state_on_network(config)
        if network:
            print(f"Cannot start: {network}", file=sys.stderr)
            return None
    use_scratch(config.scratch_dir)
    try:
        for folder in (
            (config.inbox_dir, config.archive_dir, config.state_dir, config.outbox_dir)
            if create
            else (config.archive_dir, config.state_dir)
        ):
            private_dir(folder)
        ledger = Ledger(config.ledger_path)
    except OSError as exc:
        print(f"The working folder cannot be used: {exc}", file=sys.stderr)
        return None
    from pipeline.commands.folder import announce

    announce(config, profile, as_json)  # which folder and profile, said first
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
    from pipeline.config import ConfigError, load_config
    from pipeline.server.logs import setup_logging
    from pipeline.server.startup import StartupProblem, check
    from pipeline.server.watch_lock import WatchLock

    try:
        log_file = args.log_file or load_config(args.config).log_path
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        setup_logging(log_file)
    except OSError as exc:
        print(
            f"Cannot start: the log file {log_file} cannot be written ({exc.strerror}).",
            file=sys.stderr,
        )
        return 2
    opened = open_working_folder(args.config, create=False)
    if opened is None:
        return 2
    config, profile, ledger = opened
    lock = WatchLock(config.state_dir)
    try:
        check(config, once=args.once)
        lock.acquire()
    except StartupProblem as exc:
        ledger.close()
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    try:
        if not templates_ready():
            return 2
        return _watch(args, config, profile, ledger)
    finally:
        lock.release()


def _watch(args, config, profile, ledger) -> int:
    from pipeline.intake.watcher import InboxWatcher

    watcher = InboxWatcher(config, profile, ledger)
    if args.once:
        n = watcher.run_once()
        print(f"Processed {n} file(s) from the inbox.")
        if watcher.left_for_next_run:
            print(
                f"{len(watcher.left_for_next_run)} file(s) still being written were left in "
                "the inbox for the next run."
            )
        return 0
    from pipeline.server.service import serve, stop_on_signals

    stop = threading.Event()
    stop_on_signals(stop)
    print(
        f"Watching {config.inbox_dir} ({watcher.mode} mode). Press Ctrl+C to stop.", file=sys.stderr
    )
    serve(watcher, stop)
    return 0
