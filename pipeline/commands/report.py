"""`family-time report lac REFERENCE [--from DATE] [--to DATE]`: the Family Time report for a
child's Looked After Child review; `family-time report month [--month YYYY-MM]`: the
service's figures for a month (a Word report and an Excel workbook in outbox/reports/)."""

from __future__ import annotations

import argparse
import datetime as dt

HELP = (
    "Make a report: 'lac REFERENCE' is the Family Time report for a Looked After Child "
    "review; 'month' the service's figures for a month."
)


def _date(text: str) -> dt.date:
    """--from/--to: read as every typed date is (pipeline.dates: day first, 4/3/25 is 2025)."""
    from pipeline.dates import DateNotRead, parse_date

    try:
        return parse_date(text)
    except DateNotRead as exc:
        raise argparse.ArgumentTypeError(f"{exc}; write it as 15/01/2027 or 2027-01-15") from None


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month (write it as 2026-11)") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind",
        choices=["lac", "month"],
        help="lac: Looked After Child review report; month: the month's figures",
    )
    parser.add_argument("reference", nargs="?", help="lac: the referral reference, FT-YYYY-NNNNN")
    parser.add_argument(
        "--from",
        dest="period_from",
        type=_date,
        help="lac: start of the period (default: the day the last report was "
        "made, else the first session)",
    )
    parser.add_argument(
        "--to",
        dest="period_to",
        type=_date,
        help="lac: end of the period (default: the next review)",
    )
    parser.add_argument(
        "--month", type=_month, help="month: which month, YYYY-MM (default: last month)"
    )
    parser.add_argument("--config", help="the working folder's family-time.toml")


def run(args: argparse.Namespace) -> int:
    if args.kind == "month":
        return _month_report(args)
    from pipeline.commands.paperwork import _err, open_sources

    if not args.reference:
        return _err("Say which referral: family-time report lac FT-YYYY-NNNNN")
    opened = open_sources(args.config)
    if isinstance(opened, int):
        return opened
    config, profile, ledger, allocations = opened
    from pipeline import clock
    from pipeline.render import PaperworkProblem
    from pipeline.reports import lac
    from pipeline.tracker.reviews import review_of, tracker_reviews

    ref = args.reference.strip().upper()
    today = clock.today()
    try:
        item = ledger.item_by_reference(ref)
        review = review_of(item, tracker_reviews(config, profile).get(ref)) if item else None
        plan = lac.plan(
            ledger,
            ref,
            review,
            allocations.get(ref),
            today=today,
            period_from=args.period_from,
            period_to=args.period_to,
        )
        path = lac.make(ledger, profile, plan, config.outbox_dir / ref, today=today)
        _as_the_reviews(ledger, ref, review, plan, path, today)
        sessions = ledger.sessions_of(ref)
    except lac.ReportRefused as exc:
        return _err(str(exc))
    except PaperworkProblem as exc:
        return _err(f"{ref}: {exc}")
    finally:
        ledger.close()
    covered_to = min(plan.period_to, today)  # the report covers no day after it is made
    if plan.period_from > covered_to:
        print(
            f"{ref}: review report written (no session had taken place by {today:%d/%m/%Y}): {path}"
        )
    else:
        print(
            f"{ref}: review report written for {plan.period_from:%d/%m/%Y} to "
            f"{covered_to:%d/%m/%Y}: {path}"
        )
    if not sessions:
        print("No session records have been received for this referral yet; the report says so.")
    return 0


def _as_the_reviews(ledger, ref: str, review, plan, path, today: dt.date) -> None:
    """A report asked for up to the next review, when none is made for it yet, IS that
    review's report: kept as made, so the automatic one is not made again beside it (one
    report per review); it is mailed, as the automatic one would be, once checked."""
    from pipeline.cases.review import report_made

    if review is None or review.date is None or plan.period_to != review.date:
        return
    if ledger.report_made(ref, review.date):
        return  # the review's report exists: this one is a copy of its own
    ledger.add_report(ref, review.date, path, made_on=today)
    ledger.record_event(report_made(ref, review.date, path, today))
    ledger.note_report_name_left(ref, review.date, review.checked_by)


def _month_report(args) -> int:
    from pipeline import clock
    from pipeline.commands import folder
    from pipeline.commands.paperwork import _err
    from pipeline.ledger import Ledger
    from pipeline.reports.month import month_figures, write_month_report
    from pipeline.tracker.sync import read_staff

    opened = folder.open_for(args)
    if opened is None:
        return 2
    config, profile = opened
    if not config.ledger_path.exists():
        return _err(f"No ledger yet ({config.ledger_path}): no referral has been processed.")
    month = args.month or (clock.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    ledger = Ledger(config.ledger_path)
    try:
        figures = month_figures(ledger, profile, month, staff=read_staff(config, profile))
    finally:
        ledger.close()
    docx, xlsx = write_month_report(figures, profile, config.outbox_dir / "reports")
    print(f"{figures.title}: {docx}")
    print(f"The same figures as a workbook: {xlsx}")
    return 0
