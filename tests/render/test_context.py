"""What the documents say about dates, times and missing answers."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import SessionRecord
from pipeline.render import context as C

from tests.helpers.render_kit import make_allocation, make_item, referral_values


def test_dates_read_like_a_letter():
    assert C.uk_date(dt.date(2025, 3, 4)) == "Tuesday 4 March 2025"
    assert C.uk_date(None) == "Not given"
    assert C.date_in_words(dt.date(2019, 3, 3)) == "3 March 2019"
    assert C.date_in_words(None) == "Not given"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("10:00-11:30", (dt.time(10, 0), dt.time(11, 30))),
        ("9.30 - 11.00", (dt.time(9, 30), dt.time(11, 0))),
        ("14:00 to 15:30", (dt.time(14, 0), dt.time(15, 30))),
        ("after school", (None, None)),
        ("25:00-26:00", (None, None)),
        (None, (None, None)),
    ],
)
def test_tracker_times(typed, expected):
    assert C.parse_times(typed) == expected


@pytest.mark.parametrize(
    "minutes, expected",
    [
        (90, "1 hour 30 minutes"),
        (60, "1 hour"),
        (120, "2 hours"),
        (45, "45 minutes"),
        (None, "Not given"),
    ],
)
def test_durations(minutes, expected):
    assert C.duration_text(minutes) == expected


def test_missing_answers_never_say_none(nct):
    item = make_item({"child.first_name": "Test Child"})
    ctx = C.document_context(C.AgreementContext, item, None, nct, today=dt.date(2026, 1, 5))
    dumped = str(ctx.model_dump())
    assert "None" not in dumped
    assert ctx.child.call_name == "Test Child" and ctx.child.dob == "Not given"
    assert ctx.arrangement.time == "Not given" and ctx.family_names == "Not given"


def test_unreadable_time_kept_as_typed(nct):
    ctx = C.document_context(
        C.AgreementContext, make_item(), make_allocation(nct, time="mornings"), nct
    )
    assert ctx.arrangement.time == "mornings" and ctx.arrangement.arrive_by == ""


def test_venue_not_in_profile_shown_as_typed(nct):
    ctx = C.document_context(
        C.AgreementContext,
        make_item(),
        make_allocation(nct, venue="Community library, Brackley"),
        nct,
    )
    assert ctx.arrangement.venue_full == "Community library, Brackley"


@pytest.mark.parametrize(
    "requested, day, expected",
    [
        ("Twice a week", "Tuesday", "Once a week"),  # allocated fewer days than asked
        ("Once a week", "Tuesday and Thursday", "Twice a week"),
        ("Fortnightly", "Tuesday", "Fortnightly"),
        ("Monthly", "Wednesday", "Monthly"),
        (None, "Mon, Wed, Fri", "Three times a week"),
    ],
)
def test_how_often_is_what_was_allocated(nct, requested, day, expected):
    values = referral_values(**{"request.frequency": requested})
    ctx = C.document_context(
        C.AgreementContext, make_item(values), make_allocation(nct, day=day), nct
    )
    assert ctx.arrangement.frequency == expected


def test_how_often_falls_back_to_the_request_when_the_day_is_unreadable(nct):
    values = referral_values(**{"request.frequency": "Twice a week"})
    ctx = C.document_context(
        C.AgreementContext, make_item(values), make_allocation(nct, day="Funday"), nct
    )
    assert ctx.arrangement.frequency == "Twice a week"


def test_court_directed_from_the_form_or_the_flag():
    assert C.is_court_directed(make_item(flags=["court_directed"]))
    assert C.is_court_directed(make_item(referral_values(), flags=[]))
    assert not C.is_court_directed(
        make_item(referral_values(**{"referral.court_directed": False}), flags=[])
    )


def test_attendance_counts_skip_replaced_records():
    d = dt.date(2026, 12, 1)
    recs = [
        SessionRecord(item_id=1, reference="R", date=d, outcome="Took place", late_minutes=5),
        SessionRecord(item_id=2, reference="R", date=d, outcome="Ended early", replaces=1),
        SessionRecord(item_id=3, reference="R", date=d, outcome="Service closed"),
    ]
    counts = {key: n for key, _, _, n in C.attendance_counts(recs, 9)}
    assert counts["planned"] == 9 and counts["took_place"] == 0 and counts["ended_early"] == 1
    assert counts["service_closed"] == 1 and counts["late"] == 0
