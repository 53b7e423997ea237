"""`family-time report lac REFERENCE [--from DATE] [--to DATE]`: the Family Time report for a
child's Looked After Child review, from the session records received so far."""

from __future__ import annotations

import argparse
import datetime as dt

from pipeline import clock

HELP = "Make a report: 'lac' is the Family Time report for a Looked After Child review."


def _date(text: str) -> dt.date:
    from pipeline.dates import parse_date
    day = parse_date(text)
    if day is not None:
        return day
    raise argparse.ArgumentTypeError(f"'{text}' is not a date (write it as 2027-01-15 or "
                                     "15/01/2027)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=["lac"], help="lac: Looked After Child review report")
    parser.add_argument("reference", help="the referral reference, FT-YYYY-NNNNN")
    parser.add_argument("--from", dest="period_from", type=_date,
                        help="start of the period (default: the first session)")
    parser.add_argument("--to", dest="period_to", type=_date,
                        help="end of the period (default: the review date, else today)")
    parser.add_argument("--config", help="the working folder's family-time.toml")


def run(args: argparse.Namespace) -> int:
    from pipeline.commands.paperwork import _err, open_sources
    opened = open_sources(args.config)
    if isinstance(opened, int):
        return opened
    config, profile, ledger, allocations = opened
    ref = args.reference.strip().upper()
    try:
        item = ledger.item_by_reference(ref)
        if item is None:
            return _err(f"{ref}: no referral with this reference in the ledger.")
        allocation = allocations.get(ref)
        sessions = ledger.sessions_of(ref)
    finally:
        ledger.close()
    values = item.verdict.values if item.verdict else {}
    review = values.get("review.next_date")
    period_to = args.period_to or (review if isinstance(review, dt.date) else clock.today())
    period_from = args.period_from or (allocation.first_date if allocation and
                                       allocation.first_date else
                                       item.received_at.date())
    if period_to < period_from:
        return _err(f"The period ends ({period_to:%d/%m/%Y}) before it starts "
                    f"({period_from:%d/%m/%Y}); check --from and --to.")
    from pipeline.render import PaperworkProblem, render_lac_report
    try:
        path = render_lac_report(item, allocation, profile, config.outbox_dir / ref, sessions,
                                 period_from, period_to)
    except PaperworkProblem as exc:
        return _err(f"{ref}: {exc}")
    print(f"{ref}: review report written: {path}")
    if not sessions:
        print("No session records have been received for this referral yet; the report says "
              "so.")
    return 0
