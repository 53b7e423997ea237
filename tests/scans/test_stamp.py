"""The code on the paperwork itself: the agreement and each pre-filled session record carry a
QR code in the top corner, "page 1" on the first page and "page n" on the rest, with the
referral, the document and the pack's version; the template's own header and footer stay on
every page, and a pre-filled record still reads back as a record."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from pipeline.profile import load_profile
from pipeline.render import render_pack
from pipeline.scans.read import codes_on

from tests.helpers.render_kit import make_allocation, make_item


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-20")


def _codes(docx) -> dict[str, list[str]]:
    """header part -> the codes in its pictures."""
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(docx) as z:
        rels = {n for n in z.namelist() if n.startswith("word/_rels/header")}
        for rel in rels:
            xml = z.read(rel).decode()
            media = [m.split('"')[0] for m in xml.split('Target="')[1:] if "media/" in m]
            part = rel.split("/")[-1].replace(".rels", "")
            for m in media:
                image = Image.open(io.BytesIO(z.read("word/" + m))).convert("L")
                image = image.resize((image.width * 3, image.height * 3))
                out.setdefault(part, []).extend(c.text() for c in codes_on(image))
    return out


def test_agreement_and_records_carry_their_codes(tmp_path):
    profile = load_profile("northamptonshire")
    docs = render_pack(make_item(), make_allocation(profile), profile, tmp_path, version=4)
    agreement = next(d for d in docs if "Agreement" in d.name)
    found = sorted(c for cs in _codes(agreement).values() for c in cs)
    assert found == ["FT1|FT-2026-00001|agreement|4|1|", "FT1|FT-2026-00001|agreement|4|n|"]
    record = next(d for d in docs if d.name.startswith("Session record"))
    day = record.stem.split()[-1]
    found = sorted(c for cs in _codes(record).values() for c in cs)
    assert found == [
        f"FT1|FT-2026-00001|record|4|1|{day}",
        f"FT1|FT-2026-00001|record|4|n|{day}",
    ]
    letter = next(d for d in docs if "Letter to carer" in d.name)
    assert _codes(letter) == {}  # no reply part: no code


def test_the_templates_footer_is_on_the_first_page_too(tmp_path):
    from docx import Document

    profile = load_profile("northamptonshire")
    docs = render_pack(make_item(), make_allocation(profile), profile, tmp_path)
    agreement = Document(str(next(d for d in docs if "Agreement" in d.name)))
    section = agreement.sections[0]
    assert section.different_first_page_header_footer
    assert [p.text for p in section.first_page_footer.paragraphs] == [
        p.text for p in section.footer.paragraphs
    ]


def test_a_prefilled_record_with_its_code_still_reads_as_a_record(tmp_path):
    import pipeline.extract as extract

    profile = load_profile("northamptonshire")
    docs = render_pack(make_item(), make_allocation(profile), profile, tmp_path)
    record = next(d for d in docs if d.name.startswith("Session record"))
    [read] = extract.extract_all(record, profile)
    assert read.fields.get("session.reference") == "FT-2026-00001"
