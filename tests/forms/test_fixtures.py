"""The filled fixture corpus: up to date, self-consistent, and filled the way people fill forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.catalogue import catalogue

from tests.fixtures import make_fixtures as MF
from tests.helpers.forms_kit import FIXTURE_FORMS, NS, W14, W, part, sdt_by_tag, tags, text_of
from tests.helpers.paths import TEMPLATES

CAT = catalogue()
EXPECTED = sorted(FIXTURE_FORMS.glob("*.expected.json"))


def _load(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


def test_every_fixture_has_its_expected_result_beside_it():
    docs = sorted(p.name for p in FIXTURE_FORMS.iterdir() if p.suffix in {".docx", ".pdf"})
    described = sorted(_load(p)["file"] for p in EXPECTED)
    assert docs == described
    assert len(docs) >= 20


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name)
def test_expected_results_use_catalogue_keys_and_known_versions(path):
    exp = _load(path)
    form = exp["form"]
    assert set(form) == {"id", "version", "status"}
    if form["id"] is None:
        assert form["status"] == "not_referral" and exp["fields"] == {}
        return
    spec = CAT.form(form["id"])
    version = spec.version(form["version"])
    assert version is not None and version.status == form["status"]
    for key, value in exp["fields"].items():
        field = spec.field(key)
        assert field is not None, key
        if field.type == "days":
            assert value and set(value) <= set(field.choices)
        else:
            assert isinstance(value, str) and value == value.strip() and value


def test_committed_word_fixtures_are_what_the_generator_makes(tmp_path):
    MF.make_docx(tmp_path)
    for made in sorted(tmp_path.iterdir()):
        committed = FIXTURE_FORMS / made.name
        assert committed.read_bytes() == made.read_bytes(), (
            f"{made.name} is stale: re-run tests/fixtures/make_fixtures.py"
        )


def test_fill_form_puts_each_answer_in_its_control():
    values = {
        "child.first_name": "Test Child",
        "child.dob": "14/06/2019",
        "child.gender": "Male",
        "child.unborn": True,
        "request.days": ["Monday", "Saturday"],
        "family[2].name": "Jo Sample-Parent",
    }
    data = MF.fill_form(TEMPLATES / "family-time-referral-2025.1.docx", values)
    doc = part(data, "word/document.xml")
    assert text_of(sdt_by_tag(doc, "child.first_name")) == "Test Child"
    assert text_of(sdt_by_tag(doc, "family[2].name")) == "Jo Sample-Parent"
    assert text_of(sdt_by_tag(doc, "child.gender")) == "Male"
    dob = sdt_by_tag(doc, "child.dob")
    assert dob.find("w:sdtPr/w:date", NS).get(f"{{{W}}}fullDate") == "2019-06-14T00:00:00Z"
    assert dob.find("w:sdtPr/w:showingPlcHdr", NS) is None

    def checked(tag):
        box = sdt_by_tag(doc, tag)
        return (box.find("w:sdtPr/w14:checkbox/w14:checked", NS).get(f"{{{W14}}}val"), text_of(box))

    assert checked("child.unborn") == ("1", "\u2612")
    assert checked("request.days:Monday") == ("1", "\u2612")
    assert checked("request.days:Tuesday") == ("0", "\u2610")
    # Untouched controls still show their prompt.
    assert sdt_by_tag(doc, "child.last_name").find("w:sdtPr/w:showingPlcHdr", NS) is not None


def test_typed_over_answers_have_no_control_but_sit_beside_their_label():
    doc = part(FIXTURE_FORMS / "referral-typed-over.docx", "word/document.xml")
    found = set(tags(doc))
    for key in ("child.first_name", "child.dob", "legal.status", "carer.postcode"):
        assert key not in found
    rows = {
        text_of(tr.find("w:tc", NS)): text_of(tr.findall("w:tc", NS)[1])
        for tr in doc.iterfind(".//w:tr", NS)
        if len(tr.findall("w:tc", NS)) == 2
    }
    assert rows["Child's first name(s)"] == "Test Child"
    assert rows["Carer's postcode"] == "NN99 9ZZ"
    assert rows["Legal status"] == "Interim Care Order"
    exp = _load(FIXTURE_FORMS / "referral-typed-over.expected.json")
    assert exp["fields"]["child.first_name"] == "Test Child"


def test_messy_fixture_keeps_accents_and_expects_clean_text():
    exp = _load(FIXTURE_FORMS / "referral-messy.expected.json")["fields"]
    assert exp["child.last_name"] == "O'Brien-\u0106osi\u0107"
    assert exp["child.first_name"] == "Zo\u00eb"
    assert exp["carer.name"] == "Pat Placeholder-Carer and Lee Placeholder-Carer"
    assert exp["referral.date"] == "3.3.25"
    assert "child.school" not in exp and "carer.email" not in exp
    raw = text_of(part(FIXTURE_FORMS / "referral-messy.docx", "word/document.xml"))
    assert "\u2019Brien" in raw and "\u00a0" in raw  # the document itself is messy


def test_incomplete_fixture_still_shows_placeholders_for_missing_answers():
    doc = part(FIXTURE_FORMS / "referral-incomplete.docx", "word/document.xml")
    for key in ("child.dob", "child.gender", "social_worker.email"):
        assert sdt_by_tag(doc, key).find("w:sdtPr/w:showingPlcHdr", NS) is not None
    exp = _load(FIXTURE_FORMS / "referral-incomplete.expected.json")["fields"]
    assert "child.dob" not in exp and "request.days" not in exp
    assert exp["consent.agreement_signed"] == "no"


def test_old_forms_expected_as_old_and_legacy_boxes_ticked():
    exp = _load(FIXTURE_FORMS / "old-contact-referral.expected.json")
    assert exp["form"] == {
        "id": "family-time-referral",
        "version": "contact-referral",
        "status": "old",
    }
    assert exp["fields"]["request.days"] == ["Tuesday", "Thursday"]
    doc = part(FIXTURE_FORMS / "old-contact-referral.docx", "word/document.xml")
    assert len(doc.findall(".//w:checkBox/w:checked", NS)) >= 5
    exp22 = _load(FIXTURE_FORMS / "old-2022-referral.expected.json")
    assert exp22["form"]["version"] == "2022" and "risk.level" not in exp22["fields"]


@pytest.mark.parametrize("name", ["referral-complete", "old-2022-referral", "record-completed"])
def test_pdf_expectations_are_a_readable_subset_of_the_word_ones(name):
    docx = _load(FIXTURE_FORMS / f"{name}.expected.json")
    pdf = _load(FIXTURE_FORMS / f"{name}.pdf.expected.json")
    assert pdf["form"] == docx["form"]
    for key, value in pdf["fields"].items():
        assert docx["fields"][key] == value
    assert len(pdf["fields"]) >= 0.6 * len(docx["fields"])
    assert (FIXTURE_FORMS / f"{name}.pdf").read_bytes().startswith(b"%PDF")


def test_fixtures_are_fictional():
    blob = " ".join(p.read_text(encoding="utf-8") for p in EXPECTED)
    for marker in ("@example.", "Example"):
        assert marker in blob
    assert "@gmail" not in blob and "@hotmail" not in blob
