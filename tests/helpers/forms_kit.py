"""Shared by the form tests: the form builder script, and looks inside a .docx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from tests.helpers.paths import FIXTURES
from tests.helpers.scripts import form_script

FIXTURE_FORMS = FIXTURES / "forms"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = {"w": W, "w14": W14}


def build_forms():
    """form_templates/build_forms.py, the script that makes the blank forms."""
    return form_script("build_forms")


def part(path_or_bytes, name: str):
    """One XML part of a .docx, parsed; None when the part is absent."""
    src = path_or_bytes if isinstance(path_or_bytes, Path) else io.BytesIO(path_or_bytes)
    with zipfile.ZipFile(src) as z:
        if name not in z.namelist():
            return None
        return etree.fromstring(z.read(name))


def names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def tags(doc) -> list[str]:
    return [t.get(f"{{{W}}}val") for t in doc.iterfind(".//w:sdt/w:sdtPr/w:tag", NS)]


def sdt_by_tag(doc, tag: str):
    found = [
        s
        for s in doc.iterfind(".//w:sdt", NS)
        if s.find("w:sdtPr/w:tag", NS) is not None
        and s.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val") == tag
    ]
    assert len(found) == 1, f"{tag}: {len(found)} controls"
    return found[0]


def text_of(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{{{W}}}t"))


def footer_paragraphs(path: Path) -> list[str]:
    out = []
    for name in names(path):
        if name.startswith("word/footer") and name.endswith(".xml"):
            out += [text_of(p) for p in part(path, name).iterfind(".//w:p", NS)]
    return out
