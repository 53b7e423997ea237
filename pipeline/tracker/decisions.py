"""The tracker's Decisions sheet: one row per proposal, written by the pipeline, decided by a
person.

The pipeline writes its own cells (proposal number, reference, what, why, who decides, decide
by, what was made) through the same careful write as every other sheet (lock check, backup,
never a person's cell); people write Decision, Decided by, Decided on and Meeting on, which
`read_decisions` reads back (allowed while the workbook is open).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.profile import Profile
from pipeline.tracker.books import DECISIONS_SHEET, SyncReport, sync_message, workbook_path
from pipeline.tracker.columns import load_spec
from pipeline.tracker.rows import cell_value, parse_date
from pipeline.tracker.sync import sync_one
from pipeline.tracker.typed_rows import cell_text, typed_rows

log = logging.getLogger("pipeline.tracker")
SHEET = DECISIONS_SHEET
PERSON = ("decision", "decided_by", "decided_on", "meeting_on")


@dataclass
class ProposalRow:
    """One row's pipeline cells (column key -> value); quacks like tracker.rows.RowSource."""

    key: str
    values: dict[str, Any]

    @property
    def row(self) -> dict[str, Any]:
        sheet = load_spec().sheet(SHEET)
        return {k: cell_value(sheet.column(k), v) for k, v in self.values.items()}

    @property
    def signature(self) -> str:
        raw = repr(sorted((k, str(v)) for k, v in self.values.items()))
        return hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()


@dataclass
class Decision:
    """What a person wrote in a proposal's row."""

    decision: str | None = None  # "Approved", "Declined" or None (not decided)
    decided_by: str | None = None
    decided_on: dt.date | None = None
    meeting_on: dt.date | None = None


def write_proposals(rows: Iterable[ProposalRow], config: Any, profile: Profile) -> SyncReport:
    """Append or correct the proposals' rows in the one workbook (nothing while it is open)."""
    spec = load_spec()
    report = SyncReport()
    sheet_rows = {r.key: r for r in rows}
    if sheet_rows:
        sync_one(
            workbook_path(config, profile, spec),
            spec,
            profile,
            {SHEET: sheet_rows},
            report,
            False,
            config,
        )
    report.message = sync_message(report)
    return report


def _choice(value: Any, choices: list[str]) -> str | None:
    text = " ".join(str(value or "").split())
    return next((c for c in choices if c.casefold() == text.casefold()), None)


def read_decisions(config: Any, profile: Profile, years: Iterable[int] = ()) -> dict[str, Decision]:
    """Proposal key -> what a person wrote; a workbook that cannot be read is skipped.
    `years` is not used (there is one workbook for every year): the rule effect still
    passes it."""
    spec = load_spec()
    sheet = spec.sheet(SHEET)
    choices = sheet.column("decision").choices
    return {
        key: Decision(
            decision=_choice(v.get("decision"), choices),
            decided_by=cell_text(v.get("decided_by")),
            decided_on=parse_date(v.get("decided_on")),
            meeting_on=parse_date(v.get("meeting_on")),
        )
        for key, v in typed_rows(config, profile, spec, sheet, set(PERSON), "decisions").items()
    }
