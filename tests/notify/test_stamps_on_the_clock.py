"""Every time the mail outbox shows people is on the pipeline's clock: when a message was
written and sent, and when the next try is (a demonstration's moved day included), while the
waiting between tries stays real time passing."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

import pipeline.clock
from pipeline.notify import MailOutbox, messages_for

from tests.helpers.notify_kit import Clock

NOW = dt.datetime(2027, 1, 15, 9, 30)  # the pipeline's now in these tests


@pytest.fixture
def pinned(monkeypatch):
    """The pipeline's day moved by FAMILY_TIME_TODAY, and its time of day pinned too."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", NOW.date().isoformat())
    monkeypatch.setattr(pipeline.clock, "now", lambda: NOW)


def _row(config, key):
    db = sqlite3.connect(config.state_dir / "mail-outbox.sqlite")
    db.row_factory = sqlite3.Row
    try:
        return db.execute("SELECT * FROM mail WHERE key = ?", (key,)).fetchone()
    finally:
        db.close()


def test_written_and_sent_are_stamped_on_the_pipelines_day(pinned, make_item, config, smtp_profile):
    box = MailOutbox(config, smtp_profile, clock=Clock(1_000_000_000.0))  # a 2001 machine
    [msg] = messages_for(make_item("accepted"), smtp_profile, None)
    assert box.deliver(msg) is True
    row = _row(config, msg.key)
    assert row["written_at"].startswith("2027-01-15T09:30")
    assert row["sent_at"].startswith("2027-01-15T09:30")


def test_the_next_try_is_shown_on_the_pipelines_clock(
    pinned, make_item, config, smtp_server, smtp_profile
):
    _, handler = smtp_server
    handler.mode = "451"
    machine = Clock(1_000_000_000.0)
    box = MailOutbox(config, smtp_profile, backoff_base=600.0, backoff_max=3600.0, clock=machine)
    [msg] = messages_for(make_item("accepted"), smtp_profile, None)
    assert box.deliver(msg) is False
    [pending] = box.pending_report()
    # ten minutes of real waiting from the pipeline's now, not a date on the machine's clock
    assert pending.next_attempt == NOW + dt.timedelta(minutes=10)
    assert "next try 15/01/2027 09:40" in pending.describe()
    # the waiting itself is real: a minute later on the machine it is not yet time
    machine.t += 60
    handler.mode = "ok"
    assert box.retry_due() == 0
    [pending] = box.pending_report()
    assert "next try 15/01/2027 09:39" in pending.describe()
    machine.t += 600
    assert box.retry_due() == 1


def test_a_machine_moment_is_shown_as_the_pipelines(monkeypatch):
    """clock.at: `status`'s next try for a waiting effect (its retry counted on the machine)."""
    monkeypatch.setattr(pipeline.clock, "now", lambda: NOW)
    monkeypatch.setattr(pipeline.clock.time, "time", lambda: 1_000_000_000.0)
    assert pipeline.clock.at(1_000_000_000.0 + 3600) == NOW + dt.timedelta(hours=1)
