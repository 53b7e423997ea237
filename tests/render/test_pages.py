"""The paperwork as pages, the way a parent or carer holds it: LibreOffice makes the PDF and
each page is read back. No page is left with nothing but its header and footer, a signature
table starts on the page of its heading and is not split, and a letter's sign-off keeps the
writer's name with "Yours sincerely"."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.profile import load_profile
from pipeline.render import render_agreement, render_pack
from pipeline.render.pdf import libreoffice_available, to_pdfs

from tests.helpers.render_kit import SUPERVISOR, make_allocation, make_item, referral_values

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        not libreoffice_available(), reason="LibreOffice (soffice) is not installed"
    ),
]

SERVICES = ("northamptonshire", "blackpool", "milton-keynes")


def pages(pdf) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [" ".join((p.extract_text() or "").split()) for p in doc.pages]


def body(page: str, profile) -> str:
    """A page's words less its header (the service's name, address, phone) and footer."""
    for furniture in (profile.name, profile.service_name, profile.address, profile.phone):
        page = page.replace(furniture, "")
    return page.split("Reference FT-")[0].replace("Telephone", "").strip(" ·")


@pytest.mark.parametrize("service", SERVICES)
def test_pages_a_family_holds(tmp_path, monkeypatch, service):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-20")
    profile = load_profile(service)
    sgo = make_item(
        referral_values(
            **{"referral.court_directed": False, "legal.status": "Special Guardianship Order"}
        ),
        flags=[],
    )
    allocation = make_allocation(profile)
    docs = [
        render_agreement(sgo, allocation, profile, tmp_path / "sgo", today=dt.date(2026, 11, 20))
    ]
    docs += [
        p
        for p in render_pack(
            make_item(), allocation, profile, tmp_path / "pack", today=dt.date(2026, 11, 20)
        )
        if p.name.startswith(("Letter", "FT-"))
    ]
    for docx, pdf in zip(docs, to_pdfs(docs, out_dir=tmp_path / "pdf")):
        read = pages(pdf)
        for n, page in enumerate(read, 1):
            assert len(body(page, profile)) > 80, f"{docx.name}: page {n} is all but empty"
        if "greement" in docx.name:
            [signing] = [p for p in read if "I have read this agreement" in p]
            assert "Social worker" in signing.split("I have read this agreement")[1]
            assert signing.count("Signing as") == 1  # the table's rows with their heading
        else:
            [end] = [p for p in read if "Yours sincerely" in p]
            assert SUPERVISOR in end.split("Yours sincerely")[1]
