"""A new referral for a child whose earlier referral was closed, arriving while the tracking
workbook cannot be read: whether the old one was closed is not known, so the file waits in the
inbox. It is never recorded as an update of the closed referral on a guess (an update is for
ever: the new referral would never get its own reference)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time

import pytest

from pipeline.errors import WorkbookUnreadable
from pipeline.intake.inbox import failure_kind
from pipeline.intake.process import NotYet, process_file
from pipeline.tracker import allocations_or_none, allocations_or_unreadable

from tests.helpers.allocation_kit import FORM, Desk, resent

REF = "FT-2026-00001"
ARRIVED = dt.datetime(2026, 11, 25, 10)


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    d = Desk(tmp_path / "work")
    d.receive()
    d.type_in(REF, Status="Closed")
    yield d
    d.ledger.close()


def _in_inbox(desk, name: str):
    src = resent(FORM, desk.config.state_dir / name)
    dest = desk.config.inbox_dir / name
    shutil.copyfile(src, dest)
    os.utime(dest, (ARRIVED.timestamp(), ARRIVED.timestamp()))
    return dest


def _damaged(desk, mp):
    desk.workbook.write_bytes(b"half-written by a crashed save")


def _locked(desk, mp):
    """As Windows answers while another program holds the workbook without sharing it."""
    from pipeline.tracker.workbook import Package

    def locked(path):
        raise PermissionError(13, "The process cannot access the file", str(path))

    mp.setattr(Package, "open", staticmethod(locked))


@pytest.mark.parametrize("unreadable", [_damaged, _locked], ids=["damaged", "locked"])
def test_a_closed_childs_new_referral_waits_for_an_unreadable_workbook(
    desk, monkeypatch, unreadable
):
    good = desk.workbook.read_bytes()
    path = _in_inbox(desk, "new referral.docx")
    with monkeypatch.context() as mp:
        unreadable(desk, mp)
        with pytest.raises(NotYet) as waited:
            process_file(path, desk.config, desk.profile, desk.ledger)
    assert path.exists()  # still in the inbox
    assert [i.reference for i in desk.ledger.items()] == [REF]  # nothing recorded
    assert failure_kind(waited.value) is None  # never counted towards giving up

    desk.workbook.write_bytes(good)  # readable again: the next try
    items = process_file(path, desk.config, desk.profile, desk.ledger)
    assert [i.outcome for i in items] == ["accepted"]
    assert items[0].reference == "FT-2026-00002"  # a new referral, not an update
    assert f"earlier referral {REF} was closed, so this is a new referral" in items[0].reason
    assert "Updated referral" not in items[0].reason
    assert not path.exists()


def test_the_watcher_tries_the_file_again_once_the_workbook_reads(desk, monkeypatch):
    from pipeline.intake.watcher import InboxWatcher

    monkeypatch.setattr("pipeline.intake.watcher.RETRY_NOT_YET", 0.05)
    good = desk.workbook.read_bytes()
    path = _in_inbox(desk, "new referral.docx")
    _damaged(desk, None)
    watcher = InboxWatcher(
        desk.config, desk.profile, desk.ledger, effects=lambda: None
    )  # the workbook is left as it is
    watcher.settling.settle = 0
    watcher.start_up()
    for _ in range(3):
        assert watcher.step() == 0
    assert path.exists() and [i.reference for i in desk.ledger.items()] == [REF]

    desk.workbook.write_bytes(good)
    deadline = time.monotonic() + 10
    while path.exists() and time.monotonic() < deadline:
        watcher.step()
        time.sleep(0.05)
    new = [i for i in desk.ledger.items() if i.reference != REF]
    assert [(i.outcome, i.reference) for i in new] == [("accepted", "FT-2026-00002")]
    assert not path.exists()


def test_a_workbook_not_made_yet_is_a_true_answer_not_a_failed_read(desk):
    desk.workbook.unlink()
    assert allocations_or_unreadable(desk.config, desk.profile) == {}


def test_the_effects_keep_their_empty_answer_for_a_failed_read(desk):
    """The effects (paperwork, rule, review report) read {} as "no allocation yet: wait"."""
    assert allocations_or_unreadable(desk.config, desk.profile)[REF].status == "Closed"
    desk.workbook.write_bytes(b"damaged")
    with pytest.raises(WorkbookUnreadable):
        allocations_or_unreadable(desk.config, desk.profile)
    assert allocations_or_none(desk.config, desk.profile) == {}
