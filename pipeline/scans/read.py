"""Reading a scan or a photo back by its page codes (pipeline/scans/code.py).

Each page is drawn as a picture (a PDF's pages by pdfium, at 200 dpi: enough for a 16 mm code
printed and scanned at 150 dpi or more; a JPEG or PNG as it is) and zxing-cpp looks for QR
codes on it. A page whose code is ours starts a new document when its document (reference,
kind, version, session date) differs from the page before, or when it is a first page; a page
with no code stays with the page before (a scanner batch's back sides, a page turned over)
and is listed, so a person can check it. Nothing on a page is read as an answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.scans.code import PageCode, parse

PDF_DPI = 200
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
MAX_PAGES = 200  # a scanner batch; more is not paper coming back
MAX_PIXELS = 40_000_000  # a 12-megapixel photo three times over; a larger picture is refused


@dataclass
class ScannedDocument:
    code: PageCode | None  # None: pages before the first code (nothing to file them by)
    pages: list[int] = field(default_factory=list)  # 1-based pages of the scan
    uncoded: list[int] = field(default_factory=list)  # pages kept with the one before


@dataclass
class ScanReading:
    pages: int
    documents: list[ScannedDocument]

    @property
    def coded(self) -> bool:
        return any(d.code is not None for d in self.documents)


def codes_on(image) -> list[PageCode]:
    """Our codes on one picture (other barcodes ignored). Tried as it is, then, for a dim or
    uneven photo, with its contrast stretched."""
    import zxingcpp

    found = _ours(zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))
    if not found:
        from PIL import ImageOps

        found = _ours(
            zxingcpp.read_barcodes(
                ImageOps.autocontrast(image.convert("L"), cutoff=2),
                formats=zxingcpp.BarcodeFormat.QRCode,
                try_downscale=True,
            )
        )
    return found


def _ours(results) -> list[PageCode]:
    return [c for c in (parse(r.text) for r in results) if c is not None]


def page_pictures(path: Path) -> Iterable:
    """The scan's pages as pictures: a PDF's pages drawn by pdfium, a photo as it is (turned
    upright by its camera's orientation tag)."""
    path = Path(path)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        from PIL import Image, ImageOps

        with Image.open(path) as im:
            if im.width * im.height > MAX_PIXELS:
                raise ValueError(f"{path.name} is larger than a photo: not looked at")
            yield ImageOps.exif_transpose(im).convert("L")
        return
    from pipeline.extract.pdfium import page_images

    yield from page_images(path, dpi=PDF_DPI, max_pages=MAX_PAGES, max_pixels=MAX_PIXELS)


def read_scan(path: Path) -> ScanReading:
    """The scan's pages grouped into the documents their codes say."""
    documents: list[ScannedDocument] = []
    count = 0
    for number, picture in enumerate(page_pictures(path), start=1):
        count = number
        codes = codes_on(picture)
        code = codes[0] if codes else None
        current = documents[-1] if documents else None
        if code is None:
            if current is None:
                current = ScannedDocument(None)
                documents.append(current)
            current.pages.append(number)
            current.uncoded.append(number)
        elif current is None or current.code is None or _starts_new(current.code, code):
            documents.append(ScannedDocument(code, [number]))
        else:
            current.pages.append(number)
    return ScanReading(count, documents)


def _starts_new(before: PageCode, now: PageCode) -> bool:
    return now.document != before.document or now.page == "1"
