"""The tracker's folder cannot be written (read-only share, permissions changed by IT): intake
and mail carry on, the rows wait, and once the folder is writable again every row is written
once."""

from __future__ import annotations

import errno
import importlib
import os
import stat
import time

import pytest

from pipeline.effects import run_effects
from pipeline.intake.process import process_file

from tests.helpers.faults_kit import (
    assert_nothing_lost_nothing_doubled,
    drop_mixed,
    drop_referrals,
    recount,
)

tracker_sync = importlib.import_module("pipeline.tracker.sync")  # the package exports sync()


def _later() -> float:
    return time.time() + 24 * 3600


def _make_read_only(work, monkeypatch, how: str) -> None:
    """chmod where it bites; as root (chmod is ignored) or for EROFS, refuse every write into
    the tracker folder the way the OS would."""
    folder = work.config.tracker_dir
    folder.mkdir(parents=True, exist_ok=True)
    if how == "chmod":
        os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR)
        return
    code = errno.EACCES if how == "eacces" else errno.EROFS
    real = tracker_sync.write_private

    def refuse(path, data):
        if folder in path.parents or path.parent == folder:
            raise (PermissionError if code == errno.EACCES else OSError)(
                code, os.strerror(code), str(path)
            )
        return real(path, data)

    monkeypatch.setattr(tracker_sync, "write_private", refuse)


def _ways():
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    return [
        pytest.param(
            "chmod",
            marks=pytest.mark.skipif(
                root or os.name == "nt", reason="chmod does not stop root (or Windows)"
            ),
        ),
        "eacces",
        "erofs",
    ]


@pytest.mark.parametrize("how", _ways())
def test_tracker_folder_read_only_then_writable(work, monkeypatch, how):
    dropped = drop_referrals(work, 3) + drop_mixed(work)
    with monkeypatch.context() as m:
        _make_read_only(work, m, how)
        for name in dropped:
            process_file(work.inbox / name, work.config, work.profile, work.ledger)
        run_effects(work.ledger, work.config, work.profile)
        r = recount(work)
        assert r.inbox == [] and len(r.archived) == len(dropped)  # intake went on
        assert len(r.emails) == len(dropped)  # so did the mail
        assert r.tracker_rows == 0
        assert len(work.ledger.pending_effects(effect="tracker")) == len(dropped)
    if how == "chmod":
        os.chmod(work.config.tracker_dir, stat.S_IRWXU)
    run_effects(work.ledger, work.config, work.profile, now=_later())
    run_effects(work.ledger, work.config, work.profile, now=_later())  # nothing doubled
    assert work.ledger.pending_effects(effect="tracker") == []
    assert_nothing_lost_nothing_doubled(work, dropped)
