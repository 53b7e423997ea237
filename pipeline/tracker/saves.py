"""Noticing that a person saved the tracking workbook, without reading it: one detector for
every effect that acts on a save (paperwork's allocations, the Decisions sheet, commitments
kept). Each compares these stamps with its own last look (EffectMemory.saved_since).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline import clock
from pipeline.files import file_stamp


def workbook_stamps(config: Any, profile: Any) -> tuple:
    """The stamps (files.file_stamp) of last year's and this year's workbooks: where rows
    being allocated and kept up to date live."""
    from pipeline.tracker import workbook_path
    this = clock.today().year
    return tuple(file_stamp(workbook_path(config, profile, y)) for y in (this - 1, this))


def every_workbook_stamps(folder: Path) -> tuple:
    """(name, stamp) of every workbook in the tracker folder, by name: a proposal's row can
    be in any year's Decisions sheet."""
    if not folder.exists():
        return ()
    return tuple((path.name, file_stamp(path)) for path in sorted(folder.glob("*.xlsx")))
