"""The disk fills up while originals are being archived (and while mail is written): nothing
is lost, the files wait in the inbox, and once there is room every one is finished once."""

from __future__ import annotations

import errno

from pipeline.effects import run_effects
from pipeline.intake import archive
from pipeline.intake.process import NotYet, process_file, recover
from pipeline.intake.watcher import InboxWatcher

from tests.helpers.faults_kit import assert_nothing_lost_nothing_doubled, drop_mixed, drop_referrals
from tests.helpers.mailbox import referral_mail


def _full(*a, **k):
    raise OSError(errno.ENOSPC, "No space left on device")


def _disk_full_for_archive(monkeypatch):
    """Every way archive.py puts bytes on disk fails with ENOSPC (the ledger's disk is fine)."""
    monkeypatch.setattr(archive, "write_private", _full)
    monkeypatch.setattr(archive.os, "replace", _full)
    monkeypatch.setattr(archive.shutil, "move", _full)
    monkeypatch.setattr(archive.shutil, "copy2", _full)


def test_disk_full_while_archiving_then_freed(work, monkeypatch):
    dropped = drop_referrals(work, 5) + drop_mixed(work)
    with monkeypatch.context() as m:
        _disk_full_for_archive(m)
        for name in sorted(dropped):
            process_file(work.inbox / name, work.config, work.profile, work.ledger)
        # recorded, but every original is still in the inbox, none half-moved
        assert sorted(p.name for p in work.inbox.iterdir()) == sorted(dropped)
        assert len(work.ledger.unarchived()) == len(dropped)
        assert work.archived() == []
        assert recover(work.ledger, work.config) == 0  # still full: still owed
    # room again: a restart (or the next look) finishes every move, processing nothing twice
    items_before = [i.id for i in work.ledger.items()]
    assert recover(work.ledger, work.config) == len(dropped)
    assert [i.id for i in work.ledger.items()] == items_before
    run_effects(work.ledger, work.config, work.profile)
    assert_nothing_lost_nothing_doubled(work, dropped)


def test_the_watcher_rides_out_a_full_disk(work, monkeypatch):
    dropped = drop_referrals(work, 4)
    with monkeypatch.context() as m:
        _disk_full_for_archive(m)
        watcher = InboxWatcher(work.config, work.profile, work.ledger)
        watcher.run_once(timeout=20)
        assert sorted(p.name for p in work.inbox.iterdir()) == sorted(dropped)
    watcher = InboxWatcher(work.config, work.profile, work.ledger)
    watcher.run_once(timeout=20)  # the next start finishes the moves
    assert sorted(p.name for p in work.inbox.iterdir()) == []
    # mail and tracker writes failed too (the same full disk): they are retried after backoff
    run_effects(work.ledger, work.config, work.profile, now=_later())
    assert_nothing_lost_nothing_doubled(work, dropped)


def test_disk_full_while_writing_mail_then_freed(work, monkeypatch):
    from pipeline.notify import outbox

    dropped = drop_referrals(work, 3)
    for name in dropped:
        process_file(work.inbox / name, work.config, work.profile, work.ledger)
    with monkeypatch.context() as m:
        m.setattr(outbox, "write_private", _full)
        run_effects(work.ledger, work.config, work.profile)
        assert referral_mail(work.config.mail_dir) == []
        assert len(work.ledger.pending_effects(effect="mail")) == 3
    run_effects(work.ledger, work.config, work.profile, now=_later())
    run_effects(work.ledger, work.config, work.profile, now=_later())  # nothing doubled
    assert_nothing_lost_nothing_doubled(work, dropped)


def _later() -> float:
    import time

    return time.time() + 24 * 3600


def test_disk_full_under_the_ledger_leaves_files_for_later(work):
    """SQLite's own "database or disk is full" (its size capped at what it is now, so it fills
    up part-way through the batch): nothing is half-recorded, the files it could not record
    wait in the inbox, and are recorded once when there is room."""
    dropped = drop_referrals(work, 8) + drop_mixed(work)
    conn = work.ledger._conn()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    refused = []
    for name in dropped:
        try:
            process_file(work.inbox / name, work.config, work.profile, work.ledger)
        except NotYet:
            refused.append(name)
    assert refused, "the ledger never filled up"
    assert sorted(p.name for p in work.inbox.iterdir()) == sorted(refused)
    recorded = {i.original_name for i in work.ledger.items()}
    assert recorded.isdisjoint(refused) and len(recorded) == len(dropped) - len(refused)
    conn.execute("PRAGMA max_page_count = 1073741823")
    for name in refused:
        process_file(work.inbox / name, work.config, work.profile, work.ledger)
    run_effects(work.ledger, work.config, work.profile)
    assert_nothing_lost_nothing_doubled(work, dropped)
