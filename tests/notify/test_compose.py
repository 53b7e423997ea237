"""What each outcome's email says, who it goes to, and what it must never carry."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.models import Problem
from pipeline.notify import MailNotReady, messages_for, plan_mail
from pipeline.notify.addresses import clean_address
from pipeline.profile import load_profile

from tests.helpers.notify_kit import LEAKS, SENDER_ADDRESS, SW_EMAIL, form_values

TEAM = "familytime@nct.example.org"


def parts(out) -> tuple[str, str]:
    """The plain-text and HTML bodies, decoded."""
    msg = email.message_from_bytes(out.message.as_bytes(), policy=email.policy.default)
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    return text, html


def one(item, profile):
    out = messages_for(item, profile, None)
    assert len(out) == 1
    return out[0]


def test_accepted_goes_to_the_social_worker_with_the_team_copied(make_item, profile):
    out = one(make_item("accepted"), profile)
    assert out.to == (SW_EMAIL,) and out.cc == (TEAM,)
    m = out.message
    assert m["Subject"] == "Family Time referral FT-2026-00001: received"
    assert m["Auto-Submitted"] == "auto-replied"
    assert m["From"].addresses[0].addr_spec == profile.mail.from_address
    assert m["From"].addresses[0].display_name == profile.mail.from_name
    assert m["Date"] and m["Message-ID"]
    assert m.get_content_type() == "multipart/alternative"
    for body in parts(out):
        assert "FT-2026-00001" in body
        assert "TRQ" in body  # initials only
        assert "Monday 23 November 2026" in body  # received
        assert "Wednesday 25 November 2026" in body  # co-ordinator contact due
        assert "Monday 7 December 2026" in body  # allocation due
        assert "2 working days" in body and "10 working days" in body


def test_message_id_is_the_same_for_the_same_key(make_item, profile):
    first = one(make_item("accepted"), profile)
    again = one(make_item("accepted"), profile)
    other = one(make_item("accepted", item_id=2), profile)
    assert first.key == again.key == "FT-2026-00001:accepted:1"
    assert first.message["Message-ID"] == again.message["Message-ID"]
    assert other.message["Message-ID"] != first.message["Message-ID"]


def test_accepted_mail_names_no_one_even_when_a_warning_quotes_a_name(make_item, profile):
    warnings = [
        Problem(
            key="child.known_as",
            label="Known as",
            severity="warning",
            message="'Tamsin' is the same as the first name.",
        ),
        Problem(
            key="child.dob",
            label="Date of birth",
            severity="warning",
            message="03/03/2019 makes the child very young for the school given.",
        ),
        Problem(
            key="request.days",
            label="Preferred days",
            severity="warning",
            message="Saturday was asked for without a reason.",
        ),
    ]
    out = one(make_item("accepted", warnings=warnings), profile)
    text, html = parts(out)
    raw = out.message.as_string()
    for leak in LEAKS:
        assert leak not in text and leak not in html and leak not in raw
    # the harmless warning is passed on in the validator's words, the others neutrally
    assert "Saturday was asked for without a reason." in text
    assert "Known as: The answer given is the same as the first name." in text
    # the date is taken out, the rest of the sentence kept, so it can be acted on (issue 27)
    assert "Date of birth: The answer given makes the child very young for the school" in text


def test_late_arrival_says_when_the_clock_starts(make_item, profile):
    item = make_item("accepted", received_at=dt.datetime(2026, 11, 23, 18, 30))
    item.verdict.counted_from = dt.date(2026, 11, 24)
    text, html = parts(one(item, profile))
    assert "Tuesday 24 November 2026" in text and "Tuesday 24 November 2026" in html


def test_incomplete_lists_the_problems_in_the_forms_own_words(make_item, profile):
    problems = [
        Problem(key="child.ethnicity", label="Ethnicity", message="This answer is blank."),
        Problem(
            key="consent.agreement_signed",
            label="Family Time Agreement signed by parent and social worker",
            message="Tick this once the agreement is signed.",
        ),
        Problem(
            key="child.dob",
            label="Date of birth",
            message="'3 March 2019' does not match the age given.",
        ),
    ]
    out = one(make_item("incomplete", problems=problems), profile)
    assert out.to == (SW_EMAIL,) and out.cc == (TEAM,)
    assert "FT-2026-00001" in out.subject and "re-submit" in out.subject
    text, html = parts(out)
    for body in (text, html):
        assert "Ethnicity" in body and "This answer is blank." in body
        assert "Family Time Agreement signed by parent and social worker" in body
        assert "Reply to this email with the corrected form attached" in body
        assert "3 March 2019" not in body
    assert "Date of birth: The answer given does not match the age given." in text


def test_old_form_attaches_the_blank_current_form(make_item, profile, blank_form):
    item = make_item("old_form", reason="The footer says 'updated August 2022'.")
    out = one(item, profile)
    assert out.to == (SW_EMAIL,)
    attachments = list(out.message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["family-time-referral-2025.1.docx"]
    assert attachments[0].get_content() == blank_form.read_bytes()
    text, html = parts(out)
    assert "current form" in out.subject
    assert "version 2025.1" in text and "attached" in text and "attached" in html
    assert "updated August 2022" in text


def test_old_form_waits_when_the_blank_form_is_missing(make_item, profile, tmp_path, monkeypatch):
    from pipeline import paths

    monkeypatch.setattr(paths, "FORM_TEMPLATES", tmp_path / "nothing-here")
    with pytest.raises(MailNotReady, match="family-time-referral-2025.1.docx"):
        messages_for(make_item("old_form"), profile, None)


@pytest.mark.parametrize("outcome", ["not_referral", "unreadable"])
def test_not_a_referral_only_tells_the_team(make_item, profile, outcome):
    item = make_item(
        outcome,
        original_name="mail.eml > court-order.pdf",
        reason="This looks like a court order, not a referral form.",
    )
    out = one(item, profile)
    assert out.to == (TEAM,) and out.cc == ()
    text, html = parts(out)
    for body in (text, html):
        assert "court-order.pdf" in body and "court order, not a referral form" in body
        assert "ready to send" not in body.lower()


def test_a_scanned_pdf_notice_carries_a_reply_asking_for_the_word_version(make_item, profile):
    item = make_item(
        "unreadable",
        original_name="scan0001.pdf",
        reason="A scanned PDF (pictures of pages, no text): it cannot be read.",
    )
    out = one(item, profile)
    assert out.to == (TEAM,)
    text, html = parts(out)
    assert "ready to send" in text
    assert "Word document (.docx)" in text and "Word document (.docx)" in html
    assert SENDER_ADDRESS in text


@pytest.mark.parametrize("outcome", ["duplicate", "session_record"])
def test_no_message_for_duplicates_or_session_records(make_item, profile, outcome):
    assert messages_for(make_item(outcome), profile, None) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"auto_submitted": True},
        {"sender": "noreply@council.example.org"},
        {"sender": "No Reply <no-reply@council.example.org>"},
        {"sender": "MAILER-DAEMON@mx.example.org"},
        {"sender": "postmaster@council.example.org"},
        {"sender": "familytime@nct.example.org"},  # the team inbox itself
    ],
)
@pytest.mark.parametrize("outcome", ["accepted", "incomplete", "not_referral"])
def test_loop_guards_never_answer_the_automatic_sender(make_item, profile, outcome, changes):
    # Issue 17: RFC 3834 stops replies to automatic senders; the social worker named on the
    # form is a person and is still told. Nothing goes back to the sender, and the team gets
    # no automatic notice about an automatic message (it could come back: a loop).
    out = messages_for(make_item(outcome, **changes), profile, None)
    if outcome == "not_referral":
        assert out == []
        assert plan_mail(make_item(outcome, **changes), profile, None).withheld
    else:
        [msg] = out
        assert msg.to == (SW_EMAIL,) and msg.cc == (TEAM,)
        assert msg.message["Auto-Submitted"] == "auto-replied"


@pytest.mark.parametrize(
    "changes",
    [
        {"auto_submitted": True},
        {"sender": "noreply@council.example.org"},
        {"sender": "familytime@nct.example.org"},
    ],
)
@pytest.mark.parametrize("sw", [None, "no-reply@council.example.org", TEAM])
def test_an_automatic_sender_and_no_one_on_the_form_is_withheld_with_the_reason(
    make_item, profile, changes, sw
):
    item = make_item("accepted", values=form_values(**{"social_worker.email": sw}), **changes)
    plan = plan_mail(item, profile, None)
    assert plan.messages == []
    assert plan.withheld.startswith("Not sent: the email ")
    assert "no social worker's email address" in plan.withheld


@pytest.mark.parametrize("sw", ["no-reply@council.example.org", TEAM, "not an address", None])
def test_an_unusable_social_worker_address_falls_back_to_the_sender(make_item, profile, sw):
    out = one(make_item("accepted", values=form_values(**{"social_worker.email": sw})), profile)
    assert out.to == (SENDER_ADDRESS,) and out.cc == (TEAM,)
    text, _ = parts(out)
    assert "Note for the Family Time team" in text and "emailed from" in text


def test_with_no_usable_address_only_the_team_gets_it_and_is_told(make_item, profile):
    item = make_item(
        "accepted", values=form_values(**{"social_worker.email": "sw@@x"}), sender=None
    )
    out = one(item, profile)
    assert out.to == (TEAM,) and out.cc == ()
    text, html = parts(out)
    assert "has NOT gone to the social worker" in text
    assert "<strong>not</strong> gone to the social worker" in html


def test_header_injection_in_an_email_answer_adds_no_header(make_item, profile):
    evil = "sam.worker@council.example.org\r\nBcc: attacker@evil.example"
    item = make_item(
        "accepted",
        values=form_values(**{"social_worker.email": evil}),
        sender="bsupport@council.example.org\nBcc: attacker@evil.example",
    )
    out = one(item, profile)
    raw = out.message.as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Bcc"] is None
    assert b"attacker" not in raw
    assert out.to == (TEAM,)


HEADERS = {
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "Auto-Submitted",
    "X-Auto-Response-Suppress",
    "X-Family-Time-Key",
    "MIME-Version",
    "Content-Type",
}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sw=st.text(alphabet=st.sampled_from(list('ab@.\r\n:, <>;"\\x\t')), max_size=40),
    sender=st.one_of(st.none(), st.text(max_size=40)),
)
def test_no_answer_can_add_a_header_or_a_recipient(make_item, profile, sw, sender):
    item = make_item("incomplete", values=form_values(**{"social_worker.email": sw}), sender=sender)
    for out in messages_for(item, profile, None):
        parsed = email.message_from_bytes(out.message.as_bytes(), policy=email.policy.default)
        assert set(parsed.keys()) <= HEADERS
        for address in out.recipients:
            assert clean_address(address) == address
            assert not re.search(r"[\r\n,;<>]", address)
        assert len(out.to) == 1


def test_wording_follows_the_service(make_item):
    blackpool = load_profile("blackpool")
    item = make_item("accepted")
    item.verdict.due["first_session"] = dt.date(2026, 11, 26)
    text, html = parts(one(item, blackpool))
    assert "Together Worker" in text and "planning meeting" in text
    assert "within 1 working day" in text and "Thursday 26 November 2026" in text
    assert "01253 000000" in text and "familytimerequests@blackpool.example.org" in html
    mk = load_profile("milton-keynes")
    text, _ = parts(one(make_item("accepted"), mk))
    assert "Family Time Worker" in text
    assert "Out of hours (Emergency Social Work Team): 01908 265545" in text


@pytest.mark.parametrize("profile_id", ["northamptonshire", "blackpool", "milton-keynes"])
@pytest.mark.parametrize(
    "outcome", ["accepted", "incomplete", "old_form", "not_referral", "unreadable"]
)
def test_every_message_renders_for_every_service(make_item, blank_form, profile_id, outcome):
    profile = load_profile(profile_id)
    item = make_item(outcome, problems=[Problem(key="form", label="Form", message="Missing.")])
    item.verdict.due = {}  # no dates worked out: the wording still reads
    out = one(item, profile)
    text, html = parts(out)
    assert "FT-2026-00001" in out.subject
    if outcome in ("not_referral", "unreadable"):
        assert out.to == (profile.team_inbox,)
    else:  # outside mail says who we are and how to call
        assert profile.phone in text and profile.phone in html
        assert profile.contact_email in text and profile.contact_email in html


@pytest.mark.parametrize(
    "value, expected",
    [
        ("sw@example.org", "sw@example.org"),
        ("Sam Worker <Sam.Worker@Example.ORG>", "Sam.Worker@example.org"),
        ("mailto:sw@example.org", "sw@example.org"),
        ("  sw@example.org  ", "sw@example.org"),
        ("sw@example.org, other@example.org", None),
        ("sw@example.org\nBcc: x@example.org", None),
        ("sw@localhost", None),
        ("sam worker@example.org", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_address(value, expected):
    assert clean_address(value) == expected


def test_an_unreadable_protected_answer_is_not_quoted_back(make_item, profile):
    problems = [
        Problem(key="child.dob", label="Date of birth", message="'31/02/2019' is not a real date."),
        Problem(
            key="carer.postcode",
            label="Carer's postcode",
            message="'NN99 O'Brien' is not a UK postcode; please write it like NN1 1AA.",
        ),
        Problem(
            key="social_worker.email",
            label="Social worker's email",
            message="'sam.worker@' is not an email address; please write it like name@example.org.",
        ),
    ]
    values = form_values(**{"child.dob": None, "carer.postcode": None})
    text, html = parts(one(make_item("incomplete", values=values, problems=problems), profile))
    for body in (text, html):
        assert "31/02/2019" not in body and "O'Brien" not in body and "O&#39;Brien" not in body
        assert "sam.worker@" in body  # the social worker's own answer stays
    assert "Date of birth: The answer given is not a real date." in text
    assert "Carer's postcode: The answer given is not a UK postcode" in text


def test_a_service_can_override_wording_without_code(make_item, profile, tmp_path, monkeypatch):
    import shutil

    from pipeline import paths

    root = tmp_path / "mail"
    shutil.copytree(paths.MAIL_TEMPLATES, root)
    own = root / profile.id
    own.mkdir(exist_ok=True)
    (own / "mail.toml").write_text(
        '[subjects]\naccepted = "Referral {{ reference }} is with us"\n', encoding="utf-8"
    )
    (own / "_signature.txt").write_text("From the Example Team\n", encoding="utf-8")
    monkeypatch.setattr(paths, "MAIL_TEMPLATES", root)
    out = one(make_item("accepted"), profile)
    assert out.subject == "Referral FT-2026-00001 is with us"
    text, html = parts(out)
    assert "From the Example Team" in text
    assert "incomplete" in messages_for(make_item("incomplete"), profile, None)[0].key  # rest kept
