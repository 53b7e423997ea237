"""The reader: any inbox file in, one Extraction out (form, version, status, answers).

Dispatch is by content, not by the file's name, because names lie (a .doc renamed .docx,
a PDF called .docx). Never raises for bad input: a damaged or hostile file gets an
"unreadable" verdict whose reason business support can act on.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from pipeline.extract.models import Extraction, FormMatch

log = logging.getLogger(__name__)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF"
TNEF_MAGIC = b"\x78\x9f\x3e\x22"   # winmail.dat: Outlook's rich-text wrapper
EMAIL_SUFFIXES = {".eml", ".msg"}
MAX_FILE_BYTES = 100 * 1024 * 1024


def unreadable(path: Path, reason: str) -> Extraction:
    """The verdict for a file we cannot or will not read (every reader's one way to say so)."""
    return Extraction(file=path.name, form=FormMatch(status="unreadable", reason=reason))


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


_MAIL_HEADER = re.compile(rb"^(?:Received|Return-Path|From|MIME-Version|Delivered-To|Message-ID|"
                          rb"Date|Subject|To|X-[A-Za-z0-9-]+)\s*:", re.IGNORECASE)


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
    return bool(_MAIL_HEADER.match(head)
                and re.search(rb"^(?:From|Subject)\s*:", head, re.M | re.I)
                and re.search(rb"^(?:Date|Received|MIME-Version)\s*:", head, re.M | re.I))


def extract_file(path: Path, profile=None) -> Extraction:
    """Read one file of any kind the inbox receives; never raises for bad input."""
    path = Path(path)
    try:
        return _extract(path, profile)
    except Exception:  # a reader's bug must not stop the pipeline: report it as unreadable
        log.exception("reader failed on a file (type %s)", path.suffix.lower() or "none")
        return unreadable(path, "The file could not be read (an unexpected problem in the "
                                "reader). It has been kept for a person to look at.")


def _extract(path: Path, profile) -> Extraction:
    try:
        size = path.stat().st_size
        head = _sniff(path)
    except FileNotFoundError:
        return unreadable(path, "The file disappeared before it could be read.")
    except OSError:
        return unreadable(path, "The file could not be opened (it may be open in another "
                                "program, or access is denied). It will be tried again.")
    suffix = path.suffix.lower()
    if size == 0:
        return unreadable(path, "The file is empty (0 bytes). Please ask the sender to "
                                "attach the form again.")
    if size > MAX_FILE_BYTES:
        return unreadable(path, "The file is larger than 100 MB, far larger than any form; "
                                "it was not opened.")
    if head.startswith(OLE_MAGIC):
        if _is_encrypted_office(path):
            return unreadable(path, "The Word file is protected with a password, so it cannot "
                                    "be read. Please ask the sender to remove the password "
                                    "and send it again.")
        if suffix == ".msg" or _is_outlook_message(path):
            from pipeline.extract.email import read_email
            return read_email(path, profile=profile)
        if suffix in {".xls", ".xlsx", ".ppt"}:
            return Extraction(file=path.name, form=FormMatch(
                status="not_referral", reason="Not a referral: this is an old Office file "
                                              "(spreadsheet or presentation), not the form."))
        return unreadable(path, "This is an old Word 97-2003 .doc file; please save it as "
                                ".docx and send it again.")
    if head.startswith(ZIP_MAGIC):
        from pipeline.extract.docx import read_docx
        return read_docx(path, profile=profile)
    if head.startswith(PDF_MAGIC):
        from pipeline.extract.pdf import read_pdf
        return read_pdf(path, profile=profile)
    if head.startswith(TNEF_MAGIC):
        return unreadable(path, "This is a 'winmail.dat' file: Outlook sent the email in its "
                                "own rich-text format, which wraps up the attachments so they "
                                "cannot be opened. Please ask the sender to send the form again "
                                "from an email set to HTML or plain text.")
    if _looks_like_email(path):
        from pipeline.extract.email import read_email
        return read_email(path, profile=profile)
    if suffix in {".docx", ".docm", ".dotx", ".doc"}:
        return unreadable(path, "The file is named like a Word document but is not one "
                                "(it may be damaged, or another kind of file renamed). "
                                "Please ask the sender to save the form again as .docx.")
    if suffix == ".pdf":
        return unreadable(path, "The file is named like a PDF but is not one (it may be "
                                "damaged). Please ask the sender to send it again.")
    if suffix in {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".bmp", ".gif"}:
        return unreadable(path, "This is a picture (a photo or scan), which cannot be read; "
                                "please ask the sender for the Word (.docx) version of the form.")
    if suffix in {".rtf", ".odt", ".txt", ".html", ".htm"} or head.startswith(b"{\\rtf"):
        return unreadable(path, f"This is a {suffix or 'text'} file, not the Word form; please "
                                "ask the sender for the form as a Word (.docx) file.")
    return Extraction(file=path.name, form=FormMatch(
        status="not_referral",
        reason=f"Not a referral: the file type ({suffix or 'no extension'}) is not a form "
               "the service accepts (Word .docx, PDF or email). If it was meant to be a "
               "referral, please ask the sender for the form as a Word (.docx) file."))
