"""`family-time process` and `watch` never handle the inbox side by side (issue 24): run
beside a watcher, `process` once recorded a phantom duplicate whose archive path does not
exist. Now `process` refuses plainly while a watcher runs (they share its lock), a watcher is
refused while `process` runs, and a file another run recorded and moved meanwhile is that
run's, never a duplicate of itself."""

from __future__ import annotations

import os

from pipeline.cli import main
from pipeline.intake import process as proc
from pipeline.ledger import Ledger
from pipeline.server.watch_lock import WatchLock


def test_process_is_refused_plainly_while_the_watcher_runs(work, capsys, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    path = work.drop("forms/referral-complete.docx")
    with WatchLock(work.config.state_dir):  # as `watch` holds it
        assert main(["process", str(path), "--config", str(work.config_path)]) == 2
    err = capsys.readouterr().err
    assert "`family-time watch` is running for this working folder" in err
    assert f"process {os.getpid()}" in err and "nothing was processed" in err
    assert path.exists() and work.ledger.items() == []  # left for the watcher

    assert main(["process", str(path), "--config", str(work.config_path)]) == 0  # lock free
    [item] = work.ledger.items()
    assert item.outcome == "accepted" and not path.exists()


def test_the_watcher_is_refused_while_process_runs(work, capsys):
    with WatchLock(work.config.state_dir, command="process"):
        assert main(["watch", "--once", "--config", str(work.config_path)]) == 2
    err = capsys.readouterr().err
    assert "`family-time process` is handling files for this working folder" in err


def test_a_file_another_run_recorded_and_moved_meanwhile_is_not_a_duplicate(work, monkeypatch):
    """The other run (a watcher started by hand without the lock, an older version) records
    and archives the file while this one is reading it."""
    path = work.drop("forms/referral-complete.docx")
    read = proc._read_and_validate

    def read_while_another_run_takes_it(*args, **kwargs):
        drafts = read(*args, **kwargs)
        other = Ledger(work.config.ledger_path)
        try:
            monkeypatch.setattr(proc, "_read_and_validate", read)
            proc.process_file(path, work.config, work.profile, other)
        finally:
            other.close()
        return drafts

    monkeypatch.setattr(proc, "_read_and_validate", read_while_another_run_takes_it)
    items = proc.process_file(path, work.config, work.profile, work.ledger)
    [only] = work.ledger.items()
    assert [i.id for i in items] == [only.id] and only.outcome == "accepted"
    assert work.ledger.counts() == {"accepted": 1}  # no phantom duplicate
    [record] = [work.ledger.file(1)]
    assert os.path.exists(record.archive_path) and not path.exists()
