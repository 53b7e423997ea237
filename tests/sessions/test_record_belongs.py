"""A session record is counted only for the child it is about, on a day a session was planned
(issue 25): a record naming another child, for a closed day or a day with no session planned,
or with "Reason accepted as valid?" ticked both Yes and No goes to a person with the reason in
plain words, and counts towards nothing (not held, not missed, no proposal)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.render.record_form import fill_controls, prefill_record

REF = "FT-2026-00001"  # the referral for Test Child Example, allocated Mondays and Wednesdays


def _record(tmp_path, day: dt.date, child: str = "Test Child Example", **answers):
    """A completed record as a supervisor sends it: 'Parent did not attend', no reason."""
    pre = prefill_record(
        tmp_path / f"pre-{day}-{child}.docx",
        reference=REF,
        child_names=child,
        date=day,
        planned_start=dt.time(16),
        planned_end=dt.time(17, 30),
        venue="The Forum",
        supervisor="Dee Example-Supervisor",
        family_expected="Jo Sample-Parent",
    )
    filled = {
        "session.outcome": "Parent did not attend",
        "session.family_present": "None",
        "session.reason": "None given",
        "session.valid_reason": False,
        "session.significant_event": False,
        "session.author": "Dee Example-Supervisor",
        "session.written_on": day,
        **answers,
    }
    return fill_controls(pre, tmp_path / f"record {day} {child}.docx", filled)


def _send(referred, path, day: dt.date):
    [item], _ = referred.process(path, dt.datetime.combine(day, dt.time(18)))
    return item


def _counted_nowhere(referred, item):
    assert item.outcome == "session_attention"
    assert referred.ledger.sessions_of(REF) == []
    assert referred.ledger.rule_actions(REF) == []
    assert referred.rows("Sessions") == []
    assert item.reason in [r["Why it needs a look"] for r in referred.rows("Attention")]


def test_a_record_for_another_child_with_this_reference_is_not_counted_against_her(
    referred, tmp_path
):
    misses = [dt.date(2026, 11, 2), dt.date(2026, 11, 4), dt.date(2026, 11, 9)]
    items = [_send(referred, _record(tmp_path, d, "Adam Sample"), d) for d in misses]
    for item in items:
        _counted_nowhere(referred, item)
        assert "names 'Adam Sample'" in item.reason
        assert "that referral is for Test Child Example" in item.reason
    assert referred.rows("Decisions") == []  # three "misses", no suspension proposed


@pytest.mark.parametrize(
    "written",
    [
        "Test Child Example",
        "Test Child",
        "test child example",
        "Test Child Example, Sam Example",
        "Sam and Test Child Example",
    ],
)
def test_the_child_written_as_people_write_names_is_counted(referred, tmp_path, written):
    day = dt.date(2026, 11, 4)
    item = _send(referred, _record(tmp_path, day, written), day)
    assert item.outcome == "session_record"
    [rec] = referred.ledger.sessions_of(REF)
    assert rec.missed_by_parent and rec.date == day


def test_valid_reason_ticked_both_yes_and_no_is_asked_about_not_read_as_yes(referred, tmp_path):
    day = dt.date(2026, 11, 4)
    yes = _record(tmp_path, day, **{"session.valid_reason": True})
    both = fill_controls(yes, tmp_path / "both.docx", {"session.valid_reason": False})
    item = _send(referred, both, day)
    _counted_nowhere(referred, item)
    assert "both Yes and No ticked" in item.reason and "Reason accepted as valid" in item.reason


def test_a_record_for_a_day_with_no_session_planned_is_not_counted(referred, tmp_path):
    tuesday = dt.date(2026, 11, 3)  # allocated Mondays and Wednesdays
    item = _send(referred, _record(tmp_path, tuesday), tuesday)
    _counted_nowhere(referred, item)
    assert "03/11/2026, which is not one of the referral's planned sessions" in item.reason


def test_a_record_for_a_closed_day_is_not_counted(referred, tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2027-01-06")
    boxing_day_holiday = dt.date(2026, 12, 28)  # a Monday: the substitute bank holiday
    item = _send(referred, _record(tmp_path, boxing_day_holiday), boxing_day_holiday)
    _counted_nowhere(referred, item)
    assert "28/12/2026, when the service runs no sessions" in item.reason


def test_a_record_before_the_first_session_is_not_counted(referred, tmp_path):
    day = dt.date(2026, 10, 28)  # a Wednesday before the first session (02/11/2026)
    item = _send(referred, _record(tmp_path, day), day)
    _counted_nowhere(referred, item)
