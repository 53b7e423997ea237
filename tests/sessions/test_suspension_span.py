"""The days an approved suspension holds family time, by each service's own rules
(pipeline/cases/suspension.py `span`): what a co-ordinator reads as "Suspended from ... until"."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.cases.suspension import note_text, span
from pipeline.profile import load_profile

MISSED = [dt.date(2026, 12, 9), dt.date(2026, 12, 14)]
DECIDED = dt.date(2026, 12, 14)  # from Tuesday 15 December


def D(day: int, month: int = 12) -> dt.date:
    return dt.date(2026, month, day)


def rules(service: str, **changes):
    return load_profile(service).missed_sessions.model_copy(update=changes)


def test_northamptonshire_holds_family_time_until_the_meeting_seven_days_at_least():
    s = span(MISSED, DECIDED, None, rules("northamptonshire"), False)
    assert (s.start, s.until, s.to_meeting) == (D(15), D(21), True)
    early = span(MISSED, DECIDED, D(18), rules("northamptonshire"), False)
    assert (early.until, early.why, early.to_meeting) == (D(21), "minimum", False)
    assert [note_text(n) for n in early.notes] == [
        "The meeting on 18/12/2026 is earlier than the service's minimum of 7 days: the "
        "suspension still runs until 21/12/2026."
    ]
    late = span(MISSED, DECIDED, D(6, 1).replace(year=2027), rules("northamptonshire"), False)
    assert late.until == dt.date(2027, 1, 5) and late.why == "meeting"
    assert note_text(late.notes[0]).startswith("LATE MEETING: the meeting on 06/01/2027")


def test_court_directed_family_time_ends_at_the_courts_limit_even_waiting_for_a_meeting():
    s = span(MISSED, DECIDED, None, rules("northamptonshire"), True)
    assert (s.until, s.why, s.to_meeting) == (D(21), "court_limit", False)
    assert "at most 7 days (until 21/12/2026)" in note_text(s.notes[-1])
    late = span(MISSED, DECIDED, D(30), rules("northamptonshire"), True)
    assert (late.until, late.why) == (D(21), "court_limit")


@pytest.mark.parametrize("service", ["blackpool", "milton-keynes"])
def test_services_stating_no_minimum_end_on_the_date_or_at_an_earlier_meeting(service):
    s = span(MISSED, DECIDED, None, rules(service), False)
    assert (s.until, s.why, s.to_meeting, s.notes) == (D(21), "end_date", False, [])
    early = span(MISSED, DECIDED, D(18), rules(service), False)
    assert (early.until, early.why, early.notes) == (D(17), "meeting", [])


def test_a_stated_maximum_is_never_passed():
    s = span(MISSED, DECIDED, D(30), rules("blackpool", maximum_suspension_days=10), False)
    assert (s.until, s.why) == (D(24), "maximum")
    assert "at most 10 days" in note_text(s.notes[-1])
