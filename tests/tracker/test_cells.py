"""Form text that looks like a formula stays text on every path that writes a cell: a new
row, an update of an existing row (a correction re-sent), and on every sheet (issue 17: only
the new-row path was tested)."""

from __future__ import annotations

import sys
import zipfile

import openpyxl
import pytest

from pipeline.tracker import sync, workbook_path

from tests.helpers.tracker_kit import accepted, attention, returned

sync_module = sys.modules["pipeline.tracker.sync"]
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture(autouse=True)
def fresh_process():
    sync_module._written.clear()
    yield
    sync_module._written.clear()


def _no_formulas(path):
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def _cells(path, sheet: str) -> list:
    ws = openpyxl.load_workbook(path)[sheet]
    return [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]


def test_an_updated_row_writes_formula_like_text_as_text(config, profile):
    item = accepted(1)
    sync([item], config, profile)  # the row exists, written plainly
    sync_module._written.clear()
    report = sync(
        [item],
        config,
        profile,  # the same row, updated in place
        paperwork={item.reference: FORMULA},
        acknowledged={item.reference: "+1+1"},
        extras={"status": {item.reference: "@SUM(A1)"}},
    )
    assert report.updated == 1 and report.appended == 0
    path = workbook_path(config, profile)
    _no_formulas(path)
    texts = {c.value for c in _cells(path, "Referrals")}
    assert {FORMULA, "+1+1", "@SUM(A1)"} <= texts
    assert all(c.data_type == "s" for c in _cells(path, "Referrals") if isinstance(c.value, str))


def test_every_sheet_writes_formula_like_text_as_text(config, profile):
    ret = returned(2, "FT-2026-00009")
    ret.verdict.problems[0].message = FORMULA
    ret.verdict.problems[0].label = FORMULA
    ret = ret.model_copy(update={"reason": FORMULA, "original_name": "=cmd|y.docx"})
    att = attention(3).model_copy(
        update={"reason": FORMULA, "original_name": "=cmd|x.docx", "sender": "=1+1@example.org"}
    )
    sync([accepted(1, **{"social_worker.name": FORMULA}), ret, att], config, profile)
    path = workbook_path(config, profile)
    _no_formulas(path)
    for sheet in ("Referrals", "Returned", "Attention"):
        cells = _cells(path, sheet)
        assert cells and all(c.data_type in ("s", "n", "d") for c in cells), sheet
        assert any(str(c.value).startswith(("=HYPERLINK", "=cmd", "=1+1")) for c in cells), sheet
