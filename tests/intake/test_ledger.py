"""The ledger: references, re-submissions, duplicates, owed effects."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from pipeline.ledger import ItemDraft, Ledger

WHEN = dt.datetime(2026, 3, 2, 10, 0)


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(tmp_path / "state" / "ledger.sqlite")
    yield led
    led.close()


def record(ledger, tmp_path, name, outcome, case=None, sha=None, effects=("tracker", "mail")):
    rec, items = ledger.record_file(
        sha256=sha or name,
        original_name=name,
        size=1,
        received_at=WHEN,
        source_path=tmp_path / name,
        archive_root=tmp_path / "archive",
        drafts=[
            ItemDraft(
                original_name=name,
                outcome=outcome,
                reason=outcome,
                case_id=case,
                effects=list(effects),
            )
        ],
    )
    return items[0]


def test_referrals_get_sequential_references_per_year(ledger, tmp_path):
    a = record(ledger, tmp_path, "a.docx", "accepted", "C1")
    b = record(ledger, tmp_path, "b.docx", "incomplete", "C2")
    c = record(ledger, tmp_path, "c.docx", "not_referral")
    assert (a.reference, b.reference, c.reference) == ("FT-2026-00001", "FT-2026-00002", None)


def test_a_resubmission_keeps_the_reference_and_links_to_the_earlier_item(ledger, tmp_path):
    first = record(ledger, tmp_path, "a.docx", "old_form", "AB 123")
    second = record(ledger, tmp_path, "b.docx", "incomplete", "ab123")
    third = record(ledger, tmp_path, "c.docx", "accepted", "AB123")
    assert first.reference == second.reference == third.reference == "FT-2026-00001"
    assert (second.linked_to, third.linked_to) == (first.id, second.id)
    assert ledger.item_by_reference("FT-2026-00001").id == third.id
    # a new referral for the same child after acceptance is a new referral
    fourth = record(ledger, tmp_path, "d.docx", "incomplete", "AB123")
    assert fourth.reference == "FT-2026-00002" and fourth.linked_to is None


def test_references_are_never_reused_after_a_rolled_back_transaction(ledger, tmp_path):
    record(ledger, tmp_path, "a.docx", "accepted", "C1")
    with pytest.raises(ValueError):
        ledger.record_file(
            sha256="x",
            original_name="x",
            size=1,
            received_at=WHEN,
            source_path=tmp_path / "x",
            archive_root=tmp_path,
            drafts=[],
        )
    assert record(ledger, tmp_path, "b.docx", "accepted", "C2").reference == "FT-2026-00002"


def test_the_archive_place_is_chosen_without_collisions(ledger, tmp_path):
    r1, _ = ledger.record_file(
        sha256="1",
        original_name="f.docx",
        size=1,
        received_at=WHEN,
        source_path=tmp_path / "f.docx",
        archive_root=tmp_path / "ar",
        drafts=[ItemDraft("f.docx", "accepted", "ok")],
    )
    r2, _ = ledger.record_file(
        sha256="2",
        original_name="f.docx",
        size=1,
        received_at=WHEN,
        source_path=tmp_path / "f.docx",
        archive_root=tmp_path / "ar",
        drafts=[ItemDraft("f.docx", "accepted", "ok")],
    )
    assert r1.archive_path != r2.archive_path
    assert r2.archive_path.endswith("f (2).docx")


def test_effects_are_owed_until_done_and_retried_with_backoff(ledger, tmp_path):
    item = record(ledger, tmp_path, "a.docx", "accepted", "C1")
    import time

    now = time.time()
    assert {e.effect for e in ledger.pending_effects(now)} == {"tracker", "mail"}
    ledger.mark_effect(item.id, "mail", "failed", "server down")
    assert [e.effect for e in ledger.pending_effects(now + 1)] == ["tracker"]
    assert {e.effect for e in ledger.pending_effects(now + 3600)} == {"tracker", "mail"}
    assert ledger.oldest_unacknowledged().id == item.id
    ledger.mark_effect(item.id, "mail", "done")
    assert ledger.oldest_unacknowledged() is None
    assert ledger.counts() == {"accepted": 1}


def test_the_ledger_file_is_private(ledger):
    if os.name != "posix":
        pytest.skip("permissions are POSIX")
    assert ledger.path.stat().st_mode & 0o077 == 0


def test_an_old_session_record_gets_no_referral_reference(ledger, tmp_path):
    from pipeline.models import Verdict

    rec, items = ledger.record_file(
        sha256="s",
        original_name="r.docx",
        size=1,
        received_at=WHEN,
        source_path=tmp_path / "r.docx",
        archive_root=tmp_path / "archive",
        drafts=[
            ItemDraft(
                "r.docx",
                "old_form",
                "old record",
                verdict=Verdict(verdict="old", kind="session_record"),
            )
        ],
    )
    assert items[0].reference is None
