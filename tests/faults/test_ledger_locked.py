"""Another process holds the ledger (an exclusive SQLite transaction, as a backup tool or a
second copy of the pipeline might): intake waits, records nothing half-way, leaves the file in
the inbox, and records it exactly once when the lock goes."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from pipeline.effects import run_effects
from pipeline.intake.process import NotYet, process_file
from pipeline.intake.watcher import InboxWatcher
from pipeline.ledger import Ledger

from tests.helpers.faults_kit import assert_nothing_lost_nothing_doubled, drop_mixed, drop_referrals

LOCKER = r"""
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
c.execute("BEGIN EXCLUSIVE")
c.execute("UPDATE files SET size = size")       # hold a write lock, change nothing
print("locked", flush=True)
sys.stdin.readline()
c.execute("COMMIT")
print("released", flush=True)
"""


class LedgerLock:
    """A second process holding BEGIN EXCLUSIVE on the ledger until release()."""

    def __init__(self, path):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout.readline().strip() == "locked"
        self._released = False
        self._once = threading.Lock()

    def release(self):
        """Once, whoever calls first: a timer thread and the test's own `finally` may both."""
        with self._once:
            if self._released:
                return
            self._released = True
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            assert self.proc.stdout.readline().strip() == "released"
            self.proc.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


@pytest.fixture
def short_wait(monkeypatch):
    """A 0.3 s busy timeout instead of 30 s, so a long lock is seen quickly."""
    monkeypatch.setattr(Ledger, "BUSY_TIMEOUT_MS", 300)


def test_locked_longer_than_the_wait_leaves_the_file_for_later(work, short_wait):
    dropped = drop_referrals(work, 3) + drop_mixed(work)
    ledger = Ledger(work.config.ledger_path)
    with LedgerLock(work.config.ledger_path):
        for name in dropped:
            with pytest.raises(NotYet):
                process_file(work.inbox / name, work.config, work.profile, ledger)
        report = run_effects(ledger, work.config, work.profile)  # never raises
        assert report is not None
        assert sorted(p.name for p in work.inbox.iterdir()) == sorted(dropped)
    assert ledger.items() == [] and work.archived() == []
    for name in dropped:
        process_file(work.inbox / name, work.config, work.profile, ledger)
    run_effects(ledger, work.config, work.profile)
    ledger.close()
    assert_nothing_lost_nothing_doubled(work, dropped)


def test_a_short_lock_is_simply_waited_for(work):
    """Under the real 30 s busy timeout, a lock held for a second only delays the file."""
    dropped = drop_referrals(work, 1)
    lock = LedgerLock(work.config.ledger_path)
    try:
        import threading

        threading.Timer(1.0, lock.release).start()
        start = time.monotonic()
        items = process_file(work.inbox / dropped[0], work.config, work.profile, work.ledger)
        waited = time.monotonic() - start
    finally:
        lock.release()
    assert [i.outcome for i in items] == ["accepted"] and waited >= 0.9
    run_effects(work.ledger, work.config, work.profile)
    assert_nothing_lost_nothing_doubled(work, dropped)


def test_the_watcher_survives_a_locked_ledger(work, short_wait):
    dropped = drop_referrals(work, 3)
    ledger = Ledger(work.config.ledger_path)
    with LedgerLock(work.config.ledger_path):
        watcher = InboxWatcher(work.config, work.profile, ledger)
        watcher.run_once(timeout=10)
        assert sorted(p.name for p in work.inbox.iterdir()) == sorted(dropped)
    InboxWatcher(work.config, work.profile, ledger).run_once(timeout=20)
    ledger.close()
    assert_nothing_lost_nothing_doubled(work, dropped)
