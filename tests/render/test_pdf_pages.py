"""The rendered paperwork survives LibreOffice: converted to PDF and read back, the facts are
there and no template tag or "None" is left (what a family or a court would see)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import SessionRecord
from pipeline.render import render_agreement, render_lac_report
from pipeline.render.pdf import libreoffice_available, to_pdf

from tests.helpers.render_kit import PARENT_1, assert_clean, make_allocation, make_item

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        not libreoffice_available(),
        reason="LibreOffice (soffice) is not installed, so no PDF check",
    ),
]


def pdf_text(path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_agreement_pdf(tmp_path, profile):
    docx = render_agreement(make_item(), make_allocation(profile), profile, tmp_path)
    text = pdf_text(to_pdf(docx))
    assert_clean(text)
    flat = " ".join(text.split())
    assert PARENT_1 in flat and profile.name in flat and "Christmas Day" in flat
    assert "Tuesday 1 December 2026" in flat
    late = profile.lateness
    if late is None:
        assert "arrive in good time" in flat
    else:
        assert (
            f"more than {late.max_late_minutes} minutes late" in flat
            if late.max_late_minutes
            else "If you are late, for any reason" in flat
        )


def test_review_report_pdf_with_chart(tmp_path, nct):
    sessions = [
        SessionRecord(
            item_id=i,
            reference="FT-2026-00001",
            date=dt.date(2026, 12, 1) + dt.timedelta(days=7 * i),
            outcome="Took place" if i % 2 else "Parent did not attend",
        )
        for i in range(4)
    ]
    docx = render_lac_report(
        make_item(),
        make_allocation(nct),
        nct,
        tmp_path,
        sessions,
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 15),
    )
    pdf = to_pdf(docx)
    text = pdf_text(pdf)
    assert_clean(text)
    assert "Parent did not attend" in text and "Friday 15 January 2027" in text
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        assert sum(len(p.images) for p in doc.pages) == 1  # the chart made it
