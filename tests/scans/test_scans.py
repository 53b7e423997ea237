"""Paper back from the scanner, read by the code printed on each page: the pipeline's own
agreement and pre-filled session records, rendered to PDF, scanned at 150-300 dpi turned a few
degrees with noise and a fold (tests/scans/make_scans.py), and a phone photo. Every page's code
is found; a batch is split where the codes change; pages with no code stay with the page
before and are listed; the scan is filed to its referral and said in the tracker's words."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from pipeline.render.pdf import libreoffice_available
from pipeline.scans.code import LATER_PAGE, PageCode, parse, png
from pipeline.scans.read import read_scan

from tests.scans.make_scans import drawn_page, image_pdf, pages_of, photo, scanned

REF = "FT-2026-00001"
AGREEMENT = PageCode(REF, "agreement", 2, "1")
RECORD = PageCode(REF, "record", 2, "1", dt.date(2026, 12, 1))

needs_libreoffice = pytest.mark.skipif(
    not libreoffice_available(), reason="LibreOffice (soffice) is not installed"
)


def test_the_code_says_reference_kind_version_page_and_reads_back_whole():
    assert parse(RECORD.text()) == RECORD
    assert RECORD.text() == "FT1|FT-2026-00001|record|2|1|2026-12-01"
    for other in ("", "hello", "FT1|FT-2026-1|agreement|1|1|", "FT1|FT-2026-00001|x|v|1|"):
        assert parse(other) is None  # someone else's QR code files nothing


@pytest.mark.parametrize("dpi", [150, 200, 300])
@pytest.mark.parametrize("angle", [-3.0, 1.5, 4.0])
def test_a_drawn_page_scanned_turned_and_noisy_is_read(tmp_path, dpi, angle):
    page = scanned(drawn_page(png(AGREEMENT), dpi), angle, seed=dpi, dpi=dpi)
    reading = read_scan(image_pdf([page], tmp_path / "scan.pdf", dpi))
    assert [d.code for d in reading.documents] == [AGREEMENT]


def test_a_phone_photo_is_read(tmp_path):
    reading = read_scan(photo(drawn_page(png(AGREEMENT), 300), tmp_path / "IMG_0042.jpg"))
    assert [d.code for d in reading.documents] == [AGREEMENT]


def test_a_batch_is_split_where_the_codes_change_and_uncoded_pages_stay_with_the_one_before(
    tmp_path,
):
    from dataclasses import replace

    blank = drawn_page(png(AGREEMENT), 150).point(lambda v: 255)  # a page with nothing on it
    pages = [
        drawn_page(png(AGREEMENT), 150),
        drawn_page(png(replace(AGREEMENT, page=LATER_PAGE)), 150),
        blank,  # the back of page 2
        drawn_page(png(RECORD), 150),
        drawn_page(png(replace(RECORD, on=dt.date(2026, 12, 8))), 150),
    ]
    batch = image_pdf(
        [scanned(p, 2.0, seed=i, dpi=150) for i, p in enumerate(pages)], tmp_path / "b.pdf", 150
    )
    reading = read_scan(batch)
    assert [(d.code.kind, d.code.on, d.pages, d.uncoded) for d in reading.documents] == [
        ("agreement", None, [1, 2, 3], [3]),
        ("record", dt.date(2026, 12, 1), [4], []),
        ("record", dt.date(2026, 12, 8), [5], []),
    ]


@pytest.mark.libreoffice
@needs_libreoffice
@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_the_pipelines_own_pack_printed_and_scanned_is_read_on_every_page(
    tmp_path, monkeypatch, dpi
):
    """The measure: codes found on 100% of scanned pages at 150 dpi and above."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-20")
    from pipeline.profile import load_profile
    from pipeline.render import render_pack
    from pipeline.render.pdf import to_pdfs

    from tests.helpers.render_kit import make_allocation, make_item

    profile = load_profile("northamptonshire")
    docs = render_pack(make_item(), make_allocation(profile), profile, tmp_path / "pack", version=3)
    coded = [d for d in docs if "greement" in d.name or d.name.startswith("Session record")]
    pdfs = to_pdfs(coded)
    pages, expected = [], []
    for i, pdf in enumerate(pdfs):
        for n, page in enumerate(pages_of(pdf, dpi)):
            pages.append(scanned(page, (-2.5, 3.0, 1.0)[(i + n) % 3], seed=i * 10 + n, dpi=dpi))
            expected.append((i, n))
    reading = read_scan(image_pdf(pages, tmp_path / "batch.pdf", dpi))
    assert len(reading.documents) == len(pdfs)  # one document per printed document
    assert all(not d.uncoded for d in reading.documents), "a page's code was not found"
    kinds = [d.code.kind for d in reading.documents]
    assert kinds[0] == "agreement" and set(kinds[1:]) == {"record"}
    assert {d.code.version for d in reading.documents} == {3}


# ------------------------------------------------------------------ filed through intake


@pytest.fixture
def work(tmp_path, monkeypatch):
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.ledger import Ledger

    from tests.helpers import bundle_kit as K

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-25")
    config = load_config(init_folder(tmp_path / "work"))
    profile = config.load_profile()
    ledger = Ledger(config.ledger_path)
    K.build(ledger, config.outbox_dir, profile, records=0)
    yield config, profile, ledger
    ledger.close()


def _drop(config, src, name, when=dt.datetime(2026, 11, 24, 9, 30)):
    import os

    dest = config.inbox_dir / name
    shutil.copyfile(src, dest)
    os.utime(dest, (when.timestamp(), when.timestamp()))
    return dest


def test_a_signed_agreement_scanned_is_filed_to_its_referral_and_shown_in_paperwork(tmp_path, work):
    from pipeline.cases import case_of
    from pipeline.intake.process import process_file
    from pipeline.scans.agreement import paperwork_note

    config, profile, ledger = work
    scan = image_pdf(
        [scanned(drawn_page(png(PageCode(REF, "agreement", 1, "1")), 200), 2, 1, 200)],
        tmp_path / "s.pdf",
        200,
    )
    items = process_file(_drop(config, scan, "SCAN0001.pdf"), config, profile, ledger)
    assert items[0].outcome == "not_referral"
    assert "Scanned signed agreement filed to FT-2026-00001 (pages 1)" in items[0].reason
    kept = list((config.outbox_dir / REF / "scans").glob("*.pdf"))
    assert len(kept) == 1
    note = paperwork_note(case_of(ledger, REF), profile, came_with_referral=False)
    assert note == "Agreement signed 24/11/2026 (scan)"


def test_a_handwritten_record_photo_is_filed_not_read_and_counts_as_received(tmp_path, work):
    from pipeline.cases import case_of
    from pipeline.intake.process import process_file
    from pipeline.scans.filing import scanned_session_dates

    config, profile, ledger = work
    code = PageCode(REF, "record", 1, "1", dt.date(2026, 12, 1))
    shot = photo(drawn_page(png(code), 300), tmp_path / "IMG_0042.jpg")
    items = process_file(_drop(config, shot, "IMG_0042.jpg"), config, profile, ledger)
    assert "scanned record — type it into the record form" in items[0].reason
    assert ledger.sessions_of(REF) == []  # nothing was read as answers
    assert scanned_session_dates(case_of(ledger, REF)) == {dt.date(2026, 12, 1)}


def test_a_code_for_a_referral_not_here_is_not_filed(tmp_path, work):
    from pipeline.intake.process import process_file

    config, profile, ledger = work
    other = PageCode("FT-2026-00999", "agreement", 1, "1")
    scan = image_pdf([scanned(drawn_page(png(other), 200), 1, 1, 200)], tmp_path / "o.pdf", 200)
    items = process_file(_drop(config, scan, "SCAN0002.pdf"), config, profile, ledger)
    assert "not an accepted referral here" in items[0].reason
    assert not (config.outbox_dir / "FT-2026-00999").exists()


def test_an_image_only_pdf_without_our_code_is_still_could_not_be_read(tmp_path, work):
    from pipeline.intake.process import process_file

    config, profile, ledger = work
    page = drawn_page(png(AGREEMENT), 150).crop((0, 400, 1240, 1754))  # the code cut off
    scan = image_pdf([scanned(page, 1, 1, 150)], tmp_path / "n.pdf", 150)
    items = process_file(_drop(config, scan, "SCAN0003.pdf"), config, profile, ledger)
    assert items[0].outcome == "unreadable"
