"""The dates of a family's sessions: first date, agreed day(s) and frequency, minus closures.

Pure functions over the service calendar, so the letters, the agreement and the pre-filled
session records all quote the same dates.

Rules (what the agreement promises; keep the templates' wording in step):
- The days the co-ordinator wrote in the tracker are the agreed days. The referral's frequency
  decides the pattern: "Once/Twice/Three times a week" (and "Other", or no frequency) mean every
  week on those days; "Fortnightly" means those days every other week, counted from the week of
  the first date; "Monthly" means one session a month, on the same weekday of the month as the
  first agreed day on or after the first date (the first Tuesday, the third Thursday; a fifth
  weekday becomes "the last").
- The first session is on the first date, even when that is not one of the agreed days; the
  pattern follows from there, never giving that first week more sessions than a usual week.
- A session on a closed day (bank holiday, training day) does not happen. When it was the
  family's ONLY session that week (weekly on one day, fortnightly or monthly) and the profile
  promises it, a replacement is planned in the same week: the next open session day after the
  closed day, or else the nearest open day before it (never before the first date). Monthly
  sessions too, even when the week runs into the next month (a last-Monday family whose May
  session falls on the Spring Bank Holiday meets on Tuesday 1 June, and again on the last
  Monday of June). Families with several sessions a week get no replacement. A week with no
  open day left gets no session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel

from pipeline.dates import DAYS, long_date, weekday_name
from pipeline.validate.calendar import WEEKDAY_INDEX, ServiceCalendar
from pipeline.validate.values import parse_choice, parse_days

ONE_DAY = dt.timedelta(days=1)
DEFAULT_HORIZON_DAYS = 365  # no count and no end date: a year of sessions
SEARCH_LIMIT_DAYS = 5 * 366  # a calendar that is closed for ever never loops for ever

# What each of the catalogue's request.frequency choices means for the pattern. A test checks
# every choice in catalogue.toml has a meaning here, so a new choice cannot be missed.
PATTERNS: dict[str, str] = {
    "Three times a week": "weekly",
    "Twice a week": "weekly",
    "Once a week": "weekly",
    "Fortnightly": "fortnightly",
    "Monthly": "monthly",
    "Other": "weekly",
}


class PlannedSession(BaseModel):
    """One planned session. A replacement says which closed date it replaces and why."""

    date: dt.date
    weekday: str
    replaces: dt.date | None = None  # the closed date this replaces
    closure: str | None = None  # why that date was closed ("Christmas Day")


# ---------------------------------------------------------------------------------------
# Reading what the tracker and the referral say


def parse_session_days(days: str | list[str]) -> list[str]:
    """Day names in week order from "Tuesday", "Tue/Thu", "Mon, Wed, Fri" or a list.

    Raises ValueError with a message a co-ordinator can act on.
    """
    if days is None or (isinstance(days, str) and not days.strip()) or days == []:
        raise ValueError(
            "No session day is given. Write the day(s) in the tracker, "
            'for example "Tuesday" or "Tuesday and Thursday".'
        )
    if not isinstance(days, (str, list)) or (
        isinstance(days, list) and not all(isinstance(d, str) for d in days)
    ):
        raise ValueError(
            f"The session days ({days!r}) could not be read. Write the day(s) "
            'like "Tuesday" or "Tuesday and Thursday".'
        )
    parsed, problem = parse_days(days)
    if problem is not None or not parsed:
        shown = days if isinstance(days, str) else ", ".join(days)
        raise ValueError(
            f'"{shown}" could not be read as days of the week. Write the day(s) '
            'like "Tuesday" or "Tuesday and Thursday".'
        )
    return parsed


def pattern_for(frequency: str | None) -> str:
    """'weekly', 'fortnightly' or 'monthly' for the referral's frequency (None: weekly)."""
    if frequency is None or not str(frequency).strip():
        return "weekly"
    choice, _problem = parse_choice(str(frequency), list(PATTERNS))
    if choice is None:
        raise ValueError(
            f'"{frequency}" is not a frequency the schedule understands. '
            f"Use one of: {', '.join(c for c in PATTERNS if c != 'Other')}."
        )
    return PATTERNS[choice]


TIMES_A_WEEK = {1: "Once a week", 2: "Twice a week", 3: "Three times a week"}


def agreed_frequency(days: str | list[str], frequency: str | None) -> str:
    """How often, in words, as allocated: the agreed days win over the referral's request
    (asked for twice a week, allocated Tuesdays only: "Once a week")."""
    pattern = pattern_for(frequency)
    if pattern == "fortnightly":
        return "Fortnightly"
    if pattern == "monthly":
        return "Monthly"
    n = len(parse_session_days(days))
    return TIMES_A_WEEK.get(n, f"{n} times a week")


# ---------------------------------------------------------------------------------------
# The schedule


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The nth (1-4) weekday of a month; nth=5 means the last one."""
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    if nth < 5:
        return day + dt.timedelta(weeks=nth - 1)
    while (day + dt.timedelta(weeks=1)).month == month:
        day += dt.timedelta(weeks=1)
    return day


@dataclass
class _Slot:
    """A date the pattern gives, before closures are applied."""

    date: dt.date
    alone_in_week: bool  # the family's only session that week


def _weekly_slots(first: dt.date, weekdays: list[int], every_weeks: int, end: dt.date):
    """Dates on `weekdays` every `every_weeks` weeks from first's week; first always included."""
    per_week = len(weekdays)
    start_monday = _monday(first)
    week = 0
    while True:
        monday = start_monday + dt.timedelta(weeks=week)
        if monday > end:
            return
        if week == 0:
            dates = [first] + [
                first + dt.timedelta(days=wd - first.weekday())
                for wd in weekdays
                if wd > first.weekday()
            ]
            dates = dates[:per_week]
        else:
            dates = [monday + dt.timedelta(days=wd) for wd in weekdays]
        for d in dates:
            if d <= end:
                yield _Slot(d, alone_in_week=per_week == 1)
        week += every_weeks


def _monthly_slots(first: dt.date, weekdays: list[int], end: dt.date):
    """First date, then the same weekday-of-the-month each following month."""
    anchor = first
    while anchor.weekday() not in weekdays:
        anchor += ONE_DAY
    nth = min((anchor.day - 1) // 7 + 1, 5)
    yield _Slot(first, alone_in_week=True)
    year, month = first.year, first.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        d = _nth_weekday(year, month, anchor.weekday(), nth)
        if d > end:
            return
        yield _Slot(d, alone_in_week=True)


def _replacement(
    closed: dt.date, calendar: ServiceCalendar, first: dt.date, end: dt.date
) -> dt.date | None:
    """The next open session day after `closed` in its week, else the nearest before it."""
    lo, hi = _monday(closed), _monday(closed) + dt.timedelta(days=6)
    d = closed + ONE_DAY
    while d <= hi:
        if calendar.is_session_day(d):
            return d if d <= end else None
        d += ONE_DAY
    d = closed - ONE_DAY
    while d >= max(lo, first):
        if calendar.is_session_day(d):
            return d
        d -= ONE_DAY
    return None


def _replacement_promised(calendar: ServiceCalendar) -> bool:
    profile = getattr(calendar, "profile", None)
    if profile is None:
        return True
    return bool(profile.closures.replacement_for_single_weekly_session)


def session_dates(
    first_date: dt.date,
    days: str | list[str],
    frequency: str | None,
    calendar: ServiceCalendar,
    count: int | None = None,
    until: dt.date | None = None,
    *,
    replacement: bool | None = None,
) -> list[PlannedSession]:
    """The planned sessions, in date order, closed days left out (or replaced; see above).

    count: at most this many sessions; until: none after this date (inclusive). Neither: a
    year from the first date. replacement: override the profile's promise of a replacement
    for a single weekly session (None: as the calendar's profile says).
    Raises ValueError (plain English) for days or a frequency that cannot be read, or a day
    the service does not run sessions on.
    """
    if not isinstance(first_date, dt.date) or isinstance(first_date, dt.datetime):
        raise ValueError("The first session date is missing or not a date.")
    if count is not None and count < 0:
        raise ValueError("The number of sessions asked for cannot be negative.")
    if until is not None and until < first_date:
        return []
    names = parse_session_days(days)
    _check_days_offered(names, first_date, calendar)
    pattern = pattern_for(frequency)
    weekdays = [WEEKDAY_INDEX[n] for n in names]
    promise = _replacement_promised(calendar) if replacement is None else replacement
    end = _search_end(first_date, count, until)
    if pattern == "monthly":
        slots = _monthly_slots(first_date, weekdays, end)
    else:
        slots = _weekly_slots(first_date, weekdays, 2 if pattern == "fortnightly" else 1, end)
    if count == 0:
        return []
    return _place_sessions(slots, calendar, promise, first_date, end, count)


def _check_days_offered(names: list[str], first_date: dt.date, calendar: ServiceCalendar) -> None:
    """Refuse, in plain English, days (or a first date) the service runs no sessions on."""
    offered = getattr(calendar, "session_weekdays", None)
    if offered is None:
        return
    not_offered = [n for n in names if WEEKDAY_INDEX[n] not in offered]
    if not_offered:
        on = ", ".join(DAYS[i] for i in sorted(offered))
        raise ValueError(
            f"The service does not run sessions on {' or '.join(not_offered)}. "
            f"Sessions can be on: {on}."
        )
    if first_date.weekday() not in offered:
        weekday = weekday_name(first_date)
        raise ValueError(
            f"The first date ({long_date(first_date)}) is a {weekday}, and the "
            f"service does not run sessions on {weekday}s. Please choose "
            "another first date."
        )


def _search_end(first_date: dt.date, count: int | None, until: dt.date | None) -> dt.date:
    """The last day to look at: `until`, else a year (or the search limit when counting);
    never past the search limit."""
    end = (
        until
        if until is not None
        else (
            first_date
            + dt.timedelta(days=SEARCH_LIMIT_DAYS if count is not None else DEFAULT_HORIZON_DAYS)
        )
    )
    return min(end, first_date + dt.timedelta(days=SEARCH_LIMIT_DAYS))


def _place_sessions(
    slots,
    calendar: ServiceCalendar,
    promise: bool,
    first_date: dt.date,
    end: dt.date,
    count: int | None,
) -> list[PlannedSession]:
    """Each slot becomes a session, a replacement (closed, and promised one) or nothing."""
    out: list[PlannedSession] = []
    taken: set[dt.date] = set()  # a replacement can land on the next slot's date (monthly)
    for slot in slots:
        reason = calendar.closure_reason(slot.date)
        if reason is None:
            if slot.date not in taken:
                out.append(PlannedSession(date=slot.date, weekday=weekday_name(slot.date)))
        elif promise and slot.alone_in_week:
            alt = _replacement(slot.date, calendar, first_date, end)
            if alt is not None and alt not in taken:
                out.append(
                    PlannedSession(
                        date=alt, weekday=weekday_name(alt), replaces=slot.date, closure=reason
                    )
                )
        taken.update(s.date for s in out[-1:])
        if count is not None and len(out) >= count:
            break
    out.sort(key=lambda s: s.date)
    return out


def closures_in(
    calendar: ServiceCalendar, start: dt.date, end: dt.date
) -> list[tuple[dt.date, str]]:
    """Bank holidays and closure days from start to end (inclusive), for letters and agreements.

    Ordinary non-session weekdays (Sundays) are not listed: the agreement says them once.
    """
    if end < start:
        return []
    found: list[tuple[dt.date, str]] = []
    for year in range(start.year, end.year + 1):
        found.extend((d, r) for d, r in calendar.closed_days(year) if start <= d <= end)
    return sorted(found)
