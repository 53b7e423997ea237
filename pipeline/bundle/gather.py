"""What a bundle holds, drawn from the ledger and the case timeline: every session record in
the period in date order, each planned session with no record named as missing (never
skipped), significant events marked, then the agreement(s) and the suspension papers.

Text only: each document is set again in the bundle's own pages (so the index's page numbers
are exact and the parties' copy can have details withheld), never pasted as a picture.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import words
from pipeline.dates import numeric_date
from pipeline.errors import FamilyTimeError
from pipeline.ledger.names import EventKind

WORDING = "bundle/bundle.toml"
RECORD_FORM = "family-time-record"
# the record's own reference and date head its page already
_SKIPPED = {"session.reference", "session.date"}


class BundleRefused(FamilyTimeError):
    """No bundle can be made; the message says why and what to do."""


@dataclass
class Part:
    """One document of the bundle: its date, its title in the index and its lines, each
    ("h" heading | "b" label | "p" text, the text)."""

    on: dt.date | None
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    significant: bool = False


@dataclass
class Missing:
    on: dt.date
    scanned: bool = False  # a paper record is on file, not yet typed in


@dataclass
class Contents:
    reference: str
    child: str
    start: dt.date
    end: dt.date
    records: list[Part]
    missing: list[Missing]
    papers: list[Part]  # agreements, then suspension papers
    withheld_values: dict[str, list[str]]  # what the list calls it -> the referral's answers


def say(table: str, key: str, **values) -> str:
    return words.entry(WORDING, table, key, **values)


def text_of(value: Any) -> str:
    """An answer as a person would write it (dates day first, times 24-hour, Yes/No)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return numeric_date(value.date())
    if isinstance(value, dt.date):
        return numeric_date(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, (list, tuple)):
        return ", ".join(text_of(v) for v in value if v is not None)
    return str(value).strip()


def gather(
    ledger,
    profile,
    reference: str,
    allocation,
    *,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Contents:
    from pipeline.cases import case_of
    from pipeline.cases.suspension import cancelled_spans
    from pipeline.scans.filing import scanned_session_dates

    item = ledger.item_by_reference(reference)
    if item is None:
        raise BundleRefused(say("refused", "unknown", reference=reference))
    if item.outcome != "accepted":
        raise BundleRefused(say("refused", "not_accepted", reference=reference))
    values = item.verdict.values if item.verdict else {}
    records = sorted(ledger.sessions_of(reference), key=lambda s: s.date)
    case = case_of(ledger, reference)
    end = end or today
    planned = _planned(item, allocation, profile, min(end, today))
    start = start or min(
        [*(s.date for s in records), *planned], default=allocation_start(allocation) or end
    )
    if end < start:
        raise BundleRefused(
            say("refused", "period", start=numeric_date(start), end=numeric_date(end))
        )
    in_period = [r for r in records if start <= r.date <= end]
    have = {r.date for r in in_period}
    spans = cancelled_spans(case)
    scanned = scanned_session_dates(case)
    missing = [
        Missing(d, d in scanned)
        for d in planned
        if start <= d <= end and d not in have and not any(f <= d <= u for f, u in spans)
    ]
    return Contents(
        reference=reference,
        child=" ".join(
            text_of(values.get(k)) for k in ("child.first_name", "child.last_name") if values.get(k)
        ),
        start=start,
        end=end,
        records=[_record_part(ledger, r) for r in in_period],
        missing=missing,
        papers=_papers(case, start, end),
        withheld_values=_withheld_values(values),
    )


def allocation_start(allocation) -> dt.date | None:
    return getattr(allocation, "first_date", None) if allocation is not None else None


def _planned(item, allocation, profile, until: dt.date) -> list[dt.date]:
    from pipeline.sessions.plan import planned_sessions

    try:
        return [s.date for s in planned_sessions(item, allocation, profile, until=until)]
    except ValueError:  # days a person typed that cannot be read: no plan to miss against
        return []


def _record_part(ledger, record) -> Part:
    from pipeline.catalogue import catalogue

    rec_item = ledger.item(record.item_id)
    answers = rec_item.verdict.values if rec_item is not None and rec_item.verdict else {}
    key = "record_significant" if record.significant_event else "record"
    part = Part(record.date, say("documents", key, date=numeric_date(record.date)))
    part.significant = record.significant_event
    part.lines.append(("h", part.title))
    try:
        fields = catalogue().form(RECORD_FORM).expanded_fields()
    except (KeyError, ValueError):
        fields = []
    shown = set()
    for f in fields:
        if f.key in _SKIPPED or f.key in shown:
            continue
        shown.add(f.key)
        text = text_of(answers.get(f.key))
        if text:
            part.lines += [("b", f.label), ("p", text)]
    if not fields:  # no catalogue: the record as the ledger keeps it
        part.lines += [("b", "Outcome"), ("p", record.outcome)]
    return part


def _papers(case, start: dt.date, end: dt.date) -> list[Part]:
    """The agreement of each pack made (the latest of each distinct file), then the papers of
    each suspension, in the order they were made."""
    agreements: dict[str, tuple[dt.date, Path]] = {}
    for e in case.of(EventKind.PACK_MADE):
        for doc in e.detail.get("documents", []):
            path = Path(doc)
            if path.suffix.lower() == ".docx" and "agreement" in path.name.lower():
                agreements[path.name] = (e.on, path)
    parts = [_document_part(on, path) for on, path in agreements.values()]
    for e in case.of(EventKind.SCAN_FILED, by=end):  # the signed copy came back on paper
        if e.detail.get("document") == "agreement":
            title = say("documents", "signed_scan", date=numeric_date(e.on))
            kept = say("documents", "signed_scan_kept", file=e.detail.get("file", ""))
            parts.append(Part(e.on, title, [("h", title), ("p", kept)]))
    for e in case.of(EventKind.LETTERS_MADE, by=end):
        parts += [
            _document_part(e.on, Path(d))
            for d in e.detail.get("documents", [])
            if Path(d).suffix.lower() == ".docx"
        ]
    return parts


def _document_part(on: dt.date, path: Path) -> Part:
    """A Word document the pipeline made, its paragraphs and table rows in order."""
    part = Part(on, path.stem)
    try:
        from docx import Document

        doc = Document(str(path))
    except Exception:  # moved, deleted or damaged: listed, never silently left out
        part.lines = [("h", part.title), ("p", say("documents", "not_found", name=path.name))]
        return part
    part.lines.append(("h", part.title))
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text.strip():
                part.lines.append(("p", text.strip()))
        elif tag == "tbl":
            for row in child.iter():
                if not row.tag.endswith("}tr"):
                    continue
                cells = []
                for cell in row:
                    if cell.tag.endswith("}tc"):
                        t = "".join(x.text or "" for x in cell.iter() if x.tag.endswith("}t"))
                        if t.strip():
                            cells.append(t.strip())
                if cells:
                    part.lines.append(("p", " | ".join(cells)))
    return part


def _withheld_values(values: dict) -> dict[str, list[str]]:
    """The referral's answers the parties never see, by what the list calls them. An address
    is withheld whole and line by line (a letter may quote its first line alone); a postcode
    with and without its space."""
    out: dict[str, list[str]] = {}
    for key, what in words.load(WORDING)["withheld"]["keys"]:
        text = text_of(values.get(key))
        if not text or text.lower() in ("none", "none known", "not known"):
            continue
        found = [text]
        if key.endswith("address"):
            found += [p.strip() for p in text.replace("\n", ",").split(",") if len(p.strip()) > 2]
        if key.endswith("postcode"):
            found.append(text.replace(" ", ""))
        out[what] = found
    return out
