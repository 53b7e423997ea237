"""Fillable (AcroForm) PDFs read by the quick route (fields taken from the widgets pdfium finds
on the pages, page text read only to identify the form) give exactly what the full route gives
(pypdf's walk of every field, labels read from the text too), and exactly what each fixture's
expected file lists: fields, version and outcome."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

import pipeline.extract.pdf as pdf_reader
from pipeline.extract import extract_file
from pipeline.extract.pdf_pages import read_document
from pipeline.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
OWN_FILLABLE = sorted((FIXTURES / "pdf").glob("acroform-*.pdf"))
OTHER_FILLABLE = [
    FIXTURES / "hostile/control-characters/controls.pdf",
    FIXTURES / "hostile/noncharacters-and-emoji-pdf/nonchars.pdf",
    ROOT / "corpus/files/resources__libreoffice-form.pdf",
    ROOT / "corpus/files/resources__form_acrobatReader.pdf",
]
ALL_FILLABLE = OWN_FILLABLE + [p for p in OTHER_FILLABLE if p.is_file()]


@pytest.fixture(scope="module")
def profile():
    return load_profile("northamptonshire")


def _full_route(path: Path, profile, monkeypatch) -> dict:
    """The reader with pypdf reading every field and the text read for answers as well."""
    with monkeypatch.context() as m:
        m.setattr(pdf_reader, "_fields_from_widgets", lambda widgets, n: None)
        m.setattr(pdf_reader, "_answers_form", lambda acro: False)
        m.setattr(
            pdf_reader, "_identify_and_read", _reading_text_too(pdf_reader._identify_and_read)
        )
        return extract_file(path, profile).to_json_dict()


def _reading_text_too(identify_and_read):
    """_identify_and_read as it was: answers read from the text (and tables) first, then the
    fields written over them."""

    def read(name, text, lines, properties, acro, profile, tables, pages=None):
        from_text = identify_and_read(
            name, text, lines, properties, {}, profile, tables, pages=pages
        ).fields
        result = identify_and_read(
            name, text, lines, properties, acro, profile, tables, pages=pages
        )
        if result.form.status in ("current", "old"):
            result.fields = {**from_text, **result.fields}
        return result

    return read


def test_there_are_fillable_fixtures():
    assert len(OWN_FILLABLE) >= 2


@pytest.mark.parametrize("pdf", OWN_FILLABLE, ids=[p.name for p in OWN_FILLABLE])
def test_own_fillable_pdf_reads_exactly_as_expected(pdf: Path, profile):
    expected = json.loads(pdf.with_name(pdf.stem + ".expected.json").read_text("utf-8"))
    result = extract_file(pdf, profile)
    assert result.form.status == expected["form"]["status"], result.form.reason
    assert result.form.id == expected["form"]["id"]
    assert result.form.version == expected["form"]["version"]
    assert result.fields == expected["fields"]
    assert "footer marker" in result.form.reason  # the page text was still read


@pytest.mark.parametrize("pdf", OWN_FILLABLE, ids=[p.name for p in OWN_FILLABLE])
def test_own_fillable_pdf_takes_the_quick_route(pdf: Path):
    """Not vacuous: the service's own forms are read from the widgets, not by pypdf's walk."""
    reader = PdfReader(pdf)
    password = "" if reader.is_encrypted and reader.decrypt("") else None
    n_fields = pdf_reader._field_count(reader)
    _, widgets = read_document(pdf, password, widgets=True)
    quick = pdf_reader._fields_from_widgets(widgets, n_fields)
    assert quick is not None and len(quick) > 40
    assert quick == pdf_reader._acroform_fields(reader)


@pytest.mark.parametrize("pdf", ALL_FILLABLE, ids=[p.name for p in ALL_FILLABLE])
def test_quick_route_answers_as_the_full_route(pdf: Path, profile, monkeypatch):
    assert extract_file(pdf, profile).to_json_dict() == _full_route(pdf, profile, monkeypatch)


def test_other_layouts_and_odd_characters_are_left_to_pypdf():
    """A field whose widgets are its kids (LibreOffice), and control characters pdfium
    decodes differently from pypdf, go by pypdf's walk."""
    for pdf in OTHER_FILLABLE[:3]:
        if not pdf.is_file():
            continue
        reader = PdfReader(pdf)
        _, widgets = read_document(pdf, None, widgets=True)
        assert pdf_reader._fields_from_widgets(widgets, pdf_reader._field_count(reader)) is None


def test_a_blank_field_stays_blank_not_filled_from_the_printed_labels(tmp_path, profile):
    """A fillable form's answers are its fields: a field left empty is not answered with
    the labels printed near it (the text route read "Family member 1: Name ..." as the
    carer's email when it was blank)."""
    from tests.fixtures import make_email_fixtures as mef

    values = {k: v for k, v in mef.REFERRAL.items() if k not in ("carer.email", "child.school")}
    pdf = tmp_path / "partly-filled.pdf"
    pdf.write_bytes(mef.build_acroform_pdf(values))
    result = extract_file(pdf, profile)
    assert result.form.status == "current"
    assert "carer.email" not in result.fields and "child.school" not in result.fields
    assert result.fields["carer.name"] == values["carer.name"]


def test_long_and_accented_answers_read_whole(tmp_path, profile, monkeypatch):
    """An answer longer than the reader's first buffer, and letters outside ASCII, come back
    whole and as pypdf reads them."""
    from tests.fixtures import make_email_fixtures as mef

    values = dict(mef.REFERRAL)
    values["child.needs"] = "Needs a quiet room; café after school. " * 80
    values["child.first_name"] = "Zoë Test-Child"
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(mef.build_acroform_pdf(values))
    reader = PdfReader(pdf)
    _, widgets = read_document(pdf, None, widgets=True)
    quick = pdf_reader._fields_from_widgets(widgets, pdf_reader._field_count(reader))
    assert quick is not None and quick == pdf_reader._acroform_fields(reader)
    result = extract_file(pdf, profile)
    assert result.fields["child.needs"] == values["child.needs"].strip()
    assert result.fields["child.first_name"] == "Zoë Test-Child"
    assert result.to_json_dict() == _full_route(pdf, profile, monkeypatch)
