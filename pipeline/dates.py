"""Dates and times as the service writes them, in English whatever the machine's locale.

The one home for date wording and date arithmetic shared by letters, mail, the tracker and the
commands: `%A` and `%B` follow the machine's locale, so nothing here uses them.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def weekday_name(value: dt.date) -> str:
    """"Tuesday"."""
    return DAYS[value.weekday()]


def month_name(value: dt.date) -> str:
    """"March"."""
    return MONTHS[value.month - 1]


def long_date(value: object, missing: str = "") -> str:
    """"Tuesday 4 March 2025": the way letters and mail write a date."""
    d = _as_date(value)
    if d is None:
        return missing if value is None else str(value)
    return f"{weekday_name(d)} {d.day} {month_name(d)} {d.year}"


def day_month_year(value: object, missing: str = "") -> str:
    """"4 March 2025": for dates of birth, where the weekday means nothing."""
    d = _as_date(value)
    if d is None:
        return missing if value is None else str(value)
    return f"{d.day} {month_name(d)} {d.year}"


def month_year(value: dt.date) -> str:
    """"March 2025"."""
    return f"{month_name(value)} {value.year}"


def short_date(value: object, missing: str = "") -> str:
    """"04/03/2025": the tracker's and the commands' way."""
    d = _as_date(value)
    return missing if d is None else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def short_datetime(value: dt.datetime | None, missing: str = "") -> str:
    """"04/03/2025 14:05"."""
    if value is None:
        return missing
    return f"{short_date(value)} {value.hour:02d}:{value.minute:02d}"


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier); the month's last day when it is shorter."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(d.day, _calendar.monthrange(y, m)[1]))


def parse_date(text: str) -> dt.date | None:
    """A date as people type it on a command line: 2025-03-04, 04/03/2025, 4-3-2025,
    "4 March 2025" or "4 Mar 2025" (English month names whatever the locale); None otherwise."""
    text = " ".join(text.strip().replace(",", " ").split())
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.replace("/", " ").replace("-", " ").replace(".", " ").split()
    if len(parts) != 3:
        return None
    day, month, year = parts
    if not month.isdigit():
        names = [m.lower() for m in MONTHS]
        found = [i for i, m in enumerate(names) if len(month) >= 3 and m.startswith(month.lower())]
        if len(found) != 1:
            return None
        month = str(found[0] + 1)
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
