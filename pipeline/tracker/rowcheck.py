"""Rows whose cells still belong together: the hidden check cell vouches for every
pipeline-owned cell of its row.

A sort of one column ("continue with the current selection") moves that column's cells to
other rows while the reference, the person's columns and the check cell stay put: the row then
shows one child beside another child's reference. The check cell therefore holds, besides the
signature of the ledger items behind the row, a fingerprint of every pipeline cell as it was
written. A row whose cells no longer give that fingerprint is never acted on (no pack, no
decision, no mail) until a sync has put it right from the ledger, or a person has sorted the
whole table or undone the sort.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import weakref
from dataclasses import dataclass
from typing import Any

from lxml import etree

from pipeline.tracker.columns import SheetSpec, TrackerSpec
from pipeline.tracker.typed import read_date
from pipeline.tracker.workbook import (
    _C,
    Package,
    SheetPart,
    col_letters,
    norm_header,
    serial_date,
)

SEPARATOR = "."  # "<signature>.<fingerprint>"; an older workbook's cell has no fingerprint
HELD = "!"  # appended while the row's cells were found moved and not put right


def canon(value: Any, fmt: str) -> str:
    """A cell's value as one text, the same whether the pipeline wrote it or a spreadsheet
    program saved it again (dates as ISO, whole numbers without ".0", spaces collapsed)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        value = str(int(value)) if value.is_integer() else repr(value)
    text = " ".join(str(value).split())
    if fmt == "date" and text:
        day = read_date(text)
        if day is not None:
            return day.isoformat()
    return text


def pipeline_columns(
    sheet: SheetSpec, columns: dict[str, int]
) -> list[tuple[str, int | None, str]]:
    """(column key, column number, format) of every pipeline-owned column the sheet has, in
    the layout's order (columns are found by header, so moving one changes nothing)."""
    return [
        (c.key, columns[c.key], c.format) for c in sheet.columns if c.pipeline and c.key in columns
    ]


def _text_part(pkg: Package, v: Any, fmt: str) -> str:
    """A cell's value as its text in the fingerprint."""
    if v is None or v == "":
        return ""
    if fmt == "date" and isinstance(v, float):
        day = serial_date(v, pkg.date1904)
        return day.isoformat() if day else repr(v)
    if isinstance(v, str) and fmt != "date":
        return " ".join(v.split())
    return canon(v, fmt)


def _part(pkg: Package, c: Any, fmt: str) -> str:
    """One cell's text in the fingerprint (the general route, any cell)."""
    return _text_part(pkg, pkg.value(c), fmt)


def _simple_value(pkg: Package, t: str | None, kind: str, text: str | None) -> Any:
    """Package.value of a cell <c t=t> holding one <v>text</v> (kind "v") or one
    <is><t>text</t></is> (kind "is") and nothing else: the same branches, without the
    element (tests/tracker/test_row_fingerprint.py holds the two to each other)."""
    if kind == "is":
        return (text or "") if t == "inlineStr" else None
    if t == "inlineStr":
        return ""
    return pkg.typed(t, text or "")


# What follows a cell's reference as lxml writes the cell out, in the shapes the pipeline and
# spreadsheet programs save: attributes, then empty, or one <v>, or one inline string, with no
# entity in the text. A row with any other cell (a formula, rich text, an entity, r not the
# first attribute), or anything else between its cells, goes the general route.
_SHAPE = re.compile(
    r'((?: [\w:.-]+="[^"<&]*")*)(?:/>|>(?:<v>([^<&]*)</v>|<v/>'
    r'|<is><t(?: xml:space="preserve")?>([^<&]*)</t></is>|(<is><t/></is>))</c>)'
)
_TYPE = re.compile(r' t="([^"]*)"')
_CELL_START = '<c r="'
_DIGITS = "0123456789"
_OTHER = object()  # a cell of another shape: the row goes the general route

# Package -> format -> the cell after its reference -> the cell's part. A cell's value is a
# function of its attributes and content within one package (its shared strings and date
# system), and a saved workbook repeats them (dates, statuses, shared-string indexes) across
# thousands of rows, so each is worked out once a pass.
_parts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Fingerprints:
    """The fingerprint of rows of one package over one list of columns: the eight bytes of
    `fingerprint`. Every row of every saved workbook is read, so a row is read from its XML
    written out in one C call, each distinct cell worked out once per package; a row of any
    other shape goes the general route, cell by cell."""

    def __init__(self, pkg: Package, columns: list[tuple[str, int | None, str]]):
        self.pkg, self.columns = pkg, columns
        memos = _parts.get(pkg)
        if memos is None:
            memos = _parts[pkg] = {}
        slots: dict[str, list[tuple[int, str, dict]]] = {}
        for slot, (_key, col, fmt) in enumerate(columns):
            if col is not None:
                memo = memos.setdefault(fmt, {})
                slots.setdefault(col_letters(col), []).append((slot, fmt, memo))
        self.slots = slots

    def of_cells(self, cells: dict[int, Any]) -> str:
        """The general route: any row, from its cells by column number."""
        pkg = self.pkg
        parts = []
        for _key, col, fmt in self.columns:
            c = cells.get(col) if col is not None else None
            parts.append("" if c is None else _part(pkg, c, fmt))
        return _hash(parts)

    def of_row(self, row: Any) -> str:
        xml = etree.tostring(row, encoding="unicode", with_tail=False)
        start = xml.find(">") + 1
        if xml[start - 2] == "/":  # <row .../>: no cells
            return _hash([""] * len(self.columns))
        if not xml.endswith("</row>"):
            return self.of_cells(self.pkg.cells(row))
        pieces = xml[start : -len("</row>")].split(_CELL_START)
        if pieces[0]:  # something before the first cell
            return self.of_cells(self.pkg.cells(row))
        parts = [""] * len(self.columns)
        slots = self.slots
        for piece in pieces[1:]:
            ref, _, rest = piece.partition('"')
            letters = ref.rstrip(_DIGITS)
            wanted = slots.get(letters)
            if wanted is None:
                if not (letters.isascii() and letters.isalpha() and letters.isupper()):
                    return self.of_cells(self.pkg.cells(row))  # read by the general route
                slots[letters] = wanted = []  # a column no fingerprint covers
            for slot, fmt, memo in wanted:
                part = memo.get(rest)
                if part is None:
                    part = memo[rest] = self._part_of(rest, fmt)
                if part is _OTHER:
                    return self.of_cells(self.pkg.cells(row))
                parts[slot] = part
        if len(pieces) - 1 != len(row):  # a cell of the row not seen as one
            return self.of_cells(self.pkg.cells(row))
        return _hash(parts)

    def _part_of(self, rest: str, fmt: str) -> Any:
        """A cell's part from what follows its reference, or _OTHER (another shape)."""
        m = _SHAPE.fullmatch(rest)
        if m is None:
            return _OTHER
        attrs, v, inline, empty_inline = m.groups()
        t = _TYPE.search(attrs)
        t = t.group(1) if t else None
        if v is not None or rest.endswith("<v/></c>"):
            return _text_part(self.pkg, _simple_value(self.pkg, t, "v", v), fmt)
        if inline is not None or empty_inline is not None:
            return _text_part(self.pkg, _simple_value(self.pkg, t, "is", inline), fmt)
        return ""  # <c .../>: a cell holding no value


def _hash(parts: list[str]) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


def fingerprint(pkg: Package, cells: dict[int, Any], columns: list[tuple[str, int | None, str]]):
    """Eight bytes of hash over the row's pipeline cells (the general route)."""
    return Fingerprints(pkg, columns).of_cells(cells)


def check_text(signature: str, fp: str, held: bool = False) -> str:
    return f"{signature}{SEPARATOR}{fp}{HELD if held else ''}"


@dataclass(frozen=True)
class Check:
    """A check cell read back: the ledger signature, the fingerprint (None in a cell an
    earlier version wrote), and whether the row was held as moved."""

    signature: str
    fp: str | None
    held: bool

    @classmethod
    def read(cls, value: Any) -> Check | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        held = text.endswith(HELD)
        text = text.removesuffix(HELD)
        signature, sep, fp = text.partition(SEPARATOR)
        return cls(signature, fp if sep else None, held)


def sheet_columns(
    pkg: Package, sp: SheetPart, sheet: SheetSpec, headers: dict[str, str]
) -> dict[str, int]:
    """Column key -> column number, found by header text."""
    out = {}
    for c in sheet.columns:
        col = sp.columns.get(norm_header(headers[c.key]))
        if col is not None:
            out[c.key] = col
    return out


def moved_keys(
    pkg: Package, sp: SheetPart, sheet: SheetSpec, spec: TrackerSpec, headers: dict[str, str]
) -> set[str]:
    """The keys of the rows on this sheet whose pipeline cells are not the ones the check cell
    vouches for: their cells were moved (or changed) since the pipeline wrote them, so what a
    person typed beside them may be meant for another child. Rows the pipeline never vouched
    for (no check cell, or one an earlier version wrote) are not counted here."""
    columns = sheet_columns(pkg, sp, sheet, headers)
    key_col = columns.get(sheet.key)
    check_col = sp.columns.get(norm_header(spec.check_column))
    if key_col is None or check_col is None:
        return set()
    fingerprints = Fingerprints(pkg, pipeline_columns(sheet, columns))
    check_letters = col_letters(check_col)
    out: set[str] = set()
    for _, row in pkg.data_rows(sp):
        cells = None
        last = row[-1] if len(row) else None
        if (
            last is not None
            and last.tag == _C
            and last.get("r", "").rstrip(_DIGITS) == check_letters
        ):
            check_cell = last  # the check cell is written last: no need to index the row
        else:
            cells = pkg.cells(row)
            check_cell = cells.get(check_col)
        check = Check.read(pkg.value(check_cell) if check_cell is not None else None)
        if check is None or check.fp is None:
            continue
        if fingerprints.of_row(row) != check.fp:
            key = pkg.column_value(cells or pkg.cells(row), key_col, "text")
            if key not in (None, ""):
                out.add(canon(key, "text"))
    return out


def row_belongs(
    pkg: Package,
    sp: SheetPart,
    row: Any,
    sheet: SheetSpec,
    spec: TrackerSpec,
    headers: dict[str, str],
) -> bool:
    """Whether one row's cells still belong together (the function the Decisions sheet's
    reader calls before it applies anything typed in the row): False when its pipeline cells
    are not those its check cell vouches for."""
    columns = sheet_columns(pkg, sp, sheet, headers)
    check_col = sp.columns.get(norm_header(spec.check_column))
    if check_col is None:
        return True
    cells = pkg.cells(row)
    check = Check.read(pkg.column_value(cells, check_col, "text"))
    if check is None or check.fp is None:
        return True
    return fingerprint(pkg, cells, pipeline_columns(sheet, columns)) == check.fp
