"""The faster PDF route (pipeline.extract.pdf._fast_page_class) must read exactly what
pdfplumber's own route reads: the same characters, text and tables on every fixture PDF, so a
speed-up can never change an answer taken from a form."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from pipeline.extract.pdf import _add_drawn_boxes, _fast_page_class

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PDFS = ["forms/referral-complete.pdf", "forms/old-contact-referral.pdf",
        "forms/record-completed.pdf", "forms/letter-not-a-referral.pdf",
        "pdf/acroform-referral.pdf", "pdf/agreement-signed.pdf", "pdf/scanned.pdf"]


def _comparable(objects: dict) -> dict:
    # an image's raw stream object is a different Python object per open; all else must match
    return {kind: [{k: v for k, v in o.items() if k != "stream"} for o in objs]
            for kind, objs in objects.items()}


@pytest.mark.parametrize("name", PDFS)
def test_fast_route_reads_the_same(name):
    fast = _fast_page_class()
    assert fast is not None, "pdfplumber internals changed: the faster route is off"
    with pdfplumber.open(FIXTURES / name) as plain_pdf, pdfplumber.open(FIXTURES / name) as pdf:
        for plain, page in zip(plain_pdf.pages, pdf.pages):
            page.__class__ = fast
            _add_drawn_boxes(plain)
            _add_drawn_boxes(page)
            assert _comparable(page.objects) == _comparable(plain.objects)
            assert page.extract_text() == plain.extract_text()
            assert page.extract_tables() == plain.extract_tables()


def test_fast_route_finds_table_text():
    """Not vacuous: the fixture form has tables with answers in them."""
    with pdfplumber.open(FIXTURES / "forms/referral-complete.pdf") as pdf:
        page = pdf.pages[0]
        page.__class__ = _fast_page_class()
        cells = [c for t in page.extract_tables() for row in t for c in row if c]
    assert len(cells) > 10
