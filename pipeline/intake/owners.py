"""Office owner files (`~$name`): is a document still open in Word or Excel, or was the
owner file left behind?

Word lets other programs read a document it has open, so reading is no sign that it is
closed; the owner file beside it is. Word shortens the name it keeps after "~$" (it drops
one or two leading characters of longer names), Excel keeps it whole. An owner file older
than its document's last save by more than a day was almost certainly left behind by a crash:
it no longer holds anything up in the inbox, and `status` reports it (and doctor can, through
stale_owner_files).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

PREFIX = "~$"
STALE_AFTER = dt.timedelta(days=1)


def owner_candidates(path: Path) -> list[Path]:
    """The owner-file names Word or Excel may use for `path`."""
    name = path.name
    return [path.with_name(PREFIX + name[cut:]) for cut in (0, 1, 2) if name[cut:]]


def owner_of(path: Path) -> Path | None:
    """The owner file beside `path`, if there is one (stale or not)."""
    for owner in owner_candidates(path):
        try:
            if owner.is_file():
                return owner
        except OSError:
            continue
    return None


def is_stale(owner: Path, document: Path) -> bool:
    """True when the document was saved more than a day after the owner file was made."""
    try:
        return (document.stat().st_mtime - owner.stat().st_mtime) > STALE_AFTER.total_seconds()
    except OSError:
        return False


def open_in_office(path: Path) -> bool:
    """Whether `path` has a live (not stale) owner file: Word or Excel has it open."""
    owner = owner_of(path)
    return owner is not None and not is_stale(owner, path)


def document_of(owner: Path) -> Path | None:
    """The document an owner file belongs to (its name ends with what follows "~$")."""
    tail = owner.name[len(PREFIX) :].lower()
    if not tail:
        return None
    try:
        siblings = [
            p for p in owner.parent.iterdir() if not p.name.startswith(PREFIX) and p.is_file()
        ]
    except OSError:
        return None
    for doc in sorted(siblings, key=lambda p: len(p.name)):
        if doc.name.lower().endswith(tail) and len(doc.name) - len(tail) <= 2:
            return doc
    return None


def stale_owner_files(config) -> list[tuple[Path, Path]]:
    """(owner file, document) pairs in the tracker folder and the inbox where the owner file is
    older than the document's last save by more than a day: probably left behind, and (for the
    workbook) blocking every tracker write until someone deletes it."""
    out = []
    for folder in (config.tracker_dir, config.inbox_dir):
        try:
            owners = sorted(p for p in folder.glob(PREFIX + "*") if p.is_file())
        except OSError:
            continue
        for owner in owners:
            doc = document_of(owner)
            if doc is not None and is_stale(owner, doc):
                out.append((owner, doc))
    return out
