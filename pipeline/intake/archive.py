"""Move an original out of the inbox into archive/<outcome>/, with a reason file beside it.

Only called after the ledger has committed. The destination is chosen in that transaction
(collision-safe: "form (2).docx"; the naming rule is pipeline/ledger/archive_paths.py), so
finishing a move after a crash lands in the same place.
The reason file says, in plain English, what happened and what to do next.

The move is a rename; only a move to another volume copies then deletes, and a
rename refused because the file is busy (Word has it open, no delete right) raises, so the
move stays owed instead of leaving a stray copy behind.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
from pathlib import Path

from pipeline import outcomes
from pipeline.dates import numeric_datetime
from pipeline.files import private_dir, write_private
from pipeline.ledger.archive_paths import reason_path

log = logging.getLogger("pipeline.archive")

OUTCOME_WORDS = outcomes.words("archive")  # pipeline/outcomes.toml


CROSS_VOLUME = {errno.EXDEV}
WINDOWS_NOT_SAME_DEVICE = 17  # ERROR_NOT_SAME_DEVICE


def reason_text(outcome: str, items: list) -> str:
    """The reason file: per item the outcome, the reason, the reference and the problems."""
    lines = []
    for item in items:
        lines.append(f"File: {item.original_name}")
        lines.append(f"Outcome: {OUTCOME_WORDS.get(item.outcome, item.outcome)}")
        if item.reference:
            lines.append(f"Reference: {item.reference}")
        lines.append(f"Received: {numeric_datetime(item.received_at)}")
        lines.append(f"Why: {item.reason}")
        problems = item.verdict.problems if item.verdict else []
        warnings = item.verdict.warnings if item.verdict else []
        if problems:
            lines.append("What needs putting right:")
            lines += [f"  - {p.message}" for p in problems]
        if warnings:
            lines.append("Points for the team to check:")
            lines += [f"  - {w.message}" for w in warnings]
        lines.append("")
    return "\n".join(lines)


def archive_original(source: Path, destination: Path, text: str, keep_source: bool = False) -> Path:
    """Write the reason file, then move (or copy) the original to `destination`.

    The reason file goes first, so a crash after the move still leaves it beside the file.
    Raises OSError when the original is locked: the caller leaves the move owed.
    """
    private_dir(destination.parent)
    write_private(reason_path(destination), text.encode("utf-8"))
    if keep_source:
        tmp = destination.with_name(f".copying-{destination.name}")
        shutil.copy2(source, tmp)
        os.replace(tmp, destination)
    else:
        try:
            os.replace(source, destination)  # same volume: atomic
        except OSError as exc:
            if not is_cross_volume(exc):
                raise  # busy or denied: the move stays owed
            _copy_then_delete(source, destination)
    try:
        os.chmod(destination, 0o600)
    except OSError:
        pass
    return destination


def is_cross_volume(exc: OSError) -> bool:
    """A rename refused only because the archive is on another volume."""
    return exc.errno in CROSS_VOLUME or getattr(exc, "winerror", None) == WINDOWS_NOT_SAME_DEVICE


def _copy_then_delete(source: Path, destination: Path) -> None:
    """Copy to the destination, then delete the original; if the original cannot be deleted,
    take the copy back out, so no stray copy is left in the archive."""
    tmp = destination.with_name(f".copying-{destination.name}")
    shutil.copy2(source, tmp)
    os.replace(tmp, destination)
    try:
        source.unlink()
    except OSError:
        destination.unlink(missing_ok=True)
        raise
