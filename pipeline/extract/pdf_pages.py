"""A PDF's pages read by pdfium (pypdfium2, which pdfplumber ships), shaped as pdfplumber's.

pdfplumber parses every page with pdfminer in Python: most of a flat form's reading time. pdfium
does the same parsing in C. Here each page's characters and drawn lines come from pdfium as
pdfplumber-shaped dicts (x0, x1, top, bottom, ...), so pdfplumber's own text assembly and table
finder, which are quick, give the reader the same lines and tables as before. Coordinates are
the page's own (before any /Rotate), so a page turned for viewing reads as it was written.
A fillable form's widgets (field name, type, value) are read in the same opening.
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
    return read_document(path, password)[0]


def read_document(path, password: str | None = None, widgets: bool = False
                  ) -> tuple[list[Page], list[dict] | None]:
    """Every page (as `read_pages`) and, when asked, the form field widgets on them (as
    `_widgets` says), read in the same opening of the file: a fillable form's answers without
    parsing every field dictionary in Python (pypdf), which cost more than the pages."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path), password=password)
    pages: list[Page] = []
    found: list[dict] | None = [] if widgets else None
    doctop = 0.0
    try:
        for i in range(len(doc)):
            page = doc[i]
            try:
                pages.append(_page(page, i + 1, doctop))
                if found is not None:
                    found.extend(_widgets(page.raw))
            finally:
                page.close()
            doctop += pages[-1].height
    finally:
        doc.close()
    return pages, found


_WIDGET_VALUES = (b"T", b"FT", b"V", b"Ff")       # read: the field's name, type, value, flags
_WIDGET_LINKS = (b"Parent", b"Kids", b"TM")       # only whether they are there


def _widgets(page_raw) -> list[dict]:
    """The page's widget annotations, in page order, each as its own dictionary's entries:
    {key: (pdfium object type, text or number)} for the name, type, value and flags, and
    {key: None} for a parent, kids or a mapping name. Nothing is inherited from a parent
    field: the caller decides what it can trust (pdf.py)."""
    import pypdfium2.raw as raw

    get_annot = _untyped("FPDFPage_GetAnnot", ctypes.c_void_p)
    close = _untyped("FPDFPage_CloseAnnot", None)
    subtype = _untyped("FPDFAnnot_GetSubtype", ctypes.c_int)
    has_key = _untyped("FPDFAnnot_HasKey", ctypes.c_int)
    value_type = _untyped("FPDFAnnot_GetValueType", ctypes.c_int)
    get_number = _untyped("FPDFAnnot_GetNumberValue", ctypes.c_int)
    number = ctypes.c_float()
    number_ref = ctypes.byref(number)
    text_buf = (ctypes.c_ushort * 512)()
    out = []
    for i in range(raw.FPDFPage_GetAnnotCount(page_raw)):
        annot = get_annot(page_raw, i)
        if not annot:
            continue
        annot = _handle(annot)
        try:
            if subtype(annot) != raw.FPDF_ANNOT_WIDGET:
                continue
            entry: dict = {k.decode(): None for k in _WIDGET_LINKS if has_key(annot, k)}
            for key in _WIDGET_VALUES:
                kind = value_type(annot, key)
                if kind == raw.FPDF_OBJECT_UNKNOWN:       # pdfium's answer for a missing key
                    continue
                value: object = None
                if kind in (raw.FPDF_OBJECT_STRING, raw.FPDF_OBJECT_NAME):
                    value = _annot_text(annot, key, text_buf)
                elif kind == raw.FPDF_OBJECT_NUMBER and get_number(annot, key, number_ref):
                    value = number.value
                entry[key.decode()] = (kind, value)
            out.append(entry)
        finally:
            close(annot)
    return out


def _annot_text(annot, key: bytes, buf) -> str:
    """A string or name entry of an annotation's dictionary, decoded by pdfium (into `buf`,
    or a larger buffer when it does not fit)."""
    get = _untyped("FPDFAnnot_GetStringValue", ctypes.c_ulong)
    size = ctypes.sizeof(buf)
    need = get(annot, key, buf, ctypes.c_ulong(size))
    if need > size:
        buf = (ctypes.c_ushort * (need // 2))()
        need = get(annot, key, buf, ctypes.c_ulong(need))
    if need <= 2:
        return ""
    return ctypes.string_at(buf, need - 2).decode("utf-16-le", errors="surrogatepass")


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


def _untyped(name: str, restype):
    """pdfium's function `name` called without ctypes checking each argument: about twice as
    fast for the calls made once per character (the arguments are always of the right C type
    here: a handle pypdfium2 gave, a Python int, a byref). The library object is pypdfium2's
    own, so the calling convention is its (Windows included); pypdfium2's checked function if
    its library object is not where it was."""
    fn = _UNTYPED.get(name)
    if fn is None:
        try:
            from pypdfium2_raw import bindings
            fn = bindings._libs["pdfium"][name]       # a new function object: argtypes unset
            fn.restype = restype
        except (ImportError, AttributeError, KeyError, TypeError):
            import pypdfium2.raw as raw
            fn = getattr(raw, name)
        _UNTYPED[name] = fn
    return fn


def _handle(value):
    """A pointer an unchecked call returned (a plain int) made fit to pass back in."""
    return ctypes.c_void_p(value) if isinstance(value, int) else value


_UNTYPED: dict = {}


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
    highest = max(codes)                  # looked at first: most pages are all below U+D800
    if highest >= 0xD800 and any(0xD800 <= c <= 0xDFFF for c in codes):
        # a character outside the BMP comes as two halves and shifts the rest: ask one by one
        codes = [one(handle, i) for i in range(n)]
    elif highest >= 0xE000:
        # the text call gives a line-end hyphen (code 2 one by one) as U+FFFE
        codes = [c if c < 0xE000 else one(handle, i) for i, c in enumerate(codes)]
    is_generated = _untyped("FPDFText_IsGenerated", ctypes.c_int)
    loose_box = _untyped("FPDFText_GetLooseCharBox", ctypes.c_int)
    origin = _untyped("FPDFText_GetCharOrigin", ctypes.c_int)
    font_size = _untyped("FPDFText_GetFontSize", ctypes.c_double)
    rect = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    rect_ref, ox_ref, oy_ref = ctypes.byref(rect), ctypes.byref(ox), ctypes.byref(oy)
    chars = []
    for i, code in enumerate(codes):
        if code == 2:
            code = 45                      # pdfium's mark for a hyphen ending a line
        if code < 32 or (code in (32, 45) and is_generated(handle, i) == 1):
            continue                       # line ends and spaces pdfium made up itself
        if not (loose_box(handle, i, rect_ref) and origin(handle, i, ox_ref, oy_ref)):
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
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    get_segment = _untyped("FPDFPath_GetPathSegment", ctypes.c_void_p)
    get_point = _untyped("FPDFPathSegment_GetPoint", ctypes.c_int)
    get_type = _untyped("FPDFPathSegment_GetType", ctypes.c_int)
    get_close = _untyped("FPDFPathSegment_GetClose", ctypes.c_int)
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = get_segment(obj, i)
        if not seg:
            continue
        seg = _handle(seg)
        if not get_point(seg, x_ref, y_ref):
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
