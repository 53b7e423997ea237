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
from dataclasses import dataclass
from typing import Any

from pipeline.tracker.columns import SheetSpec, TrackerSpec
from pipeline.tracker.typed import read_date
from pipeline.tracker.workbook import Package, SheetPart, norm_header, serial_date

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


def fingerprint(pkg: Package, cells: dict[int, Any], columns: list[tuple[str, int | None, str]]):
    """Eight bytes of hash over the row's pipeline cells (read on every row of every saved
    workbook, so the common cases are read here without the general helpers)."""
    value = pkg.value
    parts = []
    for _key, col, fmt in columns:
        c = cells.get(col) if col is not None else None
        v = value(c) if c is not None else None
        if v is None or v == "":
            parts.append("")
        elif fmt == "date" and isinstance(v, float):
            day = serial_date(v, pkg.date1904)
            parts.append(day.isoformat() if day else repr(v))
        elif isinstance(v, str) and fmt != "date":
            parts.append(" ".join(v.split()))
        else:
            parts.append(canon(v, fmt))
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


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
    owned = pipeline_columns(sheet, columns)
    out: set[str] = set()
    for _, row in pkg.data_rows(sp):
        cells = pkg.cells(row)
        key = pkg.column_value(cells, key_col, "text")
        if key in (None, ""):
            continue
        check = Check.read(pkg.column_value(cells, check_col, "text"))
        if check is None or check.fp is None:
            continue
        if fingerprint(pkg, cells, owned) != check.fp:
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
