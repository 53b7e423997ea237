"""One PDF holding several forms (two children): one Extraction per form.

A social worker with two children joins their two PDFs into one, or exports one Word file
holding two forms. Read as one, the second child is lost or merged into the first. Each form
starts on a page whose first lines are the form's title (its own first-page mark, from the
catalogue), so the file is cut before each such page and each page range is read as a form.

Fillable PDFs joined by pypdf keep both forms' fields under the same names (pypdf's
`get_fields()` then keeps only the last), so each form's answers are taken from the fields
drawn on its own pages. Where that cannot tell the children apart (one field shown on both
forms, or a viewer that filled same-named fields as one, leaving identical answers), the file
goes to the team with a plain reason: never one child with the other's answers.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline.extract import reasons
from pipeline.extract.models import Extraction
from pipeline.extract.results import unreadable

log = logging.getLogger(__name__)

HEAD_LINES = 2  # a title among a page's first lines (a logo line may come first)


def read_pdf_all(path: Path, profile=None) -> list[Extraction]:
    """Every form in the PDF, in order; the whole file as one when it holds one form (or
    cannot be cut into whole forms). Never raises for bad input."""
    from pipeline.extract.pdf import read_pdf

    path = Path(path)
    whole = read_pdf(path, profile)  # every safety check runs here, on the whole file
    if whole.form.status not in ("current", "old"):
        return [whole]
    try:
        if not _several_titles(path):
            return [whole]
        return _split(path, whole, profile)
    except Exception:  # noqa: BLE001 - the whole-file answer stands
        log.warning("pdf: could not look for several forms in a file", exc_info=True)
        return [whole]


def _split(path: Path, whole: Extraction, profile) -> list[Extraction]:
    from pypdf import PdfReader

    from pipeline.extract import pdf
    from pipeline.extract.pdf_pages import read_pages

    reader = PdfReader(path, strict=False)
    password = None
    if reader.is_encrypted:
        reader.decrypt("")
        password = ""
    pages = read_pages(path, password)
    texts = []
    for page in pages:
        pdf._add_drawn_boxes(page)
        texts.append(page.extract_text() or "")
    starts = form_starts(texts)
    if len(starts) < 2:
        return [whole]
    ranges = list(zip(starts, starts[1:] + [len(pages)]))
    widgets = [_fields_on(reader, range(a, b)) for a, b in ranges]
    properties = pdf._properties(reader)
    parts = []
    for (a, b), fields in zip(ranges, widgets):
        lines = [ln for t in texts[a:b] for ln in t.splitlines()]
        tables = [t for i in range(a, b) if texts[i].strip() for t in pages[i].extract_tables()]
        acro = pdf._acroform_fields(_Fields({name: f for name, (_, f) in fields.items()}))
        parts.append(
            pdf._identify_and_read(
                path.name, "\n".join(lines), lines, properties, acro, profile, tables
            )
        )
    if len(parts) > 1 and parts[0].form.by_labels_only:
        # pages before the first titled form (a care plan, a chronology): sent with the form,
        # never a form of their own, and not read as part of it
        widgets, parts = widgets[1:], parts[1:]
    colliding = _colliding(widgets)
    if colliding and not _told_apart(widgets, parts):
        return [unreadable(path, reasons.say("pdf.several_forms_mixed", profile, count=len(parts)))]
    if all(_is_whole_form(p) for p in parts):
        return parts
    if colliding:  # the whole file's answers mix the forms
        return [unreadable(path, reasons.say("pdf.several_forms_mixed", profile, count=len(parts)))]
    return [whole]


def _several_titles(path: Path) -> bool:
    """A quick look first (pdfium's plain text of each page, one call a page; no characters,
    drawn boxes or pypdf): almost every PDF holds one form, and reading it again in full to
    find that out doubled its cost."""
    from pipeline.extract import pdfium

    texts = pdfium.page_texts(path, min_pages=2)
    return len(texts) > 1 and len(form_starts(texts)) > 1


def form_starts(page_texts: list[str]) -> list[int]:
    """The pages (from 0) where a form starts: the first, and each page whose first lines
    are a form's title standing as a heading."""
    from pipeline.catalogue import catalogue
    from pipeline.extract.identify import _title_in
    from pipeline.extract.text import normalise

    forms = list(catalogue().forms.values())
    starts = [0]
    for i, text in enumerate(page_texts[1:], start=1):
        head = [ln for ln in normalise(text, keep_lines=True).split("\n") if ln.strip()]
        if any(_title_in(head[:HEAD_LINES], form) for form in forms):
            starts.append(i)
    return starts


class _Fields:
    """What pdf._acroform_fields asks of a reader: the fields, by name."""

    def __init__(self, fields: dict):
        self.fields = fields

    def get_fields(self) -> dict:
        return self.fields


def _inherited(obj, key: str):
    while obj is not None:
        if key in obj:
            return obj[key]
        parent = obj.get("/Parent")
        obj = parent.get_object() if parent is not None else None
    return None


def _fields_on(reader, pages: range) -> dict[str, tuple[int, dict]]:
    """The fillable fields drawn on these pages: full name -> (the field's object number,
    what pdf._acroform_fields reads of it). A field is found through its widgets, so two
    forms' fields of the same name are kept apart by the pages they are drawn on."""
    out: dict[str, tuple[int, dict]] = {}
    for i in pages:
        for ref in reader.pages[i].get("/Annots") or []:
            widget = ref.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            field = widget
            while "/T" not in field and field.get("/Parent") is not None:
                field = field["/Parent"].get_object()
            if "/T" not in field:
                continue
            names, node = [], field
            while node is not None:
                if "/T" in node:
                    names.append(str(node["/T"]))
                parent = node.get("/Parent")
                node = parent.get_object() if parent is not None else None
            ident = field.indirect_reference.idnum if field.indirect_reference else id(field)
            out[".".join(reversed(names))] = (
                ident,
                {
                    "/FT": _inherited(field, "/FT"),
                    "/V": _inherited(field, "/V"),
                    "/Ff": _inherited(field, "/Ff") or 0,
                },
            )
    return out


def _colliding(widgets: list[dict]) -> bool:
    """Two forms' fields share names (as two fillable forms joined into one file do)."""
    seen: set[str] = set()
    for fields in widgets:
        if seen & fields.keys():
            return True
        seen |= fields.keys()
    return False


def _told_apart(widgets: list[dict], parts: list[Extraction]) -> bool:
    """No field object is drawn on two forms, and no two forms' fillable answers are the same
    in every field (a viewer fills same-named fields as one, so both children would show the
    last one typed)."""
    owner: dict[int, int] = {}
    for n, fields in enumerate(widgets):
        for ident, _ in fields.values():
            if owner.setdefault(ident, n) != n:
                return False
    answers = [p.fields for p in parts if p.fields]
    return len({repr(sorted(a.items())) for a in answers}) == len(answers)


def _is_whole_form(e: Extraction) -> bool:
    """A part that is a form in its own right: identified, with at least as many answers as
    a document needs to look like the form at all."""
    from pipeline.catalogue import catalogue

    if e.form.status not in ("current", "old") or e.form.id is None:
        return False
    return len(e.fields) >= catalogue().form(e.form.id).min_labels
