"""No protected answer ever reaches a subject or a body, in any message kind, wherever the
value stands in a message; each message says its label once; every message carries the
headers that stop reply loops (issue 17)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest

from pipeline import paths
from pipeline.models import Problem, RuleAction, SessionRecord
from pipeline.notify import messages_for, rule_notice_message, significant_event_message
from pipeline.notify.compose import KIND_BY_OUTCOME
from pipeline.notify.templates import templates_for

from tests.helpers.notify_kit import form_values

DOB = dt.date(1999, 7, 13)


def protected_values() -> dict:
    """Every never_in_mail field (form_templates/mail/mail.toml) with a recognisable value."""
    keys = templates_for("northamptonshire", paths.MAIL_TEMPLATES).never_in_mail
    out = {}
    for n, pattern in enumerate(keys):
        key = pattern.replace("family*", "family[2]")
        if key.endswith((".dob", ".edd")):
            out[key] = DOB
        elif key == "carer.email":
            out[key] = "quillon.carer@private-home.example"
        else:
            out[key] = f"Xyzzq{chr(65 + n)}word"
    return out


def leaks(values: dict) -> list[str]:
    found = []
    for v in values.values():
        if isinstance(v, dt.date):
            found += [v.strftime("%d/%m/%Y"), v.isoformat(), "13 July 1999"]
        else:
            found.append(v)
    return found


def _problems(values: dict, unquoted: bool) -> list[Problem]:
    """Messages quoting each value (mid-sentence too); `unquoted`: also naming it bare, which
    can only be caught when the value was read (so is known to be protected)."""
    out = []
    for key, value in values.items():
        shown = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value
        out += [
            Problem(key=key, label=key, message=f"{key}: '{shown}' should be numbers only."),
            *(
                [Problem(key=key, label=key, message=f"Answer for {key}: we read {shown} here.")]
                if unquoted
                else []
            ),
            # an answer run into another (a flattened PDF): the social worker's box
            Problem(
                key="social_worker.email",
                label="Social worker's email",
                message=f"'sam@example.gov.uk {shown}' is not a single email address.",
            ),
        ]
    return out


def bodies(out) -> list[str]:
    msg = email.message_from_bytes(out.message.as_bytes(), policy=email.policy.default)
    return [
        str(msg["Subject"]),
        msg.get_body(("plain",)).get_content(),
        msg.get_body(("html",)).get_content(),
    ]


def all_messages(make_item, profile, values_known: bool):
    secret = protected_values()
    values = form_values(**secret) if values_known else form_values(**{k: None for k in secret})
    reason = "Answers ran together: '" + " ".join(str(v) for v in secret.values()) + "'."
    if values_known:
        reason += " " + " ".join(str(v) for v in secret.values() if not isinstance(v, dt.date))
    out = []
    for outcome in KIND_BY_OUTCOME:
        item = make_item(
            outcome,
            values=values,
            problems=_problems(secret, values_known),
            warnings=_problems(secret, values_known),
            reason=reason,
        )
        out += messages_for(item, profile, None)
    referral = make_item("accepted", values=values)
    record = SessionRecord(
        item_id=9,
        reference="FT-2026-00001",
        date=dt.date(2026, 12, 1),
        outcome="Took place",
        reason=reason,
        significant_event=True,
    )
    out.append(significant_event_message(record, referral, profile))
    for kind in ("suspension", "legal_advice"):
        action = RuleAction(
            reference="FT-2026-00001",
            kind=kind,
            session_dates=[dt.date(2026, 12, 1), dt.date(2026, 12, 8)],
            suspended_from=dt.date(2026, 12, 9),
            suspended_until=dt.date(2027, 1, 6),
        )
        out.append(rule_notice_message(action, referral, profile))
    return secret, out


@pytest.mark.parametrize("values_known", [True, False], ids=["read", "unreadable"])
def test_no_protected_value_in_any_subject_or_body_of_any_message(make_item, profile, values_known):
    secret, messages = all_messages(make_item, profile, values_known)
    kinds = {m.kind for m in messages}
    assert kinds >= {
        "accepted",
        "incomplete",
        "old_form",
        "attention",
        "significant_event",
        "suspension",
        "legal_advice",
    }
    for m in messages:
        for part in bodies(m):
            for value in leaks(secret):
                assert value.lower() not in part.lower(), (m.kind, value)


def test_an_invalid_carefirst_id_is_not_quoted_back(make_item, profile):
    problem = Problem(
        key="child.case_id",
        label="CareFirst ID",
        message="CareFirst ID: 'CF-1234567' should be numbers only "
        "(the number from the case record).",
    )
    [out] = messages_for(make_item("incomplete", problems=[problem]), profile, None)
    text = bodies(out)[1]
    assert "CF-1234567" not in text
    assert "CareFirst ID: The answer given should be numbers only" in text


def test_each_message_says_its_label_once(make_item, profile):
    problem = Problem(
        key="referral.date", label="Date of referral", message="Date of referral: this is required"
    )
    [out] = messages_for(make_item("incomplete", problems=[problem]), profile, None)
    assert "Date of referral: This is required" in bodies(out)[1]
    assert "Date of referral: Date of referral" not in bodies(out)[1]
    [note] = messages_for(
        make_item("not_referral", reason="Not a referral: a letter."), profile, None
    )
    for part in bodies(note)[1:]:
        assert "not a referral: Not a referral" not in part
        assert "not a referral: A letter." in part


def test_every_message_kind_carries_the_loop_stopping_headers(make_item, profile):
    _, messages = all_messages(make_item, profile, True)
    for m in messages:
        h = m.message
        assert h["Auto-Submitted"] in ("auto-replied", "auto-generated"), m.kind
        assert h["X-Auto-Response-Suppress"] == "All", m.kind
        assert h["X-Family-Time-Key"] == m.key and h["Message-ID"], m.kind
        assert h["Reply-To"].addresses[0].addr_spec == "familytime@nct.example.org", m.kind
    expected = {
        "significant_event": "auto-generated",
        "suspension": "auto-generated",
        "legal_advice": "auto-generated",
        "accepted": "auto-replied",
        "incomplete": "auto-replied",
        "old_form": "auto-replied",
        "attention": "auto-replied",
    }
    assert {m.kind: m.message["Auto-Submitted"] for m in messages} == expected
