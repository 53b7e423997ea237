"""Session emails delivered to a real SMTP server on loopback: reference and date only."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from pipeline.profile import Smtp

from tests.helpers.sessions_kit import decide

REF = "FT-2026-00001"
SW = "sam.fictional-worker@example.gov.uk"
NAMES = ["Test Child", "Sample-Parent", "Example-Supervisor", "Imaginary Close", "TC "]


class Handler:
    def __init__(self):
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=5)
    controller.start()
    yield port, handler
    controller.stop()


@pytest.fixture
def mailing(referred, smtp):
    port, handler = smtp
    p = referred.profile
    referred.profile = p.model_copy(
        update={
            "mail": p.mail.model_copy(
                update={
                    "smtp": Smtp(host="127.0.0.1", port=port, starttls=False, timeout_seconds=2.0)
                }
            )
        }
    )
    handler.received.clear()  # the referral's acknowledgement went before SMTP was on
    return referred, handler


def _messages(handler):
    return [
        (rcpt, email.message_from_bytes(data, policy=email.policy.default))
        for rcpt, data in handler.received
    ]


def test_a_significant_event_is_mailed_to_the_social_worker_at_once(mailing):
    s, handler = mailing
    [item], report = s.record("2026-11-16-significant-event")
    assert report.done.get("significant_event") == 1
    [(rcpt, msg)] = _messages(handler)
    assert SW in rcpt and s.profile.team_inbox in rcpt
    assert msg["To"] == SW
    assert msg["Subject"] == (
        f"Family Time {REF}: significant event recorded at the session on 16/11/2026"
    )
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert REF in text and "Monday 16 November 2026" in text
    for name in NAMES:
        assert name not in msg["Subject"] and name not in text and name not in html
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "2026-11-16-significant-event.docx"
    assert attachment.get_content()[:2] == b"PK"
    # a later pass does not send it again
    from pipeline.effects import run_effects

    run_effects(s.ledger, s.config, s.profile)
    assert len(handler.received) == 1


def test_no_mail_for_a_record_without_a_significant_event(mailing):
    s, handler = mailing
    s.record("2026-11-02-took-place-late-written")
    assert handler.received == []


def test_the_suspension_notice_goes_by_smtp_with_the_letters(mailing):
    s, handler = mailing
    s.record("2026-11-02-took-place-late-written")
    s.record("2026-11-04-did-not-attend")
    s.record("2026-11-09-late-cancelled", dt.datetime(2026, 11, 10, 18))
    assert _messages(handler) == []  # a proposal: nobody is written to yet
    decide(s, on=dt.datetime(2026, 11, 10))
    [(rcpt, msg)] = _messages(handler)
    assert SW in rcpt
    assert (
        msg["Subject"].strip()
        == f"Family Time {REF}: suspended until 17/11/2026 after missed sessions"
    )
    names = sorted(a.get_filename() for a in msg.iter_attachments())
    assert "Suspension letter to parent 1 2026-11-11.docx" in names
    assert "FT-2026-00001 Family Time Agreement re-signed 2026-11-17.docx" in names
    text = msg.get_body(("plain",)).get_content()
    for name in NAMES:
        assert name not in msg["Subject"] and name not in text


def test_a_record_sent_to_attention_tells_the_team_only(referred):
    from pipeline.notify import messages_for

    [item], _ = referred.record("unknown-reference", dt.datetime(2026, 11, 3, 9))
    [msg] = messages_for(item, referred.profile, referred.config)
    assert msg.kind == "attention" and msg.to == (referred.profile.team_inbox,) and not msg.cc
    assert "a session record that could not be added to a referral" in msg.subject
    assert [p for p in referred.mail() if "attention" in p.name]
