"""The tracking workbook: rows the pipeline keeps complete beside columns people type in.

Public API: sync(items, config, profile, paperwork=None, acknowledged=None) -> SyncReport,
read_allocations(config, profile) -> list[Allocation], check(items, config, profile).
"""

from pipeline.tracker.sync import (Difference, SyncReport, check, read_allocations, sync,
                                   workbook_path)

__all__ = ["sync", "read_allocations", "check", "SyncReport", "Difference", "workbook_path"]
