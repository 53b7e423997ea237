"""The watcher notices a saved tracking workbook like a file in the inbox: once it has settled
(same settle rule), and not before; owner files Excel leaves beside it are ignored."""

from __future__ import annotations

import os

from pipeline.intake.watcher import WorkbookWatch


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def _save(path, text):
    path.write_text(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_a_saved_workbook_is_noticed_once_it_has_settled(tmp_path):
    clock = Clock()
    book = tmp_path / "Family Time referrals 2026 - Northamptonshire.xlsx"
    book.write_text("v1")
    watch = WorkbookWatch(tmp_path, settle_seconds=1.0, clock=clock)
    assert watch.saved() is False  # first look: nothing changed yet
    _save(book, "v2 saved by a co-ordinator")
    clock.t += 0.6
    assert watch.saved() is False  # changed, not settled
    clock.t += 0.6
    assert watch.saved() is False
    clock.t += 1.1
    assert watch.saved() is True  # settled: the effects run
    clock.t += 0.6
    assert watch.saved() is False  # once per save


def test_excel_owner_files_are_not_workbooks(tmp_path):
    clock = Clock()
    watch = WorkbookWatch(tmp_path, settle_seconds=0.0, clock=clock)
    watch.saved()
    (tmp_path / "~$Family Time referrals 2026.xlsx").write_text("owner")
    clock.t += 1
    assert watch.saved() is False
