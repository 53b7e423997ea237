"""`family-time process FILE...`: the whole pipeline once on the given files.

Files in the inbox are moved to the archive as the watcher would; files elsewhere are copied
there and left where they are. With --json, one line per file for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "Process the given files once: read, check, record, archive, then send what is owed."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        type=Path,
        help="referral forms or saved emails (.docx, .pdf, .eml, .msg)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='one JSON line per file: {"file","outcome","reference","problems"}',
    )
    parser.add_argument("--config", help="the working folder's family-time.toml")


def _line(path: Path, items) -> dict:
    outcomes = list(dict.fromkeys(i.outcome for i in items))
    refs = list(dict.fromkeys(i.reference for i in items if i.reference))
    problems = [p.message for i in items if i.verdict for p in i.verdict.problems]
    return {
        "file": path.name,
        "outcome": outcomes[0] if len(outcomes) == 1 else outcomes,
        "reference": refs[0] if len(refs) == 1 else (refs or None),
        "problems": problems,
    }


def run(args: argparse.Namespace) -> int:
    """Under the inbox lock the watcher holds: refused plainly while `watch` runs, and a
    watcher started meanwhile waits its turn (it is refused until this run ends)."""
    from pipeline.commands.watch import open_working_folder
    from pipeline.server.startup import StartupProblem
    from pipeline.server.watch_lock import WatchLock

    opened = open_working_folder(args.config, as_json=getattr(args, "json", False))
    if opened is None:
        return 2
    config, profile, ledger = opened
    lock = WatchLock(config.state_dir, command="process")
    try:
        lock.acquire()
    except StartupProblem as exc:  # the watcher (or another run) handles the inbox now
        ledger.close()
        print(f"Not processed: {exc}", file=sys.stderr)
        return 2
    try:
        return _run(args, config, profile, ledger)
    finally:
        lock.release()


def _run(args: argparse.Namespace, config, profile, ledger) -> int:
    from pipeline.effects import run_effects

    results: list[tuple[Path, list | None, str | None]] = []
    progress, task = _progress_bar(len(args.files))
    try:
        for path in args.files:
            results.append(_process_one(path, config, profile, ledger))
            if progress:
                progress.advance(task)
    finally:
        if progress:
            progress.stop()
    run_effects(ledger, config, profile)
    failed = False
    for path, items, error in results:
        if error:
            failed = True
            _print_error(path, error, args.json)
        else:
            _print_items(path, items, args.json)
    return 1 if failed else 0


def _progress_bar(total: int):
    """A progress bar on a terminal for more than three files; (None, None) otherwise."""
    if not (total > 3 and sys.stderr.isatty()):
        return None, None
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    progress.start()
    return progress, progress.add_task("Processing", total=total)


def _process_one(path: Path, config, profile, ledger) -> tuple[Path, list | None, str | None]:
    """One file's items, or why it was not processed now."""
    from pipeline.intake.process import NotYet, WaitingForWorkbook, process_file

    if not path.is_file():
        return (path, None, "no such file")
    try:
        return (path, process_file(path, config, profile, ledger), None)
    except WaitingForWorkbook:
        return (
            path,
            None,
            "the tracking workbook cannot be read just now "
            "(open, locked or damaged), so whether this "
            "child's earlier referral was closed is not "
            "known; try again when it can be read",
        )
    except NotYet:
        return (
            path,
            None,
            "the file is open in another program or locked; try again when it is closed",
        )


def _print_error(path: Path, error: str, as_json: bool) -> None:
    if as_json:
        print(
            json.dumps(
                {
                    "file": path.name,
                    "outcome": None,
                    "reference": None,
                    "problems": [error],
                },
                ensure_ascii=False,
            )
        )
    else:
        print(f"{path}: {error}", file=sys.stderr)


def _print_items(path: Path, items: list, as_json: bool) -> None:
    if as_json:
        print(json.dumps(_line(path, items), ensure_ascii=False))
        return
    for item in items:
        ref = f" [{item.reference}]" if item.reference else ""
        print(
            f"{item.original_name}: {item.outcome.replace('_', ' ').upper()}{ref} - {item.reason}"
        )
        for p in item.verdict.problems if item.verdict else []:
            print(f"  ✗ {p.message}")
