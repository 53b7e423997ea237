"""A referral for an unborn baby (expected 15/01/2027), received at Blackpool on Monday 2
November 2026. Blackpool promises family time "within 3 working days from request" (003), a
promise that cannot be kept before the child is born: the acknowledgement says family time is
arranged after the birth instead of promising a date, no first-session due date is worked out,
so the digest never asks for the Service Manager to be told of a delay and the month does not
count it late. The agreement gives the expected date of delivery, and the carer's letter calls
a baby with no name "the baby"."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

from pipeline.notify import messages_for
from pipeline.profile import load_profile
from pipeline.render.documents import render_pack
from pipeline.reports.month import month_figures
from pipeline.tracker.cells import first_session_promised
from pipeline.validate import validate_extraction

from tests.helpers.commitments_kit import arrives, digest_lines
from tests.helpers.render_kit import docx_text, make_allocation, make_item
from tests.helpers.render_kit import referral_values as pack_values
from tests.helpers.validate_kit import referral, referral_fields

D = dt.date
RECEIVED = dt.datetime(2026, 11, 2, 10)
UNBORN = {
    "referral.date": "02/11/2026",
    "child.first_name": "Unborn baby",
    "child.unborn": "Yes",
    "child.dob": None,
    "child.edd": "15/01/2027",
    "child.gender": "Not known",
    "request.start_date": "01/02/2027",
}


def _verdict(profile):
    fields = referral_fields()
    fields.update(UNBORN)
    fields = {k: v for k, v in fields.items() if v is not None}
    return validate_extraction(referral(fields), profile, RECEIVED, read_on=RECEIVED.date())


def test_no_first_session_is_promised_from_the_referral():
    bp = load_profile("blackpool")
    v = _verdict(bp)
    assert v.verdict == "complete", v.reason
    assert "first_session" not in v.due  # the tracker's "First session by" stays empty
    assert v.due["planning_meeting"] == D(2026, 11, 4)  # the rest is promised as ever
    assert v.due["allocation"] == D(2026, 11, 3)


def test_the_acknowledgement_says_family_time_follows_the_birth():
    bp = load_profile("blackpool")
    v = _verdict(bp)
    item = make_item(v.values).model_copy(update={"verdict": v, "received_at": RECEIVED})
    [out] = messages_for(item, bp, None)
    msg = email.message_from_bytes(out.message.as_bytes(), policy=email.policy.default)
    for part in ("plain", "html"):
        body = " ".join(msg.get_body((part,)).get_content().split())
        assert "family time is arranged after the birth" in body
        assert "Family time should take place" not in body
        assert "6 November 2026" not in body
        assert "planning meeting with you by" in body  # the other promises stand


def test_no_service_manager_alert_and_not_late(blackpool_ledger):
    config, profile, ledger, root = blackpool_ledger
    item = arrives(ledger, profile, root, 1, RECEIVED, "accepted")
    # the verdict as validation now makes it (no first session due for an unborn child)
    v = _verdict(profile)
    with ledger._tx() as db:  # a test kit puts the validated verdict on the recorded item
        db.execute("UPDATE items SET verdict = ? WHERE id = ?", (v.model_dump_json(), item.id))
    from pipeline.cases import paperwork as PW

    allocation = {"supervisor": "Sam Example", "first_date": "2027-01-27", "venue": "Hub"}
    ledger.record_event(
        PW.allocated(item.reference, 1, allocation, "Together Worker", D(2026, 11, 3))
    )
    assert first_session_promised(ledger.items()) == {}  # nothing for the Paperwork cell
    for day in (D(2026, 11, 4), D(2026, 11, 5), D(2026, 11, 20)):
        said = " ".join(digest_lines(ledger, config, profile, day))
        assert "later than the service promises" not in said
        assert "Service Manager" not in said
    f = month_figures(ledger, profile, D(2026, 11, 1), made=D(2026, 12, 1))
    assert "Late, by reference: First session held" not in f.section("commitments").lists


def test_the_agreement_and_the_carer_letter_speak_of_the_baby(tmp_path):
    bp = load_profile("blackpool")
    values = pack_values(
        **{
            "child.first_name": "Unborn baby",
            "child.known_as": None,
            "child.dob": None,
            "child.unborn": True,
            "child.edd": D(2027, 1, 15),
        }
    )
    files = render_pack(make_item(values), make_allocation(bp), bp, tmp_path, today=D(2026, 11, 20))
    texts = {p.name: " ".join(docx_text(p).split()) for p in files if p.suffix == ".docx"}
    [agreement] = [t for n, t in texts.items() if "agreement" in n.lower()]
    assert "Date of birth Expected 15 January 2027" in agreement
    assert "Date of birth Not given" not in agreement
    [carer] = [t for n, t in texts.items() if "carer" in n.lower()]
    assert "Collect the baby at" in carer
    assert "Unborn baby at" not in carer
