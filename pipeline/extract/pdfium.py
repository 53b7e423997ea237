"""Every call the reader makes into pdfium (the PDF library pypdfium2 wraps), in one place.

Only this module imports pypdfium2 (tests/extract/test_pdfium.py holds every other file to
that), so a new pypdfium2 release is checked here alone against the pin in pyproject.toml. It
uses pypdfium2's public API only: `pypdfium2` to open files and take a page's plain text, and
`pypdfium2.raw` (pdfium's C functions with ctypes' argument types) for characters, drawn paths
and form widgets.

A few calls are made once per character or path segment; those go through copies of the same
C functions without ctypes' per-argument checks (`_unchecked`), about twice as fast, which is
most of why the service's PDFs read several times faster than pdfplumber's route. The
arguments are always of one C type there (a handle pdfium gave, a Python int index, a byref),
and a test reads every fixture both ways.

Coordinates are the page's own (before any /Rotate), so a page turned for viewing reads as it
was written. Any file pdfium cannot open or parse raises `PdfUnreadable`.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c

FPDF_PAGEOBJ_PATH = 2
FPDF_PAGEOBJ_IMAGE = 3
FPDF_PAGEOBJ_FORM = 5
FPDF_SEGMENT_MOVETO = 2


class PdfUnreadable(Exception):
    """pdfium could not open or parse the file (damaged, not a PDF, or the password is not
    the one given): the caller refuses the file rather than guessing at it."""


@dataclass
class PageParts:
    """One page as pdfium read it, in pdfplumber's terms (top measured down from the page's
    top; `doctop` from the first page's top): what pdf_pages.Page is built from."""

    number: int
    width: float
    height: float
    doctop: float
    chars: list[dict] = field(default_factory=list)
    paths: list[list[tuple[float, float]]] = field(default_factory=list)
    images: bool = False


def read_document(
    path, password: str | None = None, widgets: bool = False
) -> tuple[list[PageParts], list[dict] | None]:
    """Every page's characters, drawn paths and whether it shows an image, and, when asked,
    the form field widgets on the pages (as `_widgets` says), in one opening of the file."""
    doc = _open(path, password)
    pages: list[PageParts] = []
    found: list[dict] | None = [] if widgets else None
    doctop = 0.0
    try:
        for i in range(len(doc)):
            page = _page_at(doc, i)
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


def page_texts(
    path, password: str | None = None, min_pages: int = 1, max_pages: int | None = None
) -> list[str]:
    """pdfium's plain text of each page (one call a page: no characters or drawn boxes), line
    ends as "\\n"; [] without reading any text when the file has fewer than `min_pages` pages.
    With no password given, an encrypted file is opened with the empty one, as the full route
    opens it."""
    try:
        doc = _open(path, password)
    except PdfUnreadable:
        if password is not None:
            raise
        doc = _open(path, "")
    try:
        count = len(doc)
        if count < min_pages:
            return []
        texts = []
        for i in range(count if max_pages is None else min(count, max_pages)):
            page = _page_at(doc, i)
            try:
                textpage = page.get_textpage()
                try:
                    texts.append(textpage.get_text_range().replace("\r\n", "\n"))
                finally:
                    textpage.close()
            finally:
                page.close()
        return texts
    finally:
        doc.close()


def _open(path, password: str | None):
    try:
        return pypdfium2.PdfDocument(str(Path(path)), password=password)
    except pypdfium2.PdfiumError as exc:
        raise PdfUnreadable(f"pdfium cannot open {Path(path).name}: {exc}") from exc


def _page_at(doc, index: int):
    try:
        return doc[index]
    except pypdfium2.PdfiumError as exc:
        raise PdfUnreadable(f"pdfium cannot read page {index + 1}: {exc}") from exc


def _page(page, number: int, doctop: float) -> PageParts:
    x0, y0, x1, y1 = page.get_mediabox()
    out = PageParts(number=number, width=x1 - x0, height=y1 - y0, doctop=doctop)
    top_of = y1  # pdfplumber's top: measured down from the box's top
    textpage = page.get_textpage()
    try:
        out.chars = _chars(textpage.raw, x0, top_of, doctop)
    finally:
        textpage.close()
    _objects(page.raw, out, x0, top_of)
    return out


# ---------------------------------------------------------------------------------------------
# Calls made once per character or segment


def _unchecked(name: str, restype):
    """pdfium's C function `name` without ctypes' per-argument checks: a new ctypes function
    object at the address of pypdfium2's own (so the same library and calling convention,
    Windows included), its argument types unset. pypdfium2's checked function if it is not a
    ctypes function any more."""
    fn = _UNCHECKED.get(name)
    if fn is None:
        checked = getattr(pdfium_c, name)
        try:
            fn = type(checked)(ctypes.cast(checked, ctypes.c_void_p).value)
            fn.restype = restype
        except (TypeError, ctypes.ArgumentError):
            fn = checked
        _UNCHECKED[name] = fn
    return fn


_UNCHECKED: dict = {}


def _handle(value):
    """A pointer an unchecked call returned (a plain int) made fit to pass back in: without
    argument types ctypes would pass an int as a C int, cutting a 64-bit pointer."""
    return ctypes.c_void_p(value) if isinstance(value, int) else value


def _chars(handle, left: float, top_of: float, doctop: float) -> list[dict]:
    """Each character pdfium read, skipping the spaces and line ends it made up itself, as
    pdfplumber's character dicts. The text comes in one call; pdfium's own characters are only
    asked "made up?" when a space or a line end (the only characters it makes up)."""
    n = pdfium_c.FPDFText_CountChars(handle)
    if n <= 0:
        return []
    buf = (ctypes.c_ushort * (n + 1))()
    pdfium_c.FPDFText_GetText(handle, 0, n, buf)
    codes = list(buf[:n])
    one = pdfium_c.FPDFText_GetUnicode
    highest = max(codes)  # looked at first: most pages are all below U+D800
    if highest >= 0xD800 and any(0xD800 <= c <= 0xDFFF for c in codes):
        # a character outside the BMP comes as two halves and shifts the rest: ask one by one
        codes = [one(handle, i) for i in range(n)]
    elif highest >= 0xE000:
        # the text call gives a line-end hyphen (code 2 one by one) as U+FFFE
        codes = [c if c < 0xE000 else one(handle, i) for i, c in enumerate(codes)]
    is_generated = _unchecked("FPDFText_IsGenerated", ctypes.c_int)
    loose_box = _unchecked("FPDFText_GetLooseCharBox", ctypes.c_int)
    origin = _unchecked("FPDFText_GetCharOrigin", ctypes.c_int)
    font_size = _unchecked("FPDFText_GetFontSize", ctypes.c_double)
    rect = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    rect_ref, ox_ref, oy_ref = ctypes.byref(rect), ctypes.byref(ox), ctypes.byref(oy)
    chars = []
    for i, code in enumerate(codes):
        if code == 2:
            code = 45  # pdfium's mark for a hyphen ending a line
        if code < 32 or (code in (32, 45) and is_generated(handle, i) == 1):
            continue  # line ends and spaces pdfium made up itself
        if not (loose_box(handle, i, rect_ref) and origin(handle, i, ox_ref, oy_ref)):
            continue
        # pdfminer's box, which pdfplumber's line and table rules were tuned on: the glyph's
        # advance across, and one font size up from the baseline
        size = font_size(handle, i)
        x0, x1 = rect.left - left, rect.right - left
        y = oy.value
        bottom = top_of - y
        top = bottom - size
        chars.append(
            {
                "object_type": "char",
                "text": chr(code),
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "y0": y,
                "y1": y + size,
                "doctop": doctop + top,
                "width": x1 - x0,
                "height": size,
                "size": size,
                "upright": True,
            }
        )
    return chars


def _objects(page_raw, page: PageParts, left: float, top_of: float) -> None:
    """The page's images and drawn paths, and those one form XObject down (pdfium's raw
    calls: pypdfium2's Python object per page object cost more than reading the path)."""

    def walk(count, get, parent, nested: bool) -> None:
        for i in range(count(parent)):
            obj = get(parent, i)
            if not obj:
                continue
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == FPDF_PAGEOBJ_IMAGE:
                page.images = True
            elif kind == FPDF_PAGEOBJ_PATH:
                _path(obj, page.paths, left, top_of)
            elif kind == FPDF_PAGEOBJ_FORM and not nested:
                walk(pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, obj, True)

    walk(pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, page_raw, False)


def _path(obj, out: list, left: float, top_of: float) -> None:
    """A drawn path's subpaths, each the points it passes through on the page (a closed
    subpath ending where it began), appended to `out`."""
    fm = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, fm):
        return
    a, b, c, d, e, f = fm.a, fm.b, fm.c, fm.d, fm.e, fm.f
    pts: list[tuple[float, float]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    get_segment = _unchecked("FPDFPath_GetPathSegment", ctypes.c_void_p)
    get_point = _unchecked("FPDFPathSegment_GetPoint", ctypes.c_int)
    get_type = _unchecked("FPDFPathSegment_GetType", ctypes.c_int)
    get_close = _unchecked("FPDFPathSegment_GetClose", ctypes.c_int)
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
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
            out.append(pts)
            pts = []
        pts.append((px, py))
        if get_close(seg) and pts[-1] != pts[0]:
            pts.append(pts[0])
    if pts:
        out.append(pts)


# ---------------------------------------------------------------------------------------------
# Form widgets

_WIDGET_VALUES = (b"T", b"FT", b"V", b"Ff")  # read: the field's name, type, value, flags
_WIDGET_LINKS = (b"Parent", b"Kids", b"TM")  # only whether they are there


def _widgets(page_raw) -> list[dict]:
    """The page's widget annotations, in page order, each as its own dictionary's entries:
    {key: (pdfium object type, text or number)} for the name, type, value and flags, and
    {key: None} for a parent, kids or a mapping name. Nothing is inherited from a parent
    field: the caller decides what it can trust (pdf.py)."""
    get_annot = _unchecked("FPDFPage_GetAnnot", ctypes.c_void_p)
    close = _unchecked("FPDFPage_CloseAnnot", None)
    subtype = _unchecked("FPDFAnnot_GetSubtype", ctypes.c_int)
    has_key = _unchecked("FPDFAnnot_HasKey", ctypes.c_int)
    value_type = _unchecked("FPDFAnnot_GetValueType", ctypes.c_int)
    get_number = _unchecked("FPDFAnnot_GetNumberValue", ctypes.c_int)
    number = ctypes.c_float()
    number_ref = ctypes.byref(number)
    text_buf = (ctypes.c_ushort * 512)()
    out = []
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(page_raw)):
        annot = get_annot(page_raw, i)
        if not annot:
            continue
        annot = _handle(annot)
        try:
            if subtype(annot) != pdfium_c.FPDF_ANNOT_WIDGET:
                continue
            entry: dict = {k.decode(): None for k in _WIDGET_LINKS if has_key(annot, k)}
            for key in _WIDGET_VALUES:
                kind = value_type(annot, key)
                if kind == pdfium_c.FPDF_OBJECT_UNKNOWN:  # pdfium's answer for a missing key
                    continue
                value: object = None
                if kind in (pdfium_c.FPDF_OBJECT_STRING, pdfium_c.FPDF_OBJECT_NAME):
                    value = _annot_text(annot, key, text_buf)
                elif kind == pdfium_c.FPDF_OBJECT_NUMBER and get_number(annot, key, number_ref):
                    value = number.value
                entry[key.decode()] = (kind, value)
            out.append(entry)
        finally:
            close(annot)
    return out


def _annot_text(annot, key: bytes, buf) -> str:
    """A string or name entry of an annotation's dictionary, decoded by pdfium (into `buf`,
    or a larger buffer when it does not fit)."""
    get = _unchecked("FPDFAnnot_GetStringValue", ctypes.c_ulong)
    size = ctypes.sizeof(buf)
    need = get(annot, key, buf, ctypes.c_ulong(size))
    if need > size:
        buf = (ctypes.c_ushort * (need // 2))()
        need = get(annot, key, buf, ctypes.c_ulong(need))
    if need <= 2:
        return ""
    return ctypes.string_at(buf, need - 2).decode("utf-16-le", errors="surrogatepass")


# ---------------------------------------------------------------------------------------------
# Pages as pictures (for reading a scan's page codes: pipeline/scans/read.py)


def page_images(
    path,
    dpi: int = 200,
    password: str | None = None,
    max_pages: int | None = None,
    max_pixels: int = 40_000_000,
):
    """Each page drawn as a greyscale PIL image at `dpi`, one at a time (a 60-page scanner
    batch is never all in memory at once). A page larger than `max_pixels` at that dpi is
    drawn smaller (a hostile page size never becomes a huge bitmap); more than `max_pages`
    pages raises PdfUnreadable before any is drawn."""
    doc = _open(path, password)
    try:
        if max_pages is not None and len(doc) > max_pages:
            raise PdfUnreadable(f"{Path(path).name} has more than {max_pages} pages")
        for i in range(len(doc)):
            page = _page_at(doc, i)
            try:
                width, height = page.get_size()
                scale = dpi / 72
                if width * height * scale * scale > max_pixels:
                    scale = (max_pixels / max(width * height, 1.0)) ** 0.5
                bitmap = page.render(scale=scale, grayscale=True)
                try:
                    yield bitmap.to_pil()
                finally:
                    bitmap.close()
            finally:
                page.close()
    finally:
        doc.close()
