"""The small QR code in a corner of the paperwork: which referral, which document, which
version and which page, so a scanned page finds its way back without anyone reading it.

The text is short and plain ("FT1|FT-2026-00001|agreement|2|1|"), readable by any phone's
camera too; the last field is the session's date for a session record (blank otherwise).
Page "1" is the document's first page and "n" any later page: a Word document can show one
picture on its first page and another on the rest, never a different one on each page.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

PREFIX = "FT1"
LATER_PAGE = "n"
_REFERENCE = re.compile(r"^FT-\d{4}-\d{5}$")
_KIND = re.compile(r"^[a-z_]{1,30}$")


@dataclass(frozen=True)
class PageCode:
    reference: str
    kind: str  # agreement | record | a letter with a reply part
    version: int
    page: str  # "1", or LATER_PAGE
    on: dt.date | None = None  # a session record's session date

    @property
    def document(self) -> tuple:
        """What says two pages belong to the same document (the page aside)."""
        return (self.reference, self.kind, self.version, self.on)

    def text(self) -> str:
        day = self.on.isoformat() if self.on else ""
        return "|".join((PREFIX, self.reference, self.kind, str(self.version), self.page, day))


def parse(text: str) -> PageCode | None:
    """The code's text read back, or None when it is not one of ours (any other QR code on a
    page, a damaged read): a page is filed by a code that parses whole, never by a guess."""
    parts = (text or "").strip().split("|")
    if len(parts) != 6 or parts[0] != PREFIX:
        return None
    _, ref, kind, version, page, day = parts
    if not (_REFERENCE.match(ref) and _KIND.match(kind) and version.isdigit()):
        return None
    if page != LATER_PAGE and not page.isdigit():
        return None
    try:
        on = dt.date.fromisoformat(day) if day else None
    except ValueError:
        return None
    return PageCode(ref, kind, int(version), page, on)


def png(code: PageCode, scale: int = 8) -> bytes:
    """The code as a black and white PNG (error correction M: a fold or a coffee ring across
    it still reads). One mask chosen, not the best of eight: segno's choosing is most of its
    time, and a pack stamps ten codes; every mask reads."""
    import segno
    from PIL import Image

    qr = segno.make(code.text(), error="m", micro=False, mask=4, boost_error=False)
    rows = [bytes(0 if dark else 255 for dark in row) for row in qr.matrix_iter(border=2)]
    side = len(rows)
    image = Image.frombytes("L", (side, side), b"".join(rows))
    image = image.resize((side * scale, side * scale), Image.NEAREST).convert("1")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()
