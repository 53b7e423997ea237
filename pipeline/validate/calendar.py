"""The service's calendar: which days count as working days, which days sessions can happen,
and when each promise to a social worker falls due.

Bank holidays (England and Wales, substitute days included) come from the `holidays` package;
training and other closure days come from the service profile, so a new year's closures are an
edit to the profile, never to code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import holidays

from pipeline.dates import DAYS, weekday_name
from pipeline.profile import Profile

ONE_DAY = dt.timedelta(days=1)


SUBSTITUTE = " (substitute day)"


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[dt.date, str]:
    """England and Wales bank holidays; "(observed)" is said "(substitute day)" in England."""
    days = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return {
        d: name.replace(" (observed)", SUBSTITUTE).replace("(observed)", SUBSTITUTE.strip())
        for d, name in days.items()
    }


def substitute_for(closure: str | None) -> str | None:
    """The holiday a substitute bank holiday stands in for ("Boxing Day (substitute day)" ->
    "Boxing Day"), so a sentence can say so plainly instead of nesting brackets; else None."""
    if closure and closure.endswith(SUBSTITUTE):
        return closure[: -len(SUBSTITUTE)].strip() or None
    return None


class ServiceCalendar:
    """Working days and session days for one service."""

    def __init__(self, profile: Profile):
        self.profile = profile
        self.working_weekdays = {WEEKDAY_INDEX[d] for d in profile.hours.working_days}
        self.session_weekdays = {WEEKDAY_INDEX[d] for d in profile.hours.session_days}
        self.closures: dict[dt.date, str] = {}
        for d in profile.closures.other:
            self.closures[d] = "Service closed"
        for d in profile.closures.training_days:
            self.closures[d] = "Team training day"

    def bank_holiday(self, d: dt.date) -> str | None:
        if not self.profile.closures.bank_holidays:
            return None
        return _bank_holidays(d.year).get(d)

    def closure_reason(self, d: dt.date) -> str | None:
        """Why the service runs no sessions that day ("Sunday", "Christmas Day", ...), or None."""
        if d in self.closures:
            return self.closures[d]
        if (name := self.bank_holiday(d)) is not None:
            return name
        if d.weekday() not in self.session_weekdays:
            return weekday_name(d)
        return None

    def is_working_day(self, d: dt.date) -> bool:
        """An office day: a working weekday that is not a bank holiday or closure."""
        return (
            d.weekday() in self.working_weekdays
            and d not in self.closures
            and self.bank_holiday(d) is None
        )

    def is_session_day(self, d: dt.date) -> bool:
        """A day family time can happen (Saturdays yes, Sundays and closures no)."""
        return self.closure_reason(d) is None

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day strictly after d."""
        return self.add_working_days(d, 1)

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The nth working day after d (received Monday, 2 working days: Wednesday); n=0 is d."""
        if not self.working_weekdays:
            raise ValueError("the service profile has no working days")
        day = d
        step = ONE_DAY if n >= 0 else -ONE_DAY
        for _ in range(abs(n)):
            day += step
            while not self.is_working_day(day):
                day += step
        return day

    def counted_from(self, received: dt.datetime) -> dt.date:
        """The working day the clock starts: after closing time or on a closed day, the next one."""
        day = received.date()
        if not self.is_working_day(day) or received.time() >= self.profile.hours.closing_time:
            return self.next_working_day(day)
        return day

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after a up to and including b (negative when b is before a)."""
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def closed_days(self, year: int) -> list[tuple[dt.date, str]]:
        """Every day of the year with no sessions except ordinary non-session weekdays
        (Sundays are listed once as a rule, not 52 times): bank holidays and closures."""
        out: dict[dt.date, str] = {}
        if self.profile.closures.bank_holidays:
            out.update(_bank_holidays(year))
        out.update({d: r for d, r in self.closures.items() if d.year == year})
        return sorted(out.items())


WEEKDAY_INDEX = {name: i for i, name in enumerate(DAYS)}


def due_dates(
    received: dt.datetime,
    profile: Profile,
    review_date: dt.date | None = None,
    *,
    unborn: bool = False,
) -> dict[str, dt.date]:
    """When each promise the service makes falls due: the Nth working day after the day the
    referral counts as received, closures skipped. Only the keys the profile sets (a service's
    own commitments, never another's); "review_report" (working days BEFORE the review) when a
    review date is known and the service promises a report. `unborn`: no first session is
    promised from the referral for a child not yet born (family time follows the birth)."""
    cal = ServiceCalendar(profile)
    start = cal.counted_from(received)
    t = profile.timescales
    due = {key: cal.add_working_days(start, getattr(t, key)) for key in t.due_keys()}
    if unborn:
        due.pop("first_session", None)
    if (
        review_date is not None
        and t.review_report is not None
        and profile.review.report == "promised"
    ):
        due["review_report"] = cal.add_working_days(review_date, -t.review_report)
    return due


def is_unborn(values: dict) -> bool:
    """The form says the child is not yet born (no date of birth to count a first session
    from): "Is the child unborn?" Yes."""
    return values.get("child.unborn") is True


def complete_referrals(items: Iterable) -> dict[str, Any]:
    """reference -> its first accepted submission: the COMPLETE referral every promise counts
    from ("Our timescales start from the day we receive the completed form"). An earlier
    incomplete or old-form submission starts nothing; a later update moves nothing. The one
    answer the tracker's due-date cells, the digest, the chase and the month's figures share."""
    out: dict[str, Any] = {}
    for i in sorted(items, key=lambda i: (i.received_at, i.id)):
        if i.outcome == "accepted" and i.reference:
            out.setdefault(i.reference, i)
    return out


def promised(item, profile: Profile) -> tuple[dt.date, dict[str, dt.date]]:
    """(the day the clock starts, each due date) for the complete referral `item`, as its
    verdict worked them out when it was read (what the tracker's due-date cells show: an email
    read days late counts from the day it was read); worked out again from when it was
    received only for a verdict without them. No first session for an unborn child."""
    v = item.verdict
    values = v.values if v else {}
    if v is not None and v.counted_from is not None:
        due = dict(v.due)
        if is_unborn(values):
            due.pop("first_session", None)
        return v.counted_from, due
    start = ServiceCalendar(profile).counted_from(item.received_at)
    return start, due_dates(item.received_at, profile, unborn=is_unborn(values))
