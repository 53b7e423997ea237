"""A PDF's pages read by pdfium (pdfium.py, the one module that calls it), shaped as pdfplumber's.

pdfplumber parses every page with pdfminer in Python: most of a flat form's reading time. pdfium
does the same parsing in C. Here each page's characters and drawn lines come from pdfium as
pdfplumber-shaped dicts (x0, x1, top, bottom, ...), so pdfplumber's own text assembly and table
finder, which are quick, give the reader the same lines and tables as before. Coordinates are
the page's own (before any /Rotate), so a page turned for viewing reads as it was written.
A fillable form's widgets (field name, type, value) are read in the same opening.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class Page:
    """What the reader needs of one page, in pdfplumber's terms."""

    page_number: int
    width: float
    height: float
    initial_doctop: float
    objects: dict[str, list[dict]] = field(default_factory=dict)
    images: bool = False

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0, 0, self.width, self.height)

    @property
    def chars(self) -> list[dict]:
        return self.objects.setdefault("char", [])

    @cached_property
    def edges(self) -> list[dict]:
        """Asked twice by the table finder (across, then down); the lines do not change."""
        from pdfplumber import utils

        lines = [utils.line_to_edge(ln) for ln in self.objects.get("line", [])]
        rects = [e for r in self.objects.get("rect", []) for e in utils.rect_to_edges(r)]
        curves = [e for c in self.objects.get("curve", []) for e in utils.curve_to_edges(c)]
        return lines + rects + curves

    def extract_text(self) -> str:
        from pipeline.extract.pdf_text import extract_text

        return extract_text(self.chars)

    def extract_tables(self) -> list[list[list[str | None]]]:
        from pipeline.extract.pdf_tables import find_tables
        from pipeline.extract.pdf_text import Middles, table_text

        tables = find_tables(self)
        middles = Middles(self.chars) if tables else None
        return [table_text(table, middles) for table in tables]


def read_pages(path, password: str | None = None) -> list[Page]:
    """Every page of the PDF, with its characters, lines, rectangles and curves."""
    return read_document(path, password)[0]


def read_document(
    path, password: str | None = None, widgets: bool = False
) -> tuple[list[Page], list[dict] | None]:
    """Every page (as `read_pages`) and, when asked, the form field widgets on them (as
    pdfium.py's `_widgets` says), read in the same opening of the file: a fillable form's
    answers without parsing every field dictionary in Python (pypdf), which cost more than the
    pages. pdfium.PdfUnreadable when pdfium cannot read the file."""
    from pipeline.extract import pdfium

    parts, found = pdfium.read_document(path, password, widgets)
    pages = []
    for part in parts:
        page = Page(
            page_number=part.number,
            width=part.width,
            height=part.height,
            initial_doctop=part.doctop,
            images=part.images,
        )
        page.objects["char"] = part.chars
        for pts in part.paths:
            _shape(pts, page, part.doctop)
        pages.append(page)
    return pages, found


def _shape(pts: list[tuple[float, float]], page: Page, doctop: float) -> None:
    """A drawn subpath as pdfminer sees it: one straight segment a line, an axis-aligned box a
    rectangle, anything else a curve through its points."""
    if len(pts) < 2:
        return
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    box = {
        "x0": min(xs),
        "x1": max(xs),
        "top": min(ys),
        "bottom": max(ys),
        "width": max(xs) - min(xs),
        "height": max(ys) - min(ys),
        "doctop": doctop + min(ys),
        "y0": page.height - max(ys),
        "y1": page.height - min(ys),
    }
    if len(pts) == 2:
        page.objects.setdefault("line", []).append({**box, "object_type": "line", "pts": pts})
    elif _is_box(pts):
        page.objects.setdefault("rect", []).append({**box, "object_type": "rect"})
    else:
        page.objects.setdefault("curve", []).append({**box, "object_type": "curve", "pts": pts})


def _is_box(pts: list[tuple[float, float]]) -> bool:
    """Four corners (a fifth closing the path) joined by horizontal and vertical sides."""
    corners = pts[:4] if len(pts) == 4 or (len(pts) == 5 and pts[4] == pts[0]) else None
    if corners is None:
        return False
    ring = corners + corners[:1]
    return all(a[0] == b[0] or a[1] == b[1] for a, b in zip(ring, ring[1:]))
