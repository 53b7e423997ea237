"""Filing a scan by its page codes: each document found is copied beside its referral's pack
(outbox/<reference>/scans/) and written once on the case timeline (SCAN_FILED), so the
tracker's Paperwork cell can say "Agreement signed ... (scan)" and a handwritten session record
counts as received for the recording deadline. A code naming a referral this ledger has not
accepted is never filed (the wrong child): the pages are listed for a person instead."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import words
from pipeline.dates import numeric_date
from pipeline.files import private_dir
from pipeline.ledger.names import EventKind
from pipeline.ledger.timeline import Event
from pipeline.scans.read import IMAGE_SUFFIXES, ScanReading, read_scan

__all__ = ["IMAGE_SUFFIXES", "file_scan", "scans_of", "agreement_signed", "pages_text"]

if TYPE_CHECKING:
    from pipeline.ledger import Ledger

log = logging.getLogger(__name__)
WORDING = "scans/scans.toml"
SUFFIXES = (".pdf", *IMAGE_SUFFIXES)


@dataclass
class Filed:
    reference: str
    document: str
    path: Path
    pages: list[int]
    session_date: dt.date | None = None


@dataclass
class ScanFiling:
    filed: list[Filed] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # what a person is told, in order

    @property
    def summary(self) -> str:
        return " ".join(self.lines)


def pages_text(pages: list[int]) -> str:
    """[1, 2, 3, 5] -> "1-3, 5"."""
    runs: list[list[int]] = []
    for p in sorted(pages):
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _say(key: str, **values) -> str:
    return words.entry(WORDING, "filed", key, **values)


def file_scan(
    path: Path, digest: str, ledger: Ledger, outbox: Path, received: dt.date
) -> ScanFiling | None:
    """File the scan at `path` by its codes; None when no page carries one of ours (the file
    is then what it always was: an image nobody can read)."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        return None
    try:
        reading = read_scan(path)
    except Exception:  # a damaged scan is reported as unreadable, as before
        log.warning("scans: %s could not be drawn to look for codes", digest[:12])
        return None
    if not reading.coded:
        return None
    return _file(path, digest, reading, ledger, Path(outbox), received)


def _file(
    path: Path, digest: str, reading: ScanReading, ledger, outbox: Path, received: dt.date
) -> ScanFiling:
    out = ScanFiling([], [_say("intro")])
    for index, doc in enumerate(reading.documents):
        if doc.code is None:
            out.lines.append(_say("before_code", pages=pages_text(doc.pages)))
            continue
        ref = doc.code.reference
        item = ledger.item_by_reference(ref)
        if item is None or item.outcome != "accepted":
            out.lines.append(_say("not_ours", pages=pages_text(doc.pages), reference=ref))
            continue
        kept = _keep(path, doc.pages, reading.pages, outbox / ref / "scans", doc.code, digest)
        filed = Filed(ref, doc.code.kind, kept, doc.pages, doc.code.on)
        out.filed.append(filed)
        ledger.record_event(
            Event(
                ref,
                EventKind.SCAN_FILED,
                received,
                f"scan_filed:{digest[:20]}:{index}",
                {
                    "document": doc.code.kind,
                    "version": doc.code.version,
                    "session_date": doc.code.on.isoformat() if doc.code.on else "",
                    "pages": doc.pages,
                    "uncoded": doc.uncoded,
                    "file": kept.name,
                },
            )
        )
        log.info("scans: %s filed to %s (%d pages)", doc.code.kind, ref, len(doc.pages))
        values = {"reference": ref, "pages": pages_text(doc.pages)}
        if doc.code.kind == "agreement":
            out.lines.append(_say("agreement", **values))
        elif doc.code.kind == "record":
            session = numeric_date(doc.code.on) if doc.code.on else "?"
            out.lines.append(_say("session_record", session=session, **values))
        else:
            out.lines.append(_say("other", document=doc.code.kind.replace("_", " "), **values))
        if doc.uncoded:
            out.lines.append(_say("uncoded", pages=pages_text(doc.uncoded)))
    return out


def _keep(source: Path, pages: list[int], total: int, folder: Path, code, digest: str) -> Path:
    """The document's pages beside the pack: a PDF's own pages (never re-drawn), a photo as
    it came. Named by what it is, never by a person."""
    folder = private_dir(folder)
    day = f" {code.on.isoformat()}" if code.on else ""
    name = f"{code.kind.replace('_', ' ')}{day} v{code.version} scan {digest[:8]}"
    if source.suffix.lower() != ".pdf":
        target = folder / f"{name}{source.suffix.lower()}"
        shutil.copyfile(source, target)
        return target
    target = folder / f"{name} p{pages[0]}.pdf"
    if len(pages) == total:
        shutil.copyfile(source, target)
        return target
    from pypdf import PdfReader, PdfWriter

    reader, writer = PdfReader(str(source)), PdfWriter()
    for p in pages:
        writer.add_page(reader.pages[p - 1])
    with open(target, "wb") as fh:
        writer.write(fh)
    return target


def scans_of(case) -> list[Event]:
    """The case's filed scans, oldest first."""
    return case.of(EventKind.SCAN_FILED) if case is not None else []


def agreement_signed(case) -> Event | None:
    """The first scan of a signed agreement on file (None: no signed agreement came back)."""
    return next((e for e in scans_of(case) if e.detail.get("document") == "agreement"), None)


def scanned_session_dates(case) -> set[dt.date]:
    """Sessions whose record came back on paper: received, waiting to be typed in."""
    return {
        dt.date.fromisoformat(e.detail["session_date"])
        for e in scans_of(case)
        if e.detail.get("document") == "record" and e.detail.get("session_date")
    }
