"""The pipeline's "today": the real date, or FAMILY_TIME_TODAY for demonstrations and tests.

Every place that asks what day it is asks here, so a demo or a test can walk through the weeks
(`FAMILY_TIME_TODAY=2026-03-02`). Commands say so when it is set.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from pipeline.errors import FamilyTimeError

VARIABLE = "FAMILY_TIME_TODAY"


class ClockError(FamilyTimeError):
    """FAMILY_TIME_TODAY holds something that is not a date: refused, never the real date
    used quietly in its place (a demonstration would then stamp the wrong day)."""


def fixed_today() -> dt.date | None:
    """The date set by FAMILY_TIME_TODAY, or None when it is not set."""
    text = os.environ.get(VARIABLE, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ClockError(
            f"{VARIABLE} is set to '{text}', which is not a date. Write it as YYYY-MM-DD "
            f"(for example 2026-03-02), or remove it to use today's date."
        ) from None


def today() -> dt.date:
    return fixed_today() or dt.date.today()


def now() -> dt.datetime:
    """Now, on the pipeline's today (the time of day is the real one)."""
    real = dt.datetime.now()
    fixed = fixed_today()
    return real if fixed is None else dt.datetime.combine(fixed, real.time())


def at(moment: float) -> dt.datetime:
    """A moment counted on the machine's clock (seconds since the epoch: retries and waits,
    which are real time passing) as people are shown it: the pipeline's now plus the real
    time from now until then, so "next try" falls on the same day as every other stamp."""
    return now() + dt.timedelta(seconds=moment - time.time())


def notice() -> str | None:
    """The line commands print when the date is fixed, or None."""
    fixed = fixed_today()
    if fixed is None:
        return None
    return (
        f"Note: today is set to {fixed.isoformat()} by {VARIABLE} (for demonstrations and "
        "tests only)."
    )
