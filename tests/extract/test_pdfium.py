"""pipeline/extract/pdfium.py, the one module that calls pdfium: what each function gives on
the committed fixture PDFs, its own error for a file it cannot read, its unchecked calls
reading exactly what pypdfium2's checked ones read, and no other file importing pypdfium2 (so
the version pin in pyproject.toml is checked against one module)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.extract import pdfium

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
UNREADABLE = [
    "pdf/damaged.pdf",
    "pdf/truncated.pdf",
    "hostile/random-bytes-pdf/random.pdf",
    "hostile/empty-pdf/empty.pdf",
    "hostile/docx-named-pdf/actually-word.pdf",
]
READABLE = sorted(
    p.relative_to(FIXTURES).as_posix()
    for p in FIXTURES.rglob("*.pdf")
    if p.relative_to(FIXTURES).as_posix() not in UNREADABLE + ["pdf/encrypted.pdf"]
    and p.name != "long-1000-pages.pdf"
)
FILLABLE = ["pdf/acroform-referral.pdf", "pdf/acroform-empty-password.pdf"]


def test_the_fixture_lists_are_not_empty():
    assert len(READABLE) >= 15 and all((FIXTURES / name).is_file() for name in UNREADABLE)


@pytest.mark.parametrize("name", READABLE)
def test_read_document_gives_every_page_in_order(name):
    path = FIXTURES / name
    pages, widgets = pdfium.read_document(path)
    reader = PdfReader(path)
    assert [p.number for p in pages] == list(range(1, len(reader.pages) + 1))
    assert widgets is None
    doctop = 0.0
    for page, theirs in zip(pages, reader.pages, strict=True):
        box = theirs.mediabox
        assert (page.width, page.height) == pytest.approx((float(box.width), float(box.height)))
        assert page.doctop == pytest.approx(doctop)
        doctop += page.height
        for char in page.chars:
            assert len(char["text"]) == 1 and char["text"] >= " "
            assert char["x0"] <= char["x1"] and char["top"] <= char["bottom"]
            assert char["doctop"] == pytest.approx(page.doctop + char["top"])
        for pts in page.paths:
            assert len(pts) >= 1 and all(len(p) == 2 for p in pts)


def test_read_document_finds_text_lines_and_images():
    form, _ = pdfium.read_document(FIXTURES / "forms/referral-complete.pdf")
    assert sum(len(p.chars) for p in form) > 4000 and sum(len(p.paths) for p in form) > 100
    assert "Referral" in "".join(c["text"] for c in form[0].chars)
    scanned, _ = pdfium.read_document(FIXTURES / "pdf/scanned.pdf")
    assert any(p.images for p in scanned) and not any(p.chars for p in scanned)
    assert not any(p.images for p in form)


@pytest.mark.parametrize("name", FILLABLE)
def test_read_document_gives_the_widgets_when_asked(name):
    path = FIXTURES / name
    _, widgets = pdfium.read_document(path, widgets=True)
    names = [w["T"][1] for w in widgets]
    assert widgets and len(names) == len(set(names))
    assert set(names) == set(PdfReader(path).get_fields())
    assert all(w["FT"][1] in ("Tx", "Btn", "Ch") for w in widgets)


def test_a_flat_pdf_has_no_widgets():
    assert pdfium.read_document(FIXTURES / "forms/referral-complete.pdf", widgets=True)[1] == []


@pytest.mark.parametrize("name", READABLE)
def test_page_texts_gives_each_pages_plain_text(name):
    path = FIXTURES / name
    texts = pdfium.page_texts(path)
    pages, _ = pdfium.read_document(path)
    assert len(texts) == len(pages) and all("\r" not in t for t in texts)
    for text, page in zip(texts, pages, strict=True):
        # the same characters, spaces aside (the text call gives a line-end hyphen as U+FFFE)
        text = "".join(text.split()).replace("\ufffe", "-")
        assert sorted(text) == sorted(c["text"] for c in page.chars if not c["text"].isspace())


def test_page_texts_stops_early_when_asked():
    assert pdfium.page_texts(FIXTURES / "pdf/agreement-signed.pdf", min_pages=2) == []
    assert len(pdfium.page_texts(FIXTURES / "pdf/long-1000-pages.pdf", max_pages=50)) == 50


def test_page_texts_opens_an_empty_password_file_as_the_reader_does():
    name = FIXTURES / "pdf/acroform-empty-password.pdf"
    assert pdfium.page_texts(name) == pdfium.page_texts(name, password="")


@pytest.mark.parametrize("name", UNREADABLE + ["pdf/encrypted.pdf"])
def test_a_file_pdfium_cannot_read_raises_the_modules_own_error(name):
    for read in (pdfium.read_document, pdfium.page_texts):
        with pytest.raises(pdfium.PdfUnreadable) as caught:
            read(FIXTURES / name)
        assert type(caught.value) is pdfium.PdfUnreadable
        assert Path(name).name in str(caught.value)


def test_the_wrong_password_is_not_retried():
    with pytest.raises(pdfium.PdfUnreadable):
        pdfium.page_texts(FIXTURES / "pdf/encrypted.pdf", password="not it")


@pytest.mark.parametrize("name", ["pdf/acroform-referral.pdf", "forms/old-contact-referral.pdf"])
def test_unchecked_pdfium_calls_read_as_the_checked_ones(name, monkeypatch):
    """The per-character calls made without ctypes' argument checks read the same pages and
    widgets as pypdfium2's checked functions."""
    quick = pdfium.read_document(FIXTURES / name, widgets=True)
    assert pdfium._UNCHECKED and all(
        f is not getattr(pdfium.pdfium_c, n) for n, f in pdfium._UNCHECKED.items()
    )
    monkeypatch.setattr(pdfium, "_UNCHECKED", {})
    monkeypatch.setattr(pdfium, "_unchecked", lambda fn, restype: getattr(pdfium.pdfium_c, fn))
    checked = pdfium.read_document(FIXTURES / name, widgets=True)
    assert quick == checked
    assert sum(len(p.chars) for p in quick[0]) > 500


def test_characters_outside_the_basic_plane_are_read_one_by_one(monkeypatch):
    """pdfium's one-call text gives such a character as two halves; the reader then asks
    character by character, so nothing after it shifts."""
    path = FIXTURES / "forms/referral-complete.pdf"
    want, _ = pdfium.read_document(path)
    real = pdfium.pdfium_c.FPDFText_GetText

    def with_a_half(handle, start, count, buf):
        n = real(handle, start, count, buf)
        buf[0] = 0xD83D  # as if the first were outside the BMP
        return n

    monkeypatch.setattr(pdfium.pdfium_c, "FPDFText_GetText", with_a_half)
    got, _ = pdfium.read_document(path)
    assert got == want and len(got[0].chars) > 100


_IMPORT_BY_NAME = re.compile(r"""(import_module|__import__)\(\s*["']pypdfium2""")


def _imports_pypdfium2(source: str) -> bool:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        if any(n.split(".")[0] in ("pypdfium2", "pypdfium2_raw") for n in names):
            return True
    return bool(_IMPORT_BY_NAME.search(source))


def test_only_the_pdfium_module_imports_pypdfium2():
    """Anything else wanting pdfium goes through pipeline/extract/pdfium.py (this file only
    names the import below, to check the check)."""
    own = ROOT / "pipeline" / "extract" / "pdfium.py"
    files = [p for folder in ("pipeline", "bench", "tests") for p in (ROOT / folder).rglob("*.py")]
    assert own in files and len(files) > 100
    offenders = [
        p.relative_to(ROOT).as_posix()
        for p in files
        if p not in (own, Path(__file__).resolve())
        and _imports_pypdfium2(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert _imports_pypdfium2(own.read_text(encoding="utf-8"))
    assert _imports_pypdfium2("import importlib\nimportlib.import_module('pypdfium2.raw')\n")
