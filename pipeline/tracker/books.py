"""What the sync, the Decisions sheet and the sheet readers share about the workbook: where
the one workbook for every year is, the Decisions sheet's name, and what a write reports.

One workbook, not one per year: a referral received in December has its sessions, proposals
and pack in January, and its rows must never be split between two files (a new year's file
also started with an empty Staff sheet, so no supervisor could be found for a pack).

Kept below all three so that none of them imports another to reach these (sync.py once
imported decisions.py for the sheet's name while decisions.py imported sync.py to write).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from pipeline.profile import Profile
from pipeline.tracker.columns import TrackerSpec, load_spec, said, workbook_name, year_of_workbook

DECISIONS_SHEET = "Decisions"  # one row per proposal (decisions.py); `tracker check` reads it


class SyncReport(BaseModel):
    """What a sync did, for the ledger (which rows are in) and for people (`message`)."""

    written: list[str] = Field(default_factory=list)  # row keys appended or updated
    appended: int = 0
    updated: int = 0
    waiting: bool = False  # a workbook was open: its rows wait for the next sync
    message: str = ""
    writes: int = 0  # workbook files written (one per workbook per sync, at most)
    workbooks: list[Path] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)


def workbook_path(config: Any, profile: Profile, spec: TrackerSpec | None = None) -> Path:
    """The one workbook the pipeline writes, for every year: 'Family Time referrals -
    <Service>.xlsx' when it exists or nothing else does; in a folder an earlier version set up
    (one workbook per year), the latest year's, which people already keep open all day and
    whose Staff sheet they filled in. The name is never changed by the pipeline."""
    spec = spec or load_spec(profile=profile)
    one = config.tracker_dir / workbook_name(spec, profile)
    if one.exists():
        return one
    earlier = year_workbooks(config, profile, spec)
    return earlier[-1] if earlier else one


def year_workbooks(config: Any, profile: Profile, spec: TrackerSpec | None = None) -> list[Path]:
    """The workbooks an earlier version made, one per year ('... 2026 - <Service>.xlsx'),
    oldest first."""
    spec = spec or load_spec(profile=profile)
    folder = config.tracker_dir
    if not folder.is_dir():
        return []
    found = [
        (year, p)
        for p in folder.glob("*.xlsx")
        if (year := year_of_workbook(spec, profile, p.name)) is not None
    ]
    return [p for _, p in sorted(found)]


def read_workbooks(config: Any, profile: Profile, spec: TrackerSpec | None = None) -> list[Path]:
    """Where what people typed is read from, the one workbook last (it wins): an earlier
    year's workbook is still read, so a row typed there before the one workbook was in use
    (an allocation, a decision) is not lost. Only the one workbook is written."""
    spec = spec or load_spec(profile=profile)
    one = workbook_path(config, profile, spec)
    return [p for p in year_workbooks(config, profile, spec) if p != one] + [one]


def sync_message(report: SyncReport) -> str:
    """The report in a sentence for people: its problems, or what was added and corrected."""
    if report.problems:
        return " ".join(dict.fromkeys(report.problems))
    if not report.writes:
        return said("up_to_date")
    names = said("names_separator").join(
        said("written_name", name=p.name) for p in report.workbooks
    )
    return said("up_to_date_written", appended=report.appended, updated=report.updated, names=names)
