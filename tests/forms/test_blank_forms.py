"""The blank forms carry exactly what the catalogue says: keys as tags, versions as markers."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from pipeline.catalogue import catalogue

from tests.helpers.forms_kit import (
    NS,
    W14,
    W,
    build_forms,
    footer_paragraphs,
    names,
    part,
    sdt_by_tag,
    tags,
    text_of,
)
from tests.helpers.paths import TEMPLATES

CAT = catalogue()
REFERRAL = CAT.form("family-time-referral")
RECORD = CAT.form("family-time-record")
CURRENT = TEMPLATES / "family-time-referral-2025.1.docx"
OLD_2022 = TEMPLATES / "family-time-referral-2022.docx"
CONTACT = TEMPLATES / "contact-referral-form.docx"
RECORD_DOCX = TEMPLATES / "family-time-record-2025.1.docx"
RECORD_2026_DOCX = TEMPLATES / "family-time-record-2026.1.docx"
ALL = [CURRENT, OLD_2022, CONTACT, RECORD_DOCX, RECORD_2026_DOCX]


def _expected_tags(form, path=None) -> list[str]:
    """The tags a version carries: its sections only; a Yes / No asked as two boxes."""
    version = next((v for v in form.versions if path is not None and v.template == path.name), None)
    sections = (
        None
        if version is None
        else [s.id for s in form.sections if s.id not in version.omit_sections]
    )
    boxes = set(version.yes_no_boxes) if version is not None else set()
    out = []
    for f in form.expanded_fields(sections):
        if f.type == "days":
            out += [f"{f.key}:{d}" for d in f.choices]
        elif f.key in boxes:
            out += [f"{f.key}:Yes", f"{f.key}:No"]
        else:
            out.append(f.key)
    return out


@pytest.mark.parametrize(
    "path,form", [(CURRENT, REFERRAL), (RECORD_DOCX, RECORD), (RECORD_2026_DOCX, RECORD)]
)
def test_every_catalogue_key_is_a_tag_exactly_once(path, form):
    found = tags(part(path, "word/document.xml"))
    expected = _expected_tags(form, path)
    assert sorted(found) == sorted(expected)
    assert len(found) == len(set(found))


def test_days_are_one_check_box_per_day_and_no_sunday():
    doc = part(CURRENT, "word/document.xml")
    day_tags = [t for t in tags(doc) if t.startswith("request.days:")]
    assert day_tags == [
        f"request.days:{d}"
        for d in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    ]
    for t in day_tags:
        assert sdt_by_tag(doc, t).find("w:sdtPr/w14:checkbox", NS) is not None


def test_aliases_are_the_labels_people_see():
    doc = part(CURRENT, "word/document.xml")
    for f in REFERRAL.expanded_fields():
        if f.type == "days":
            continue
        alias = sdt_by_tag(doc, f.key).find("w:sdtPr/w:alias", NS).get(f"{{{W}}}val")
        if "[" in f.key:  # family rows: "Name (2)"
            n = f.key.split("[")[1].split("]")[0]
            assert alias == f"{f.display_label()} ({n})"
        else:
            assert alias == f.display_label()


def test_control_types_follow_the_field_types():
    doc = part(CURRENT, "word/document.xml")
    for f in REFERRAL.expanded_fields():
        if f.type == "days":
            continue
        pr = sdt_by_tag(doc, f.key).find("w:sdtPr", NS)
        if f.type == "date":
            date = pr.find("w:date", NS)
            assert date.find("w:dateFormat", NS).get(f"{{{W}}}val") == "dd/MM/yyyy"
            assert date.find("w:lid", NS).get(f"{{{W}}}val") == "en-GB"
        elif f.type == "choice":
            items = [li.get(f"{{{W}}}value") for li in pr.iterfind("w:dropDownList/w:listItem", NS)]
            assert [i for i in items if i] == f.choices, f.key
        elif f.type == "yesno":
            box = pr.find("w14:checkbox", NS)
            assert box.find("w14:checked", NS).get(f"{{{W14}}}val") == "0"
            assert box.find("w14:checkedState", NS).get(f"{{{W14}}}val") == "2612"
            assert box.find("w14:uncheckedState", NS).get(f"{{{W14}}}val") == "2610"
            assert box.find("w14:checkedState", NS).get(f"{{{W14}}}font") == "MS Gothic"
        else:
            assert pr.find("w:text", NS) is not None, f.key
        if f.type != "yesno":
            # An empty control shows Word's grey prompt, flagged as a placeholder.
            assert pr.find("w:showingPlcHdr", NS) is not None, f.key


def test_long_answers_get_multi_line_controls():
    doc = part(CURRENT, "word/document.xml")
    text = sdt_by_tag(doc, "risk.to_child").find("w:sdtPr/w:text", NS)
    assert text.get(f"{{{W}}}multiLine") == "1"
    short = sdt_by_tag(doc, "child.first_name").find("w:sdtPr/w:text", NS)
    assert short.get(f"{{{W}}}multiLine") is None


def test_w14_is_declared_ignorable_so_older_readers_open_the_file():
    root = part(CURRENT, "word/document.xml")
    assert root.nsmap.get("w14") == W14
    ignorable = root.get("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable")
    assert "w14" in ignorable.split()


@pytest.mark.parametrize(
    "path,form_id,version",
    [
        (CURRENT, "family-time-referral", "2025.1"),
        (OLD_2022, "family-time-referral", "2022"),
        (RECORD_DOCX, "family-time-record", "2025.1"),
    ],
)
def test_footer_carries_the_catalogue_marker_exactly(path, form_id, version):
    v = CAT.form(form_id).version(version)
    paragraphs = footer_paragraphs(path)
    assert v.footer in paragraphs
    assert v.matches_text("\n".join(paragraphs))


def test_contact_referral_form_has_no_version_marker_in_its_footer():
    text = "\n".join(footer_paragraphs(CONTACT))
    for v in REFERRAL.versions:
        if v.footer:
            assert v.footer not in text


@pytest.mark.parametrize(
    "path,form_id", [(CURRENT, "family-time-referral"), (RECORD_DOCX, "family-time-record")]
)
def test_custom_properties_identify_the_current_forms(path, form_id):
    props = part(path, "docProps/custom.xml")
    got = {p.get("name"): text_of_vt(p) for p in props}
    assert got == CAT.form(form_id).current_versions[0].properties
    types = part(path, "[Content_Types].xml")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert (
        overrides["/docProps/custom.xml"]
        == "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    )
    rels = part(path, "_rels/.rels")
    assert any(
        r.get("Target").lstrip("/") == "docProps/custom.xml"
        and r.get("Type").endswith("/custom-properties")
        for r in rels
    )


def text_of_vt(prop) -> str:
    return "".join(prop.itertext())


@pytest.mark.parametrize("path", [OLD_2022, CONTACT])
def test_old_forms_have_no_content_controls_no_properties_and_no_risk_section(path):
    doc = part(path, "word/document.xml")
    assert doc.find(".//w:sdt", NS) is None
    assert "docProps/custom.xml" not in names(path)
    body = text_of(doc)
    for f in REFERRAL.fields:
        if f.section == "risk":
            assert f.label not in body
    assert "Key information and risk assessment" not in body


def test_old_forms_titles():
    assert text_of(part(OLD_2022, "word/document.xml")).startswith("Family Time Referral Form")
    assert text_of(part(CONTACT, "word/document.xml")).startswith("Contact Referral Form")
    assert text_of(part(CURRENT, "word/document.xml")).startswith("Family Time Referral Form")


def test_contact_referral_form_uses_legacy_fields_and_its_own_labels():
    doc = part(CONTACT, "word/document.xml")
    instr = [t.text.strip() for t in doc.iterfind(".//w:instrText", NS)]
    assert instr.count("FORMTEXT") > 40
    assert "FORMCHECKBOX" in instr
    assert doc.find(".//w:fldChar/w:ffData/w:textInput", NS) is not None
    body = text_of(doc)
    v = REFERRAL.version("contact-referral")
    for label in v.label_overrides.values():
        assert label in body
    assert "Level of family time" not in body


def test_session_record_controls():
    doc = part(RECORD_DOCX, "word/document.xml")
    outcome = sdt_by_tag(doc, "session.outcome").find("w:sdtPr/w:dropDownList", NS)
    assert outcome is not None
    assert sdt_by_tag(doc, "session.significant_event").find("w:sdtPr/w14:checkbox", NS) is not None
    for key in ("session.planned_start", "session.actual_end"):
        assert sdt_by_tag(doc, key).find("w:sdtPr/w:text", NS) is not None
    assert all(t.startswith("session.") for t in tags(doc))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_a4_page_and_arial(path):
    doc = part(path, "word/document.xml")
    size = doc.find(".//w:sectPr/w:pgSz", NS)
    assert (size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")) in {
        ("11906", "16838"),
        ("11907", "16839"),
    }
    styles = part(path, "word/styles.xml")
    normal = styles.find(".//w:style[@w:styleId='Normal']", NS)
    assert normal.find(".//w:rFonts", NS).get(f"{{{W}}}ascii") == "Arial"


def test_rebuilding_gives_byte_identical_files(tmp_path):
    bf = build_forms()
    written = bf.build_all(tmp_path)
    assert {p.name for p in written} == {p.name for p in ALL}
    for p in written:
        committed = TEMPLATES / p.name
        assert p.read_bytes() == committed.read_bytes(), (
            f"{p.name} differs from the committed form: re-run form_templates/build_forms.py"
        )


def test_build_is_deterministic_within_a_run():
    bf = build_forms()
    v = REFERRAL.version("2025.1")
    assert bf.build_form(REFERRAL, v) == bf.build_form(REFERRAL, v)


@pytest.mark.libreoffice
def test_each_form_converts_to_a_pdf_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed, so the PDF check cannot run")
    import pdfplumber

    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, ALL),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    for src in ALL:
        pdf = tmp_path / (src.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 5000, src.name
        with pdfplumber.open(pdf) as doc:
            first = doc.pages[0].extract_text()
        title = (
            "Contact Referral Form"
            if src == CONTACT
            else (
                "Family Time Record"
                if src in (RECORD_DOCX, RECORD_2026_DOCX)
                else "Family Time Referral Form"
            )
        )
        assert first.startswith(title)
