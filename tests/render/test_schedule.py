"""Session dates: the dates families are told in letters and that the session records carry."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalogue import catalogue
from pipeline.profile import load_profile
from pipeline.sessions.schedule import (
    PATTERNS,
    PlannedSession,
    closures_in,
    parse_session_days,
    session_dates,
)
from pipeline.validate.calendar import ServiceCalendar

D = dt.date
NORTHANTS = load_profile("northamptonshire")  # training day Tuesday 23 September 2025
CAL = ServiceCalendar(NORTHANTS)


def no_replacement_calendar() -> ServiceCalendar:
    closures = NORTHANTS.closures.model_copy(
        update={"replacement_for_single_weekly_session": False}
    )
    return ServiceCalendar(NORTHANTS.model_copy(update={"closures": closures}))


def dates(sessions: list[PlannedSession]) -> list[dt.date]:
    return [s.date for s in sessions]


# ---------------------------------------------------------------- closures and replacements


def test_training_day_is_replaced_the_next_day_for_a_once_weekly_family():
    got = session_dates(D(2025, 9, 9), "Tuesday", "Once a week", CAL, count=4)
    assert dates(got) == [D(2025, 9, 9), D(2025, 9, 16), D(2025, 9, 24), D(2025, 9, 30)]
    swap = got[2]
    assert swap.weekday == "Wednesday"
    assert swap.replaces == D(2025, 9, 23)
    assert swap.closure == "Team training day"
    assert got[0].replaces is None and got[0].closure is None


def test_christmas_day_friday_replaced_on_thursday_because_boxing_day_saturday_is_closed():
    got = session_dates(D(2026, 12, 18), "Friday", "Once a week", CAL, count=3)
    assert dates(got) == [D(2026, 12, 18), D(2026, 12, 24), D(2027, 1, 2)]
    assert (got[1].replaces, got[1].closure) == (D(2026, 12, 25), "Christmas Day")
    # New Year's Day 2027 is a Friday: Saturday 2 January is open
    assert (got[2].replaces, got[2].closure, got[2].weekday) == (
        D(2027, 1, 1),
        "New Year's Day",
        "Saturday",
    )


def test_boxing_day_saturday_family_gets_the_nearest_earlier_open_day():
    got = session_dates(D(2026, 12, 19), "Saturday", None, CAL, count=3)
    assert dates(got) == [D(2026, 12, 19), D(2026, 12, 24), D(2027, 1, 2)]
    assert got[1].replaces == D(2026, 12, 26) and got[1].closure == "Boxing Day"


def test_substitute_bank_holiday_monday_is_replaced_on_tuesday():
    got = session_dates(D(2026, 12, 21), "Monday", "Once a week", CAL, count=3)
    assert dates(got) == [D(2026, 12, 21), D(2026, 12, 29), D(2027, 1, 4)]
    assert got[1].closure == "Boxing Day (substitute day)"
    assert got[1].replaces == D(2026, 12, 28)


def test_good_friday_and_easter_monday_2027():
    fri = session_dates(D(2027, 3, 19), "Friday", "Once a week", CAL, count=3)
    assert dates(fri) == [D(2027, 3, 19), D(2027, 3, 27), D(2027, 4, 2)]
    assert fri[1].closure == "Good Friday" and fri[1].replaces == D(2027, 3, 26)
    mon = session_dates(D(2027, 3, 22), "Monday", "Once a week", CAL, count=3)
    assert dates(mon) == [D(2027, 3, 22), D(2027, 3, 30), D(2027, 4, 5)]
    assert mon[1].closure == "Easter Monday"


def test_twice_weekly_family_across_christmas_gets_no_replacements():
    got = session_dates(
        D(2026, 12, 14), "Monday and Friday", "Twice a week", CAL, until=D(2027, 1, 10)
    )
    # Friday 25 December, Monday 28 December and Friday 1 January are closed: no replacements
    assert dates(got) == [
        D(2026, 12, 14),
        D(2026, 12, 18),
        D(2026, 12, 21),
        D(2027, 1, 4),
        D(2027, 1, 8),
    ]
    assert all(s.replaces is None for s in got)


def test_profile_without_the_replacement_promise_just_drops_closed_days():
    got = session_dates(
        D(2026, 12, 18), "Friday", "Once a week", no_replacement_calendar(), count=3
    )
    assert dates(got) == [D(2026, 12, 18), D(2027, 1, 8), D(2027, 1, 15)]
    # and the caller can override either way
    forced = session_dates(
        D(2026, 12, 18), "Friday", None, no_replacement_calendar(), count=2, replacement=True
    )
    assert dates(forced) == [D(2026, 12, 18), D(2026, 12, 24)]
    off = session_dates(D(2026, 12, 18), "Friday", None, CAL, count=2, replacement=False)
    assert dates(off) == [D(2026, 12, 18), D(2027, 1, 8)]


def test_replacement_never_before_the_first_date():
    # first date is Christmas Day itself: the later days that week are closed too, and the
    # earlier ones are before the arrangement starts, so there is no session that week
    got = session_dates(D(2026, 12, 25), "Friday", None, CAL, count=2)
    assert dates(got) == [D(2027, 1, 2), D(2027, 1, 8)]


# ---------------------------------------------------------------- frequencies


def test_fortnightly_alternate_weeks_and_closed_session_replaced_in_its_week():
    got = session_dates(D(2026, 12, 18), "Friday", "Fortnightly", CAL, count=4)
    assert dates(got) == [D(2026, 12, 18), D(2027, 1, 2), D(2027, 1, 15), D(2027, 1, 29)]
    assert got[1].replaces == D(2027, 1, 1)


def test_monthly_is_the_same_weekday_of_each_month():
    got = session_dates(D(2027, 1, 5), "Tuesday", "Monthly", CAL, count=4)
    assert dates(got) == [D(2027, 1, 5), D(2027, 2, 2), D(2027, 3, 2), D(2027, 4, 6)]  # 1st Tue
    third = session_dates(D(2027, 1, 21), "Thursday", "Monthly", CAL, count=3)
    assert dates(third) == [D(2027, 1, 21), D(2027, 2, 18), D(2027, 3, 18)]  # 3rd Thu


def test_monthly_fifth_weekday_becomes_the_last_and_closures_are_replaced():
    got = session_dates(D(2027, 3, 29), "Monday", "Monthly", CAL, count=3)  # Easter Monday, 5th
    assert dates(got) == [D(2027, 3, 30), D(2027, 4, 26), D(2027, 6, 1)]
    assert got[0].replaces == D(2027, 3, 29)  # Easter Monday
    # Spring Bank Holiday, the last Monday of May: replaced in the same week, as the agreement
    # promises, even though that is Tuesday 1 June
    assert got[2].replaces == D(2027, 5, 31) and got[2].weekday == "Tuesday"
    june = session_dates(D(2027, 3, 29), "Monday", "Monthly", CAL, count=4)[3]
    assert june.date == D(2027, 6, 28) and june.replaces is None


def test_frequency_spellings_and_none_mean_the_same_pattern():
    base = dates(session_dates(D(2025, 10, 7), "Tuesday", None, CAL, count=4))
    for freq in ("Once a week", "weekly", "ONCE A WEEK", "Other", ""):
        assert dates(session_dates(D(2025, 10, 7), "Tuesday", freq, CAL, count=4)) == base
    assert dates(session_dates(D(2025, 10, 7), "Tuesday", "every other week", CAL, count=2)) == [
        D(2025, 10, 7),
        D(2025, 10, 21),
    ]


def test_every_catalogue_frequency_has_a_meaning():
    choices = catalogue().form("family-time-referral").field("request.frequency").choices
    assert set(choices) <= set(PATTERNS)


# ---------------------------------------------------------------- days as the tracker writes them


@pytest.mark.parametrize(
    "days, expected",
    [
        ("Tuesday", ["Tuesday"]),
        ("Tuesday and Thursday", ["Tuesday", "Thursday"]),
        ("Tue/Thu", ["Tuesday", "Thursday"]),
        ("Mon, Wed, Fri", ["Monday", "Wednesday", "Friday"]),
        ("Thursdays & Tuesdays", ["Tuesday", "Thursday"]),
        (["Thursday", "Monday"], ["Monday", "Thursday"]),
    ],
)
def test_days_written_in_different_ways(days, expected):
    assert parse_session_days(days) == expected


def test_three_times_a_week():
    got = session_dates(D(2025, 10, 6), "Mon, Wed, Fri", "Three times a week", CAL, count=6)
    assert dates(got) == [
        D(2025, 10, 6),
        D(2025, 10, 8),
        D(2025, 10, 10),
        D(2025, 10, 13),
        D(2025, 10, 15),
        D(2025, 10, 17),
    ]
    assert [s.weekday for s in got[:3]] == ["Monday", "Wednesday", "Friday"]


def test_first_date_off_the_agreed_day_starts_anyway_without_an_extra_session_that_week():
    got = session_dates(D(2025, 10, 6), "Tuesday", "Once a week", CAL, count=3)  # a Monday
    assert dates(got) == [D(2025, 10, 6), D(2025, 10, 14), D(2025, 10, 21)]
    two = session_dates(D(2025, 10, 8), "Tue/Thu", "Twice a week", CAL, count=4)  # a Wednesday
    assert dates(two) == [D(2025, 10, 8), D(2025, 10, 9), D(2025, 10, 14), D(2025, 10, 16)]


def test_count_and_until():
    assert len(session_dates(D(2025, 10, 7), "Tuesday", None, CAL, count=4)) == 4
    got = session_dates(D(2025, 10, 7), "Tuesday", None, CAL, until=D(2025, 10, 28))
    assert dates(got) == [D(2025, 10, 7), D(2025, 10, 14), D(2025, 10, 21), D(2025, 10, 28)]
    both = session_dates(D(2025, 10, 7), "Tuesday", None, CAL, count=10, until=D(2025, 10, 20))
    assert dates(both) == [D(2025, 10, 7), D(2025, 10, 14)]
    assert session_dates(D(2025, 10, 7), "Tuesday", None, CAL, count=0) == []
    assert session_dates(D(2025, 10, 7), "Tuesday", None, CAL, until=D(2025, 10, 1)) == []
    year = session_dates(D(2025, 10, 7), "Tuesday", None, CAL)  # neither: a year
    assert year[-1].date <= D(2026, 10, 7) and len(year) >= 50


def test_replacement_after_until_is_not_planned():
    got = session_dates(D(2026, 12, 14), "Monday", None, CAL, until=D(2026, 12, 28))
    assert dates(got) == [D(2026, 12, 14), D(2026, 12, 21)]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("days", ["Funday", "Tuesday and Funday", "", "   ", [], "10:00"])
def test_unreadable_days_give_a_message_a_coordinator_understands(days):
    with pytest.raises(ValueError) as exc:
        session_dates(D(2025, 10, 7), days, None, CAL, count=4)
    msg = str(exc.value)
    assert "Tuesday" in msg and "Traceback" not in msg
    if isinstance(days, str) and days.strip():
        assert days in msg


def test_sunday_and_unknown_frequency_are_refused_in_plain_english():
    with pytest.raises(ValueError, match="does not run sessions on Sunday"):
        session_dates(D(2025, 10, 7), "Sunday", None, CAL, count=4)
    with pytest.raises(ValueError, match="first date.*Sunday"):
        session_dates(D(2025, 10, 5), "Tuesday", None, CAL, count=4)
    with pytest.raises(ValueError, match="every three weeks.*Fortnightly"):
        session_dates(D(2025, 10, 7), "Tuesday", "every three weeks", CAL, count=4)
    with pytest.raises(ValueError, match="first session date"):
        session_dates(None, "Tuesday", None, CAL, count=4)  # type: ignore[arg-type]


# ---------------------------------------------------------------- closures_in


def test_closures_in_lists_christmas_and_new_year_across_the_year_end():
    got = closures_in(CAL, D(2026, 12, 1), D(2027, 1, 31))
    assert got == [
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 26), "Boxing Day"),
        (D(2026, 12, 28), "Boxing Day (substitute day)"),
        (D(2027, 1, 1), "New Year's Day"),
    ]
    assert closures_in(CAL, D(2025, 9, 1), D(2025, 9, 30)) == [
        (D(2025, 9, 23), "Team training day")
    ]
    assert closures_in(CAL, D(2025, 9, 30), D(2025, 9, 1)) == []


# ---------------------------------------------------------------- properties

DAY_SETS = st.lists(
    st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]),
    min_size=1,
    max_size=3,
    unique=True,
)
FREQS = st.sampled_from([None, "Once a week", "Twice a week", "Fortnightly", "Monthly"])
FIRST = st.dates(D(2025, 1, 1), D(2028, 12, 31)).filter(lambda d: d.weekday() != 6)


def _week(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


CALENDARS = [
    CAL,
    no_replacement_calendar(),
    ServiceCalendar(load_profile("blackpool")),
    ServiceCalendar(load_profile("milton-keynes")),
]


def test_monthly_replacement_that_lands_on_the_next_months_session_is_one_session():
    # first date Monday 31 August 2026 (bank holiday): replaced on Tuesday 1 September, which
    # is also the first Tuesday of September: one session that day, not two
    got = session_dates(D(2026, 8, 31), "Tuesday", "Monthly", CAL, count=3)
    assert dates(got) == [D(2026, 9, 1), D(2026, 10, 6), D(2026, 11, 3)]
    assert got[0].replaces == D(2026, 8, 31)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=FIRST,
    days=DAY_SETS,
    freq=FREQS,
    count=st.integers(1, 30),
    cal=st.sampled_from(CALENDARS),
    until=st.none() | st.dates(D(2025, 1, 1), D(2029, 12, 31)),
)
def test_schedule_properties(first, days, freq, count, cal, until):
    got = session_dates(first, days, freq, cal, count=count, until=until)
    ds = dates(got)
    assert len(ds) <= count
    assert ds == sorted(set(ds)), "dates strictly increasing"
    assert all(d >= first for d in ds)
    assert until is None or all(d <= until for d in ds)
    assert all(cal.is_session_day(d) for d in ds), "never on a closed day"
    assert all(s.weekday == s.date.strftime("%A") for s in got)
    if not cal.profile.closures.replacement_for_single_weekly_session:
        assert all(s.replaces is None for s in got)
    for s in got:
        if s.replaces is not None:
            assert _week(s.replaces) == _week(s.date), "replaced in the same week"
            assert cal.closure_reason(s.replaces) == s.closure
    if freq == "Monthly":
        # one session a month, counted by the month of the date it stands for
        per_month = Counter(
            ((s.replaces or s.date).year, (s.replaces or s.date).month) for s in got
        )
        assert max(per_month.values(), default=1) == 1
    else:
        per_week = Counter(_week(d) for d in ds)
        assert max(per_week.values(), default=0) <= len(days), "never more than agreed a week"
        if freq == "Fortnightly":
            assert all((_week(d) - _week(first)).days % 14 == 0 for d in ds)
    if len(days) > 1 and freq != "Monthly":
        assert all(s.replaces is None for s in got), "several a week: no replacements"


@settings(max_examples=150, deadline=None)
@given(
    first=FIRST,
    day=st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]),
)
def test_one_day_a_week_family_has_a_session_every_week_unless_the_whole_week_is_closed(first, day):
    got = session_dates(first, day, "Once a week", CAL, count=12)
    weeks = Counter(_week(d) for d in dates(got))
    week = _week(first)
    while week <= _week(got[-1].date):
        if weeks[week] == 0:
            open_days = [
                week + dt.timedelta(days=i)
                for i in range(7)
                if week + dt.timedelta(days=i) >= first
                and CAL.is_session_day(week + dt.timedelta(days=i))
            ]
            assert not open_days, f"week of {week} has open days {open_days} but no session"
        week += dt.timedelta(weeks=1)
