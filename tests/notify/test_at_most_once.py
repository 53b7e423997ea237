"""At most once, and honest about it (issue 27): against a real SMTP server on loopback that
is slow, hangs up after taking the message, refuses recipients, or accepts. A message the
server took and never answered for is "delivery unknown": never sent again by itself, and
`status` asks the team to check it, quoting its Message-ID."""

from __future__ import annotations

import asyncio
import email
import email.policy

import pytest
from aiosmtpd.controller import Controller

from pipeline.commands.status import describe, gather
from pipeline.ledger import Ledger
from pipeline.ledger.names import MailHow
from pipeline.notify import MailOutbox, messages_for

from tests.helpers.notify_kit import SW_EMAIL, Handler, free_port, with_smtp

TEAM = "familytime@nct.example.org"


class Unreliable(Handler):
    """The shared test server, plus two ways real servers fail after the data: it keeps the
    message and hangs up without a word ("drop"), or answers too late ("slow")."""

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "drop":
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            server.transport.close()
            return None
        if self.mode == "slow":
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            await asyncio.sleep(self.delay)
            return "250 Message accepted for delivery"
        return await super().handle_DATA(server, session, envelope)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse_sw" and address == SW_EMAIL:
            return "550 5.1.1 Mailbox unavailable"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


@pytest.fixture
def server():
    handler = Unreliable()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-23")


def _setup(server, profile, config, clock, timeout=1.0):
    controller, handler = server
    smtp_profile = with_smtp(profile, controller.port, timeout_seconds=timeout)
    box = MailOutbox(config, smtp_profile, backoff_base=10.0, backoff_max=80.0, clock=clock)
    return handler, smtp_profile, box


@pytest.mark.parametrize("mode", ["slow", "drop"])
def test_a_message_the_server_took_without_answering_is_never_sent_twice(
    mode, server, make_item, profile, config, clock, today
):
    handler, smtp_profile, box = _setup(server, profile, config, clock)
    handler.mode, handler.delay = mode, 3.0
    [msg] = messages_for(make_item("accepted"), smtp_profile, config)
    assert box.deliver(msg) is True  # nothing more the pipeline may do by itself
    assert box.how(msg.key) == MailHow.UNKNOWN
    handler.mode = "ok"  # the server is well again: still not sent again
    clock.t += 10_000
    assert box.deliver(msg) is True
    assert box.retry_due() == 0
    assert len(handler.received) == 1
    [unknown] = box.unknown()
    assert unknown["message_id"] == msg.message_id
    assert box.pending_report() == []  # not "waiting for the mail server" either


def test_status_asks_the_team_to_check_with_the_message_id(
    server, make_item, profile, config, clock, today
):
    handler, smtp_profile, box = _setup(server, profile, config, clock)
    handler.mode = "drop"
    [msg] = messages_for(make_item("accepted"), smtp_profile, config)
    box.deliver(msg)
    ledger = Ledger(config.ledger_path)
    text = "\n".join(describe(gather(ledger, config, smtp_profile)))
    assert "delivery unknown" in text
    assert msg.message_id in text
    assert "FT-2026-00001" in text


def test_the_message_id_is_recorded_before_the_send(
    server, make_item, profile, config, clock, today
):
    handler, smtp_profile, box = _setup(server, profile, config, clock)
    handler.mode = "451"  # refused after the data: never taken, so tried again
    [msg] = messages_for(make_item("accepted"), smtp_profile, config)
    assert box.deliver(msg) is False
    assert box.message_id_of(msg.key) == msg.message_id
    assert box.key_of_message_id(msg.message_id) == msg.key
    assert box.how(msg.key) is None and box.unknown() == []
    handler.mode = "ok"
    clock.t += 100
    assert box.retry_due() == 1
    assert len(handler.received) == 1
    got = email.message_from_bytes(handler.received[0][2], policy=email.policy.default)
    assert got["Message-ID"] == msg.message_id


def test_refused_recipients_are_a_failure_or_a_note_never_a_guess(
    server, make_item, profile, config, clock, today
):
    handler, smtp_profile, box = _setup(server, profile, config, clock)
    handler.mode = "550"  # every recipient refused: nothing was taken, tried again later
    [msg] = messages_for(make_item("accepted"), smtp_profile, config)
    assert box.deliver(msg) is False
    [pending] = box.pending_report()
    assert "refused every recipient" in pending.last_error
    assert handler.received == []
    handler.mode = "refuse_sw"  # the team's copy taken, the social worker's refused
    clock.t += 100
    assert box.retry_due() == 1
    assert box.how(msg.key) == MailHow.SENT
    assert handler.received[0][1] == [TEAM]


def test_accepted_once_and_never_again(server, make_item, profile, config, clock, today):
    handler, smtp_profile, box = _setup(server, profile, config, clock)
    [msg] = messages_for(make_item("accepted"), smtp_profile, config)
    assert box.deliver(msg) is True
    assert box.deliver(msg) is True
    clock.t += 10_000
    assert box.retry_due() == 0
    assert len(handler.received) == 1
    assert box.how(msg.key) == MailHow.SENT


def test_the_digest_names_what_the_mail_server_refused(
    server, make_item, profile, config, clock, today
):
    from pipeline.notify import followup

    handler, smtp_profile, box = _setup(server, profile, config, clock)
    handler.mode = "550"
    [msg] = messages_for(make_item("accepted"), smtp_profile, config)
    box.deliver(msg)
    lines = followup.lines(Ledger(config.ledger_path), config, smtp_profile, digest=True)
    assert any(
        "FT-2026-00001: the acknowledgement has not been sent after 1 attempt(s)" in line
        and "refused every recipient (code 550)" in line
        for line in lines
    )
