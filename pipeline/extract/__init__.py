"""The reader: any inbox file in, one Extraction out (form, version, status, answers).

Dispatch is by content, not by the file's name, because names lie (a .doc renamed .docx,
a PDF called .docx). Never raises for bad input: a damaged or hostile file gets an
"unreadable" verdict whose reason business support can act on.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from pipeline.extract import reasons
from pipeline.extract.models import Extraction, FormMatch
from pipeline.extract.results import part_name as part_name  # re-exported for intake
from pipeline.extract.results import unreadable

log = logging.getLogger(__name__)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF"
TNEF_MAGIC = b"\x78\x9f\x3e\x22"  # winmail.dat: Outlook's rich-text wrapper
EMAIL_SUFFIXES = {".eml", ".msg"}
MAX_FILE_BYTES = 100 * 1024 * 1024


def _sniff(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(8)


def _has_ole_stream(path: Path, prefix: str) -> bool:
    """An OLE (old Office) file holding a stream whose name starts with `prefix`: stream names
    are UTF-16 in the file's directory, near its start."""
    try:
        with open(path, "rb") as fh:
            return prefix.encode("utf-16-le") in fh.read(256 * 1024)
    except OSError:
        return False


def _is_encrypted_office(path: Path) -> bool:
    """A password-protected .docx is an OLE file holding an "EncryptedPackage" stream."""
    return _has_ole_stream(path, "EncryptedPackage")


_MAIL_HEADER = re.compile(
    rb"^(?:Received|Return-Path|From|MIME-Version|Delivered-To|Message-ID|"
    rb"Date|Subject|To|X-[A-Za-z0-9-]+)\s*:",
    re.IGNORECASE,
)


def _is_outlook_message(path: Path) -> bool:
    """An Outlook .msg saved under another name: its streams are named "__substg1.0_..."."""
    return _has_ole_stream(path, "__substg1.0_")


def _looks_like_email(path: Path) -> bool:
    """An .eml/.msg by name, or a saved message whose name lost its extension."""
    if path.suffix.lower() in EMAIL_SUFFIXES:
        return True
    if path.suffix.lower() not in {"", ".txt", ".mail", ".email"}:
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(2048)
    except OSError:
        return False
    return bool(
        _MAIL_HEADER.match(head)
        and re.search(rb"^(?:From|Subject)\s*:", head, re.M | re.I)
        and re.search(rb"^(?:Date|Received|MIME-Version)\s*:", head, re.M | re.I)
    )


def extract_file(path: Path, profile=None) -> Extraction:
    """Read one file of any kind the inbox receives; never raises for bad input. A file
    holding several forms gives the first: `extract_all` gives every one."""
    return extract_all(path, profile)[0]


def extract_all(path: Path, profile=None) -> list[Extraction]:
    """Every form in one file, in order (a Word file with two children's forms gives two);
    always at least one Extraction, and never raises for bad input."""
    path = Path(path)
    try:
        return _extract(path, profile)
    except Exception:  # a reader's bug must not stop the pipeline: report it as unreadable
        log.exception("reader failed on a file (type %s)", path.suffix.lower() or "none")
        return [unreadable(path, reasons.say("file.reader_fault", profile))]


def _not_referral(path: Path, reason: str) -> Extraction:
    return Extraction(file=path.name, form=FormMatch(status="not_referral", reason=reason))


def _extract(path: Path, profile) -> list[Extraction]:
    def refuse(code: str, **values) -> list[Extraction]:
        return [unreadable(path, reasons.say(f"file.{code}", profile, **values))]

    try:
        size = path.stat().st_size
        head = _sniff(path)
    except FileNotFoundError:
        return refuse("disappeared")
    except OSError:
        return refuse("cannot_open")
    suffix = path.suffix.lower()
    if size == 0:
        return refuse("empty")
    if size > MAX_FILE_BYTES:
        return refuse("too_large")
    if head.startswith(OLE_MAGIC):
        if _is_encrypted_office(path):
            return refuse("password")
        if suffix == ".msg" or _is_outlook_message(path):
            from pipeline.extract.email import read_email

            return [read_email(path, profile=profile, read_attachment=extract_all)]
        if suffix in {".xls", ".xlsx", ".ppt"}:
            return [_not_referral(path, reasons.say("file.old_office", profile))]
        return refuse("word_97")
    if head.startswith(ZIP_MAGIC):
        from pipeline.extract.docx import read_docx_all

        return read_docx_all(path, profile=profile)
    if head.startswith(PDF_MAGIC):
        from pipeline.extract.pdf_split import read_pdf_all

        return read_pdf_all(path, profile=profile)
    if head.startswith(TNEF_MAGIC):
        return refuse("winmail")
    if _looks_like_email(path):
        from pipeline.extract.email import read_email

        return [read_email(path, profile=profile, read_attachment=extract_all)]
    if suffix in {".docx", ".docm", ".dotx", ".doc"}:
        return refuse("not_word")
    if suffix == ".pdf":
        return refuse("not_pdf")
    if suffix in {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".bmp", ".gif"}:
        return refuse("picture")
    if suffix in {".rtf", ".odt", ".txt", ".html", ".htm"} or head.startswith(b"{\\rtf"):
        return refuse("text_file", kind=suffix or "text")
    return [
        _not_referral(path, reasons.say("file.other_type", profile, kind=suffix or "no extension"))
    ]
