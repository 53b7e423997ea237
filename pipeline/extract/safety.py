"""Limits for hostile or broken files: zip bombs, XML entity bombs, external entities.

Anyone can email the inbox, so a .docx is opened as an untrusted zip and its XML parsed with
entities and DTDs switched off. Every refusal carries a reason business support can read.
"""

from __future__ import annotations

import re
import threading
import zipfile
from pathlib import Path

from lxml import etree

MAX_ENTRIES = 2000
MAX_TOTAL_UNCOMPRESSED = 100 * 1024 * 1024      # 100 MB
MAX_ENTRY_UNCOMPRESSED = 50 * 1024 * 1024       # one part of a form is never this large
MAX_RATIO = 200                                   # uncompressed / compressed, per entry
RATIO_FLOOR = 1024 * 1024                         # small parts may compress very well


class UnsafeFile(Exception):
    """A file we refuse to open further; str(exc) is the plain-English reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def open_zip_safely(path: Path) -> zipfile.ZipFile:
    """Open a zip (docx) after checking its directory against the size and count caps."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
        raise UnsafeFile("The file is damaged or incomplete (it is not a readable Word "
                         "document). Please ask the sender to save it again and resend it.") from exc
    try:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise UnsafeFile(f"The file holds {len(infos)} parts, far more than any form; "
                             "it was not opened, for safety.")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_ENTRY_UNCOMPRESSED or total > MAX_TOTAL_UNCOMPRESSED:
                raise UnsafeFile("The file would expand to more than 100 MB when opened "
                                 "(a 'zip bomb'); it was not opened, for safety.")
            if (info.file_size > RATIO_FLOOR
                    and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                raise UnsafeFile("Part of the file is compressed far more than any real "
                                 "document (a 'zip bomb'); it was not opened, for safety.")
    except UnsafeFile:
        zf.close()
        raise
    return zf


def read_member(zf: zipfile.ZipFile, name: str, limit: int = MAX_ENTRY_UNCOMPRESSED) -> bytes | None:
    """One part of the zip, read with a hard cap whatever the directory claims; None if absent."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError) as exc:
        raise UnsafeFile("The file is damaged or incomplete (part of it cannot be read). "
                         "Please ask the sender to save it again and resend it.") from exc
    except Exception as exc:  # zlib.error and friends from a corrupt stream
        raise UnsafeFile("The file is damaged or incomplete (part of it cannot be read). "
                         "Please ask the sender to save it again and resend it.") from exc
    if len(data) > limit:
        raise UnsafeFile("Part of the file expands far beyond what it claims (a 'zip bomb'); "
                         "it was not opened, for safety.")
    return data


_LOCAL = threading.local()
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    """One parser per thread (lxml parsers must not be shared between threads)."""
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                                 load_dtd=False, dtd_validation=False, remove_pis=True)
        _LOCAL.parser = parser
    return parser


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML without entities or DTDs; raise UnsafeFile when it is not safe."""
    if not data or not data.strip():
        raise UnsafeFile("Part of the document is empty; the file is damaged or incomplete.")
    if _DOCTYPE.search(data) and _ENTITY.search(data):
        raise UnsafeFile("The document contains hidden definitions that could make it "
                         "expand without limit (an 'XML bomb'); it was not opened, for safety.")
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UnsafeFile("The document is damaged (its contents cannot be read). Please ask "
                         "the sender to save it again and resend it.") from exc
    if root is None:
        raise UnsafeFile("Part of the document is empty; the file is damaged or incomplete.")
    return root
