"""`family-time rota [--week YYYY-Www] [--venue V] [--pdf]`: the week's printable rotas in
outbox/rota/<week>/, one per venue for reception and one per supervisor, from the sessions
the allocations plan and what the case timeline says since (pipeline/rota/)."""

from __future__ import annotations

import argparse
import sys

HELP = "Write the week's rota (one per venue for reception, one per supervisor) to outbox/rota/."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--week", help="which week, e.g. 2026-W49 (default: this week)")
    parser.add_argument("--venue", help="only this venue's rota (and its supervisors')")
    parser.add_argument("--pdf", action="store_true", help="a PDF beside each (LibreOffice)")
    parser.add_argument("--config", help="the working folder's family-time.toml")


def run(args: argparse.Namespace) -> int:
    from pipeline import clock
    from pipeline.commands import folder
    from pipeline.ledger import Ledger
    from pipeline.rota import diary
    from pipeline.rota import document as R

    opened = folder.open_for(args)
    if opened is None:
        return 2
    config, profile = opened
    try:
        monday = R.read_week(args.week) if args.week else R.week_of(clock.today())
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.venue and profile.venue(args.venue) is None:
        names = ", ".join(v.name for v in profile.venues)
        print(R._say("no_venue", venue=args.venue, venues=names), file=sys.stderr)
        return 2
    venue = profile.venue(args.venue).name if args.venue else None
    sessions: list = []
    if config.ledger_path.exists():
        ledger = Ledger(config.ledger_path)
        try:
            sessions = diary.from_ledger(ledger, profile, monday, monday + R.ONE_WEEK)
        finally:
            ledger.close()
    out_dir = config.outbox_dir / "rota" / R.week_name(monday)
    made = R.write_week(sessions, monday, out_dir, venue=venue, pdf=args.pdf)
    print(R._say("written", week=R.week_name(monday), count=len(made), folder=out_dir))
    return 0
