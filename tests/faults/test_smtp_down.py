"""The mail server is down (connection refused), then comes back: every message is kept as an
.eml meanwhile, and once the server is up each goes out exactly once."""

from __future__ import annotations

import functools
import time

import pytest
from aiosmtpd.controller import Controller

import pipeline.notify as notify
from pipeline.effects import run_effects
from pipeline.intake.process import process_file

from tests.helpers.faults_kit import (
    assert_nothing_lost_nothing_doubled,
    drop_mixed,
    drop_referrals,
    recount,
)
from tests.helpers.notify_kit import Handler as SmtpHandler
from tests.helpers.notify_kit import free_port, with_smtp


@pytest.fixture
def no_backoff(monkeypatch):
    """Time passes between tries: the outbox's own 60 s backoff is not waited out here."""
    monkeypatch.setattr(
        notify, "MailOutbox", functools.partial(notify.MailOutbox, backoff_base=0.0)
    )


def _later() -> float:
    return time.time() + 24 * 3600


def test_smtp_down_then_up_sends_each_message_once(work, no_backoff):
    port = free_port()  # nothing listens here: connection refused
    profile = with_smtp(work.profile, port, timeout_seconds=1.0)
    dropped = drop_referrals(work, 3) + drop_mixed(work)
    for name in dropped:
        process_file(work.inbox / name, work.config, profile, work.ledger)
    run_effects(work.ledger, work.config, profile)
    r = recount(work)
    assert len(r.emails) == len(dropped)  # kept as .eml while the server is down
    assert len(work.ledger.pending_effects(effect="mail")) == len(dropped)
    run_effects(work.ledger, work.config, profile, now=_later())  # still down: still owed
    assert len(work.ledger.pending_effects(effect="mail")) == len(dropped)

    handler = SmtpHandler()
    server = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=5)
    server.start()
    try:
        run_effects(work.ledger, work.config, profile, now=_later())
        run_effects(work.ledger, work.config, profile, now=_later())  # a second pass sends nothing
    finally:
        server.stop()
    assert work.ledger.pending_effects(effect="mail") == []
    assert_nothing_lost_nothing_doubled(work, dropped, smtp_received=handler.received)


def test_smtp_refusing_for_a_while_then_accepting(work, no_backoff):
    """A server that answers "451 try again later", then accepts."""
    handler = SmtpHandler()
    server = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    server.start()
    try:
        profile = with_smtp(work.profile, server.port, timeout_seconds=2.0)
        dropped = drop_referrals(work, 2)
        for name in dropped:
            process_file(work.inbox / name, work.config, profile, work.ledger)
        handler.mode = "451"
        run_effects(work.ledger, work.config, profile)
        assert handler.received == []
        handler.mode = "ok"
        run_effects(work.ledger, work.config, profile, now=_later())
        run_effects(work.ledger, work.config, profile, now=_later())
    finally:
        server.stop()
    assert_nothing_lost_nothing_doubled(work, dropped, smtp_received=handler.received)
