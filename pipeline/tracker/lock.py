"""Is the workbook open in Excel or LibreOffice? Then the pipeline must not write it.

Excel leaves an owner file `~$<name>` beside the workbook (for long names it drops the first
two characters), LibreOffice leaves `.~lock.<name>#`, and on Windows a workbook open in Excel
cannot be opened for writing (a sharing violation).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.tracker.columns import said

_SHARING_VIOLATIONS = {32, 33}  # Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


def lock_files(path: Path) -> list[Path]:
    """The owner/lock files Excel and LibreOffice create while `path` is open."""
    name = path.name
    return [
        path.with_name("~$" + name),
        path.with_name("~$" + name[2:]),
        path.with_name(".~lock." + name + "#"),
    ]


def open_by(path: Path) -> str | None:
    """None when the workbook may be written; otherwise a sentence for business support."""
    for lock in lock_files(path):
        if lock.exists():
            return said("open_lock_file", name=path.name, lock=lock.name)
    if not path.exists():
        return None
    try:
        with open(path, "r+b"):
            pass
    except PermissionError as exc:
        return said("locked", name=path.name, problem=exc.strerror or said("locked_reason"))
    except OSError as exc:
        if getattr(exc, "winerror", None) in _SHARING_VIOLATIONS:
            return said("open_elsewhere", name=path.name)
        return said("cannot_open", name=path.name, problem=exc.strerror)
    return None
