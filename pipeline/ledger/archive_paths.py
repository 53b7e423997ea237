"""Where an original goes in the archive: a name every system can create, never one already
taken or promised to another file.

Decided by the ledger in the transaction that records the file (so finishing a move after a
crash lands in the same place); the move itself is pipeline/intake/archive.py's. On Windows
the whole path (folder, name, " (n)" and ".reason.txt") is kept under 260 characters.
"""

from __future__ import annotations

import os
from pathlib import Path

MAX_NAME_BYTES = 200  # + " (n)" + ".reason.txt" stays under the 255-byte name limit
MAX_PATH = 259  # Windows' MAX_PATH (260) less the terminating NUL
PATH_EXTRA = len(" (999)") + len(".reason.txt")
MIN_ROOM = 12  # never shorter than this, even in a deeply nested archive
ON_WINDOWS = os.name == "nt"  # the 260-character cap is Windows' (tests patch this)
WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


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
        cut = stem.encode("utf-8", "surrogateescape")[: room - 1]
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
        if str(candidate) not in taken and not candidate.exists() and not reason.exists():
            return candidate
        n += 1


def _split(name: str) -> tuple[str, str]:
    p = Path(name)
    return (p.stem, p.suffix) if p.stem else (name, "")


def reason_path(archived: Path) -> Path:
    return archived.with_name(archived.name + ".reason.txt")
