"""What every reader of the extract room answers with when a file cannot be read, and how
one of several forms in a file is named: the readers' shared words, below them all (the
room's front door, extract/__init__.py, calls the readers, never the other way round)."""

from __future__ import annotations

from pathlib import Path

from pipeline.extract import reasons
from pipeline.extract.models import Extraction, FormMatch


def unreadable(path: Path, reason: str) -> Extraction:
    """The verdict for a file we cannot or will not read (every reader's one way to say so)."""
    return Extraction(file=path.name, form=FormMatch(status="unreadable", reason=reason))


def part_name(name: str, index: int, total: int) -> str:
    """How one of several forms in a file is named: "referrals.docx (form 2 of 2)"."""
    return (
        name
        if total <= 1
        else reasons.say("file.part_name", None, name=name, index=index, total=total)
    )
