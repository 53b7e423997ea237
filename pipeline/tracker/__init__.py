"""The tracking workbook: rows the pipeline keeps complete beside columns people type in.

Public API: sync(items, config, profile, paperwork=None, acknowledged=None) -> SyncReport,
read_allocations(config, profile) -> list[Allocation], check(items, config, profile),
allocations_by_reference(config, profile) -> {reference: Allocation}.
"""

from __future__ import annotations

import logging

from pipeline.models import Allocation
from pipeline.tracker.sync import (Difference, SyncReport, check, read_allocations, sync,
                                   workbook_path)

log = logging.getLogger("pipeline.tracker")

__all__ = ["sync", "read_allocations", "check", "SyncReport", "Difference", "workbook_path",
           "allocations_by_reference", "allocations_or_none"]


def allocations_by_reference(config, profile) -> dict[str, Allocation]:
    """What the co-ordinators typed, by referral reference (raises when the workbook cannot
    be read: a command says so to the person)."""
    return {a.reference: a for a in read_allocations(config, profile)}


def allocations_or_none(config, profile) -> dict[str, Allocation]:
    """The same, or {} when the workbook cannot be read just now (open, damaged): the effects
    that need an allocation wait and try again, and `sessions` shows what the ledger knows."""
    try:
        return allocations_by_reference(config, profile)
    except Exception as exc:
        log.warning("could not read allocations: %s", type(exc).__name__)
        return {}
