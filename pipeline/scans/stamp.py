"""Putting the code on a Word document the pipeline made: a QR code in the top corner of the
first page ("page 1") and another on every later page ("page n"), beside whatever header the
template already has (its text copied to the first page's header, which Word keeps apart)."""

from __future__ import annotations

import copy
import io
from dataclasses import replace
from pathlib import Path

from pipeline.files import write_private
from pipeline.scans.code import LATER_PAGE, PageCode, png

SIZE_MM = 20  # 3 px a module at 150 dpi (zxing reads 2 and up); fits the top margin


def stamp_docx(path: Path, code: PageCode) -> Path:
    """Add the code to the document at `path` (rewritten in place, privately); returns it."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = Document(str(path))
    first = replace(code, page="1")
    later = replace(code, page=LATER_PAGE)
    for section in doc.sections:
        had_first = section.different_first_page_header_footer
        if not had_first:
            section.different_first_page_header_footer = True
            _copy(section.header, section.first_page_header)
            _copy(section.footer, section.first_page_footer)
        for header, c in ((section.first_page_header, first), (section.header, later)):
            para = header.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            para.add_run().add_picture(io.BytesIO(png(c)), width=Mm(SIZE_MM))
            _to_front(header, para)
    out = io.BytesIO()
    doc.save(out)
    return write_private(Path(path), out.getvalue())


def _copy(source, target) -> None:
    """The template's own header or footer text on the first page too (paragraphs and tables:
    the templates' headers hold no pictures of their own)."""
    if source.is_linked_to_previous:
        return
    body = target._element
    for child in list(body):
        body.remove(child)
    for child in source._element:
        body.append(copy.deepcopy(child))


def _to_front(header, para) -> None:
    """The code above the header's own lines, so it sits in the corner, not below them."""
    el = header._element
    el.remove(para._p)
    el.insert(0, para._p)
