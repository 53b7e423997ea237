"""The bundle of records for the court and the parties: every record in date order with its
page in the index, missing sessions named, significant events at the front, and nothing the
parties must not see on any page of their copy (read back from the PDF itself)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.bundle.make import make_bundle
from pipeline.render.pdf import libreoffice_available

from tests.helpers import bundle_kit as K
from tests.helpers.render_kit import CARER_ADDRESS

TODAY = dt.date(2027, 3, 1)
WITHHELD = [CARER_ADDRESS, "14 Larkspur Close", K.POSTCODE, "NN99ZZ", K.SCHOOL, "Rory"]

needs_libreoffice = pytest.mark.skipif(
    not libreoffice_available(), reason="LibreOffice (soffice) is not installed"
)


@pytest.fixture
def work(tmp_path, monkeypatch):
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.ledger import Ledger

    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY.isoformat())
    toml = init_folder(tmp_path / "work")
    config = load_config(toml)
    profile = config.load_profile()
    ledger = Ledger(config.ledger_path)
    # 13 Tuesdays from 1 Dec 2026; the fifth (5 Jan 2027) has no record
    allocation = K.build(ledger, config.outbox_dir, profile, records=13, skip=(5,))
    yield config, profile, ledger, allocation, toml
    ledger.close()


def _docx_pages(path) -> list[str]:
    """The .docx's text page by page (each page begins with a page break)."""
    from docx import Document

    pages: list[list[str]] = []
    for p in Document(str(path)).paragraphs:
        if (
            p._p.pPr is not None
            and p._p.pPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pageBreakBefore"
            )
            is not None
            or not pages
        ):
            pages.append([])
        pages[-1].append(p.text)
    return ["\n".join(p) for p in pages]


def _make(work, **kw):
    config, profile, ledger, allocation, _ = work
    return make_bundle(ledger, profile, K.REF, allocation, config.outbox_dir, today=TODAY, **kw)


def test_index_points_at_each_record_in_date_order_and_names_the_missing_one(work):
    made = _make(work, pdf=False)
    pages = _docx_pages(made.bundle.docx)
    assert len(pages) == made.bundle.pages
    index = pages[1]
    rows = [r for r in index.splitlines() if r[:2].isdigit()]
    dates = [dt.datetime.strptime(r.split("\t")[0], "%d/%m/%Y").date() for r in rows[:13]]
    assert dates == sorted(dates)
    assert "05/01/2027\tNo record received (missing)\t—" in index
    for row in rows:
        on, document, page = row.split("\t")
        if page.isdigit():  # the page the index gives begins with that document
            assert pages[int(page) - 1].splitlines()[2] == document
    # the agreement comes after the records, and every page is numbered through
    agreement = [r for r in rows if "Agreement" in r]
    assert agreement and int(agreement[0].split("\t")[2]) > int(rows[12].split("\t")[2])
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in text.splitlines()[0]


def test_significant_events_are_listed_at_the_front_with_their_pages(work):
    made = _make(work, pdf=False)
    pages = _docx_pages(made.bundle.docx)
    front = "\n".join(pages[:2])
    significant = front.split("Significant events", 1)[1].split("Sessions planned", 1)[0]
    # sessions 4 and 14 of the kit are significant; 13 sessions: only the fourth (22/12/2026)
    assert "22/12/2026\tFamily Time Record, 22/12/2026 (significant event)\t" in significant
    page = int(significant.split("(significant event)\t")[1].split()[0])
    assert "Significant event" in pages[page - 1]


def test_parties_bundle_docx_shows_withheld_and_none_of_the_values(work):
    made = _make(work, pdf=False, for_parties=True)
    text = "\n".join(_docx_pages(made.bundle.docx))
    assert "[withheld]" in text
    for value in WITHHELD:
        assert value.lower() not in text.lower(), value
    # the court's list says what was withheld on which page
    court = "\n".join(_docx_pages(made.withheld.docx))
    assert "the carer's address: 14 Larkspur Close, Sampleton" in court
    assert "the child's school" in court


def test_court_bundle_keeps_everything(work):
    made = _make(work, pdf=False)
    text = "\n".join(_docx_pages(made.bundle.docx))
    assert CARER_ADDRESS in text and "[withheld]" not in text
    assert made.withheld is None


@pytest.mark.libreoffice
@needs_libreoffice
def test_every_page_of_the_parties_pdf_is_read_back_and_holds_no_withheld_value(work):
    import pdfplumber
    from pypdf import PdfReader

    made = _make(work, for_parties=True)
    assert made.bundle.pdf is not None, made.bundle.pdf_problem
    with pdfplumber.open(made.bundle.pdf) as pdf:
        plumber = [page.extract_text() or "" for page in pdf.pages]
    pypdf_pages = [page.extract_text() or "" for page in PdfReader(made.bundle.pdf).pages]
    assert len(plumber) == len(pypdf_pages) == made.bundle.pages
    for n, (a, b) in enumerate(zip(plumber, pypdf_pages), start=1):
        flat_a, flat_b = " ".join(a.split()).lower(), " ".join(b.split()).lower()
        assert f"page {n} of {made.bundle.pages}" in flat_a
        for value in WITHHELD:
            assert value.lower() not in flat_a and value.lower() not in flat_b, (n, value)
    assert any("[withheld]" in p for p in plumber)


def test_without_libreoffice_the_word_bundle_is_made_and_the_pdf_said_plainly(work, monkeypatch):
    import pipeline.render.pdf as pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    made = _make(work)
    assert made.bundle.docx.is_file() and made.bundle.pdf is None
    assert "LibreOffice is not installed" in made.bundle.pdf_problem


def test_the_command_writes_into_the_referrals_bundle_folder(work, capsys):
    from pipeline.cli import main

    config, toml = work[0], work[4]
    code = main(
        [
            "bundle",
            K.REF,
            "--for",
            "parties",
            "--no-pdf",
            "--config",
            str(toml),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "bundle for the parties" in out
    assert list((config.outbox_dir / K.REF / "bundle").glob("*parties*.docx"))


def test_a_signed_agreement_scanned_back_is_listed_after_the_agreement(work):
    from pipeline.ledger.names import EventKind
    from pipeline.ledger.timeline import Event

    ledger = work[2]
    ledger.record_event(
        Event(
            K.REF,
            EventKind.SCAN_FILED,
            dt.date(2026, 11, 27),
            "scan_filed:test:0",
            {
                "document": "agreement",
                "version": 1,
                "session_date": "",
                "pages": [1, 2],
                "uncoded": [],
                "file": "agreement v1 scan 0a1b2c3d p1.pdf",
            },
        )
    )
    pages = _docx_pages(_make(work, pdf=False).bundle.docx)
    index = pages[1]
    assert "27/11/2026\tAgreement signed, received on paper 27/11/2026\t" in index
    assert "agreement v1 scan 0a1b2c3d p1.pdf" in pages[-1]
