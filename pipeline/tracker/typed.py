"""What co-ordinators type into an allocation, read the way they mean it.

Times: "10:00-11:30", "10am", "10.00", "10 - 11.30am", "2pm for 1.5 hours"; days:
"Tuesday", "Tues and Thurs"; dates: "04/03/2025", "4/3/25", "4 March 2025" (dates and times
are read by pipeline/dates.py, the one reading the forms and the commands use too). Each
reader returns the value, or None when it cannot be read: the allocation check
(allocation.py) and the commitment checks (met.py) then tell the co-ordinator in plain words.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pipeline import dates
from pipeline.dates import DAYS, times_text  # noqa: F401  times_text: callers use it from here
from pipeline.validate.values import parse_duration

_FOR = re.compile(r"\s+for\s+", re.I)


def read_date(value: Any) -> dt.date | None:
    """A date cell (a date, or text typed as 04/03/2025, 4/3/25, "4 March 2025": the one
    reading in pipeline.dates); None when blank or not a date, and the caller says so."""
    return dates.date_or_none(value)


def _plus(start: dt.time, minutes: int) -> dt.time | None:
    moment = dt.datetime.combine(dt.date(2000, 1, 3), start) + dt.timedelta(minutes=minutes)
    return moment.time() if moment.date() == dt.date(2000, 1, 3) else None


def read_times(
    text: str | None, default_minutes: int | None = None
) -> tuple[dt.time | None, dt.time | None]:
    """(start, end) from what was typed; (None, None) when it cannot be read.

    The times are read by pipeline.dates.parse_time_range ("10:00-11:30", "10 - 11.30am",
    "11 - 1pm"); here the tracker's own additions: "2pm for 1.5 hours", a start alone ending
    `default_minutes` later, and an end that must come after the start.
    """
    s = " ".join(str(text or "").split())
    if not s:
        return None, None
    length: int | None = None
    if _FOR.search(s):
        s, rest = _FOR.split(s, maxsplit=1)
        minutes, problem = parse_duration(rest)
        if problem or not minutes:
            return None, None
        length = int(minutes)
    try:
        start, end = dates.parse_time_range(s)
    except dates.TimeNotRead:
        return None, None
    if end is None:
        minutes = length or default_minutes
        return start, (_plus(start, minutes) if minutes else None)
    if length is not None or end <= start:
        return None, None
    return start, end


def read_days(text: str | None) -> list[str]:
    """Day names in "Tuesday and Thursday", "Tues & Thurs", "Mon/Wed" (week order)."""
    words = re.findall(r"[a-z]+", str(text or "").lower())
    found = set()
    for w in words:
        for name in DAYS:
            if len(w) >= 3 and name.lower().startswith(w):
                found.add(name)
    return [d for d in DAYS if d in found]
