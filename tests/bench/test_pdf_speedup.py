"""The faster PDF route (pages parsed by pdfium, pipeline/extract/pdf_pages.py) must read
exactly what pdfplumber's own route reads: the same text and tables on every fixture PDF, so a
speed-up can never change an answer taken from a form."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from pipeline.extract.pdf import _add_drawn_boxes
from pipeline.extract.pdf_pages import read_pages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PDFS = ["forms/referral-complete.pdf", "forms/old-contact-referral.pdf",
        "forms/old-2022-referral.pdf", "forms/referral-typed-over.pdf",
        "forms/record-completed.pdf", "forms/letter-not-a-referral.pdf",
        "pdf/acroform-referral.pdf", "pdf/agreement-signed.pdf", "pdf/scanned.pdf"]


@pytest.mark.parametrize("name", PDFS)
def test_fast_route_reads_the_same(name):
    with pdfplumber.open(FIXTURES / name) as plain_pdf:
        pages = read_pages(FIXTURES / name)
        assert len(pages) == len(plain_pdf.pages)
        for plain, page in zip(plain_pdf.pages, pages):
            _add_drawn_boxes(plain)
            _add_drawn_boxes(page)
            assert page.extract_text() == plain.extract_text()
            assert page.extract_tables() == plain.extract_tables()
            assert page.images == bool(plain.images)


def test_fast_route_finds_table_text():
    """Not vacuous: the fixture form has tables with answers in them."""
    page = read_pages(FIXTURES / "forms/referral-complete.pdf")[0]
    cells = [c for t in page.extract_tables() for row in t for c in row if c]
    assert len(cells) > 10
