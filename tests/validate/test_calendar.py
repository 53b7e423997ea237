"""Working days, session days and due dates, as the co-ordinator counts them."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.validate.calendar import ServiceCalendar, due_dates

MON = dt.date(2025, 3, 10)


@pytest.fixture(scope="module")
def cal(nct):
    return ServiceCalendar(nct)


@pytest.mark.parametrize(
    "day, reason",
    [
        (dt.date(2025, 3, 9), "Sunday"),
        (dt.date(2025, 12, 25), "Christmas Day"),
        (dt.date(2025, 3, 4), "Team training day"),
        (dt.date(2025, 4, 18), "Good Friday"),
        (dt.date(2025, 3, 8), None),  # Saturday: sessions, no office
        (dt.date(2025, 3, 10), None),
        (dt.date(2027, 12, 27), "Christmas Day (substitute day)"),
    ],
)
def test_closure_reason(cal, day, reason):
    assert cal.closure_reason(day) == reason


@pytest.mark.parametrize(
    "day, working, session",
    [
        (dt.date(2025, 3, 10), True, True),
        (dt.date(2025, 3, 8), False, True),
        (dt.date(2025, 3, 9), False, False),
        (dt.date(2025, 3, 4), False, False),
        (dt.date(2025, 5, 5), False, False),
        (dt.date(2026, 12, 28), False, False),
    ],
)
def test_working_and_session_days(cal, day, working, session):
    assert (cal.is_working_day(day), cal.is_session_day(day)) == (working, session)


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (MON, 2, dt.date(2025, 3, 12)),  # Monday + 2 = Wednesday
        (MON, 0, MON),
        (dt.date(2025, 3, 14), 1, dt.date(2025, 3, 17)),  # Friday + 1 = Monday
        (dt.date(2025, 3, 3), 2, dt.date(2025, 3, 6)),  # training day Tuesday 4th skipped
        (dt.date(2025, 12, 23), 3, dt.date(2025, 12, 30)),  # Christmas and Boxing Day skipped
        (dt.date(2025, 4, 17), 1, dt.date(2025, 4, 22)),  # Easter
        (MON, -1, dt.date(2025, 3, 7)),
    ],
)
def test_add_working_days(cal, start, n, expected):
    assert cal.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    "received, counted",
    [
        (dt.datetime(2025, 3, 10, 9, 0), MON),
        (dt.datetime(2025, 3, 10, 16, 59), MON),
        (dt.datetime(2025, 3, 10, 17, 0), dt.date(2025, 3, 11)),  # at closing time: next day
        (dt.datetime(2025, 3, 8, 11, 0), MON),  # Saturday
        (dt.datetime(2025, 3, 3, 18, 0), dt.date(2025, 3, 5)),  # Monday evening; Tuesday closed
        (dt.datetime(2025, 12, 24, 18, 0), dt.date(2025, 12, 29)),
    ],
)
def test_counted_from(cal, received, counted):
    assert cal.counted_from(received) == counted


def test_due_dates_default_profile(nct):
    assert due_dates(dt.datetime(2025, 3, 10, 10), nct) == {
        "contact": dt.date(2025, 3, 12),
        "allocation": dt.date(2025, 3, 24),
    }


def test_due_dates_blackpool_promises_more(blackpool):
    # Blackpool's own four commitments; a review report is only "on request" there
    due = due_dates(dt.datetime(2025, 3, 10, 10), blackpool, review_date=dt.date(2025, 4, 1))
    assert due == {
        "acknowledgement": dt.date(2025, 3, 11),
        "planning_meeting": dt.date(2025, 3, 12),
        "allocation": dt.date(2025, 3, 11),
        "first_session": dt.date(2025, 3, 13),
    }


def test_working_days_between(cal):
    assert cal.working_days_between(MON, dt.date(2025, 3, 17)) == 5
    assert cal.working_days_between(dt.date(2025, 3, 17), MON) == -5
    assert cal.working_days_between(dt.date(2025, 3, 3), dt.date(2025, 3, 5)) == 1


def test_closed_days_lists_bank_holidays_and_training_days(cal):
    closed = dict(cal.closed_days(2025))
    assert closed[dt.date(2025, 3, 4)] == "Team training day"
    assert closed[dt.date(2025, 8, 25)] == "Late Summer Bank Holiday"
    assert len(closed) == 10


def test_profile_without_bank_holidays(nct):
    p = nct.model_copy(
        update={"closures": nct.closures.model_copy(update={"bank_holidays": False})}
    )
    assert ServiceCalendar(p).is_working_day(dt.date(2025, 12, 25))


days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))


@settings(max_examples=150, deadline=None)
@given(days, st.integers(min_value=1, max_value=40))
def test_adding_working_days_never_lands_on_a_closed_day(nct, d, n):
    cal = ServiceCalendar(nct)
    due = cal.add_working_days(d, n)
    assert cal.is_working_day(due)
    count = sum(cal.is_working_day(d + dt.timedelta(days=i)) for i in range(1, (due - d).days + 1))
    assert count == n  # agrees with a day-by-day count
    assert cal.working_days_between(d, due) == n


@settings(max_examples=150, deadline=None)
@given(st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2030, 12, 31)))
def test_counted_from_is_a_working_day_not_before_receipt(nct, received):
    cal = ServiceCalendar(nct)
    day = cal.counted_from(received)
    assert cal.is_working_day(day) and day >= received.date()
    assert (day - received.date()).days <= 10
