"""The real watcher in a thread, as paperless-ngx tests its consumer: files arrive in the ways
they do in an office (slowly, moved in, in bursts, locked) and each is handled exactly once."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from pipeline.intake import inbox as intake
from pipeline.intake.watcher import InboxWatcher

from tests.helpers.intake_kit import wait_for

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class Running:
    def __init__(self, work, mode=None, **kw):
        self.work = work
        self.watcher = InboxWatcher(
            work.config, work.profile, work.ledger, mode=mode, effects=lambda: None, **kw
        )
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watcher.run, args=(self.stop,), daemon=True)

    def __enter__(self):
        self.thread.start()
        time.sleep(0.3)  # the observer is up
        return self.watcher

    def __exit__(self, *exc):
        self.stop.set()
        self.watcher.stop()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


def items(work):
    from pipeline.ledger import Ledger

    led = Ledger(work.config.ledger_path)
    try:
        return led.items()
    finally:
        led.close()


def test_a_slowly_written_file_is_handled_once_after_it_settles(work):
    target = work.inbox / "slow.docx"
    src = (FIXTURES / "forms" / "referral-complete.docx").read_bytes()
    with Running(work):
        with open(target, "wb") as fh:
            for i in range(0, len(src), max(1, len(src) // 12)):
                fh.write(src[i : i + max(1, len(src) // 12)])
                fh.flush()
                time.sleep(0.15)
        assert wait_for(lambda: len(items(work)) >= 1)
        time.sleep(0.5)
    got = items(work)
    assert [i.outcome for i in got] == ["accepted"]
    assert (work.archive / "accepted" / "slow.docx").read_bytes() == src


def test_a_file_moved_into_the_inbox_is_handled(work, tmp_path):
    outside = tmp_path / "elsewhere.docx"
    outside.write_bytes((FIXTURES / "forms" / "referral-incomplete.docx").read_bytes())
    with Running(work):
        os.replace(outside, work.inbox / "moved.docx")
        assert wait_for(lambda: len(items(work)) == 1)
    assert items(work)[0].outcome == "incomplete"
    assert not (work.inbox / "moved.docx").exists()


def test_temporary_and_owner_files_are_left_alone(work):
    junk = [
        "~$ferral.docx",
        ".~lock.referral.docx#",
        "download.crdownload",
        "x.tmp",
        "Thumbs.db",
        ".DS_Store",
    ]
    with Running(work):
        for name in junk:
            (work.inbox / name).write_bytes(b"junk")
        # (issue 17: visible sub-folders are now read, tests/intake/test_subfolders.py; a
        # hidden one, like a sync tool's, is still left alone)
        (work.inbox / ".sub").mkdir()
        (work.inbox / ".sub" / "inner.docx").write_bytes(b"x")
        work.drop("forms/referral-complete.docx")
        assert wait_for(lambda: len(items(work)) == 1)
        time.sleep(0.6)
    assert len(items(work)) == 1
    assert sorted(p.name for p in work.inbox.iterdir()) == sorted(junk + [".sub"])


def test_a_burst_of_200_files_each_handled_exactly_once(work):
    with Running(work):
        for n in range(200):
            (work.inbox / f"note-{n:03d}.txt").write_text(f"not a form {n}")
        assert wait_for(lambda: len(items(work)) == 200, timeout=30)
        time.sleep(0.5)
    got = items(work)
    assert len(got) == 200
    assert len({i.original_name for i in got}) == 200
    assert len(work.archived()) == 200
    assert not any(work.inbox.iterdir())


def test_polling_mode_finds_new_files(work):
    with Running(work, mode="polling") as watcher:
        assert watcher.mode == "polling"
        work.drop("forms/referral-complete.docx")
        assert wait_for(lambda: len(items(work)) == 1)


def test_the_rescan_catches_a_file_the_watcher_never_reported(make_work, monkeypatch):
    work = make_work(rescan=0.5, mode="events")
    monkeypatch.setattr(InboxWatcher, "_start_observer", lambda self: None)  # deaf
    with Running(work):
        work.drop("forms/referral-complete.docx")
        assert wait_for(lambda: len(items(work)) == 1, timeout=5)


def test_a_busy_file_is_handled_when_it_is_released(work, monkeypatch):
    locked_until = time.monotonic() + 1.5
    real_open = intake.try_open
    refused = []

    def exclusive(path):
        if time.monotonic() < locked_until:
            refused.append(path)
            raise PermissionError(13, "used by another process")
        real_open(path)

    monkeypatch.setattr(intake, "try_open", exclusive)
    with Running(work):
        work.drop("forms/referral-complete.docx")
        time.sleep(1.0)
        assert items(work) == [] and refused
        assert wait_for(lambda: len(items(work)) == 1, timeout=5)
    assert items(work)[0].outcome == "accepted"


def test_the_same_file_twice_is_a_duplicate(work):
    with Running(work):
        work.drop("forms/referral-complete.docx", "first.docx")
        assert wait_for(lambda: len(items(work)) == 1)
        work.drop("forms/referral-complete.docx", "again.docx")
        assert wait_for(lambda: len(items(work)) == 2)
    assert [i.outcome for i in items(work)] == ["accepted", "duplicate"]


def test_the_backlog_is_handled_at_start(work):
    work.drop("forms/referral-complete.docx")
    work.drop("forms/old-2022-referral.docx")
    watcher = InboxWatcher(work.config, work.profile, work.ledger, effects=lambda: None)
    assert watcher.run_once(timeout=10) == 2
    assert sorted(i.outcome for i in items(work)) == ["accepted", "old_form"]


def test_the_watcher_survives_a_file_whose_handling_blows_up(work, monkeypatch):
    import pipeline.intake.process as proc

    real = proc.process_file
    calls = []

    def flaky(path, *a, **k):
        calls.append(path.name)
        if path.name == "bad.docx" and calls.count("bad.docx") == 1:
            raise OSError(5, "Input/output error")  # e.g. the share dropped
        return real(path, *a, **k)

    monkeypatch.setattr(proc, "process_file", flaky)
    monkeypatch.setattr("pipeline.intake.watcher.RETRY_NOT_YET", 0.2)
    with Running(work) as watcher:
        watcher.settings.rescan_seconds = 2
        work.drop("forms/referral-complete.docx", "bad.docx")
        work.drop("forms/referral-incomplete.docx", "good.docx")
        assert wait_for(lambda: len(items(work)) == 2, timeout=8)
    assert sorted(i.original_name for i in items(work)) == ["bad.docx", "good.docx"]
