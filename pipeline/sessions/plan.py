"""A family's planned sessions: the one place the pipeline works them out.

The schedule (pipeline/sessions/schedule.py) turns the allocation's first date, agreed day(s)
and the referral's frequency into dates, closures left out or replaced. The letters quote
those dates, and the missed-session rule needs the same ones to know whether two misses
were "in a row" (a planned session with no record yet stands between them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pipeline.models import Allocation, Item
from pipeline.profile import WEEKDAYS
from pipeline.sessions.rule import Planned
from pipeline.sessions.schedule import PlannedSession, session_dates
from pipeline.validate.calendar import ServiceCalendar


def frequency_of(item: Item | None) -> str | None:
    """The referral's requested frequency as text (None when it does not say)."""
    value = item.verdict.values.get("request.frequency") if item and item.verdict else None
    if isinstance(value, list):
        value = " ".join(value)
    return value if isinstance(value, str) else None


def planned_sessions(
    item: Item | None,
    allocation: Allocation | None,
    profile,
    count: int | None = None,
    until: dt.date | None = None,
) -> list[PlannedSession]:
    """The planned sessions, or [] when the allocation does not say enough to work them out;
    none after time-limited family time ends (pipeline/cases/family_time.py), unless a person
    typed a later end. Raises ValueError (plain English) for days or a frequency that cannot
    be read."""
    from pipeline.cases.family_time import capped, family_time_end

    if allocation is None or allocation.first_date is None or not allocation.day:
        return []
    until = capped(until, family_time_end(item, allocation))
    return session_dates(
        allocation.first_date,
        allocation.day,
        frequency_of(item),
        ServiceCalendar(profile),
        count=count,
        until=until,
    )


def rule_plan(
    referral: Item | None, allocation: Allocation | None, profile
) -> tuple[Planned | None, dt.date | None]:
    """What the missed-session rule needs: the planned dates strictly between two dates (a
    callable) and the first planned date; (None, None) when nothing is allocated yet."""
    if allocation is None or not allocation.day or not allocation.first_date:
        return None, None

    def planned(a: dt.date, b: dt.date) -> list[dt.date]:
        try:
            dates = planned_sessions(referral, allocation, profile, until=b)
        except ValueError:  # days a person typed that cannot be read
            return []
        return [s.date for s in dates if a < s.date < b]

    return planned, allocation.first_date


def weekly_plan(
    day_text: str | None, is_session_day: Callable[[dt.date], bool] | None = None
) -> Planned | None:
    """Planned dates from "Tuesday and Thursday" alone, every week (None: no day known); for
    working the rule through by hand without an allocation or a calendar."""
    text = (day_text or "").lower()
    days = {
        i
        for i, name in enumerate(d.lower() for d in WEEKDAYS)
        if name in text or name[:3] + " " in text + " "
    }
    if not days:
        return None

    def planned(a: dt.date, b: dt.date) -> list[dt.date]:
        out, day = [], a + dt.timedelta(days=1)
        while day < b:
            if day.weekday() in days and (is_session_day is None or is_session_day(day)):
                out.append(day)
            day += dt.timedelta(days=1)
        return out

    return planned
