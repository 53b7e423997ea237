"""What co-ordinators type into an allocation, read the way they mean it.

Times: "10:00-11:30", "10am", "10.00", "10 - 11.30am", "2pm for 1.5 hours"; days:
"Tuesday", "Tues and Thurs". Each reader returns the value, or None when it cannot be read:
the allocation check (allocation.py) then tells the co-ordinator in plain words.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.validate.values import DAY_NAMES, parse_duration, parse_time

_DASH = re.compile(r"\s*(?:-|–|—|\bto\b|\btill\b|\buntil\b)\s*")
_FOR = re.compile(r"\s+for\s+", re.I)
_SUFFIX = re.compile(r"(am|pm|a\.m\.|p\.m\.)\s*$", re.I)


def _clock(text: str) -> dt.time | None:
    text = text.strip()
    if re.fullmatch(r"\d{1,2}", text):               # "11" in "11 - 1pm": an hour
        text += ":00"
    value, problem = parse_time(text)
    return None if problem else value


def _plus(start: dt.time, minutes: int) -> dt.time | None:
    moment = dt.datetime.combine(dt.date(2000, 1, 3), start) + dt.timedelta(minutes=minutes)
    return moment.time() if moment.date() == dt.date(2000, 1, 3) else None


def read_times(text: str | None, default_minutes: int | None = None
               ) -> tuple[dt.time | None, dt.time | None]:
    """(start, end) from what was typed; (None, None) when it cannot be read.

    A range may carry one am/pm at its end ("10 - 11.30am": both morning; "11 - 1pm": 11 in
    the morning till 1 in the afternoon). A start alone ends `default_minutes` later.
    """
    s = " ".join(str(text or "").split())
    if not s:
        return None, None
    if m := re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?", s):     # a time cell read as text
        s = f"{m[1]}:{m[2]}"
    length: int | None = None
    if _FOR.search(s):
        s, rest = _FOR.split(s, maxsplit=1)
        minutes, problem = parse_duration(rest)
        if problem or not minutes:
            return None, None
        length = int(minutes)
    parts = _DASH.split(s)
    if len(parts) == 1:
        start = _clock(parts[0])
        if start is None:
            return None, None
        minutes = length or default_minutes
        return start, (_plus(start, minutes) if minutes else None)
    if len(parts) != 2 or length is not None:
        return None, None
    a, b = parts
    end = _clock(b)
    start = _clock(a)
    suffix = _SUFFIX.search(b)
    if end is not None and suffix and not _SUFFIX.search(a):
        # one am/pm for both: the start takes the end's half of the day, unless that would
        # put the start after the end ("11 - 1pm")
        guess = _clock(a + suffix.group(1))
        if guess is not None and guess < end:
            start = guess
    if start is None or end is None or end <= start:
        return None, None
    return start, end


def times_text(start: dt.time, end: dt.time | None) -> str:
    """The one way the pipeline writes a session's time: "10:00-11:30"."""
    return f"{start:%H:%M}" + (f"-{end:%H:%M}" if end else "")


def read_days(text: str | None) -> list[str]:
    """Day names in "Tuesday and Thursday", "Tues & Thurs", "Mon/Wed" (week order)."""
    words = re.findall(r"[a-z]+", str(text or "").lower())
    found = set()
    for w in words:
        for name in DAY_NAMES:
            if len(w) >= 3 and name.lower().startswith(w):
                found.add(name)
    return [d for d in DAY_NAMES if d in found]
