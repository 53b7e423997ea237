"""Milton Keynes' lateness rule on records (issue 26; seed 004: "minimum fifteen minutes for
all parents to be at the centre. If they are late for any reason, the session will be
cancelled"): lateness counts from the time parents must be there, and a record saying the
session took place with the parent late is flagged for a person. Northamptonshire's rule
(15 minutes allowed after the start, 001) is unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.commands.init import init_folder
from pipeline.extract import extract_file
from pipeline.profile import load_profile
from pipeline.render.record_form import fill_controls, prefill_record
from pipeline.sessions.record import held_though_late, session_record
from pipeline.validate import validate_extraction

from tests.helpers.sessions_kit import FORMS, REF, Session

DAY = dt.date(2026, 11, 4)  # a Wednesday


def _record(tmp_path, outcome: str, arrival: str | None, name: str):
    pre = prefill_record(
        tmp_path / f"pre-{name}.docx",
        reference=REF,
        child_names="Test Child Example",
        date=DAY,
        planned_start=dt.time(10),
        planned_end=dt.time(11, 30),
        venue="Venue",
        supervisor="Dee Example-Supervisor",
        family_expected="Jo Sample-Parent",
    )
    answers = {
        "session.outcome": outcome,
        "session.family_present": "Jo Sample-Parent (mother)",
        "session.significant_event": False,
        "session.author": "Dee Example-Supervisor",
        "session.written_on": DAY,
    }
    if outcome == "Took place":
        answers.update(
            {
                "session.actual_start": "10:00",
                "session.actual_end": "11:30",
                "session.arrival": arrival,
                "session.summary": "They played a board game.",
                "session.child_views": "The child said she liked the game.",
                "session.parenting": "Mother praised the child often.",
            }
        )
    else:
        answers.update(
            {
                "session.reason": "Bus was late",
                "session.valid_reason": False,
                "session.arrival": arrival,
            }
        )
    return fill_controls(pre, tmp_path / f"{name}.docx", answers)


def _session(path, service: str):
    profile = load_profile(service)
    v = validate_extraction(extract_file(path), profile, dt.datetime(2026, 11, 4, 18))
    assert v.verdict == "complete", v.problems
    return session_record(v, 0, REF, profile), profile


def test_a_0958_arrival_is_late_where_parents_must_be_there_by_0945(tmp_path):
    path = _record(tmp_path, "Parent late, session cancelled", "Mother arrived at 09:58.", "mk")
    rec, profile = _session(path, "milton-keynes")
    assert rec.late_minutes == 13  # never "on time" beside "Parent late, session cancelled"
    rec, _ = _session(path, "northamptonshire")
    assert rec.late_minutes == 0  # Northamptonshire counts from the start


@pytest.mark.parametrize(
    "arrival, late",
    [("Mother arrived 5 minutes late.", 20), ("Mother arrived ten minutes early.", 5)],
)
def test_took_place_with_the_parent_late_is_flagged_in_milton_keynes(tmp_path, arrival, late):
    path = _record(tmp_path, "Took place", arrival, "held")
    rec, profile = _session(path, "milton-keynes")
    assert rec.late_minutes == late and held_though_late(rec, profile)
    rec, profile = _session(path, "northamptonshire")
    assert not held_though_late(rec, profile)  # within Northamptonshire's 15 minutes


def test_a_milton_keynes_record_held_though_late_says_so_and_counts_as_held(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-04")
    init_folder(tmp_path / "work", "milton-keynes")
    s = Session(tmp_path / "work")
    try:
        [referral], _ = s.process(FORMS / "referral-complete.docx", dt.datetime(2026, 10, 26, 10))
        assert referral.reference == REF, referral.reason
        s.allocate(day="Wednesday", first=dt.datetime(2026, 11, 4))
        path = _record(tmp_path, "Took place", "Mother arrived 5 minutes late.", "mk-held")
        [item], _ = s.process(path, dt.datetime(2026, 11, 4, 18))
        assert item.outcome == "session_record"
        assert "arrived 20 minutes after the time parents must be there" in item.reason
        assert "held_though_late" in item.verdict.flags
        [rec] = s.ledger.sessions_of(REF)
        assert rec.outcome == "Took place" and not rec.missed_by_parent
        # the Sessions sheet says the lateness the service counts, never "On time"
        [row] = [r for r in s.rows("Sessions") if r.get("Reference") == REF]
        assert row["Lateness"] == "20 minutes late", row
    finally:
        s.ledger.close()
