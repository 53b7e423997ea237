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
PDFS = [
    "forms/referral-complete.pdf",
    "forms/old-contact-referral.pdf",
    "forms/old-2022-referral.pdf",
    "forms/referral-typed-over.pdf",
    "forms/record-completed.pdf",
    "forms/letter-not-a-referral.pdf",
    "pdf/acroform-referral.pdf",
    "pdf/agreement-signed.pdf",
    "pdf/scanned.pdf",
]


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


def test_text_assembly_matches_pdfplumber_on_random_characters():
    """pdf_text.extract_text is pdfplumber's rule written out: equal on characters placed at
    random (overlapping lines, jumps back, tolerance edges, spaces, ligatures, empty text)."""
    import random

    from pdfplumber import utils

    from pipeline.extract.pdf_text import extract_text

    rng = random.Random(17)
    alphabet = ["a", "b", "Z", " ", "ﬁ", "-", "☒", "", "\t"]
    for _ in range(300):
        chars = []
        for _ in range(rng.randint(0, 60)):
            x0 = rng.choice([rng.uniform(0, 200), rng.randint(0, 40) * 3.0])
            top = rng.choice([rng.uniform(0, 60), rng.randint(0, 20) * 3.0])
            width = rng.choice([0.0, rng.uniform(0.5, 8)])
            chars.append(
                {
                    "text": rng.choice(alphabet),
                    "x0": x0,
                    "x1": x0 + width,
                    "top": top,
                    "bottom": top + 10,
                    "doctop": top,
                    "upright": True,
                    "size": 10.0,
                }
            )
        assert extract_text(chars) == utils.extract_text(chars), chars


def test_cells_from_crossings_match_pdfplumber():
    """pdf_tables.crossings_to_cells gives pdfplumber's cells, in its order, on every page."""
    from pdfplumber.table import (
        TableFinder,
        TableSettings,
        edges_to_intersections,
        intersections_to_cells,
    )

    from pipeline.extract.pdf_tables import crossings_to_cells

    settings = TableSettings.resolve(None)
    seen = 0
    for name in PDFS:
        for page in read_pages(FIXTURES / name):
            finder = TableFinder.__new__(TableFinder)
            finder.page, finder.settings = page, settings
            crossings = edges_to_intersections(finder.get_edges(), 3, 3)
            assert crossings_to_cells(crossings) == intersections_to_cells(crossings)
            seen += len(crossings)
    assert seen > 100
