"""'Reason accepted as valid?' is asked, not assumed: a blank answer goes back to the supervisor
and counts towards nothing; records on the 2025.1 form are still read (issue 15)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.extract import extract_file
from pipeline.profile import load_profile
from pipeline.render.record_form import fill_controls, prefill_record
from pipeline.sessions.record import valid_reason_answer
from pipeline.validate import validate_extraction

RECORDS = Path(__file__).resolve().parent / "records"
REF = "FT-2026-00001"
PROFILES = ["northamptonshire", "blackpool", "milton-keynes"]
RECEIVED = dt.datetime(2026, 11, 5, 9)


def _verdict(name: str, profile: str):
    return validate_extraction(
        extract_file(RECORDS / f"{name}.docx"), load_profile(profile), RECEIVED
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_the_2026_form_is_current_and_answers_yes_or_no(profile):
    v = _verdict("2026-11-04-did-not-attend", profile)
    assert (v.form_version, v.verdict) == ("2026.1", "complete")
    assert valid_reason_answer(v) is False
    assert valid_reason_answer(_verdict("2026-11-11-valid-reason", profile)) is True


@pytest.mark.parametrize("profile", PROFILES)
def test_a_blank_answer_on_the_2026_form_is_not_a_no(profile):
    v = _verdict("2026-11-04-valid-reason-blank", profile)
    assert v.form_version == "2026.1"
    assert valid_reason_answer(v) is None
    assert v.verdict == "incomplete"
    assert "session.valid_reason" in {p.key for p in v.problems}


@pytest.mark.parametrize("profile", PROFILES)
def test_2025_records_are_still_read_an_unticked_box_means_what_was_written(profile):
    written = _verdict("2025-form-unticked-reason-written", profile)
    assert (written.form_version, written.verdict) == ("2025.1", "complete")
    assert valid_reason_answer(written) is None  # a reason written: not answered
    assert valid_reason_answer(_verdict("2025-form-unticked-none-given", profile)) is False
    assert valid_reason_answer(_verdict("2025-form-ticked-valid", profile)) is True


def test_a_blank_answer_goes_back_to_the_supervisor_and_counts_for_nothing(referred):
    [item], _ = referred.record("2026-11-04-valid-reason-blank")
    assert item.outcome == "session_attention"
    assert "Reason accepted as valid" in item.reason and "supervisor" in item.reason
    assert referred.ledger.sessions_of(REF) == []
    assert [r["Why it needs a look"] for r in referred.rows("Attention")] == [item.reason]


def test_a_2025_record_with_a_reason_and_no_tick_is_asked_about_not_counted(referred):
    [item], _ = referred.record("2025-form-unticked-reason-written", dt.datetime(2026, 11, 4, 18))
    assert item.outcome == "session_attention"
    assert "does not say whether the reason was accepted as valid" in item.reason
    assert "'Reason accepted as valid?' (Yes or No)" in item.reason
    assert referred.ledger.sessions_of(REF) == []


def test_a_2025_record_with_no_reason_and_no_tick_counts_as_a_miss(referred):
    [item], _ = referred.record("2025-form-unticked-none-given", dt.datetime(2026, 11, 4, 18))
    assert item.outcome == "session_record"
    [rec] = referred.ledger.sessions_of(REF)
    assert rec.valid_reason is False and rec.missed_by_parent


def test_answering_the_2026_form_yes_or_no_reads_back(tmp_path):
    pre = prefill_record(
        tmp_path / "pre.docx",
        reference=REF,
        child_names="Test Child",
        date=dt.date(2026, 11, 4),
        planned_start=dt.time(16),
        planned_end=dt.time(17, 30),
        venue="Venue",
        supervisor="Dee",
        family_expected="Jo Sample-Parent",
        interpreter="Jo Sample-Parent: Polish",
    )
    answers = {
        "session.outcome": "Parent did not attend",
        "session.family_present": "None",
        "session.reason": "None given",
        "session.significant_event": False,
        "session.interpreter_attended": True,
        "session.author": "Dee",
        "session.written_on": dt.date(2026, 11, 4),
    }
    for answer in (False, True):
        done = fill_controls(
            pre, tmp_path / f"done-{answer}.docx", {**answers, "session.valid_reason": answer}
        )
        v = validate_extraction(extract_file(done), load_profile("northamptonshire"), RECEIVED)
        assert v.verdict == "complete", v.problems
        assert valid_reason_answer(v) is answer
        assert v.values["session.interpreter"] == "Jo Sample-Parent: Polish"
        assert v.values["session.interpreter_attended"] is True


def test_an_interpreter_booked_asks_whether_they_attended(tmp_path):
    pre = prefill_record(
        tmp_path / "pre.docx",
        reference=REF,
        child_names="Test Child",
        date=dt.date(2026, 11, 4),
        planned_start=dt.time(16),
        planned_end=dt.time(17, 30),
        venue="Venue",
        supervisor="Dee",
        family_expected="Jo Sample-Parent",
        interpreter="Jo Sample-Parent: Polish",
    )
    done = fill_controls(
        pre,
        tmp_path / "done.docx",
        {
            "session.outcome": "Parent did not attend",
            "session.family_present": "None",
            "session.reason": "None given",
            "session.valid_reason": False,
            "session.significant_event": False,
            "session.author": "Dee",
            "session.written_on": dt.date(2026, 11, 4),
        },
    )
    v = validate_extraction(extract_file(done), load_profile("northamptonshire"), RECEIVED)
    assert v.verdict == "incomplete"
    assert "session.interpreter_attended" in {p.key for p in v.problems}
