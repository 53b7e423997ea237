"""The check cell's fingerprint is read fast, from each row's XML in one piece, because every
row of a workbook a person saved is read on every pass. The fast reading must say exactly what
the cell-by-cell reading says, whatever shape a spreadsheet program saved a cell in: otherwise
a row would be held for nothing, or (worse) a moved cell would go unseen."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from pipeline.tracker import sync, workbook_path
from pipeline.tracker.columns import load_spec
from pipeline.tracker.create import headers
from pipeline.tracker.rowcheck import Check, Fingerprints, moved_keys, pipeline_columns
from pipeline.tracker.rowcheck import sheet_columns as columns_of
from pipeline.tracker.workbook import NS, Package, col_letters, norm_header

from tests.helpers.excel_like import to_shared_strings
from tests.helpers.tracker_kit import accepted

START = dt.datetime(2026, 11, 2, 9, 0)


def _book(config, profile, monkeypatch, shared: bool):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    items = [
        accepted(n, received=START + dt.timedelta(minutes=n), last=f"Example & Sons {n}")
        for n in range(1, 7)
    ]
    sync(items, config, profile)
    path = workbook_path(config, profile)
    if shared:
        to_shared_strings(path)  # as Excel saves it
    spec = load_spec(profile=profile)
    sheet = spec.enabled_sheets[0]
    hdrs = headers(sheet, profile)
    pkg = Package.open(path)
    sp = pkg.sheet(sheet.name, hdrs[sheet.key])
    owned = pipeline_columns(sheet, columns_of(pkg, sp, sheet, hdrs))
    check_col = sp.columns[norm_header(spec.check_column)]
    return pkg, sp, sheet, spec, hdrs, owned, check_col


def _same_both_ways(pkg, row, owned) -> str:
    fast = Fingerprints(pkg, owned).of_row(row)
    assert fast == Fingerprints(pkg, owned).of_cells(pkg.cells(row))
    return fast


@pytest.mark.parametrize("shared", [False, True], ids=["as written", "saved by Excel"])
def test_every_row_the_pipeline_wrote_is_vouched_for_however_it_was_saved(
    config, profile, monkeypatch, shared
):
    pkg, sp, sheet, spec, hdrs, owned, check_col = _book(config, profile, monkeypatch, shared)
    for _, row in pkg.data_rows(sp):
        check = Check.read(pkg.column_value(pkg.cells(row), check_col, "text"))
        assert _same_both_ways(pkg, row, owned) == check.fp
    assert moved_keys(pkg, sp, sheet, spec, hdrs) == set()


def _cell(row, letters, number):
    """The row's cell in that column, made when the row has none there."""
    for c in row.iterchildren(f"{{{NS}}}c"):
        if c.get("r").rstrip("0123456789") == letters:
            return c
    return etree.SubElement(row, f"{{{NS}}}c", r=f"{letters}{number}")


def _odd(kind: str):
    """Cells in shapes the fast reading does not take itself (and some it does)."""

    def edit(row, letters, number):
        c = _cell(row, letters, number)
        for child in list(c):
            c.remove(child)
        c.attrib.pop("t", None)
        sub = etree.SubElement
        if kind == "formula":
            sub(c, f"{{{NS}}}f").text = "1+1"
            sub(c, f"{{{NS}}}v").text = "2"
        elif kind == "rich text":
            c.set("t", "inlineStr")
            r = sub(sub(c, f"{{{NS}}}is"), f"{{{NS}}}r")
            sub(r, f"{{{NS}}}t").text = "Bold bit"
        elif kind == "ampersand and angle":
            c.set("t", "inlineStr")
            sub(sub(c, f"{{{NS}}}is"), f"{{{NS}}}t").text = 'A & B <c r="Z9">'
        elif kind == "empty boolean":
            c.set("t", "b")
            sub(c, f"{{{NS}}}v")
        elif kind == "true boolean":
            c.set("t", "b")
            sub(c, f"{{{NS}}}v").text = "1"
        elif kind == "error":
            c.set("t", "e")
            sub(c, f"{{{NS}}}v").text = "#N/A"
        elif kind == "padded number":
            sub(c, f"{{{NS}}}v").text = " 12.50 "
        elif kind == "inline type on a number":
            c.set("t", "inlineStr")
            sub(c, f"{{{NS}}}v").text = "7"
        elif kind == "number typed as text cell":
            c.set("t", "str")
            sub(c, f"{{{NS}}}v").text = "  spaced   out "
        elif kind == "empty inline":
            c.set("t", "inlineStr")
            sub(sub(c, f"{{{NS}}}is"), f"{{{NS}}}t")
        elif kind == "preserved spaces":
            c.set("t", "inlineStr")
            t = sub(sub(c, f"{{{NS}}}is"), f"{{{NS}}}t")
            t.text = "  lead and tail  "
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        elif kind == "bad shared index":
            c.set("t", "s")
            sub(c, f"{{{NS}}}v").text = "99999"
        elif kind == "no value":
            c.set("s", "1")
        elif kind == "r not first":
            del c.attrib["r"]
            c.set("r", f"{letters}{number}")
            sub(c, f"{{{NS}}}v").text = "3"
        elif kind == "no reference":
            del c.attrib["r"]
            sub(c, f"{{{NS}}}v").text = "4"
        elif kind == "lower-case reference":
            c.set("r", f"{letters.lower()}{number}")
            sub(c, f"{{{NS}}}v").text = "5"
        elif kind == "comment between cells":
            sub(c, f"{{{NS}}}v").text = "6"
            c.addnext(etree.Comment("note"))
        elif kind == "space between cells":
            sub(c, f"{{{NS}}}v").text = "8"
            c.tail = "\n  "
        elif kind == "same column twice":
            sub(c, f"{{{NS}}}v").text = "9"
            twin = etree.Element(f"{{{NS}}}c", r=f"{letters}{number}")
            etree.SubElement(twin, f"{{{NS}}}v").text = "10"
            c.addnext(twin)
        elif kind == "carriage return":
            c.set("t", "inlineStr")
            sub(sub(c, f"{{{NS}}}is"), f"{{{NS}}}t").text = "line\rnext"

    return edit


KINDS = [
    "formula",
    "rich text",
    "ampersand and angle",
    "empty boolean",
    "true boolean",
    "error",
    "padded number",
    "inline type on a number",
    "number typed as text cell",
    "empty inline",
    "preserved spaces",
    "bad shared index",
    "no value",
    "r not first",
    "no reference",
    "lower-case reference",
    "comment between cells",
    "space between cells",
    "same column twice",
    "carriage return",
]


@pytest.mark.parametrize("shared", [False, True], ids=["as written", "saved by Excel"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_cell_in_any_shape_reads_the_same_fast_as_cell_by_cell(
    config, profile, monkeypatch, shared, kind
):
    pkg, sp, sheet, spec, hdrs, owned, _check = _book(config, profile, monkeypatch, shared)
    rows = [(n, r) for n, r in pkg.data_rows(sp)]
    for (number, row), (_key, col, fmt) in zip(rows, owned[:3] + owned[-3:]):
        _odd(kind)(row, col_letters(col), number)
        _same_both_ways(pkg, row, owned)


@pytest.mark.parametrize("shared", [False, True], ids=["as written", "saved by Excel"])
def test_two_child_cells_swapped_are_both_caught(config, profile, monkeypatch, shared):
    pkg, sp, sheet, spec, hdrs, owned, _check = _book(config, profile, monkeypatch, shared)
    col = columns_of(pkg, sp, sheet, hdrs)["child"]
    rows = [r for _, r in pkg.data_rows(sp)]
    a, b = (pkg.cells(rows[i])[col] for i in (1, 4))
    spare = etree.Element("spare")
    a.addnext(spare)
    b.addnext(a)
    spare.addnext(b)
    spare.getparent().remove(spare)
    for cell, number in ((a, 6), (b, 3)):  # each cell keeps its new row's reference
        cell.set("r", f"{col_letters(col)}{number}")
    assert moved_keys(pkg, sp, sheet, spec, hdrs) == {"FT-2026-00002", "FT-2026-00005"}
