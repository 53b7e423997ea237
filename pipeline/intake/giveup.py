"""A file that fails the same way again and again is set aside as unreadable, with a plain
reason, instead of being retried for ever (a path too long for Windows, a file the service
account may not open).

It is recorded like any other unreadable file (the tracker and the team's email say so) and
moved to archive/unreadable when it can be moved; when it cannot even be read, its ledger
entry is keyed by its place, size and time, so it is set aside once, not again at every look.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from pipeline import clock
from pipeline.effects.contract import owe
from pipeline.extract.reasons import say
from pipeline.ledger import AlreadyRecorded, ItemDraft, Ledger
from pipeline.paths import FORM_TEMPLATES

log = logging.getLogger("pipeline.watcher")

WORDS = FORM_TEMPLATES / "intake"
KNOWN = {"too_long", "denied", "busy", "missing"}


def reason(kind: str, tries: int, profile=None) -> str:
    """The plain reason for a file set aside after `tries` failures of `kind`."""
    problem = say(f"give_up.{kind if kind in KNOWN else 'other'}", profile, root=WORDS, kind=kind)
    return say("give_up.intro", profile, root=WORDS, tries=tries, problem=problem)


def _digest(path: Path) -> tuple[str, int]:
    """The content's hash, or (for a file that cannot be read) one of its place and size."""
    from pipeline.intake.process import sha256_of

    try:
        return sha256_of(path), path.stat().st_size
    except OSError:
        try:
            st = path.stat()
            size, mtime = st.st_size, st.st_mtime_ns
        except OSError:
            size, mtime = 0, 0
        key = f"set-aside\0{path}\0{size}\0{mtime}".encode("utf-8", "surrogateescape")
        return hashlib.sha256(key).hexdigest(), size


def set_aside(path: Path, config, profile, ledger: Ledger, kind: str, tries: int) -> list:
    """Record `path` as unreadable (kind of failure, how many tries) and try to archive it."""
    from pipeline.intake.process import finish_archive

    digest, size = _digest(path)
    for rec in ledger.files_with_hash(digest):
        if Path(rec.source_path) == path:  # set aside already: only the move may be owed
            if not rec.archived:
                finish_archive(rec, ledger)
            return ledger.items_of_file(rec.id)
    draft = owe(
        ItemDraft(
            original_name=path.name, outcome="unreadable", reason=reason(kind, tries, profile)
        )
    )
    try:
        record, items = ledger.record_file(
            sha256=digest,
            original_name=path.name,
            size=size,
            received_at=clock.now().replace(microsecond=0),
            source_path=path,
            archive_root=config.archive_dir,
            drafts=[draft],
        )
    except AlreadyRecorded as exc:
        record = ledger.file(exc.file_id)
        items = None
    log.warning("file %s: set aside as unreadable after %d tries (%s)", record.id, tries, kind)
    finish_archive(record, ledger, items)
    return ledger.items_of_file(record.id)
