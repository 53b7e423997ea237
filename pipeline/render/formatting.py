"""The words and times a document prints, each with "Not given" where a fact is missing:
dates ("Tuesday 4 March 2025"), clock times, a session's start and end, lengths, lists ("a, b
and c"), any answer as text, how often sessions are and the years with no training days
listed. Apart from the context models (pipeline/render/context.py), which hand these names on,
so the letters' change notes (pipeline/render/change.py) read times the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline import dates
from pipeline.models import Allocation, Item
from pipeline.profile import Profile

NOT_GIVEN = "Not given"


# The wording of dates lives in pipeline/dates.py; these only give documents "Not given"
# where a date is missing.
def uk_date(d: dt.date | None, missing: str = NOT_GIVEN) -> str:
    """dates.long_date: "Tuesday 4 March 2025", the way the service's letters write a date."""
    return dates.long_date(d, missing)


def date_in_words(d: dt.date | None, missing: str = NOT_GIVEN) -> str:
    """dates.date_in_words: "4 March 2025", for dates of birth where the weekday means nothing."""
    return dates.date_in_words(d, missing)


def clock(t: dt.time | None) -> str:
    """dates.clock_time: "14:30" (the service's records use 24-hour times)."""
    return dates.clock_time(t)


def parse_times(text: str | None) -> tuple[dt.time | None, dt.time | None]:
    """The tracker's "10:00-11:30" as (start, end), read by dates.parse_time_range (the one
    reading of times); (None, None) when it cannot be read."""
    try:
        return dates.parse_time_range(text)
    except dates.TimeNotRead:
        return None, None


def session_times(
    text: str | None, item: Item | None = None
) -> tuple[dt.time | None, dt.time | None]:
    """A session's (start, end) from the allocation's time as typed, read the way the
    allocation check reads it (pipeline/tracker/typed.py): a start alone ("10am") ends the
    referral's session length later, so every document gives the end time (and the
    arrival time from the start), not "10am" alone. (None, None) when it cannot be read."""
    from pipeline.tracker.allocation import session_minutes
    from pipeline.tracker.typed import read_times

    return read_times(text, session_minutes(item))


def minutes_before(t: dt.time | None, minutes: int) -> dt.time | None:
    if t is None:
        return None
    moment = dt.datetime.combine(dt.date(2000, 1, 3), t) - dt.timedelta(minutes=minutes)
    return moment.time()


def duration_text(minutes: Any) -> str:
    """90 -> "1 hour 30 minutes"; anything unreadable -> "Not given"."""
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        return NOT_GIVEN if minutes in (None, "") else str(minutes)
    h, m = divmod(minutes, 60)
    parts = []
    if h:
        parts.append(f"{h} hour{'s' if h > 1 else ''}")
    if m:
        parts.append(f"{m} minutes")
    return " ".join(parts)


def join_words(words: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def yes_no(value: Any) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return NOT_GIVEN if value in (None, "") else str(value)


def text(value: Any, missing: str = NOT_GIVEN) -> str:
    """Any answer as display text; blank answers become `missing`, never "None"."""
    if value is None:
        return missing
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dt.date):
        return uk_date(value, missing)
    if isinstance(value, dt.time):
        return clock(value)
    if isinstance(value, (list, tuple)):
        return join_words([text(v, "") for v in value]) or missing
    s = " ".join(str(value).split())
    return s or missing


def how_often(a: Allocation, requested) -> str:
    """The allocated frequency (the tracker's days win over the referral's request)."""
    from pipeline.sessions.schedule import agreed_frequency

    requested = requested if isinstance(requested, str) else None
    if a.day:
        try:
            return agreed_frequency(a.day, requested)
        except ValueError:
            pass
    return text(requested)


def training_days_unknown(profile: Profile, start: dt.date, end: dt.date) -> str:
    """The years from start to end with no training days listed, where the service lists
    training days for other years ("2026 and 2027"); "" when none are missing."""
    known = {d.year for d in profile.closures.training_days}
    if not known:
        return ""  # the service names no training days at all
    return join_words([str(y) for y in range(start.year, end.year + 1) if y not in known])
