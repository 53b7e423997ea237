"""Files as Windows treats them, simulated on Linux: errors raised as Windows raises them
(winerror 32 sharing violation, 5 access denied, 206 path too long), a 300-character path,
Word's owner files, and temporary files kept out of %TEMP%."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

import pipeline.intake.archive as archive
import pipeline.intake.watcher as watcher_module
from pipeline.files import use_scratch
from pipeline.intake.archive import archive_original
from pipeline.intake.inbox import SettleTracker
from pipeline.intake.process import NotYet, process_file
from pipeline.intake.watcher import InboxWatcher
from pipeline.ledger import archive_paths
from pipeline.ledger.archive_paths import choose_destination


def winerror(number: int, cls=OSError, err=errno.EACCES) -> OSError:
    """An OSError as Windows raises it (CPython sets winerror only on Windows)."""
    exc = cls(err, os.strerror(err))
    exc.winerror = number
    return exc


@pytest.fixture(autouse=True)
def no_scratch():
    yield
    use_scratch(None)


# ---------------------------------------------------------------- long paths


def test_the_whole_archive_path_is_capped_at_260_characters(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_paths, "ON_WINDOWS", True)
    folder = tmp_path / ("deep" * 30) / "accepted"
    name = "Referral for " + "a very long family name " * 10 + ".docx"
    assert len(str(folder / name)) > 300
    dest = choose_destination(folder, name)
    assert len(str(dest)) + len(" (999)") + len(".reason.txt") <= 259
    assert dest.suffix == ".docx" and dest.name.startswith("Referral for a very long")


def test_the_scratch_copy_has_a_short_generated_name(work, monkeypatch):
    import pipeline.intake.process as process

    seen = []
    real = process.read_file

    def spy(path, profile=None):
        seen.append(Path(path))
        return real(path, profile)

    monkeypatch.setattr(process, "read_file", spy)
    long_name = "Referral " + "x" * 200 + ".docx"
    work.drop("forms/referral-complete.docx", long_name)
    items = process_file(work.inbox / long_name, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["accepted"]
    assert seen[0].name == "f001.docx"
    assert seen[0].parent.parent == work.config.state_dir / "scratch"
    assert items[0].original_name == long_name


def _watcher(work, process, give_up_after=3):
    work.config.watch.give_up_after = give_up_after
    work.config.watch.settle_seconds = 0
    return InboxWatcher(
        work.config,
        work.profile,
        work.ledger,
        mode="polling",
        process=process,
        effects=lambda: None,
    )


def _step_until(w, cond, seconds=10.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end and not cond():
        w.step()
        time.sleep(0.005)


def test_a_file_failing_the_same_way_is_set_aside_as_unreadable_with_a_plain_reason(
    work, monkeypatch
):
    monkeypatch.setattr(watcher_module, "RETRY_NOT_YET", 0.02)
    tries = []

    def too_long(path, *_):
        tries.append(time.monotonic())
        raise NotYet("copy failed") from winerror(206, err=errno.ENAMETOOLONG)

    work.drop("forms/referral-complete.docx")
    w = _watcher(work, too_long)
    w.scan()
    _step_until(w, lambda: w.handled)
    assert len(tries) == 3
    gaps = [b - a for a, b in zip(tries, tries[1:])]
    assert gaps[1] > gaps[0] * 1.5  # retries back off
    [item] = w.handled
    assert item.outcome == "unreadable"
    assert "the same problem happened 3 times" in item.reason
    assert "too long for Windows" in item.reason
    assert not list(work.inbox.iterdir())
    [kept] = work.archived()
    assert kept.parent.name == "unreadable"
    reason = kept.with_name(kept.name + ".reason.txt").read_text(encoding="utf-8")
    assert "shorter name" in reason


def test_a_file_the_service_may_not_read_is_set_aside_once(work, monkeypatch):
    monkeypatch.setattr(watcher_module, "RETRY_NOT_YET", 0.01)

    def denied(path, *_):
        raise NotYet("no") from winerror(5, PermissionError)

    work.drop("forms/referral-complete.docx")

    def refuse(path):  # cannot even be hashed, nor moved
        raise winerror(5, PermissionError)

    monkeypatch.setattr("pipeline.intake.process.sha256_of", refuse)
    monkeypatch.setattr(
        archive.os, "replace", lambda *a: (_ for _ in ()).throw(winerror(5, PermissionError))
    )
    w = _watcher(work, denied, give_up_after=2)
    w.scan()
    _step_until(w, lambda: w.handled)
    monkeypatch.undo()
    [item] = w.handled
    assert "not allowed to open it" in item.reason
    # the next start sets it aside again only as the same record
    assert len(work.ledger.items()) == 1


def test_a_busy_ledger_is_never_counted_against_the_file(work, monkeypatch):
    import sqlite3

    monkeypatch.setattr(watcher_module, "RETRY_NOT_YET", 0.005)
    calls = []

    def busy(path, *_):
        calls.append(1)
        raise NotYet("ledger busy") from sqlite3.OperationalError("database is locked")

    work.drop("forms/referral-complete.docx")
    w = _watcher(work, busy, give_up_after=2)
    w.scan()
    _step_until(w, lambda: len(calls) >= 4, seconds=5)
    assert len(calls) >= 4 and not w.handled


# ---------------------------------------------------------------- moves


def test_a_move_refused_by_a_sharing_violation_leaves_no_stray_copy(tmp_path, monkeypatch):
    src = tmp_path / "inbox" / "form.docx"
    src.parent.mkdir()
    src.write_bytes(b"form")
    dest = tmp_path / "archive" / "accepted" / "form.docx"

    def sharing(*_):
        raise winerror(32, PermissionError)

    monkeypatch.setattr(archive.os, "replace", sharing)
    with pytest.raises(PermissionError):
        archive_original(src, dest, "why")
    assert src.exists() and not dest.exists()


def test_copy_then_delete_only_across_volumes(tmp_path, monkeypatch):
    src = tmp_path / "inbox" / "form.docx"
    src.parent.mkdir()
    src.write_bytes(b"form")
    dest = tmp_path / "archive" / "accepted" / "form.docx"
    real_replace = os.replace

    def other_volume(a, b):
        if Path(a) == src:
            raise winerror(17, err=errno.EXDEV)  # ERROR_NOT_SAME_DEVICE
        return real_replace(a, b)

    monkeypatch.setattr(archive.os, "replace", other_volume)
    archive_original(src, dest, "why")
    assert dest.read_bytes() == b"form" and not src.exists()


def test_across_volumes_without_delete_rights_the_copy_is_taken_back(tmp_path, monkeypatch):
    src = tmp_path / "inbox" / "form.docx"
    src.parent.mkdir()
    src.write_bytes(b"form")
    dest = tmp_path / "archive" / "accepted" / "form.docx"
    real_replace, real_unlink = os.replace, Path.unlink

    def other_volume(a, b):
        if Path(a) == src:
            raise OSError(errno.EXDEV, "cross-device link")
        return real_replace(a, b)

    def no_delete(self, *a, **k):
        if self == src:
            raise winerror(5, PermissionError)
        return real_unlink(self, *a, **k)

    monkeypatch.setattr(archive.os, "replace", other_volume)
    monkeypatch.setattr(Path, "unlink", no_delete)
    with pytest.raises(PermissionError):
        archive_original(src, dest, "why")
    assert src.exists() and not dest.exists()


def test_a_move_still_owed_backs_off(work, monkeypatch):
    monkeypatch.setattr(watcher_module, "RETRY_NOT_YET", 0.02)
    monkeypatch.setattr(
        archive.os, "replace", lambda *a: (_ for _ in ()).throw(winerror(32, PermissionError))
    )
    work.drop("forms/referral-complete.docx")
    work.config.watch.settle_seconds = 0
    w = InboxWatcher(work.config, work.profile, work.ledger, mode="polling", effects=lambda: None)
    w.scan()
    _step_until(w, lambda: w._moves_owed.get(next(iter(w._candidates), None), 0) >= 3)
    path = next(iter(w._candidates))
    wait = w._candidates[path] - time.monotonic()
    assert wait > 0.05  # 0.02, 0.04, then 0.08 s
    assert work.ledger.unarchived() and len(work.ledger.items()) == 1


# ---------------------------------------------------------------- Word owner files


def test_a_document_open_in_word_waits(tmp_path):
    doc = tmp_path / "Referral form.docx"
    doc.write_bytes(b"x")
    owner = tmp_path / "~$ferral form.docx"  # Word drops two characters
    owner.write_bytes(b"o")
    settle = SettleTracker(0)
    assert settle.check(doc) == "wait"
    assert settle.last_busy[doc] == "open in Word or Excel"
    owner.unlink()
    assert settle.check(doc) == "ready"


def test_a_stale_owner_file_does_not_hold_a_document_back(tmp_path):
    doc = tmp_path / "form.docx"
    doc.write_bytes(b"x")
    owner = tmp_path / "~$form.docx"
    owner.write_bytes(b"o")
    old = time.time() - 3 * 24 * 3600
    os.utime(owner, (old, old))
    assert SettleTracker(0).check(doc) == "ready"


# ---------------------------------------------------------------- temporary files


def test_email_attachments_are_written_under_state_scratch(work, monkeypatch):
    import tempfile

    import pipeline.extract.email as email

    used = []
    real = tempfile.TemporaryDirectory

    def spy(*a, **k):
        used.append(k.get("dir"))
        return real(*a, **k)

    monkeypatch.setattr(email.tempfile, "TemporaryDirectory", spy)
    use_scratch(work.config.scratch_dir)
    work.drop("email/referral-with-agreement.eml")
    process_file(work.inbox / "referral-with-agreement.eml", work.config, work.profile, work.ledger)
    assert used and all(Path(d) == work.config.scratch_dir for d in used)


def test_pdf_jobs_use_state_scratch(work, monkeypatch):
    import pipeline.render.pdf as pdf

    used = []

    def job(**k):
        used.append(Path(k["dir"]))
        raise RuntimeError("stop here: only where the job would go matters")

    monkeypatch.setattr(pdf.tempfile, "mkdtemp", job)
    monkeypatch.setattr(pdf, "find_soffice", lambda: "soffice")
    doc = work.config.outbox_dir / "a.docx"
    doc.write_bytes(b"x")
    use_scratch(work.config.scratch_dir)
    with pytest.raises(RuntimeError):
        pdf.to_pdfs([doc])
    assert used == [work.config.scratch_dir]


def test_scratch_is_cleared_at_start(work):
    leftover = work.config.scratch_dir / "tmpabc" / "f001.docx"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"a child's form")
    InboxWatcher(work.config, work.profile, work.ledger, effects=lambda: None).run_once()
    assert not leftover.exists()
