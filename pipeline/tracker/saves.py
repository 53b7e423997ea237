"""Noticing that a person saved the tracking workbook, without reading it: one detector for
every effect that acts on a save (paperwork's allocations, the Decisions sheet, commitments
kept). Each compares these stamps with its own last look (EffectMemory.saved_since).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.files import file_stamp


def workbook_stamps(config: Any, profile: Any) -> tuple:
    """The stamps (files.file_stamp) of the workbooks people type in: the one workbook, and
    any earlier year's workbook still read (books.read_workbooks)."""
    from pipeline.tracker.books import read_workbooks

    return tuple(file_stamp(path) for path in read_workbooks(config, profile))


def every_workbook_stamps(folder: Path) -> tuple:
    """(name, stamp) of every workbook in the tracker folder, by name: a proposal's row can
    be in any year's Decisions sheet."""
    if not folder.exists():
        return ()
    return tuple((path.name, file_stamp(path)) for path in sorted(folder.glob("*.xlsx")))
