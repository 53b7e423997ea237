"""Every reader of a pass (allocations, reviews, decisions, commitments) asks what people
typed; a 10,000-row workbook is parsed once for them all while nobody saves it, and a
person's save is always read afresh (told by the file's bytes, not its modified time)."""

from __future__ import annotations

import datetime as dt

import openpyxl

from pipeline.tracker import read_allocations, sync, workbook_path
from pipeline.tracker import typed_rows as typed_rows_module
from pipeline.tracker.workbook import Package

from tests.helpers.tracker_kit import accepted

START = dt.datetime(2026, 11, 2, 9, 0)


def test_an_unchanged_workbook_is_read_once_and_a_save_is_always_seen(config, profile, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    sync([accepted(n, received=START + dt.timedelta(minutes=n)) for n in (1, 2)], config, profile)
    book = workbook_path(config, profile)
    opened = []

    class Counting(Package):  # a workbook read (parsed) by the readers
        def __init__(self, data, path=None):
            opened.append(path)
            super().__init__(data, path)

    monkeypatch.setattr(typed_rows_module, "Package", Counting)
    assert read_allocations(config, profile) == []
    assert read_allocations(config, profile) == []
    assert len(opened) == 1

    wb = openpyxl.load_workbook(book)  # a co-ordinator allocates the second referral
    ws = wb["Referrals"]
    head = {c.value: c.column for c in ws[1]}
    ws.cell(3, head["Allocated Family Time Supervisor"], "Sam Example")
    wb.save(book)

    read = read_allocations(config, profile)
    assert [(a.reference, a.supervisor) for a in read] == [("FT-2026-00002", "Sam Example")]
    assert len(opened) == 2
