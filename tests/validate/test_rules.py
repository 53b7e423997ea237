"""Each of the service's rules, table-driven, through validate_extraction as a user sees it."""

import datetime as dt

import pytest

from pipeline.profile import load_profile
from pipeline.validate import validate_extraction
from pipeline.validate.rules import condition_holds, earliest_time

from tests.helpers.validate_kit import RECEIVED, record, record_fields, referral, referral_fields


def check(profile, fields, received=RECEIVED, **kw):
    return validate_extraction(referral(fields), profile, received, **kw)


def messages(v):
    return [p.message for p in v.problems]


def test_complete_referral_is_complete(nct):
    v = check(nct, referral_fields())
    assert v.verdict == "complete" and not v.problems and not v.warnings
    assert v.kind == "referral"
    assert v.values["child.dob"] == dt.date(2016, 6, 14)
    assert v.values["request.duration"] == 90
    assert v.values["consent.parents_aware"] is True


@pytest.mark.parametrize(
    "key, label",
    [
        ("social_worker.email", "Social worker's email"),
        ("child.case_id", "CareFirst ID"),
        ("referral.date", "Date of referral"),
        ("carer.postcode", "Carer's postcode"),
        ("family[1].name", "Name"),
        ("risk.level", "Overall risk level"),
    ],
)
def test_mandatory_answers(nct, key, label):
    for blank in (None, "", "   "):
        fields = referral_fields()
        if blank is None:
            del fields[key]
        else:
            fields[key] = blank
        v = check(nct, fields)
        assert v.verdict == "incomplete"
        assert f"{label}: this is required." in messages(v)[0]


def test_label_follows_the_case_system(mk):
    bp = load_profile("blackpool")
    v = check(bp, referral_fields(child__case_id=None))
    assert "Mosaic ID: this is required." in messages(v)
    v = check(mk, referral_fields(child__case_id=None))  # Milton Keynes names no system
    assert "Case record ID: this is required." in messages(v)


def test_allowed_answer_counts_as_answered(nct):
    v = check(nct, referral_fields(child__needs="Not known", risk__to_staff="none"))
    assert v.verdict == "complete"


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"request__days": ["Saturday"]},
            "Reason Saturday is needed: required because Saturday is ticked; Saturdays are for working "
            "parents or school-age children with little time after school.",
        ),
        (
            {"child__unborn": "No", "child__dob": None},
            "Date of birth: required because 'Is the child unborn?' is No.",
        ),
        (
            {"child__unborn": "Yes", "child__dob": None, "child__edd": None},
            "Expected date of delivery: required because 'Is the child unborn?' is Yes.",
        ),
        (
            {"referral__court_directed": "Yes"},
            "Court: required because 'Is family time directed by the court?' is Yes.",
        ),
        (
            {"family2__name": "Chris Sample-Parent"},
            "Relationship to child: required because a family member is named in row 2.",
        ),
        (
            {"referral__type": "Out of county"},
            "Authorised by (team manager): required because this referral is out of county or on "
            "behalf of another local authority, so the team manager must authorise it.",
        ),
    ],
)
def test_conditional_answers(nct, changes, message):
    v = check(nct, referral_fields(**changes))
    assert message in messages(v)


def test_conditional_answer_given(nct):
    v = check(
        nct,
        referral_fields(
            request__days=["Saturday"], request__saturday_reason="Mother works weekdays"
        ),
    )
    assert v.verdict == "complete"


@pytest.mark.parametrize(
    "when, values, holds",
    [
        ("referral.court_directed is Yes", {"referral.court_directed": True}, True),
        ("referral.court_directed is Yes", {"referral.court_directed": False}, False),
        ("referral.court_directed is Yes", {}, False),
        (
            "referral.type is one of Out of county | On behalf of another local authority",
            {"referral.type": "Out of county"},
            True,
        ),
        (
            "referral.type is one of Out of county | On behalf of another local authority",
            {"referral.type": "New referral"},
            False,
        ),
        ("request.days includes Saturday", {"request.days": ["Monday", "Saturday"]}, True),
        ("request.days includes Saturday", {"request.days": ["Monday"]}, False),
        ("family[2].name is filled", {"family[2].name": "Jo"}, True),
        ("family[2].name is filled", {"family[1].name": "Jo"}, False),
        ("never", {}, False),
    ],
)
def test_condition_language(when, values, holds):
    assert condition_holds(when, values) is holds


# ---- named single-field rules


@pytest.mark.parametrize(
    "changes, fragment",
    [
        (
            {"referral__date": "11/03/2025", "signoff__date": "11/03/2025"},
            "Date of referral: Tuesday 11 March 2025 is in the future",
        ),
        ({"child__dob": "09/03/2007"}, "Date of birth: the child is 18 on the referral date"),
        ({"child__dob": "01/01/2030"}, "Date of birth: Tuesday 1 January 2030 is in the future"),
        ({"request__duration": "20 minutes"}, "Length of each session: 20 minutes is outside"),
        ({"request__duration": "7 hours"}, "Length of each session: 7 hours is outside"),
        (
            {"request__start_date": "07/03/2025"},
            "Requested start date: Friday 7 March 2025 is before the date of referral",
        ),
        ({"consent__parents_aware": "No"}, "Parents are aware of this referral: this must be Yes"),
        (
            {"consent__agreement_signed": "No"},
            "Family Time Agreement signed by parent and social worker: the Family Time Agreement must be signed",
        ),
        ({"child__dob": "31/02/2019"}, "Date of birth: '31/02/2019' is not a real date."),
        (
            {"social_worker__email": "alex@example.org\nBcc: all@example.org"},
            "Social worker's email: 'alex@example.org Bcc: all@example.org' is not a single email address",
        ),
    ],
)
def test_named_rules_refuse(nct, changes, fragment):
    v = check(nct, referral_fields(**changes))
    assert v.verdict == "incomplete"
    assert any(fragment in m for m in messages(v)), messages(v)


@pytest.mark.parametrize(
    "changes",
    [
        {"child__dob": "10/03/2008"},  # 16 going on 17: still a child
        {"child__dob": "11/03/2007"},  # 18 tomorrow
        {"request__duration": "30 minutes"},
        {"request__duration": "6 hours"},
        {"request__start_date": "10/03/2025"},
    ],
)
def test_named_rules_accept_the_edges(nct, changes):
    assert check(nct, referral_fields(**changes)).verdict == "complete"


def test_agreement_attached_instead_of_ticked(nct):
    fields = referral_fields(consent__agreement_signed="No")
    assert check(nct, fields, agreement_attached=True).verdict == "complete"
    assert check(nct, fields, agreement_attached=False).verdict == "incomplete"


# ---- cross-field rules (spec 1.3)


def warnings_and_flags(v):
    return [w.message for w in v.warnings], v.flags


@pytest.mark.parametrize(
    "changes, flags, warning",
    [
        (
            {"referral__type": "Out of county", "signoff__manager": "Pat Manager-Example"},
            ["out_of_county"],
            "out of county: accepted, for the team manager's individual review",
        ),
        (
            {"placement__out_of_county": "Yes"},
            ["out_of_county"],
            "Is the placement outside the county?",
        ),
        (
            {
                "referral__type": "On behalf of another local authority",
                "signoff__manager": "Pat Manager-Example",
                "legal__status": "ICO",
            },
            ["charge_other_la", "other_la"],
            "on behalf of another local authority while proceedings",
        ),
        (
            {
                "referral__type": "On behalf of another local authority",
                "signoff__manager": "Pat Manager-Example",
                "legal__status": "PLO",
            },
            ["charge_other_la", "other_la"],
            "the service charges the other authority",
        ),
        (
            {
                "referral__type": "On behalf of another local authority",
                "signoff__manager": "Pat Manager-Example",
                "legal__status": "Care Order",
            },
            ["charge_other_la"],
            None,
        ),
        (
            {"legal__status": "Special Guardianship Order", "request__supervision": "Supervised"},
            ["time_limited:2025-06-24"],
            "(up to 3 months): it ends on Tuesday 24 June 2025",
        ),
        (
            {"legal__status": "Child Protection Plan", "request__supervision": "Supported"},
            ["time_limited:2025-06-24"],
            "Supported family time under a Child Protection Plan",
        ),
        (
            {"legal__status": "Child Protection Plan", "request__supervision": "Supervised"},
            [],
            None,
        ),
        (
            {
                "referral__court_directed": "Yes",
                "legal__court_name": "Example Family Court",
                "legal__next_hearing": "01/05/2025",
                "legal__directions": "Weekly",
            },
            ["court_directed"],
            None,
        ),
        (
            {"child__dob": "01/06/2022", "request__times": "after 3.30pm"},
            [],
            "the child is under school age",
        ),
        ({"child__dob": "01/06/2022", "request__times": "4-5.30"}, [], "under school age"),
        ({"child__dob": "01/06/2022", "request__times": "after school"}, [], "under school age"),
        ({"child__dob": "01/06/2022", "request__times": "10am to 12"}, [], None),
        ({"child__dob": "01/06/2019", "request__times": "4pm"}, [], None),  # school age
        (
            {
                "child__unborn": "Yes",
                "child__dob": None,
                "child__edd": "01/04/2025",
                "child__gender": "Not known",
            },
            [],
            "the referral arrived 22 days before the expected date",
        ),
        (
            {
                "child__unborn": "Yes",
                "child__dob": None,
                "child__edd": "01/06/2025",
                "child__gender": "Not known",
            },
            [],
            None,
        ),
    ],
)
def test_cross_field_rules_accept_with_warnings_and_flags(nct, changes, flags, warning):
    v = check(nct, referral_fields(**changes))
    assert v.verdict == "complete", messages(v)
    found, got_flags = warnings_and_flags(v)
    assert got_flags == flags
    if warning:
        assert any(warning in w for w in found), found
    else:
        assert found == []


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {
                "referral__type": "On behalf of another local authority",
                "signoff__manager": "Pat",
                "legal__status": "Section 20",
            },
            "Legal status: the service cannot take a referral on behalf of another local authority "
            "for a child accommodated under Section 20",
        ),
        (
            {"request__days": ["Monday", "Sunday"]},
            "Preferred days: the service is closed on Sundays",
        ),
        ({"request__days": []}, "Preferred days: please tick at least one day."),
    ],
)
def test_cross_field_rules_refuse(nct, changes, message):
    v = check(nct, referral_fields(**changes))
    assert v.verdict == "incomplete"
    assert any(m.startswith(message) for m in messages(v)), messages(v)


def test_days_the_service_does_not_offer(nct):
    profile = nct.model_copy(
        update={
            "hours": nct.hours.model_copy(
                update={"session_days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]}
            )
        }
    )
    v = check(profile, referral_fields(request__days=["Saturday"], request__saturday_reason="Work"))
    assert any("does not run sessions on Saturday" in m for m in messages(v))


@pytest.mark.parametrize(
    "text, earliest",
    [
        ("10am to 12pm", dt.time(10)),
        ("3-5pm", dt.time(15)),
        ("after 3.30pm", dt.time(15, 30)),
        ("16:00 to 17:30", dt.time(16)),
        ("mornings", None),
        ("after school", dt.time(15, 15)),
    ],
)
def test_earliest_preferred_time(text, earliest):
    assert earliest_time(text) == earliest


# ---- session records (spec section 2)


def check_record(profile, fields, received=dt.datetime(2025, 3, 11, 16, 0)):
    return validate_extraction(record(fields), profile, received)


def test_complete_record(nct):
    v = check_record(nct, record_fields())
    assert (v.verdict, v.kind, v.flags, v.due) == ("complete", "session_record", [], {})


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"session__actual_start": None},
            "Actual start: required because 'Outcome' is Took place.",
        ),
        (
            {"session__outcome": "Ended early", "session__actual_end": "11:00"},
            "Reason given: required because 'Outcome' is Ended early.",
        ),
        (
            {
                "session__outcome": "DNA",
                "session__actual_start": None,
                "session__actual_end": None,
                "session__reason": "None given",
            },
            "Reason accepted as valid: required because 'Outcome' is Parent did not attend.",
        ),
        (
            {"session__outcome": "Cancelled by carer"},
            "Reason given: required because 'Outcome' is Cancelled by carer.",
        ),
        (
            {"session__significant_event": "Yes"},
            "Details, action taken, who was told: required because 'Significant event or concern' is Yes.",
        ),
        (
            {"session__written_on": "09/03/2025"},
            "Date written: Sunday 9 March 2025 is before the session",
        ),
        ({"session__actual_end": "10:00"}, "Actual end: 10:00 is not after actual start (10:05)"),
        (
            {"session__reference": "FT-25-12"},
            "Referral reference: 'FT-25-12' is not a referral reference",
        ),
    ],
)
def test_record_rules_refuse(nct, changes, message):
    v = check_record(nct, record_fields(**changes))
    assert v.verdict == "incomplete"
    assert any(m.startswith(message) for m in messages(v)), messages(v)


def test_record_without_session_needs_no_times(nct):
    v = check_record(
        nct,
        record_fields(
            session__outcome="Parent did not attend",
            session__actual_start=None,
            session__actual_end=None,
            session__arrival=None,
            session__summary=None,
            session__child_views=None,
            session__parenting=None,
            session__reason="None given",
            session__valid_reason="No",
        ),
    )
    assert v.verdict == "complete", messages(v)


@pytest.mark.parametrize(
    "profile_name, written, late",
    [
        ("northamptonshire", "12/03/2025", False),  # 2 working days after Monday 10th
        ("northamptonshire", "13/03/2025", True),
        ("blackpool", "11/03/2025", False),  # 24 hours
        ("blackpool", "12/03/2025", True),
    ],
)
def test_late_recording(profile_name, written, late):
    from pipeline.profile import load_profile

    v = check_record(
        load_profile(profile_name),
        record_fields(session__written_on=written),
        received=dt.datetime(2025, 3, 20, 9),
    )
    assert v.verdict == "complete"
    assert ("late_recording" in v.flags) is late
    assert bool(v.warnings) is late


def test_late_recording_skips_the_weekend(nct):
    v = check_record(
        nct,
        record_fields(session__date="14/03/2025", session__written_on="18/03/2025"),
        received=dt.datetime(2025, 3, 20, 9),
    )
    assert "late_recording" not in v.flags  # Friday -> Tuesday is 2 working days


def test_significant_event_flagged(nct):
    v = check_record(
        nct,
        record_fields(
            session__significant_event="Yes", session__significant_details="Told the social worker"
        ),
    )
    assert v.verdict == "complete" and v.flags == ["significant_event"]


def test_time_limits_are_each_services_own(blackpool, mk):
    """Blackpool's policy limits supported family time on a child protection plan to the first
    2 weeks of the plan (counted from the plan's start, on or before the referral of 10 March,
    not from the requested start); Milton Keynes' documents state no limit."""
    changes = {"legal__status": "Child Protection Plan", "request__supervision": "Supported"}
    v = check(blackpool, referral_fields(**changes))
    assert "time_limited:2025-03-24" in v.flags
    assert any(
        "(the first 2 weeks of the plan): it ends by Monday 24 March 2025 at the latest"
        in w.message
        for w in v.warnings
    )
    v = check(mk, referral_fields(**changes))
    assert not [f for f in v.flags if f.startswith("time_limited")]


def test_agreement_asked_for_only_where_the_service_requires_it(nct, mk):
    """Milton Keynes signs its written agreement at the planning meeting: a referral without
    one is not returned for it."""
    no = referral_fields(consent__agreement_signed="No")
    assert any("agreement" in m.lower() for m in messages(check(nct, no)))
    assert not any("agreement" in m.lower() for m in messages(check(mk, no)))


@pytest.mark.parametrize(
    "profile_name, written, late",
    [
        ("northamptonshire", "11/03/2025", False),  # within 24 hours of Monday 10th
        ("northamptonshire", "12/03/2025", True),  # on time as a record, late for the event
        ("blackpool", "12/03/2025", True),
        ("milton-keynes", "20/03/2025", False),  # its documents set no limit
    ],
)
def test_a_significant_event_recorded_late_is_flagged(profile_name, written, late):
    from pipeline.profile import load_profile

    v = check_record(
        load_profile(profile_name),
        record_fields(
            session__written_on=written,
            session__significant_event="Yes",
            session__significant_details="A fall in the play area",
        ),
        received=dt.datetime(2025, 3, 20, 9),
    )
    assert "significant_event" in v.flags
    assert ("significant_event_late" in v.flags) is late
    if late:
        assert any("more than 24 hours after it" in w.message for w in v.warnings)
