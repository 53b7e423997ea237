"""The pipeline's "today": the real date, or FAMILY_TIME_TODAY for demonstrations and tests.

Every place that asks what day it is asks here, so a demo or a test can walk through the weeks
(`FAMILY_TIME_TODAY=2026-03-02`). Commands say so when it is set.
"""

from __future__ import annotations

import datetime as dt
import os

VARIABLE = "FAMILY_TIME_TODAY"


def fixed_today() -> dt.date | None:
    """The date set by FAMILY_TIME_TODAY, or None when it is not set (or cannot be read)."""
    text = os.environ.get(VARIABLE, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def today() -> dt.date:
    return fixed_today() or dt.date.today()


def now() -> dt.datetime:
    """Now, on the pipeline's today (the time of day is the real one)."""
    real = dt.datetime.now()
    fixed = fixed_today()
    return real if fixed is None else dt.datetime.combine(fixed, real.time())


def notice() -> str | None:
    """The line commands print when the date is fixed, or None."""
    fixed = fixed_today()
    if fixed is None:
        return None
    return (f"Note: today is set to {fixed.isoformat()} by {VARIABLE} (for demonstrations and "
            "tests only).")
