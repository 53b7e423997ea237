"""Each service's rules applied where it states them, and left out (never crashing, never
"0" or "None") where it does not: issue 26. The seed line each rule comes from is beside it in
the profile; docs/service-rules.md lists which test shows each."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.validate import validate_extraction

from tests.helpers.validate_kit import RECEIVED, referral, referral_fields

UNBORN = {
    "child__unborn": "Yes",
    "child__dob": None,
    "child__edd": "01/04/2025",
    "child__gender": "Not known",
}


def check(profile, fields, received=RECEIVED):
    return validate_extraction(referral(fields), profile, received)


def said(v) -> str:
    return " ".join(p.message for p in v.problems + v.warnings)


def test_an_unborn_babys_referral_where_no_notice_is_stated(blackpool, mk, nct):
    """Blackpool and Milton Keynes state no notice before the birth: the referral is read, with
    no notice sentence and no crash; Northamptonshire's 6 weeks is still applied."""
    for profile in (blackpool, mk):
        v = check(profile, referral_fields(**UNBORN))
        assert v.verdict.startswith("complete"), said(v)
        assert "days' notice" not in said(v) and "None" not in said(v)
    assert "at least 42 days' notice" in said(check(nct, referral_fields(**UNBORN)))


def test_unborn_referral_from_the_command_line(tmp_path, capsys, monkeypatch):
    """The command in the issue, run where a folder is named like the profile: the verdict is
    said, with no crash and no notice sentence."""
    import json
    from pathlib import Path

    import pipeline.extract as extract
    from pipeline.cli import main

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2025-03-11")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "blackpool").mkdir()  # a folder named like the profile: never read as it
    form = tmp_path / "referral.docx"
    form.write_bytes(b"stand-in")
    extraction = referral(referral_fields(**UNBORN)).model_copy(update={"file": form.name})
    monkeypatch.setattr(extract, "extract_file", lambda path, profile=None: extraction)
    code = main(
        [
            "validate",
            "--json",
            str(form),
            "--profile",
            "blackpool",
            "--received",
            "2025-03-10T17:40",
        ]
    )
    row = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert code == 0 and row["verdict"].startswith("complete")
    assert Path(form).exists()


@pytest.mark.parametrize("service", ["blackpool", "milton-keynes"])
def test_saturday_without_a_reason_where_saturdays_are_for_everyone(service, request):
    profile = request.getfixturevalue({"blackpool": "blackpool", "milton-keynes": "mk"}[service])
    v = check(profile, referral_fields(request__days=["Saturday"]))
    assert v.verdict.startswith("complete"), said(v)
    assert "working parents" not in said(v)


def test_saturday_reason_asked_in_northamptonshire(nct):
    v = check(nct, referral_fields(request__days=["Saturday"]))
    assert v.verdict == "incomplete"
    assert "Saturdays are for working parents" in said(v)


def test_after_3pm_for_a_preschool_child_only_where_the_service_says(nct, blackpool, mk):
    changes = {"child__dob": "01/06/2022", "request__times": "4pm to 5pm"}
    assert "under school age" in said(check(nct, referral_fields(**changes)))
    for profile in (blackpool, mk):
        assert "school" not in said(check(profile, referral_fields(**changes)))


def test_section_20_for_another_authority(nct, blackpool, mk):
    """Northamptonshire and Blackpool refuse it in their own role's words; Milton Keynes states
    no such rule, so the referral is taken (the team manager sees it, the authority charged)."""
    changes = {
        "referral__type": "On behalf of another local authority",
        "signoff__manager": "Pat Manager-Example",
        "legal__status": "Section 20 (accommodated)",
    }
    v = check(blackpool, referral_fields(**changes))
    assert v.verdict == "incomplete"
    assert "contact the Family Time Manager" in said(v) and "co-ordinator" not in said(v)
    assert "contact the Family Time Co-ordinator" in said(check(nct, referral_fields(**changes)))
    v = check(mk, referral_fields(**changes))
    assert "Section 20" not in said(v) and "proceedings" not in said(v)
    assert "charge_other_la" in v.flags


def test_child_protection_plan_counted_from_the_plans_start(blackpool):
    """Blackpool: "time limited to the first 2 weeks of the plan". The plan began on or before
    the referral (10 March 2025), so it ends by 24 March at the latest, whatever start date
    is asked for (7 April would be 2 weeks from the requested start)."""
    changes = {
        "legal__status": "Child Protection Plan",
        "request__supervision": "Supported",
        "request__start_date": "24/03/2025",
    }
    v = check(blackpool, referral_fields(**changes))
    assert "time_limited:2025-03-24" in v.flags
    assert "ends by Monday 24 March 2025 at the latest" in said(v)
    assert "start of the plan" in said(v)


def test_no_rule_prints_nothing_for_a_service_silent_on_everything(mk):
    """Milton Keynes states no limits, no notice, no preschool rule: a referral touching each
    is complete, and no sentence carries "0", "None" or "not stated"."""
    changes = {
        **UNBORN,
        "legal__status": "Child Protection Plan",
        "request__supervision": "Supported",
        "request__days": ["Saturday"],
        "request__times": "4pm",
    }
    v = check(mk, referral_fields(**changes))
    text = said(v)
    assert v.verdict.startswith("complete"), text
    for bad in (" 0 ", "None", "not stated", "Not named"):
        assert bad not in text


def test_received_date_is_not_the_wall_clock(blackpool, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-18")
    v = check(blackpool, referral_fields(**UNBORN), received=dt.datetime(2025, 3, 10, 17, 40))
    assert v.verdict.startswith("complete")


def test_opening_hours_where_the_service_states_them(mk, nct):
    """Milton Keynes: "Saturday (9:30am - 4:30pm)": a Saturday at 9am is outside them (a
    warning for the team); Northamptonshire states no hours, so nothing is said."""
    changes = {"request__days": ["Saturday"], "request__times": "9am to 10am"}
    v = check(mk, referral_fields(**changes))
    assert "9am is outside the service's hours on Saturday (9:30am to 4:30pm)" in said(v)
    v = check(mk, referral_fields(request__days=["Saturday"], request__times="10am to 12pm"))
    assert "outside" not in said(v)
    v = check(nct, referral_fields(request__saturday_reason="Works weekdays", **changes))
    assert "outside" not in said(v)


def test_sunday_is_refused_only_where_the_service_runs_no_sunday_sessions(blackpool):
    assert "closed on Sundays" in said(check(blackpool, referral_fields(request__days=["Sunday"])))
    hours = blackpool.hours.model_copy(
        update={"session_days": [*blackpool.hours.session_days, "Sunday"]}
    )
    weekends = blackpool.model_copy(update={"hours": hours})
    v = check(weekends, referral_fields(request__days=["Sunday"]))
    assert v.verdict.startswith("complete") and "Sunday" not in said(v)


def test_not_known_for_a_family_members_phone_is_an_answer_as_the_form_asks(blackpool):
    """The form says to write "Not known" rather than leave a blank: for a family member's
    phone and address it is taken as the answer, never returned as "not a UK phone number"."""
    fields = referral_fields()
    fields.update(
        {
            "family[2].name": "Sib Example",
            "family[2].relationship": "Brother",
            "family[2].parental_responsibility": "No",
            "family[2].phone": "Not known",
            "family[2].address": "not known",
        }
    )
    v = check(blackpool, fields)
    assert v.verdict.startswith("complete"), said(v)
    assert v.values["family[2].phone"] == "Not known"
    assert "not a UK phone number" in said(
        check(blackpool, {**fields, "family[2].phone": "ring the office"})
    )
