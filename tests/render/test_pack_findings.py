"""What people reading the pack found (issue 26), as they would see it: the review report
named in each service's own words, Milton Keynes' planning meeting never dated when no date is
typed, the referral's safety answers where the supervisor reads them and nowhere the family
does, and the agreement saying what was allocated, never the request as if it were met."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.profile import load_profile
from pipeline.render import render_pack
from pipeline.render.lac_report import report_meeting

from tests.helpers.render_kit import docx_text, make_allocation, make_item, referral_values

TODAY = dt.date(2026, 11, 23)
SAFETY = {
    "risk.level": "High",
    "risk.to_child": "Father has tried to take the child from contact before",
    "risk.to_staff": "Raised voice towards staff at the last centre",
    "risk.supervision_notes": "Phones away; no whispering about the placement",
    "family.not_to_attend": "Bo Sample-Uncle must not attend",
    "child.needs": "Peanut allergy: adrenaline pen in the changing bag",
}


def _pack(tmp_path, profile, values=None, **kw):
    alloc = kw.pop("allocation", {})
    paths = render_pack(
        make_item(values or referral_values()),
        make_allocation(profile, **alloc),
        profile,
        tmp_path / "out",
        today=TODAY,
        **kw,
    )
    return {p.name: p for p in paths}


# ---------------------------------------------------------------- the review report's name


@pytest.mark.parametrize(
    "service, said",
    [
        ("northamptonshire", "Looked After Child review"),
        ("blackpool", "statutory review"),
        # 004's review meetings (parents, social worker, a senior worker) get no report it
        # states: the report's date is the child's review, so it is named as just that
        ("milton-keynes", "review"),
    ],
)
def test_the_review_report_is_named_for_the_services_own_review(service, said):
    assert report_meeting(load_profile(service)) == said


def test_a_review_the_service_does_not_name_is_just_a_review():
    profile = load_profile("northamptonshire")

    def named(meeting):
        review = profile.review.model_copy(update={"meeting_name": meeting})
        return report_meeting(profile.model_copy(update={"review": review}))

    for unnamed in ("not stated", "", "  "):
        assert named(unnamed) == "review"
    assert named("child's review: 6/12 monthly") == "child's review 6 12 monthly"  # Windows


# ---------------------------------------------------------------- Milton Keynes' planning meeting


def test_mk_letter_never_dates_a_planning_meeting_nobody_typed(tmp_path, mk):
    text = docx_text(_pack(tmp_path, mk)["Letter to parent 1.docx"])
    assert "A planning meeting will be arranged, and you will be invited to it" in text
    assert "to the planning meeting, where" not in text  # the old wording, as if fixed
    assert "held on" not in text


def test_mk_letter_names_the_planning_meeting_typed_in_the_tracker(tmp_path, mk):
    text = docx_text(
        _pack(tmp_path, mk, planning_meeting=dt.date(2026, 11, 20))["Letter to parent 1.docx"]
    )
    assert "The planning meeting was held on Friday 20 November 2026." in text
    assert "will be arranged" not in text


# ---------------------------------------------------------------- the safety notes


@pytest.mark.parametrize("service", ["northamptonshire", "blackpool", "milton-keynes"])
def test_safety_answers_reach_the_supervisor_and_never_the_family(tmp_path, service):
    profile = load_profile(service)
    role = profile.supervisor_role
    made = _pack(tmp_path, profile, referral_values(**SAFETY))
    sheet = made[f"Safety notes for the {role} (not for the family).docx"]
    text = docx_text(sheet)
    assert f"For the {role} and the social worker only." in text
    for answer in SAFETY.values():
        assert answer in text
    assert f"What the {role} must watch for" in text
    for name, path in made.items():
        if path == sheet:
            continue
        seen = docx_text(path)
        for answer in SAFETY.values():
            if answer != "High":
                assert answer not in seen, (name, answer)
    record = docx_text(made["Session record 2026-12-01.docx"])
    assert f"Before the session, read the safety notes for the {role}" in record
    assert "kept off this record on purpose" in record


def test_a_session_record_read_back_is_the_same_with_the_safety_line(tmp_path, nct):
    """The line at the top is not a control: the record reads back exactly as before."""
    from pipeline.extract import extract_file

    record = _pack(tmp_path, nct, referral_values(**SAFETY))["Session record 2026-12-01.docx"]
    plain = _pack(tmp_path / "plain", nct)["Session record 2026-12-01.docx"]
    got, before = extract_file(record), extract_file(plain)
    assert got.fields == before.fields and got.form == before.form


def test_no_safety_sheet_when_the_referral_gives_no_safety_answers(tmp_path, nct):
    made = _pack(tmp_path, nct)
    assert not [n for n in made if n.startswith("Safety notes")]
    assert "safety notes" not in docx_text(made["Session record 2026-12-01.docx"])


def test_a_partly_answered_safety_section_prints_only_its_answers(tmp_path, nct):
    made = _pack(tmp_path, nct, referral_values(**{"child.needs": "Nut allergy"}))
    text = docx_text(made["Safety notes for the Family Time Supervisor (not for the family).docx"])
    assert "Nut allergy" in text
    assert "Overall risk level" not in text and "Risks to staff" not in text
    assert "Not given" not in text


# ---------------------------------------------------------------- allocated, not requested


def test_the_agreement_gives_the_length_allocated_not_the_length_asked(tmp_path, nct):
    made = _pack(tmp_path, nct, allocation={"time": "10:00-11:00"})  # asked for 90 minutes
    agreement = docx_text(made["FT-2026-00001 Family Time Agreement.docx"])
    lines = agreement.splitlines()
    assert lines[lines.index("Length of each session") + 1] == "1 hour"
    assert "1 hour 30 minutes" not in agreement


def test_a_passed_requested_start_is_never_the_packs_start(tmp_path, nct):
    values = referral_values(**{"request.start_date": dt.date(2026, 11, 9)})
    made = _pack(tmp_path, nct, values, allocation={"first_date": dt.date(2026, 12, 8)})
    agreement = docx_text(made["FT-2026-00001 Family Time Agreement.docx"])
    lines = agreement.splitlines()
    assert lines[lines.index("First session") + 1] == "Tuesday 8 December 2026"
    for path in made.values():
        text = docx_text(path)
        assert "9 November 2026" not in text and "09/11/2026" not in text, path.name
