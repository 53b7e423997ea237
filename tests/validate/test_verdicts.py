"""Verdicts as the rest of the pipeline sees them: pass-throughs, old forms, emails, typed output."""

import datetime as dt

import pytest

from pipeline.extract.models import Extraction, FormMatch
from pipeline.validate import validate_email, validate_extraction
from pipeline.validate.models import typed_json, typed_model

from tests.helpers import validate_kit as B


@pytest.mark.parametrize("status", ["not_referral", "unreadable"])
def test_reader_verdicts_pass_through(nct, status):
    ex = Extraction(file="x.pdf", form=FormMatch(status=status, reason="A scanned image."))
    v = validate_extraction(ex, nct, B.RECEIVED)
    assert (v.verdict, v.reason, v.problems, v.due) == (status, "A scanned image.", [], {})


def test_old_form_asks_for_the_current_one(nct):
    v = validate_extraction(B.referral(status="old", version="2022"), nct, B.RECEIVED)
    assert v.verdict == "old"
    assert [p.key for p in v.problems] == ["form"]
    assert "old version" in v.problems[0].message and "2025.1" in v.problems[0].message


def test_profile_can_retire_a_version(nct):
    retired = nct.model_copy(
        update={
            "forms": nct.forms.model_copy(
                update={"old": nct.forms.old + ["family-time-referral 2025.1"]}
            )
        }
    )
    assert validate_extraction(B.referral(), retired, B.RECEIVED).verdict == "old"


def test_unknown_form_is_not_a_referral(nct):
    ex = Extraction(
        file="x.docx", form=FormMatch(id="mystery", version="1", status="current", reason="?")
    )
    assert validate_extraction(ex, nct, B.RECEIVED).verdict == "not_referral"


def test_verdict_values_are_typed_and_blank_answers_absent(nct):
    v = validate_extraction(B.referral(), nct, B.RECEIVED)
    assert v.values["request.days"] == ["Tuesday", "Thursday"]
    assert v.values["carer.phone"] == "01604 123456"
    assert v.values["family[1].parental_responsibility"] is True
    assert "child.edd" not in v.values and "family[2].name" not in v.values
    assert v.received == B.RECEIVED and v.counted_from == dt.date(2025, 3, 10)
    assert v.due["contact"] == dt.date(2025, 3, 12)


def test_unused_family_rows_are_not_answers(nct):
    fields = B.referral_fields()
    fields.update(
        {"family[2].parental_responsibility": "no", "family[3].parental_responsibility": "no"}
    )
    v = validate_extraction(B.referral(fields), nct, B.RECEIVED)
    assert v.verdict == "complete"
    assert "family[2].parental_responsibility" not in v.values


def test_same_form_same_verdict(nct):
    a = validate_extraction(B.referral(), nct, B.RECEIVED)
    b = validate_extraction(B.referral(), nct, B.RECEIVED)
    assert a == b


def test_problems_follow_the_order_of_the_form(nct):
    v = validate_extraction(
        B.referral(B.referral_fields(signoff__name=None, child__case_id=None, referral__date=None)),
        nct,
        B.RECEIVED,
    )
    assert [p.key for p in v.problems] == ["referral.date", "child.case_id", "signoff.name"]


def email(*attachments):
    return Extraction(
        file="mail.eml",
        form=FormMatch(status="not_referral", reason="an email"),
        sender="alex@example.org",
        subject="Referral",
        attachments=list(attachments),
    )


def other(file, reason="Not a referral"):
    return Extraction(file=file, form=FormMatch(status="not_referral", reason=reason))


@pytest.mark.parametrize(
    "sibling, complete",
    [
        (other("Family Time Agreement signed.pdf"), True),
        (other("scan.pdf", "Not a referral: it looks like a Family Time Agreement"), True),
        (other("court order.pdf"), False),
    ],
)
def test_agreement_attached_to_the_same_email(nct, sibling, complete):
    ref = B.referral(B.referral_fields(consent__agreement_signed="No"))
    results = validate_email(email(ref, sibling), nct, B.RECEIVED)
    assert len(results) == 2
    assert (results[0][1].verdict == "complete") is complete
    assert results[1][1].verdict == "not_referral"


def test_standalone_form_has_no_attached_agreement(nct):
    v = validate_extraction(
        B.referral(B.referral_fields(consent__agreement_signed="No")), nct, B.RECEIVED
    )
    assert v.verdict == "incomplete"


def test_typed_referral_json(nct):
    v = validate_extraction(B.referral(), nct, B.RECEIVED)
    data = typed_json("referral", v.values)
    assert data["child"]["dob"] == "2016-06-14"
    assert data["request"]["duration"] == 90 and data["request"]["days"] == ["Tuesday", "Thursday"]
    assert data["family"] == [
        {
            "name": "Jo Sample-Parent",
            "relationship": "Mother",
            "parental_responsibility": True,
            "phone": "07700 900123",
            "address": "2 Sample Street, Northampton",
        }
    ]
    assert data["consent"]["parents_aware"] is True


def test_typed_models_follow_the_catalogue():
    from pipeline.catalogue import catalogue

    model = typed_model("referral")
    prefixes = {f.key.split(".")[0].split("[")[0] for f in catalogue().by_kind("referral").fields}
    assert prefixes <= set(model.model_fields) | {"family"}
    rec = typed_json(
        "session_record",
        {"session.date": dt.date(2025, 3, 10), "session.actual_start": dt.time(10, 5)},
    )
    assert rec == {"session": {"date": "2025-03-10", "actual_start": "10:05:00"}}


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st

from pipeline.catalogue import catalogue  # noqa: E402

KEYS = [f.key for f in catalogue().by_kind("referral").expanded_fields()]
REC_KEYS = [f.key for f in catalogue().by_kind("session_record").expanded_fields()]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(KEYS),
        st.one_of(st.text(max_size=40), st.lists(st.text(max_size=10), max_size=3)),
        max_size=8,
    )
)
def test_any_answers_get_a_verdict_never_a_crash(nct, changes):
    fields = B.referral_fields()
    fields.update(changes)
    v = validate_extraction(B.referral(fields), nct, B.RECEIVED)
    assert v.verdict in ("complete", "incomplete")
    assert all(p.label and p.message for p in v.problems + v.warnings)
    typed_json("referral", v.values)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(REC_KEYS), st.text(max_size=30), max_size=6))
def test_any_record_answers_get_a_verdict(nct, changes):
    fields = B.record_fields()
    fields.update(changes)
    v = validate_extraction(B.record(fields), nct, B.RECEIVED)
    assert v.verdict in ("complete", "incomplete")
