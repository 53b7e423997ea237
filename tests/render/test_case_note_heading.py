"""The session record tells the worker where the session goes in the case system, in the
service's own words, where its policy states a heading (issue 26): Northamptonshire (002 §4.8
"recorded on CareFirst under case observations with the header 'Family Time'") and Blackpool
(003 "recorded on the child's record (Mosaic) under case notes with the header Supervised
Contact"). Milton Keynes states none: its record says nothing about it."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import extract_file
from pipeline.profile import load_profile
from pipeline.render import render_pack
from pipeline.render.pdf import libreoffice_available, to_pdf
from pipeline.render.record_form import fill_controls
from pipeline.validate import validate_extraction

from tests.helpers.render_kit import assert_clean, docx_text, make_allocation, make_item

TODAY = dt.date(2026, 11, 23)
RECORD = "Session record 2026-12-01.docx"

SAID = {
    "northamptonshire": (
        "After the session, record your observations on CareFirst under case observations, "
        "with the header ‘Family Time’. If you add other case notes about the child on "
        "CareFirst, finalise them yourself: do not assign this step to the allocated social "
        "worker."
    ),
    "blackpool": (
        "After the session, record your observations on the child's record (Mosaic) under "
        "case notes, with the header “Supervised Contact”. If you add other case notes about "
        "the child on their record, finalise them yourself: do not assign this step to the "
        "allocated social worker."
    ),
}


def _record(tmp_path, service: str):
    profile = load_profile(service)
    paths = render_pack(
        make_item(), make_allocation(profile), profile, tmp_path / service, today=TODAY
    )
    return {p.name: p for p in paths}[RECORD], profile


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("service", ["northamptonshire", "blackpool"])
def test_the_record_says_where_and_under_which_heading(tmp_path, service):
    path, _ = _record(tmp_path, service)
    text = docx_text(path)
    assert_clean(text)
    flat = _flat(text)
    assert SAID[service] in flat
    # above the sign-off, after the significant-event guidance
    assert flat.index("4. Significant events") < flat.index(SAID[service])
    assert flat.index(SAID[service]) < flat.index("Written by")
    # never the other service's heading or case system
    other = "blackpool" if service == "northamptonshire" else "northamptonshire"
    assert SAID[other] not in flat
    assert ("Mosaic" in flat) == (service == "blackpool")
    assert ("Supervised Contact" in flat) == (service == "blackpool")
    assert ("case observations" in flat) == (service == "northamptonshire")


def test_milton_keynes_states_no_heading_so_its_record_says_nothing_of_it(tmp_path):
    path, _ = _record(tmp_path, "milton-keynes")
    flat = _flat(docx_text(path))
    assert "with the header" not in flat and "case note" not in flat.lower()
    assert "After the session, record" not in flat


@pytest.mark.parametrize("service", ["northamptonshire", "blackpool", "milton-keynes"])
def test_the_record_with_the_line_still_reads_back_as_a_complete_record(tmp_path, service):
    path, profile = _record(tmp_path, service)
    filled = fill_controls(
        path,
        tmp_path / "filled.docx",
        {
            "session.outcome": "Took place",
            "session.actual_start": "10:00",
            "session.actual_end": "11:30",
            "session.arrival": "Mother arrived on time.",
            "session.summary": "They played a board game.",
            "session.child_views": "The child said she liked the game.",
            "session.parenting": "Mother praised the child often.",
            "session.significant_event": False,
            "session.author": "Sam Supervisor-Example",
            "session.written_on": dt.date(2026, 12, 1),
        },
    )
    ex = extract_file(filled)
    assert ex.form.id == "family-time-record"
    v = validate_extraction(ex, profile, dt.datetime(2026, 12, 1, 18))
    assert v.verdict == "complete", v.problems
    assert v.values["session.author"] == "Sam Supervisor-Example"


@pytest.mark.libreoffice
@pytest.mark.skipif(not libreoffice_available(), reason="LibreOffice (soffice) is not installed")
def test_the_sign_off_stays_with_its_heading_on_the_page(tmp_path):
    """The blank record fills its first page; the added line must move the whole sign-off
    section on, never leave "Written by" alone on a page without its heading."""
    import pdfplumber

    path, _ = _record(tmp_path, "blackpool")
    with pdfplumber.open(to_pdf(path)) as pdf:
        pages = [_flat(page.extract_text() or "") for page in pdf.pages]
    [page] = [p for p in pages if "Written by" in p]
    assert "4. Significant events and sign-off" in page and "Supervised Contact" in page
    assert "Date written" in page
