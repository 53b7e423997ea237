"""A full disk is named in plain words, never "not ready yet": in the watcher's log, where
the person who can free space reads it, and first in `status`."""

from __future__ import annotations

import errno
import logging
import shutil
from collections import namedtuple

from pipeline.commands.init import init_folder
from pipeline.commands.status import describe, gather
from pipeline.config import load_config
from pipeline.intake.inbox import environment_fault
from pipeline.intake.process import NotYet
from pipeline.ledger import Ledger


def _not_yet(code: int) -> NotYet:
    try:
        try:
            raise OSError(code, "No space left on device")
        except OSError as exc:
            raise NotYet("OSError") from exc
    except NotYet as caught:
        return caught


def test_a_full_disk_is_named_not_waited_for():
    said = environment_fault(_not_yet(errno.ENOSPC))
    assert said and "disk" in said and "full" in said and "Nothing is lost" in said
    assert "read" in environment_fault(_not_yet(errno.EROFS))
    assert environment_fault(_not_yet(errno.EACCES)) is None  # the file's own problem


def test_the_watcher_logs_the_full_disk_in_plain_words(tmp_path, caplog):
    from pipeline.intake.watcher import InboxWatcher

    config = load_config(init_folder(tmp_path / "work"))
    ledger = Ledger(config.ledger_path)
    try:
        path = config.inbox_dir / "referral.docx"
        path.write_bytes(b"x")

        def full(*_):
            raise _not_yet(errno.ENOSPC)

        w = InboxWatcher(config, config.load_profile(), ledger, process=full)
        with caplog.at_level(logging.INFO, logger="pipeline.watcher"):
            assert w._handle(path) == "retry"
        assert any("disk holding the working folder is full" in r.message for r in caplog.records)
        assert not any("not ready yet" in r.message for r in caplog.records)
    finally:
        ledger.close()


def test_status_says_the_disk_is_full_first(tmp_path, monkeypatch):
    config = load_config(init_folder(tmp_path / "work"))
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage(10**12, 10**12, 3 * 1024 * 1024))
    ledger = Ledger(config.ledger_path)
    try:
        facts = gather(ledger, config, config.load_profile())
    finally:
        ledger.close()
    assert facts["disk_free_mb"] == 3
    assert any("(almost) full: 3 MB free" in line for line in describe(facts))
