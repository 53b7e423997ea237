"""Delivery through a real SMTP server on loopback: once, with retries, across restarts."""

from __future__ import annotations

import email
import email.policy
import os

import pytest

from pipeline import clock as pipeline_clock
from pipeline.notify import MailOutbox, messages_for
from pipeline.notify.message import eml_name, message_id

from tests.helpers.notify_kit import LEAKS, SW_EMAIL, free_port, with_smtp

TEAM = "familytime@nct.example.org"


def compose(item, profile):
    [msg] = messages_for(item, profile, None)
    return msg


def outbox(config, profile, clock, **kw):
    return MailOutbox(config, profile, backoff_base=10.0, backoff_max=80.0, clock=clock, **kw)


def emls(config):
    return sorted(p.name for p in config.mail_dir.glob("*.eml"))


def test_without_smtp_the_message_is_written_once_as_a_private_eml(
    make_item, profile, config, clock
):
    box = outbox(config, profile, clock)
    msg = compose(make_item("accepted"), profile)
    assert box.deliver(msg) is True
    assert box.deliver(compose(make_item("accepted"), profile)) is True  # composed again
    assert emls(config) == [eml_name(msg.key)]
    assert ":" not in eml_name(msg.key)  # Windows-safe
    path = config.mail_dir / eml_name(msg.key)
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "Family Time referral FT-2026-00001: received"
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0
    assert box.pending_report() == []


def test_no_child_name_or_address_in_any_accepted_eml(make_item, profile, config, clock):
    box = outbox(config, profile, clock)
    for n in range(1, 4):
        box.deliver(compose(make_item("accepted", item_id=n), profile))
    for path in config.mail_dir.glob("*.eml"):
        raw = path.read_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        decoded = "".join(
            part.get_content() for part in parsed.walk() if part.get_content_maintype() == "text"
        )
        for leak in LEAKS:
            assert leak not in decoded and leak.encode() not in raw


def test_sent_by_smtp_to_the_right_people(make_item, config, clock, smtp_server, smtp_profile):
    _, handler = smtp_server
    box = outbox(config, smtp_profile, clock)
    msg = compose(make_item("accepted"), smtp_profile)
    assert box.deliver(msg) is True
    assert len(handler.received) == 1
    mail_from, rcpt_to, content = handler.received[0]
    assert mail_from == smtp_profile.mail.from_address
    assert rcpt_to == [SW_EMAIL, TEAM]
    got = email.message_from_bytes(content, policy=email.policy.default)
    assert [a.addr_spec for a in got["To"].addresses] == [SW_EMAIL]
    assert [a.addr_spec for a in got["Cc"].addresses] == [TEAM]
    assert "FT-2026-00001" in got["Subject"]
    assert got["Auto-Submitted"] == "auto-replied"
    assert got["Message-ID"] == message_id(msg.key, smtp_profile.mail.from_address)
    assert "Wednesday 25 November 2026" in got.get_body(("plain",)).get_content()
    assert "Wednesday 25 November 2026" in got.get_body(("html",)).get_content()
    assert box.is_sent(msg.key) and box.pending_report() == []


def test_old_form_request_arrives_with_the_blank_form(
    make_item, config, clock, smtp_server, smtp_profile, blank_form
):
    _, handler = smtp_server
    box = outbox(config, smtp_profile, clock)
    assert box.deliver(compose(make_item("old_form"), smtp_profile)) is True
    got = email.message_from_bytes(handler.received[0][2], policy=email.policy.default)
    [attached] = list(got.iter_attachments())
    assert attached.get_filename() == "family-time-referral-2025.1.docx"
    assert attached.get_content() == blank_form.read_bytes()
    assert got.get_body(("plain",)) is not None and got.get_body(("html",)) is not None


def test_team_notice_reaches_only_the_team(make_item, config, clock, smtp_server, smtp_profile):
    _, handler = smtp_server
    box = outbox(config, smtp_profile, clock)
    assert box.deliver(compose(make_item("not_referral", reason="A letter."), smtp_profile))
    assert handler.received[0][1] == [TEAM]


@pytest.mark.parametrize("refusal", ["451", "550"])
def test_a_refused_message_is_retried_and_delivered_once(
    make_item, config, clock, smtp_server, smtp_profile, refusal
):
    _, handler = smtp_server
    handler.mode = refusal
    box = outbox(config, smtp_profile, clock)
    msg = compose(make_item("accepted"), smtp_profile)
    assert box.deliver(msg) is False
    [pending] = box.pending_report()
    assert pending.key == msg.key and pending.attempts == 1
    assert refusal in pending.last_error
    assert "refused" in pending.describe()

    handler.mode = "ok"
    assert box.deliver(msg) is False  # backoff: not yet time to try again
    assert handler.received == []
    clock.t += 10
    assert box.deliver(msg) is True
    assert len(handler.received) == 1
    assert box.deliver(msg) is True and len(handler.received) == 1
    assert box.pending_report() == []
    assert emls(config) == [eml_name(msg.key)]


def test_backoff_doubles_up_to_a_limit(make_item, config, clock, profile):
    dead = with_smtp(profile, free_port())  # nothing listens here
    box = outbox(config, dead, clock)
    msg = compose(make_item("accepted"), dead)
    gaps = []
    for _ in range(6):
        assert box.deliver(msg) is False
        [pending] = box.pending_report()
        # the next try is shown on the pipeline's clock: its now plus the real wait
        gaps.append(round((pending.next_attempt - pipeline_clock.now()).total_seconds()))
        clock.t += gaps[-1]
    assert [round(g) for g in gaps] == [10, 20, 40, 80, 80, 80]
    assert "Could not send" in pending.last_error


def test_a_server_that_hangs_up_is_survived_and_a_restart_delivers(
    make_item, profile, config, clock, smtp_server, hangup_port
):
    _, handler = smtp_server
    rude = with_smtp(profile, hangup_port)
    box = outbox(config, rude, clock)
    msg = compose(make_item("accepted"), rude)
    assert box.deliver(msg) is False
    [pending] = box.pending_report()
    assert "closed the connection" in pending.last_error

    # The service is restarted with the right server: a new outbox over the same folders.
    good = with_smtp(profile, smtp_server[0].port)
    clock.t += 10
    restarted = outbox(config, good, clock)
    assert [p.key for p in restarted.pending_report()] == [msg.key]
    assert restarted.retry_due() == 1
    assert len(handler.received) == 1
    assert restarted.pending_report() == []


def test_one_message_per_key_across_restarts(make_item, config, clock, smtp_server, smtp_profile):
    _, handler = smtp_server
    assert (
        outbox(config, smtp_profile, clock).deliver(compose(make_item("accepted"), smtp_profile))
        is True
    )
    clock.t += 3600  # later: the ledger asks again after a crash
    again = outbox(config, smtp_profile, clock)
    assert again.deliver(compose(make_item("accepted"), smtp_profile)) is True
    assert again.retry_due() == 0
    assert len(handler.received) == 1
    assert len(emls(config)) == 1


def test_a_missing_login_is_reported_not_raised(
    make_item, config, clock, smtp_server, profile, monkeypatch
):
    monkeypatch.delenv("FT_TEST_SMTP_USER", raising=False)
    needs_login = with_smtp(
        profile,
        smtp_server[0].port,
        username_env="FT_TEST_SMTP_USER",
        password_env="FT_TEST_SMTP_PASSWORD",
    )
    box = outbox(config, needs_login, clock)
    assert box.deliver(compose(make_item("accepted"), needs_login)) is False
    [pending] = box.pending_report()
    assert "FT_TEST_SMTP_USER" in pending.last_error
    assert smtp_server[1].received == []


def test_a_slow_server_times_out_without_blocking_for_long(make_item, config, clock, profile):
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts, never greets
    try:
        slow = with_smtp(profile, silent.getsockname()[1], timeout_seconds=0.3)
        box = outbox(config, slow, clock)
        started = time.monotonic()
        assert box.deliver(compose(make_item("accepted"), slow)) is False
        assert time.monotonic() - started < 5
        [pending] = box.pending_report()
        assert "0.3 seconds" in pending.last_error
    finally:
        silent.close()


def test_two_outboxes_at_once_send_a_message_only_once(
    make_item, config, clock, smtp_server, smtp_profile
):
    import threading

    _, handler = smtp_server
    handler.delay = 0.4  # the first sender is still talking to the server
    msg = compose(make_item("accepted"), smtp_profile)
    boxes = [outbox(config, smtp_profile, clock) for _ in range(2)]
    results: list[bool] = []
    threads = [threading.Thread(target=lambda b=b: results.append(b.deliver(msg))) for b in boxes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(handler.received) == 1
    assert sorted(results) == [False, True]  # the other one is told to come back later
    assert boxes[1].deliver(msg) is True and len(handler.received) == 1


def test_an_unwritable_mail_folder_is_a_false_not_a_crash(
    make_item, profile, config, clock, monkeypatch
):
    from pipeline.notify import outbox as outbox_module

    box = outbox(config, profile, clock)

    def disk_full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outbox_module, "write_private", disk_full)
    msg = compose(make_item("accepted"), profile)
    assert box.deliver(msg) is False
    monkeypatch.undo()
    assert box.deliver(msg) is True and len(emls(config)) == 1
