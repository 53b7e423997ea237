"""`family-time tracker sync|check`: bring the tracking workbook in line with the ledger now,
or list how they differ without changing anything."""

from __future__ import annotations

import argparse
import json
import sys

HELP = (
    "Reconcile the tracking workbook with the ledger now (sync), or list the differences (check)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        choices=["sync", "check"],
        help="sync: write missing rows and correct the pipeline's cells; "
        "check: list differences only",
    )
    parser.add_argument("--config", help="the working folder's family-time.toml")
    parser.add_argument(
        "--full",
        action="store_true",
        help="sync: compare every pipeline cell, not only rows the ledger changed "
        "(corrects pipeline cells someone typed over)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _load(config_path, as_json: bool = False):
    """(config, profile, items, acknowledged, proposals) or an exit code after a message for a
    person; proposals are the Decisions sheet's rows as the ledger knows them."""
    from types import SimpleNamespace

    from pipeline.commands import folder

    opened = folder.open_for(SimpleNamespace(config=config_path), as_json)
    if opened is None:
        return 2
    config, profile = opened
    from pipeline.ledger import Ledger
    from pipeline.tracker.cells import acknowledged as acknowledged_dates
    from pipeline.tracker.proposal_rows import proposal_rows

    if not config.ledger_path.exists():
        print(
            f"No ledger yet ({config.ledger_path}): nothing has been processed, so there is "
            f"nothing to reconcile.",
            file=sys.stderr,
        )
        return 2
    from pipeline.notify.backfill import backfill_acknowledgements

    ledger = Ledger(config.ledger_path)
    try:
        backfill_acknowledgements(ledger, config, profile)  # a ledger from before the timeline
        items = ledger.items()
        acknowledged = acknowledged_dates(ledger, items)
        proposals = proposal_rows(ledger, profile)
    finally:
        ledger.close()
    return config, profile, items, acknowledged, proposals


def run(args: argparse.Namespace) -> int:
    loaded = _load(args.config, getattr(args, "json", False))
    if isinstance(loaded, int):
        return loaded
    config, profile, items, acknowledged, proposals = loaded
    from pipeline.tracker import check, sync

    if args.action == "sync":
        report = sync(items, config, profile, acknowledged=acknowledged, full=args.full)
        if proposals and not (report.waiting or report.problems):
            from pipeline.tracker.books import sync_message
            from pipeline.tracker.decisions import write_proposals

            decided = write_proposals(proposals, config, profile)  # the Decisions sheet too
            report.appended += decided.appended
            report.updated += decided.updated
            report.writes += decided.writes
            report.written += decided.written
            report.workbooks += [w for w in decided.workbooks if w not in report.workbooks]
            report.waiting = report.waiting or decided.waiting
            report.problems += decided.problems
            report.message = sync_message(report)
        if args.json:
            print(report.model_dump_json())
        else:
            print(report.message)
        return 1 if report.waiting or report.problems else 0
    try:
        differences = check(items, config, profile, proposals)
    except Exception as exc:  # a damaged workbook: say so, do not print a traceback
        print(f"The tracking workbook could not be checked: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([d.__dict__ for d in differences], ensure_ascii=False))
    elif not differences:
        print("The tracking workbook matches the ledger.")
    else:
        print(f"{len(differences)} difference(s) between the tracking workbook and the ledger:")
        for d in differences:
            print(f"  {d.workbook}: {d.describe()}")
        print(
            "Run `family-time tracker sync` to add missing rows "
            "(`--full` also corrects cells that differ)."
        )
    return 1 if differences else 0
