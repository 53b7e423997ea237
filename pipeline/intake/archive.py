"""Move an original out of the inbox into archive/<outcome>/, with a reason file beside it.

Only called after the ledger has committed. The destination is chosen in that transaction
(collision-safe: "form (2).docx"), so finishing a move after a crash lands in the same place.
The reason file says, in plain English, what happened and what to do next.

On Windows the whole path (folder, name, " (n)" and ".reason.txt") is kept under 260
characters. The move is a rename; only a move to another volume copies then deletes, and a
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

log = logging.getLogger("pipeline.archive")

OUTCOME_WORDS = outcomes.words("archive")     # pipeline/outcomes.toml


MAX_NAME_BYTES = 200        # + " (n)" + ".reason.txt" stays under the 255-byte name limit
MAX_PATH = 259              # Windows' MAX_PATH (260) less the terminating NUL
PATH_EXTRA = len(" (999)") + len(".reason.txt")
MIN_ROOM = 12               # never shorter than this, even in a deeply nested archive
CROSS_VOLUME = {errno.EXDEV}
WINDOWS_NOT_SAME_DEVICE = 17    # ERROR_NOT_SAME_DEVICE
ON_WINDOWS = os.name == "nt"    # the 260-character cap is Windows' (tests patch this)
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                    *(f"LPT{i}" for i in range(1, 10))}


def archive_name(name: str, max_chars: int | None = None) -> str:
    """`name` as a file name every system can create: short enough to take a reason file
    beside it, and not a name Windows reserves (CON, AUX ...) or cannot end with. Bytes that
    are not UTF-8 (a Linux name can hold any) become "_", so the name can be shown and stored."""
    name = "".join("_" if "\udc80" <= c <= "\udcff" else c for c in name)
    stem, suffix = _split(name)
    if len(suffix) > 16:
        stem, suffix = name, ""
    stem = stem.rstrip(" .") or "file"
    if stem.split(".")[0].upper() in WINDOWS_RESERVED:
        stem = "_" + stem
    room = MAX_NAME_BYTES - len(suffix.encode("utf-8", "surrogateescape"))
    if len(stem.encode("utf-8", "surrogateescape")) > room:
        cut = stem.encode("utf-8", "surrogateescape")[:room - 1]
        stem = cut.decode("utf-8", "ignore") + "~"
    if max_chars is not None and len(stem) + len(suffix) > max_chars:
        keep = max(1, max_chars - len(suffix) - 1)
        stem = stem[:keep].rstrip(" .") + "~"
    return stem + suffix


def room_in(folder: Path) -> int | None:
    """How many characters a name may have in `folder` so the whole path, with " (n)" and
    ".reason.txt", stays within MAX_PATH (None: no such limit on this system)."""
    if not ON_WINDOWS:
        return None
    return max(MIN_ROOM, MAX_PATH - len(str(folder)) - 1 - PATH_EXTRA)


def choose_destination(folder: Path, name: str, taken: set[str] | None = None) -> Path:
    """A path in `folder` for `name` that neither exists nor is promised to another file."""
    taken = taken or set()
    name = archive_name(name, room_in(folder))
    stem, suffix = _split(name)
    n = 1
    while True:
        candidate = folder / (name if n == 1 else f"{stem} ({n}){suffix}")
        reason = reason_path(candidate)
        if (str(candidate) not in taken and not candidate.exists()
                and not reason.exists()):
            return candidate
        n += 1


def _split(name: str) -> tuple[str, str]:
    p = Path(name)
    return (p.stem, p.suffix) if p.stem else (name, "")


def reason_path(archived: Path) -> Path:
    return archived.with_name(archived.name + ".reason.txt")


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
            os.replace(source, destination)      # same volume: atomic
        except OSError as exc:
            if not is_cross_volume(exc):
                raise                            # busy or denied: the move stays owed
            _copy_then_delete(source, destination)
    try:
        os.chmod(destination, 0o600)
    except OSError:
        pass
    return destination


def is_cross_volume(exc: OSError) -> bool:
    """A rename refused only because the archive is on another volume."""
    return (exc.errno in CROSS_VOLUME
            or getattr(exc, "winerror", None) == WINDOWS_NOT_SAME_DEVICE)


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
