"""Dates and times as the service writes and reads them, in English whatever the machine's locale.

The one home for date and time wording, date arithmetic and the reading of typed dates and
times, shared by letters, mail, forms, the tracker and the commands: `%A` and `%B` follow the
machine's locale, so nothing here uses them.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
import unicodedata

from dateutil import parser as _dateutil_parser

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def weekday_name(value: dt.date) -> str:
    """ "Tuesday"."""
    return DAYS[value.weekday()]


def month_name(value: dt.date) -> str:
    """ "March"."""
    return MONTHS[value.month - 1]


def long_date(value: object, missing: str = "") -> str:
    """ "Tuesday 4 March 2025": the way letters and mail write a date."""
    d = _as_date(value)
    if d is None:
        return missing if value is None else str(value)
    return f"{weekday_name(d)} {d.day} {month_name(d)} {d.year}"


def date_in_words(value: object, missing: str = "") -> str:
    """ "4 March 2025": for dates of birth, where the weekday means nothing."""
    d = _as_date(value)
    if d is None:
        return missing if value is None else str(value)
    return f"{d.day} {month_name(d)} {d.year}"


def month_year(value: dt.date) -> str:
    """ "March 2025"."""
    return f"{month_name(value)} {value.year}"


def numeric_date(value: object, missing: str = "") -> str:
    """ "04/03/2025": the tracker's and the commands' way (columns line up, Excel reads it)."""
    d = _as_date(value)
    return missing if d is None else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def numeric_datetime(value: dt.datetime | None, missing: str = "") -> str:
    """ "04/03/2025 14:05"."""
    if value is None:
        return missing
    return f"{numeric_date(value)} {value.hour:02d}:{value.minute:02d}"


def clock_time(value: dt.time | None, missing: str = "") -> str:
    """ "14:05": the service's records use 24-hour times."""
    return missing if value is None else f"{value.hour:02d}:{value.minute:02d}"


def times_text(start: dt.time, end: dt.time | None) -> str:
    """ "10:00-11:30": the one way the pipeline writes a session's time (a start alone: "10:00")."""
    return clock_time(start) + (f"-{clock_time(end)}" if end else "")


# The names these formatters had before (short_date meant "04/03/2025" here but "4 March 2025"
# in render/context): kept only for modules not yet moved to the names above.
short_date = numeric_date
short_datetime = numeric_datetime


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier); the month's last day when it is shorter."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(d.day, _calendar.monthrange(y, m)[1]))


# ---------------------------------------------------------------------------------------
# Reading dates: the one parser. Every place that turns typed text into a date (forms, the
# tracker's cells, the commands' arguments) calls parse_date, so "4/3/25" means the same
# day everywhere. Rules (tests/validate/test_dates.py holds them as a table):
# - Day first, as people in England write: 4/3/25, 04/03/2025, 4.3.2025, 4-3-2025, 4 3 2025,
#   "4 March 2025", "4th March 2025", "4th of March, 2025", "March 4th 2025", "Tue 4 March
#   2025" (English names, 3-letter abbreviations, Sept, Tues, Weds, Thur(s), whatever the
#   machine's locale). A time after the date ("04/03/2025 10:00") is allowed and ignored.
# - A four-digit year first means ISO order, year-month-day: 2025-03-04, 2025/03/04,
#   2025-03-04T10:00:00, 20250304.
# - Years are written with two or four digits; two digits are this century (25 -> 2025,
#   98 -> 2098: every date the service reads is a recent or coming date, or a child's birth).
#   Four-digit years outside 1900-2099 are refused as typing slips.
# - A date needs a day, a month and a year: "4 March", "March 2025", "2025", "March" and
#   "Tuesday" are refused, never completed from today (no caller wants a guessed year).
# - Refused with a reason (DateNotRead.problem): "unreadable" (junk, "next week"), "not_real"
#   (30/02/2025, 4/13/2025: the month is never guessed from the order), "incomplete" (a part
#   missing), "wrong_weekday" ("Mon 4 March 2025": 4 March 2025 is a Tuesday).
# - date and datetime objects (what openpyxl gives for a date cell) are taken as they are.
# Checks that depend on the service (not before the referral, not in the future) belong to
# the callers, which also turn DateNotRead into their own words.

DATE_PROBLEMS = ("unreadable", "not_real", "incomplete", "wrong_weekday")


class DateNotRead(ValueError):
    """Typed text that is not a date; `problem` (one of DATE_PROBLEMS) says why, str() in
    plain English, so each caller can say it its own way."""

    def __init__(self, text: str, problem: str, detail: str = ""):
        self.text, self.problem = text, problem
        words = {
            "unreadable": f"'{text}' could not be read as a date",
            "not_real": f"'{text}' is not a real date",
            "incomplete": f"'{text}' is not a whole date (it needs a day, a month and a year)",
            "wrong_weekday": f"'{text}' does not add up: {detail}",
        }
        super().__init__(words[problem])


class _EnglishDates(_dateutil_parser.parserinfo):
    """dateutil's reading of names, in English, with the abbreviations people type, and
    two-digit years in this century whatever today is (dateutil's own rule moves with the
    clock: a year within 50 years of today)."""

    WEEKDAYS = [
        ("Mon", "Monday"),
        ("Tue", "Tues", "Tuesday"),
        ("Wed", "Weds", "Wednesday"),
        ("Thu", "Thur", "Thurs", "Thursday"),
        ("Fri", "Friday"),
        ("Sat", "Saturday"),
        ("Sun", "Sunday"),
    ]

    def convertyear(self, year: int, century_specified: bool = False) -> int:
        return 2000 + year if year < 100 and not century_specified else year


_INFO = _EnglishDates()
# Two defaults that differ in every part: whatever dateutil fills in from a default shows up
# as a difference, so a missing day, month or year is caught. Leap years, so "29 Feb" with no
# year is "incomplete", not "not real".
_DEFAULTS = (dt.datetime(1904, 1, 1), dt.datetime(1908, 2, 2))
_YEAR_FIRST = re.compile(r"^(?:\d{4}(?!\d)|\d{8}$)")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
FIRST_YEAR, LAST_YEAR = 1900, 2099


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).strip(" ,")


def _dateutil(text: str, year_first: bool, default: dt.datetime) -> dt.datetime:
    # never fuzzy: fuzzy parsing finds a date in almost any sentence
    return _dateutil_parser.parse(
        text, parserinfo=_INFO, default=default, dayfirst=not year_first, yearfirst=year_first
    )


def parse_date(value: object) -> dt.date:
    """The date in what was typed (or a date/datetime as it is); DateNotRead otherwise.
    The rules are above."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise DateNotRead(str(value), "unreadable")
    text = _normal(value)
    if not text:
        raise DateNotRead(text, "unreadable")
    year_first = bool(_YEAR_FIRST.match(text))
    if year_first:
        try:  # ISO as machines and the ledger write it
            return _in_range(text, dt.datetime.fromisoformat(text).date())
        except ValueError:
            pass
    if text.isdigit():  # 04032025: day first or month first? not said
        raise DateNotRead(text, "incomplete" if len(text) <= 4 else "unreadable")
    try:
        a, b = (_dateutil(text, year_first, d) for d in _DEFAULTS)
    except (ValueError, OverflowError) as exc:
        said = str(exc)
        impossible = "out of range" in said or "must be in" in said
        raise DateNotRead(text, "not_real" if impossible else "unreadable") from None
    if a.date() != b.date():
        parts_given = (a.year == b.year, a.month == b.month, a.day == b.day)
        raise DateNotRead(text, "incomplete" if any(parts_given) else "unreadable")
    day = a.date()
    _check_numbers(text, day, year_first)
    _check_weekday(text, day)
    return _in_range(text, day)


def _in_range(text: str, day: dt.date) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DateNotRead(text, "not_real")
    return day


def _check_numbers(text: str, day: dt.date, year_first: bool) -> None:
    """The numbers typed are the date dateutil gave, in the order the rules say: dateutil
    swaps day and month when the month would be over 12 ("4/13/2025" -> 13 April), and takes
    one- and three-digit years ("4/3/5")."""
    numbers = _NUMBER.findall(text)
    named_month = any(_INFO.month(w) is not None for w in _WORD.findall(text))
    if named_month:
        if len(numbers) < 2:
            raise DateNotRead(text, "unreadable")
        first, second = numbers[:2]
        day_text, year_text = (second, first) if len(first) == 4 else (first, second)
        ok = int(day_text) == day.day and len(year_text) in (2, 4)
    else:
        if len(numbers) < 3:
            raise DateNotRead(text, "unreadable")
        if year_first:
            year_text, month_text, day_text = numbers[:3]
        else:
            day_text, month_text, year_text = numbers[:3]
        ok = (int(day_text), int(month_text)) == (day.day, day.month) and len(year_text) in (2, 4)
        if not ok and len(year_text) in (2, 4):
            raise DateNotRead(text, "not_real")  # day first, the month is not 1-12
    if not ok:
        raise DateNotRead(text, "unreadable")


def _check_weekday(text: str, day: dt.date) -> None:
    for word in _WORD.findall(text):
        named = _INFO.weekday(word)
        if named is not None and named != day.weekday():
            raise DateNotRead(
                text,
                "wrong_weekday",
                f"{date_in_words(day)} is a {weekday_name(day)}, not a {DAYS[named]}",
            )


def date_or_none(value: object) -> dt.date | None:
    """parse_date, or None when the value is blank or not a date (for callers that say
    what is wrong in their own words)."""
    try:
        return parse_date(value)
    except DateNotRead:
        return None


# ---------------------------------------------------------------------------------------
# Reading times: the one parser for a clock time and for a session's times. What the forms,
# the tracker's allocation and the documents accepted before, and 24-hour "1430":
# "10:00", "10.00", "10 : 00", "10:00:00", "10am", "10 a.m.", "2.30pm", "14.30", "1430",
# "930am", "noon", "midday"; a range "10:00-11:30", "10am - 11.30am", "10 to 11.30",
# "9.30 till 12", "10:00–11:30" (en dash). A number alone ("10") is an hour only where the
# caller says so (inside a range it always is): on a form "10" may be a length of time.

TIME_PROBLEMS = ("unreadable", "not_real")


class TimeNotRead(ValueError):
    """Typed text that is not a time; `problem` is "unreadable" or "not_real" ("25:00",
    "13pm")."""

    def __init__(self, text: str, problem: str):
        self.text, self.problem = text, problem
        super().__init__(
            f"'{text}' could not be read as a time"
            if problem == "unreadable"
            else f"'{text}' is not a real time"
        )


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2})(?::(00))?)?(am|pm|a\.m\.|p\.m\.)?$")
_HHMM = re.compile(r"^(\d{1,2})(\d{2})(am|pm|a\.m\.|p\.m\.)?$")
_NOON = {"noon", "midday", "12noon"}
_RANGE_DASH = re.compile(r"\s*(?:-|–|—|to|till|until)\s*", re.I)
_AM_PM = re.compile(r"(am|pm|a\.m\.|p\.m\.)\s*$", re.I)


def parse_time(value: object, *, hour_alone: bool = False) -> dt.time:
    """The clock time typed (or a time as it is); TimeNotRead otherwise. `hour_alone`: "10"
    means 10:00."""
    if isinstance(value, dt.time):
        return value
    raw = _normal(str(value))
    s = raw.lower().replace(" ", "")
    if s in _NOON:
        return dt.time(12, 0)
    m = _TIME.match(s) or _HHMM.match(s)
    suffix = (m[m.re.groups] or "").replace(".", "") if m else ""
    if m is None or not (m[2] or suffix or hour_alone):
        raise TimeNotRead(raw, "unreadable")
    h, minutes = int(m[1]), int(m[2] or 0)
    if suffix and not 1 <= h <= 12:
        raise TimeNotRead(raw, "not_real")
    if suffix == "pm" and h != 12:
        h += 12
    elif suffix == "am" and h == 12:
        h = 0
    if h < 24 and minutes < 60:
        return dt.time(h, minutes)
    raise TimeNotRead(raw, "not_real")


def parse_time_range(value: object) -> tuple[dt.time, dt.time | None]:
    """(start, end) from "10:00-11:30", "10 - 11.30am", "11 - 1pm"; (start, None) for one time
    ("10am", or "10" as an hour). TimeNotRead otherwise.

    One am/pm at the end serves both ("10 - 11.30am": both morning), unless that would put the
    start after the end ("11 - 1pm": 11 in the morning till 1). Whether the end must come after
    the start is the caller's check (the allocation says so; an overnight shift is not
    refused here)."""
    s = _normal(str(value or ""))
    parts = _RANGE_DASH.split(s)
    if len(parts) == 1:
        return parse_time(s, hour_alone=True), None
    if len(parts) != 2:
        raise TimeNotRead(s, "unreadable")
    a, b = parts
    end = parse_time(b, hour_alone=True)
    start = _time_or_none(a)
    suffix = _AM_PM.search(b)
    if suffix and not _AM_PM.search(a):
        guess = _time_or_none(a + suffix.group(1))
        if guess is not None and guess < end:
            start = guess
    if start is None:
        raise TimeNotRead(s, "unreadable")
    return start, end


def _time_or_none(text: str) -> dt.time | None:
    try:
        return parse_time(text, hour_alone=True)
    except TimeNotRead:
        return None
