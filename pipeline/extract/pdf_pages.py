"""A PDF's pages read by pdfium (pypdfium2, which pdfplumber ships), shaped as pdfplumber's.

pdfplumber parses every page with pdfminer in Python: most of a flat form's reading time. pdfium
does the same parsing in C. Here each page's characters and drawn lines come from pdfium as
pdfplumber-shaped dicts (x0, x1, top, bottom, ...), so pdfplumber's own text assembly and table
finder, which are quick, give the reader the same lines and tables as before. Coordinates are
the page's own (before any /Rotate), so a page turned for viewing reads as it was written.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from functools import cached_property

FPDF_PAGEOBJ_PATH = 2
FPDF_PAGEOBJ_IMAGE = 3
FPDF_PAGEOBJ_FORM = 5
FPDF_SEGMENT_LINETO = 0
FPDF_SEGMENT_MOVETO = 2


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
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path), password=password)
    pages: list[Page] = []
    doctop = 0.0
    try:
        for i in range(len(doc)):
            page = doc[i]
            try:
                pages.append(_page(page, i + 1, doctop))
            finally:
                page.close()
            doctop += pages[-1].height
    finally:
        doc.close()
    return pages


def _page(page, number: int, doctop: float) -> Page:
    x0, y0, x1, y1 = page.get_mediabox()
    out = Page(page_number=number, width=x1 - x0, height=y1 - y0, initial_doctop=doctop)
    top_of = y1                           # pdfplumber's top: measured down from the box's top
    textpage = page.get_textpage()
    try:
        out.objects["char"] = _chars(textpage, x0, top_of, doctop)
    finally:
        textpage.close()
    _objects(page.raw, out, x0, top_of, doctop)
    return out


def _chars(textpage, left: float, top_of: float, doctop: float) -> list[dict]:
    """Each character pdfium read, skipping the spaces and line ends it made up itself. The
    text comes in one call; pdfium's own characters are only asked "made up?" when a space
    or a line end (the only characters it makes up)."""
    import pypdfium2.raw as raw

    handle = textpage.raw
    n = raw.FPDFText_CountChars(handle)
    if n <= 0:
        return []
    buf = (ctypes.c_ushort * (n + 1))()
    raw.FPDFText_GetText(handle, 0, n, buf)
    codes = list(buf[:n])
    one = raw.FPDFText_GetUnicode
    if any(0xD800 <= c <= 0xDFFF for c in codes):
        # a character outside the BMP comes as two halves and shifts the rest: ask one by one
        codes = [one(handle, i) for i in range(n)]
    elif any(c >= 0xE000 for c in codes):
        # the text call gives a line-end hyphen (code 2 one by one) as U+FFFE
        codes = [c if c < 0xE000 else one(handle, i) for i, c in enumerate(codes)]
    is_generated = raw.FPDFText_IsGenerated
    loose_box = raw.FPDFText_GetLooseCharBox
    origin = raw.FPDFText_GetCharOrigin
    font_size = raw.FPDFText_GetFontSize
    rect = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    chars = []
    for i, code in enumerate(codes):
        if code == 2:
            code = 45                      # pdfium's mark for a hyphen ending a line
        if code < 32 or (code in (32, 45) and is_generated(handle, i) == 1):
            continue                       # line ends and spaces pdfium made up itself
        if not (loose_box(handle, i, rect) and origin(handle, i, ox, oy)):
            continue
        # pdfminer's box, which pdfplumber's line and table rules were tuned on: the glyph's
        # advance across, and one font size up from the baseline
        size = font_size(handle, i)
        x0, x1 = rect.left - left, rect.right - left
        y = oy.value
        bottom = top_of - y
        top = bottom - size
        chars.append({"object_type": "char", "text": chr(code), "x0": x0, "x1": x1,
                      "top": top, "bottom": bottom, "y0": y, "y1": y + size,
                      "doctop": doctop + top, "width": x1 - x0, "height": size,
                      "size": size, "upright": True})
    return chars


def _objects(page_raw, page: Page, left: float, top_of: float, doctop: float) -> None:
    """The page's images and drawn paths, and those one form XObject down (pdfium's raw
    calls: its Python object per page object cost more than reading the path)."""
    import pypdfium2.raw as raw

    def walk(count, get, parent, nested: bool) -> None:
        for i in range(count(parent)):
            obj = get(parent, i)
            if not obj:
                continue
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == FPDF_PAGEOBJ_IMAGE:
                page.images = True
            elif kind == FPDF_PAGEOBJ_PATH:
                _path(obj, page, left, top_of, doctop)
            elif kind == FPDF_PAGEOBJ_FORM and not nested:
                walk(raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, obj, True)

    walk(raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, page_raw, False)


def _path(obj, page: Page, left: float, top_of: float, doctop: float) -> None:
    """A drawn path as pdfminer sees it: one straight segment a line, an axis-aligned box a
    rectangle, anything else a curve through its points."""
    import pypdfium2.raw as raw

    fm = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, fm):
        return
    a, b, c, d, e, f = fm.a, fm.b, fm.c, fm.d, fm.e, fm.f
    pts: list[tuple[float, float]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    get_segment, get_point = raw.FPDFPath_GetPathSegment, raw.FPDFPathSegment_GetPoint
    get_type, get_close = raw.FPDFPathSegment_GetType, raw.FPDFPathSegment_GetClose
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = get_segment(obj, i)
        if not get_point(seg, x, y):
            continue
        vx, vy = x.value, y.value
        px = a * vx + c * vy + e - left
        py = top_of - (b * vx + d * vy + f)
        if get_type(seg) == FPDF_SEGMENT_MOVETO and pts:
            _shape(pts, page, doctop)
            pts = []
        pts.append((px, py))
        if get_close(seg) and pts[-1] != pts[0]:
            pts.append(pts[0])
    if pts:
        _shape(pts, page, doctop)


def _shape(pts: list[tuple[float, float]], page: Page, doctop: float) -> None:
    if len(pts) < 2:
        return
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    box = {"x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys),
           "width": max(xs) - min(xs), "height": max(ys) - min(ys),
           "doctop": doctop + min(ys), "y0": page.height - max(ys),
           "y1": page.height - min(ys)}
    if len(pts) == 2:
        page.objects.setdefault("line", []).append({**box, "object_type": "line", "pts": pts})
    elif _is_box(pts):
        page.objects.setdefault("rect", []).append({**box, "object_type": "rect"})
    else:
        page.objects.setdefault("curve", []).append({**box, "object_type": "curve",
                                                     "pts": pts})


def _is_box(pts: list[tuple[float, float]]) -> bool:
    """Four corners (a fifth closing the path) joined by horizontal and vertical sides."""
    corners = pts[:4] if len(pts) == 4 or (len(pts) == 5 and pts[4] == pts[0]) else None
    if corners is None:
        return False
    ring = corners + corners[:1]
    return all(a[0] == b[0] or a[1] == b[1] for a, b in zip(ring, ring[1:]))
