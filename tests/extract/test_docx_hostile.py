"""Bad and hostile files get a clear verdict and a plain reason; nothing crashes or explodes."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import extract_file
from pipeline.extract.docx import read_docx
from pipeline.extract.safety import UnsafeFile, open_zip_safely, parse_xml

from tests.helpers import docx_kit as kit

W = kit.W


def good_docx(tmp_path: Path, name: str = "good.docx") -> Path:
    return (
        kit.DocBuilder()
        .heading("Family Time Referral Form")
        .footer(kit.CURRENT_FOOTER)
        .xml(kit.sdt_block("child.last_name", "Example"))
        .save(tmp_path / name)
    )


def verdict(path: Path):
    got = extract_file(path)
    assert got.form.reason and "Traceback" not in got.form.reason
    return got.form


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "referral.docx"
    p.write_bytes(b"")
    form = verdict(p)
    assert form.status == "unreadable" and "empty" in form.reason


def test_random_bytes_named_docx(tmp_path: Path) -> None:
    p = tmp_path / "referral.docx"
    p.write_bytes(random.Random(1).randbytes(5000))
    form = verdict(p)
    assert form.status == "unreadable" and "not one" in form.reason


def test_truncated_zip(tmp_path: Path) -> None:
    data = good_docx(tmp_path).read_bytes()
    p = tmp_path / "cut.docx"
    p.write_bytes(data[: len(data) // 2])
    form = verdict(p)
    assert form.status == "unreadable" and "damaged or incomplete" in form.reason


def test_old_word_doc_renamed(tmp_path: Path) -> None:
    p = tmp_path / "referral.docx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    form = verdict(p)
    assert form.status == "unreadable"
    assert "old Word 97-2003 .doc" in form.reason and "save it as .docx" in form.reason


def test_password_protected_word_file(tmp_path: Path) -> None:
    p = tmp_path / "referral.docx"
    p.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 600
        + "EncryptedPackage".encode("utf-16-le")
        + b"\0" * 600
    )
    form = verdict(p)
    assert form.status == "unreadable" and "password" in form.reason


def test_macro_enabled_document_is_refused(tmp_path: Path) -> None:
    p = good_docx(tmp_path, "referral.docm")
    types = (
        zipfile.ZipFile(p)
        .read("[Content_Types].xml")
        .replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        )
    )
    kit.rewrite_part(p, "[Content_Types].xml", types, extra={"word/vbaProject.bin": b"\0" * 64})
    form = verdict(p)
    assert form.status == "unreadable" and "macros" in form.reason


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    p = good_docx(tmp_path, "bomb.docx")
    kit.rewrite_part(
        p,
        "word/document.xml",
        zipfile.ZipFile(p).read("word/document.xml"),
        extra={"word/media/padding.bin": b"\0" * (8 * 1024 * 1024)},
    )
    form = verdict(p)
    assert form.status == "unreadable" and "zip bomb" in form.reason


def test_zip_with_too_many_parts(tmp_path: Path) -> None:
    p = good_docx(tmp_path, "many.docx")
    kit.rewrite_part(
        p,
        "word/document.xml",
        zipfile.ZipFile(p).read("word/document.xml"),
        extra={f"word/x{i}.xml": b"<a/>" for i in range(2001)},
    )
    with pytest.raises(UnsafeFile):
        open_zip_safely(p)
    assert verdict(p).status == "unreadable"


def test_directory_that_claims_too_much(tmp_path: Path) -> None:
    """Caps come from the zip directory, before anything is decompressed."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("word/document.xml", b"<a/>")
    data = bytearray(buf.getvalue())
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (200 * 1024 * 1024).to_bytes(4, "little")  # uncompressed size
    p = tmp_path / "liar.docx"
    p.write_bytes(bytes(data))
    assert verdict(p).status == "unreadable"


ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:r><w:t>&lol3;'
    b"</w:t></w:r></w:p></w:body></w:document>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:r><w:t>&x;'
    b"</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize("xml", [ENTITY_BOMB, EXTERNAL_ENTITY], ids=["bomb", "external"])
def test_entity_definitions_are_refused(tmp_path: Path, xml: bytes) -> None:
    with pytest.raises(UnsafeFile):
        parse_xml(xml)
    p = good_docx(tmp_path)
    kit.rewrite_part(p, "word/document.xml", xml)
    form = verdict(p)
    assert form.status == "unreadable" and "XML bomb" in form.reason


def test_damaged_document_xml(tmp_path: Path) -> None:
    p = good_docx(tmp_path)
    kit.rewrite_part(p, "word/document.xml", b"<w:document><w:body><w:p>")
    form = verdict(p)
    assert form.status == "unreadable" and "damaged" in form.reason


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("photos/one.txt", "hello")
    p = tmp_path / "referral.docx"
    p.write_bytes(buf.getvalue())
    form = verdict(p)
    assert form.status == "unreadable" and "zip archive" in form.reason


def test_opendocument_text_asks_for_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<a/>")
    p = tmp_path / "referral.odt"
    p.write_bytes(buf.getvalue())
    form = verdict(p)
    assert form.status == "unreadable" and ".odt" in form.reason


@pytest.mark.parametrize("name,status", [("scan.jpg", "unreadable"), ("notes.xyz", "not_referral")])
def test_other_file_types(tmp_path: Path, name: str, status: str) -> None:
    p = tmp_path / name
    p.write_bytes(b"\x01\x02\x03 not a form")
    assert verdict(p).status == status


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_damaged_copies_of_a_real_form_never_crash_the_word_reader(tmp_path: Path, data) -> None:
    """Flip bytes anywhere in a good .docx: the Word reader returns a verdict, never raises."""
    p = tmp_path / "fuzz.docx"
    if not p.exists() or p.stat().st_size == 0:
        good_docx(tmp_path, "fuzz-src.docx")
    src = bytearray((tmp_path / "fuzz-src.docx").read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(src) - 1))
        src[i] = data.draw(st.integers(0, 255))
    p.write_bytes(bytes(src))
    got = read_docx(p)  # not extract_file: its safety net must not hide a crash here
    assert got.form.status in {"current", "old", "not_referral", "unreadable"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_damaged_document_xml_never_crashes_the_word_reader(tmp_path: Path, data) -> None:
    """Corrupt the XML itself (inside a valid zip): still a verdict, never an exception."""
    src = tmp_path / "xml-src.docx"
    if not src.exists():
        (
            kit.DocBuilder()
            .heading("Family Time Referral Form")
            .footer(kit.CURRENT_FOOTER)
            .xml(
                kit.table(
                    kit.row(
                        kit.text_cell("Child's surname"),
                        kit.cell(kit.sdt_block("child.last_name", "Example")),
                    )
                )
            )
            .xml(kit.para(kit.legacy_text("Text1", "x"), kit.checkbox("request.days:Monday", True)))
            .save(src)
        )
    xml = bytearray(zipfile.ZipFile(src).read("word/document.xml"))
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(xml) - 1))
        xml[i] = data.draw(st.sampled_from(list(b'<>/"=& wxa:\x00\xff')))
    p = tmp_path / "xml-fuzz.docx"
    p.write_bytes(src.read_bytes())
    kit.rewrite_part(p, "word/document.xml", bytes(xml))
    got = read_docx(p)
    assert got.form.status in {"current", "old", "not_referral", "unreadable"}
