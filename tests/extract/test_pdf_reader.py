"""The PDF reader: fillable and flat forms read like the Word ones; every PDF that cannot be
read gets a reason business support can act on, and nothing ever crashes the pipeline."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfWriter

from pipeline.extract import extract_file
from pipeline.extract.pdf import MAX_PAGES, PASSWORD_REASON, read_pdf

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OWN = sorted((FIXTURES / "pdf").glob("*.pdf"))
FORMS = sorted((FIXTURES / "forms").glob("*.pdf"))


def _expected(pdf: Path) -> dict:
    for name in (pdf.name + ".expected.json", pdf.stem + ".expected.json"):
        p = pdf.with_name(name)
        if p.is_file():
            return json.loads(p.read_text(encoding="utf-8"))
    raise AssertionError(f"no expected result beside {pdf.name}")


def _check_form(result, expected: dict) -> None:
    form = expected["form"]
    assert result.form.status == form["status"], result.form.reason
    assert result.form.id == form.get("id")
    assert result.form.version == form.get("version")
    for phrase in form.get("reason_contains", []):
        assert phrase.lower() in result.form.reason.lower()


def test_fixtures_exist():
    assert len(OWN) >= 8


@pytest.mark.parametrize("pdf", OWN, ids=[p.name for p in OWN])
def test_own_pdf_fixtures_match_expected_exactly(pdf: Path):
    result = read_pdf(pdf)
    expected = _expected(pdf)
    assert result.file == pdf.name
    _check_form(result, expected)
    assert result.fields == expected["fields"]


@pytest.mark.parametrize("pdf", FORMS, ids=[p.name for p in FORMS])
def test_flat_pdfs_saved_from_word_give_every_expected_answer(pdf: Path):
    """Engineer A's LibreOffice exports: every answer their expected file lists (docs/forms.md:
    a reader may return more, e.g. the family table)."""
    result = read_pdf(pdf)
    expected = _expected(pdf)
    _check_form(result, expected)
    for key, value in expected["fields"].items():
        assert result.fields.get(key) == value, key


def test_flat_pdf_reads_the_family_table_and_wrapped_names():
    pdf = FIXTURES / "forms" / "referral-complete.pdf"
    if not pdf.is_file():
        pytest.skip("engineer A's flat PDF fixtures are not built")
    fields = read_pdf(pdf).fields
    assert fields["family[1].relationship"] == "Mother"
    assert fields["family[2].name"] == "Chris Sample-Parent"
    assert "family[3].name" not in fields  # blank rows stay blank
    assert not any("Page 1 of" in str(v) for v in fields.values())


def test_unticked_boxes_drawn_by_old_forms_read_as_no_and_ticked_days_only():
    pdf = FIXTURES / "forms" / "old-contact-referral.pdf"
    if not pdf.is_file():
        pytest.skip("engineer A's flat PDF fixtures are not built")
    fields = read_pdf(pdf).fields
    assert fields["referral.court_directed"] == "no"
    assert fields["request.days"] == ["Tuesday", "Thursday"]


def test_password_protected_pdf_asks_for_it_without_a_password():
    result = read_pdf(FIXTURES / "pdf" / "encrypted.pdf")
    assert result.form.status == "unreadable"
    assert result.form.reason == PASSWORD_REASON


def test_pdf_with_an_empty_user_password_is_read_normally():
    result = read_pdf(FIXTURES / "pdf" / "acroform-empty-password.pdf")
    assert result.form.status == "current"
    assert result.fields["child.first_name"] == "Test Child"


def test_scanned_pdf_is_recognised_so_the_reply_can_ask_for_word():
    result = read_pdf(FIXTURES / "pdf" / "scanned.pdf")
    assert result.form.status == "unreadable"
    assert "scanned" in result.form.reason
    assert "Word version" in result.form.reason


def test_fillable_pdf_boxes_become_yes_no_and_days_a_list():
    fields = read_pdf(FIXTURES / "pdf" / "acroform-referral.pdf").fields
    assert fields["referral.court_directed"] == "yes"  # ticked box
    assert fields["child.unborn"] == "no"  # empty box
    assert fields["request.days"] == ["Tuesday", "Thursday"]


def _blank_pdf(tmp_path: Path, pages: int) -> Path:
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    p = tmp_path / f"blank-{pages}.pdf"
    p.write_bytes(buf.getvalue())
    return p


def test_page_cap_names_the_page_count(tmp_path):
    over = read_pdf(_blank_pdf(tmp_path, MAX_PAGES + 1))
    assert over.form.status == "unreadable"
    assert f"({MAX_PAGES + 1} pages)" in over.form.reason
    at_cap = read_pdf(_blank_pdf(tmp_path, MAX_PAGES))
    assert "too long" not in at_cap.form.reason  # blank, but not refused for length


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"%PDF-1.4\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        b"This is a letter, not a PDF at all.\n%%EOF",
        b"\x00\xff" * 4000,
        b"%PDF-1.7\n" + b"(" * 20000 + b"\n%%EOF",
    ],
    ids=["empty", "header-only", "no-pages", "text", "binary", "deep-nesting"],
)
def test_broken_pdfs_are_unreadable_with_a_reason_never_an_error(tmp_path, content):
    p = tmp_path / "broken.pdf"
    p.write_bytes(content)
    result = read_pdf(p)
    assert result.form.status == "unreadable"
    assert len(result.form.reason) > 20


def test_every_cut_of_a_good_pdf_is_handled(tmp_path):
    """A file cut off at any point (a save interrupted, a mail truncated) never crashes."""
    whole = (FIXTURES / "pdf" / "acroform-referral.pdf").read_bytes()
    for i, cut in enumerate(range(100, len(whole) - 1, len(whole) // 12)):
        p = tmp_path / f"cut-{i}.pdf"
        p.write_bytes(whole[:cut])
        assert read_pdf(p).form.status == "unreadable"


def test_inbox_dispatch_reads_pdfs_with_this_reader():
    result = extract_file(FIXTURES / "pdf" / "acroform-referral.pdf")
    assert result.form.status == "current"
    assert result.fields["request.days"] == ["Tuesday", "Thursday"]


def test_pdf_without_table_borders_is_read_by_labels_on_each_line(tmp_path):
    """A form saved as PDF with no table lines: answers follow their labels on the line."""
    from tests.fixtures import make_email_fixtures as gen

    lines = [
        "Family Time Referral Form",
        "Date of referral 02/03/2026",
        "Child's first name(s) Test Child",
        "Child's surname Example",
        "Is the child unborn? No",
        "Gender Female",
        "Ethnicity White British",
        "Preferred days Tuesday and Thursday",
        "Page 1 of 1",
        "Family Time Referral Form, version 2025.1 (updated March 2025)",
    ]
    p = tmp_path / "borderless.pdf"
    p.write_bytes(gen.build_text_pdf([lines]))
    result = read_pdf(p)
    assert (result.form.status, result.form.version) == ("current", "2025.1")
    assert result.fields["child.last_name"] == "Example"
    assert result.fields["child.unborn"] == "No"
    assert result.fields["request.days"] == ["Tuesday", "Thursday"]
    assert result.fields["referral.date"] == "02/03/2026"
