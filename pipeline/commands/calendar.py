"""`family-time calendar`: the service's closed days and working-day rules for one year,
laid out so a co-ordinator can check them against the team's own calendar."""

from __future__ import annotations

import argparse
import sys

from pipeline import clock
from pipeline.commands import folder
from pipeline.dates import DAYS as WEEKDAYS

HELP = "List the service's closed days (bank holidays, training days) and working-day rules."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    folder.add_arguments(parser, profile=True)
    parser.add_argument("--year", type=int, default=None, help="the year (default: this year)")


def describe(profile, year: int, profile_file: str = "") -> list[str]:
    """The lines the command prints (kept separate so tests read them without a terminal);
    profile_file: the file a person edits (the working folder's own copy), as they know it."""
    from pipeline.commitments import describe_timescales
    from pipeline.dates import long_date as uk
    from pipeline.validate.calendar import ServiceCalendar

    cal = ServiceCalendar(profile)
    h, r = profile.hours, profile.recording
    lines = [
        f"{profile.name}, {profile.service_name}: calendar for {year}",
        "",
        f"Office working days: {', '.join(h.working_days)}.",
        f"Session days: {', '.join(h.session_days)}.",
        f"A form received after {h.closing_time:%H:%M}, or on a day the office is closed, "
        "counts as received on the next working day.",
        "The service's commitments, in working days from that day:",
    ]
    lines += [f"  {line}" for line in describe_timescales(profile)]
    lines += [
        f"Session records are due within {_recording(r)} of the session."
        if _recording(r)
        else "Session records: the service has not stated a deadline.",
        "",
    ]
    no_sessions = [d for d in WEEKDAYS if d not in h.session_days]
    if no_sessions:
        lines.insert(4, f"No sessions on {', '.join(no_sessions)} (every week).")
    closed = cal.closed_days(year)
    lines.append(
        f"Closed days in {year} ({len(closed)}):"
        if closed
        else f"No closed days in {year} apart from the weekly pattern above."
    )
    for day, reason in closed:
        shown = reason if day not in cal.closures else reason[0].lower() + reason[1:]
        lines.append(f"  {uk(day)} — {shown}")
    if not profile.closures.bank_holidays:
        lines.append("Bank holidays are NOT treated as closed days for this service.")
    if not any(d.year == year for d in profile.closures.training_days):
        lines += [
            "",
            f"No training days are listed for {year}. If the team has any, add them "
            f"to training_days in the profile ({profile_file or profile.id + '.toml'}), "
            "or sessions will "
            "be booked on them.",
        ]
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _recording(r) -> str:
    parts = []
    if r.deadline_hours:
        parts.append(_plural(r.deadline_hours, "hour"))
    if r.deadline_working_days is not None:
        parts.append(_plural(r.deadline_working_days, "working day"))
    if not parts:
        return ""
    return " or ".join(parts) + (" (whichever comes first)" if len(parts) > 1 else "")


def run(args: argparse.Namespace) -> int:
    opened = folder.open_for(args, False, "")
    if opened is None:
        return 2
    config, profile = opened
    year = args.year or clock.today().year
    if not 1900 <= year <= 2200:
        print(
            f"--year: {year} is not a year the calendar can show (1900 to 2200).", file=sys.stderr
        )
        return 2
    from pipeline.profile import PROFILES, profile_path

    chosen = profile_path(getattr(args, "profile", None) or config.profile_reference())
    shown = chosen.name if chosen.parent.resolve() == PROFILES.resolve() else str(chosen)
    print("\n".join(describe(profile, year, shown)))
    return 0
