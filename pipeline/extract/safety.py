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

from pipeline.extract import reasons

MAX_ENTRIES = 2000
MAX_TOTAL_UNCOMPRESSED = 100 * 1024 * 1024  # 100 MB
MAX_ENTRY_UNCOMPRESSED = 50 * 1024 * 1024  # one part of a form is never this large
MAX_RATIO = 200  # uncompressed / compressed, per entry
RATIO_FLOOR = 1024 * 1024  # small parts may compress very well


class UnsafeFile(Exception):
    """A file we refuse to open further. `code` names the reason in
    form_templates/reader/reasons.toml ([safety]); str(exc) and `reason` are its shared
    wording (the reader words it for the service)."""

    def __init__(self, code: str, **values: object):
        self.code, self.values = f"safety.{code}", values
        self.reason = reasons.say(self.code, **values)
        super().__init__(self.reason)

    def reason_for(self, profile=None) -> str:
        return reasons.say(self.code, profile, **self.values)


def open_zip_safely(path: Path) -> zipfile.ZipFile:
    """Open a zip (docx) after checking its directory against the size and count caps."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
        raise UnsafeFile("damaged_zip") from exc
    try:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise UnsafeFile("too_many_parts", count=len(infos))
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_ENTRY_UNCOMPRESSED or total > MAX_TOTAL_UNCOMPRESSED:
                raise UnsafeFile("zip_bomb_total")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise UnsafeFile("zip_bomb_ratio")
    except UnsafeFile:
        zf.close()
        raise
    return zf


def read_member(
    zf: zipfile.ZipFile, name: str, limit: int = MAX_ENTRY_UNCOMPRESSED
) -> bytes | None:
    """One part of the zip, read with a hard cap whatever the directory claims; None if absent."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (
        zipfile.BadZipFile,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise UnsafeFile("damaged_part") from exc
    except Exception as exc:  # zlib.error and friends from a corrupt stream
        raise UnsafeFile("damaged_part") from exc
    if len(data) > limit:
        raise UnsafeFile("zip_bomb_part")
    return data


_LOCAL = threading.local()
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    """One parser per thread (lxml parsers must not be shared between threads)."""
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            dtd_validation=False,
            remove_pis=True,
        )
        _LOCAL.parser = parser
    return parser


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML without entities or DTDs; raise UnsafeFile when it is not safe."""
    if not data or not data.strip():
        raise UnsafeFile("empty_part")
    if _DOCTYPE.search(data) and _ENTITY.search(data):
        raise UnsafeFile("xml_bomb")
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UnsafeFile("damaged_xml") from exc
    if root is None:
        raise UnsafeFile("empty_part")
    return root
