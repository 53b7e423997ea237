"""Owed side effects: run after the commit, one tracker sync per batch, retried until done,
and visible in `status` while they wait."""

from __future__ import annotations

import datetime as dt
import time
import types

from pipeline import clock
from pipeline.commands.status import describe, gather
from pipeline.effects import run_effects
from pipeline.intake.process import process_file
from pipeline.models import Allocation

from tests.helpers.intake_kit import with_review_on
from tests.helpers.mailbox import referral_mail
from tests.helpers.paths import FIXTURES


def _three(work):
    """Three forms as they arrive, the referrals' next review dates in the future."""
    review = clock.today() + dt.timedelta(days=70)
    for fixture in (
        "forms/referral-complete.docx",
        "forms/referral-incomplete.docx",
        "forms/old-2022-referral.docx",
    ):
        dropped = work.drop(fixture)
        with_review_on(FIXTURES / fixture, dropped, review)
        process_file(dropped, work.config, work.profile, work.ledger)


def test_the_tracker_is_synced_once_per_batch(work, monkeypatch):
    import pipeline.tracker as tracker

    calls = []
    real = tracker.sync

    def counting(items, *a, **k):
        calls.append(len(items))
        return real(items, *a, **k)

    monkeypatch.setattr(tracker, "sync", counting)
    _three(work)
    run_effects(work.ledger, work.config, work.profile)
    assert calls == [3]
    run_effects(work.ledger, work.config, work.profile)
    assert calls == [3]  # nothing owed: no second write
    assert list(work.config.tracker_dir.glob("*.xlsx"))


def test_rows_wait_while_the_workbook_is_open_and_status_says_so(work, monkeypatch):
    import pipeline.tracker as tracker
    from pipeline.tracker import SyncReport

    real = tracker.sync
    monkeypatch.setattr(tracker, "sync", lambda *a, **k: SyncReport(waiting=True))
    _three(work)
    run_effects(work.ledger, work.config, work.profile)
    facts = gather(work.ledger)
    assert facts["workbook_open"] == 3
    assert any("workbook is open" in line for line in describe(facts))
    monkeypatch.setattr(tracker, "sync", real)
    run_effects(work.ledger, work.config, work.profile, now=time.time() + 60)
    assert gather(work.ledger)["workbook_open"] == 0
    assert work.ledger.pending_effects(effect="tracker") == []


def test_mail_the_service_must_set_up_waits_and_status_says_why(work, monkeypatch):
    import pipeline.notify as notify

    def not_ready(*a, **k):
        raise notify.MailNotReady("The team's mailbox is not set in the profile.")

    monkeypatch.setattr(notify, "messages_for", not_ready)
    _three(work)
    run_effects(work.ledger, work.config, work.profile)
    waiting = {w["effect"]: w for w in gather(work.ledger)["waiting"]}
    assert waiting["mail"]["count"] == 3
    assert "mailbox is not set" in waiting["mail"]["why"]
    assert work.ledger.oldest_unacknowledged() is not None
    assert not referral_mail(work.config.mail_dir)


def test_a_failed_email_is_retried_later_and_sent_once(work, monkeypatch):
    import pipeline.notify as notify

    real = notify.messages_for

    def down(*a, **k):
        raise ConnectionError("mail server unreachable")

    monkeypatch.setattr(notify, "messages_for", down)
    process_file(work.drop("forms/referral-complete.docx"), work.config, work.profile, work.ledger)
    run_effects(work.ledger, work.config, work.profile)
    assert [e.status for e in work.ledger.pending_effects(effect="mail")] == ["failed"]
    monkeypatch.setattr(notify, "messages_for", real)
    run_effects(work.ledger, work.config, work.profile)  # not due yet: backoff
    assert not referral_mail(work.config.mail_dir)
    later = time.time() + 3600
    run_effects(work.ledger, work.config, work.profile, now=later)
    run_effects(work.ledger, work.config, work.profile, now=later)
    assert len(referral_mail(work.config.mail_dir)) == 1
    assert work.ledger.oldest_unacknowledged() is None


def test_paperwork_is_made_once_when_the_row_is_allocated(work, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-04-01")  # the first session is to come
    made = []
    allocated = {"on": False}
    items = process_file(
        work.drop("forms/referral-complete.docx"), work.config, work.profile, work.ledger
    )
    ref = items[0].reference
    fake_render = types.SimpleNamespace(
        render_pack=lambda item, alloc, profile, out: made.append((item.reference, out)) or []
    )
    fake_tracker = types.SimpleNamespace(
        read_allocations=lambda c, p: (
            [
                Allocation(
                    reference=ref,
                    status="Allocated",
                    supervisor="S",
                    venue=work.profile.venues[0].name,
                    day="Tuesday",
                    time="10:00-11:00",
                    first_date=dt.date(2026, 4, 7),
                )
            ]
            if allocated["on"]
            else []
        ),
        sync=lambda *a, **k: types.SimpleNamespace(waiting=False, problems=[]),
    )
    import pipeline.render
    import pipeline.tracker

    monkeypatch.setattr(pipeline.render, "render_pack", fake_render.render_pack)
    monkeypatch.setattr(pipeline.tracker, "read_allocations", fake_tracker.read_allocations)
    monkeypatch.setattr(pipeline.tracker, "sync", fake_tracker.sync)
    import pipeline.effects.paperwork  # S is on the Staff sheet, with an address

    monkeypatch.setattr(
        pipeline.effects.paperwork,
        "read_staff",
        lambda c, p: [{"name": "S", "email": "s@nct.example.org"}],
    )
    run_effects(work.ledger, work.config, work.profile)
    assert made == []
    waiting = {w["effect"]: w for w in gather(work.ledger)["waiting"]}
    assert "allocate" in waiting["paperwork"]["why"]
    allocated["on"] = True
    synced = []
    monkeypatch.setattr(
        pipeline.tracker,
        "sync",
        lambda *a, **k: synced.append(k.get("paperwork")) or fake_tracker.sync(),
    )
    run_effects(work.ledger, work.config, work.profile, now=time.time() + 600)
    # the tracker was written again in the same pass, so the Paperwork cell shows the pack
    assert synced and ref in (synced[-1] or {})
    assert work.ledger.pending_effects() == []
    run_effects(work.ledger, work.config, work.profile, now=time.time() + 1200)
    assert made == [(ref, work.config.outbox_dir / ref)]
    assert work.ledger.pending_effects() == []
