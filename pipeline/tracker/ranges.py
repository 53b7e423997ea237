"""Where the workbook's drop-downs reach and where each takes its list from.

Shared by the new workbook (create.py) and the drop-downs kept in step on every sync
(validations.py), so both lay out the same ranges without importing each other.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from pipeline.tracker.columns import TrackerSpec

INITIAL_RANGE_ROWS = 500  # drop-downs and highlighting cover this many rows at first
LIST_ROWS = 200  # rows of a people-kept sheet (Staff) a drop-down reads


def list_formula(column, spec: TrackerSpec, names: dict[str, str] | None = None) -> str:
    """Where a column's drop-down takes its list from: the hidden Lists sheet (the profile's
    venues and days, which may hold commas) or a sheet people keep (Staff), under the name
    it has in this workbook (`names`: a renamed sheet, found by its headers)."""
    src = column.list_from
    if src == "profile.venues":
        return f"{_quoted(spec.lists_sheet)}!$A$2:$A${LIST_ROWS}"
    if src == "profile.session_days":
        return f"{_quoted(spec.lists_sheet)}!$B$2:$B$8"
    if src.startswith("sheet."):
        _, name, key = src.split(".", 2)
        target = spec.sheet(name)
        index = [c.key for c in target.columns].index(key) + 1
        letter = get_column_letter(index)
        return f"{_quoted((names or {}).get(name, name))}!${letter}$2:${letter}${LIST_ROWS}"
    return ""


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'" if not name.isalnum() else name
