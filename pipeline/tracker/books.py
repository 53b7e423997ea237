"""What the sync, the Decisions sheet and the sheet readers share about the workbooks: where
each year's workbook is, the Decisions sheet's name, and what a write reports.

Kept below all three so that none of them imports another to reach these (sync.py once
imported decisions.py for the sheet's name while decisions.py imported sync.py to write).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from pipeline.profile import Profile
from pipeline.tracker.columns import TrackerSpec, load_spec, workbook_name

DECISIONS_SHEET = "Decisions"      # one row per proposal (decisions.py); `tracker check` reads it


class SyncReport(BaseModel):
    """What a sync did, for the ledger (which rows are in) and for people (`message`)."""
    written: list[str] = Field(default_factory=list)   # row keys appended or updated
    appended: int = 0
    updated: int = 0
    waiting: bool = False          # a workbook was open: its rows wait for the next sync
    message: str = ""
    writes: int = 0                # workbook files written (one per workbook per sync, at most)
    workbooks: list[Path] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)


def workbook_path(config: Any, profile: Profile, year: int, spec: TrackerSpec | None = None) -> Path:
    return config.tracker_dir / workbook_name(spec or load_spec(profile=profile), profile, year)


def sync_message(report: SyncReport) -> str:
    """The report in a sentence for people: its problems, or what was added and corrected."""
    if report.problems:
        return " ".join(dict.fromkeys(report.problems))
    if not report.writes:
        return "The tracking workbook is up to date."
    names = ", ".join(f"'{p.name}'" for p in report.workbooks)
    return (f"The tracking workbook is up to date: {report.appended} row(s) added and "
            f"{report.updated} row(s) corrected in {names}.")
