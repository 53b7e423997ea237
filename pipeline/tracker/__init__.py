"""The tracking workbook: rows the pipeline keeps complete beside columns people type in.

Public API: sync(items, config, profile, paperwork=None, acknowledged=None) -> SyncReport,
read_allocations(config, profile) -> list[Allocation], check(items, config, profile),
allocations_by_reference(config, profile) -> {reference: Allocation},
allocations_or_unreadable(config, profile) (raises WorkbookUnreadable), allocations_or_none.
"""

from __future__ import annotations

import logging

from pipeline.errors import WorkbookUnreadable
from pipeline.models import Allocation
from pipeline.tracker.columns import said
from pipeline.tracker.sync import (
    Difference,
    SyncReport,
    check,
    read_allocations,
    sync,
    workbook_path,
)

log = logging.getLogger("pipeline.tracker")

__all__ = [
    "sync",
    "read_allocations",
    "check",
    "SyncReport",
    "Difference",
    "workbook_path",
    "allocations_by_reference",
    "allocations_or_none",
    "allocations_or_unreadable",
    "WorkbookUnreadable",
]


def allocations_by_reference(config, profile) -> dict[str, Allocation]:
    """What the co-ordinators typed, by referral reference (raises when the workbook cannot
    be read: a command says so to the person)."""
    return {a.reference: a for a in read_allocations(config, profile)}


def allocations_or_unreadable(config, profile) -> dict[str, Allocation]:
    """The same, for a decision that must not guess (is this child's referral closed?):
    raises WorkbookUnreadable when a workbook that exists cannot be read now (open, locked,
    damaged), where the reading itself skips it and answers as if nobody had typed anything.

    Each workbook is opened before and after the read, so one that became unreadable while
    it was being read is not taken for an empty one either."""
    try:
        _all_readable(config, profile)
        found = allocations_by_reference(config, profile)
        _all_readable(config, profile)
    except WorkbookUnreadable:
        raise
    except Exception as exc:
        log.warning("could not read allocations: %s", type(exc).__name__)
        raise WorkbookUnreadable(said("unreadable", problem=type(exc).__name__)) from None
    return found


def _all_readable(config, profile) -> None:
    """Raise WorkbookUnreadable for a workbook the allocations are read from (the one
    workbook, and any older year's still read) that exists but cannot be opened."""
    from pipeline.tracker.books import read_workbooks
    from pipeline.tracker.workbook import Package, WorkbookError

    for path in read_workbooks(config, profile):
        if not path.exists():
            continue  # no workbook yet: nothing typed, a true answer
        try:
            Package.open(path)
        except (WorkbookError, OSError) as exc:
            log.warning("tracker: cannot read %s: %s", path.name, type(exc).__name__)
            raise WorkbookUnreadable(
                said("unreadable_named", name=path.name, problem=type(exc).__name__)
            ) from None


def allocations_or_none(config, profile) -> dict[str, Allocation]:
    """The same, or {} when the workbook cannot be read just now (open, damaged): "no
    allocation known yet", which the effects that need one treat as "wait and try again"
    (effects/paperwork.py, effects/rule.py, effects/review_report.py), the digest as "nothing
    overdue to say", and `sessions` shows what the ledger knows. A workbook that cannot be
    opened is skipped while the others are read. Intake, which must not guess, uses
    allocations_or_unreadable."""
    try:
        return allocations_by_reference(config, profile)
    except Exception as exc:
        log.warning("could not read allocations: %s", type(exc).__name__)
        return {}
