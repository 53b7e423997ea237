"""Working-day edges the mutation run (bench/mutation.py) found untested: the service's own
closures and their words, counting backwards, the same day, and a profile with no office
days."""

import datetime as dt

import pytest

from pipeline.validate.calendar import ServiceCalendar

MON = dt.date(2025, 3, 10)


def _with_closures(nct, other=(), training=()):
    closures = nct.closures.model_copy(
        update={"other": list(other), "training_days": list(training)}
    )
    return ServiceCalendar(nct.model_copy(update={"closures": closures}))


def test_a_closure_of_the_service_is_named_and_is_no_working_day(nct):
    cal = _with_closures(nct, other=[dt.date(2025, 3, 12)], training=[dt.date(2025, 3, 13)])
    assert cal.closure_reason(dt.date(2025, 3, 12)) == "Service closed"
    assert cal.closure_reason(dt.date(2025, 3, 13)) == "Team training day"
    assert not cal.is_working_day(dt.date(2025, 3, 12))
    assert not cal.is_session_day(dt.date(2025, 3, 13))
    assert cal.add_working_days(MON, 2) == dt.date(2025, 3, 14)  # Wed, Thu closed
    # both on one day: the training day is the name people know
    both = _with_closures(nct, other=[MON], training=[MON])
    assert both.closure_reason(MON) == "Team training day"


def test_counting_backwards_skips_weekends(nct):
    cal = ServiceCalendar(nct)
    assert cal.add_working_days(dt.date(2025, 3, 12), -2) == MON
    assert cal.add_working_days(MON, -1) == dt.date(2025, 3, 7)  # the Friday before
    assert cal.add_working_days(MON, 0) == MON
    assert cal.working_days_between(MON, MON) == 0


def test_a_profile_without_office_days_is_refused(nct):
    hours = nct.hours.model_copy(update={"working_days": []})
    cal = ServiceCalendar(nct.model_copy(update={"hours": hours}))
    with pytest.raises(ValueError, match="no working days"):
        cal.add_working_days(MON, 1)
