"""Is the workbook open in Excel or LibreOffice? Then the pipeline must not write it.

Excel leaves an owner file `~$<name>` beside the workbook (for long names it drops the first
two characters), LibreOffice leaves `.~lock.<name>#`, and on Windows a workbook open in Excel
cannot be opened for writing (a sharing violation).
"""

from __future__ import annotations

from pathlib import Path

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
            return (
                f"The tracking workbook '{path.name}' is open (the lock file '{lock.name}' "
                f"is beside it). New rows are waiting and will be added as soon as it is "
                f"closed. If nobody has it open, the lock file was left behind when Excel "
                f"or LibreOffice closed unexpectedly: delete '{lock.name}'."
            )
    if not path.exists():
        return None
    try:
        with open(path, "r+b"):
            pass
    except PermissionError as exc:
        return (
            f"The tracking workbook '{path.name}' cannot be written just now (it is open "
            f"or locked by another program). New rows are waiting and will be added as "
            f"soon as it is closed. ({exc.strerror or 'permission denied'})"
        )
    except OSError as exc:
        if getattr(exc, "winerror", None) in _SHARING_VIOLATIONS:
            return (
                f"The tracking workbook '{path.name}' is open in another program. New rows "
                f"are waiting and will be added as soon as it is closed."
            )
        return (
            f"The tracking workbook '{path.name}' cannot be opened ({exc.strerror}). "
            f"New rows are waiting."
        )
    return None
