"""The bundle as files: one .docx written from the laid-out pages (each page begun with a page
break, each line its own paragraph at a fixed height, so the pages are the layout's), and its
PDF made by LibreOffice where it is installed (pipeline/render/pdf.py). The PDF is read back
and kept only when its pages are the layout's pages, so the index never points at the wrong
page; where LibreOffice is missing or the pages differ, the caller says so plainly.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.bundle.gather import say
from pipeline.bundle.layout import Layout, Withheld
from pipeline.dates import numeric_date
from pipeline.files import write_private

FONT = "Arial"  # LibreOffice draws it with Liberation Sans, the same widths
LINE_TWIPS = 260  # 13 pt a line, exactly
MARGIN_TWIPS = 1020  # 18 mm
PAGE_W, PAGE_H = 11906, 16838  # A4
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@dataclass
class Written:
    docx: Path
    pdf: Path | None
    pdf_problem: str = ""  # why there is no PDF, in plain words
    pages: int = 0


def _para(style: str, text: str, page_break: bool = False) -> str:
    text = _NOT_XML.sub("", text)
    ppr = [f'<w:spacing w:before="0" w:after="0" w:line="{LINE_TWIPS}" w:lineRule="exact"/>']
    if page_break:
        ppr.insert(0, "<w:pageBreakBefore/>")
    size, bold = 20, style in ("b", "h", "c")
    if style == "h":
        size = 22
    if style == "t":
        size, ppr = 16, [*ppr, '<w:jc w:val="right"/>']
    if style in ("i", "c"):
        right = PAGE_W - 2 * MARGIN_TWIPS
        ppr.insert(
            0,
            '<w:tabs><w:tab w:val="left" w:pos="1500"/>'
            f'<w:tab w:val="right" w:pos="{right}"/></w:tabs>',
        )
    rpr = f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
    rpr += ("<w:b/>" if bold else "") + f'<w:sz w:val="{size}"/></w:rPr>'
    runs = (
        "<w:r>"
        + rpr
        + "<w:tab/>".join(
            f'<w:t xml:space="preserve">{escape(chunk)}</w:t>' for chunk in text.split("\t")
        )
        + "</w:r>"
    )
    return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{runs}</w:p>"


def page_line(layout: Layout, page: int) -> str:
    return say(
        "page",
        "line",
        reference=layout.reference,
        title=layout.title,
        page=page,
        pages=len(layout.pages),
    )


def docx_bytes(pages: list[list[tuple[str, str]]], header) -> bytes:
    """A .docx of these pages (`header(n)`: the line at the top of page n)."""
    from docx import Document
    from docx.shared import Twips
    from lxml import etree

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(MARGIN_TWIPS))
    section.header_distance = section.footer_distance = Twips(400)
    parts = []
    for n, lines in enumerate(pages, start=1):
        parts.append(_para("t", header(n), page_break=n > 1))
        parts.append(_para("p", ""))
        parts += [_para(style, text) for style, text in lines]
    body = doc.element.body
    sect = body[-1]  # the section's properties stay last
    fragment = etree.fromstring(f"<w:body {_W}>{''.join(parts)}</w:body>")
    for p in list(body):
        if p is not sect:
            body.remove(p)
    for el in list(fragment):
        sect.addprevious(el)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def write(layout: Layout, folder: Path, stem: str, pdf: bool = True) -> Written:
    docx = write_private(
        Path(folder) / f"{stem}.docx", docx_bytes(layout.pages, lambda n: page_line(layout, n))
    )
    result = Written(docx, None, pages=len(layout.pages))
    if pdf:
        result.pdf, result.pdf_problem = make_pdf(
            docx, [page_line(layout, n) for n in range(1, len(layout.pages) + 1)]
        )
    return result


def make_pdf(docx: Path, expected: list[str]) -> tuple[Path | None, str]:
    """The PDF through LibreOffice, kept only when page n carries page n's line."""
    from pipeline.extract.pdfium import PdfUnreadable, page_texts
    from pipeline.render.pdf import PdfProblem, to_pdf

    try:
        made = to_pdf(docx, timeout=300)
    except PdfProblem as exc:
        return None, str(exc)
    try:
        texts = page_texts(made)
    except PdfUnreadable:
        texts = []
    flat = [" ".join(t.split()) for t in texts]
    if len(flat) != len(expected) or any(e not in t for e, t in zip(expected, flat)):
        made.unlink(missing_ok=True)
        return None, say("pdf", "pages_differ", pages=len(flat), expected=len(expected))
    return made, ""


def withheld_list(layout: Layout, folder: Path, stem: str, made_on, pdf: bool = True) -> Written:
    """The court's own page: each answer withheld from the parties' bundle, with its page."""
    lines: list[tuple[str, str]] = [
        ("h", say("withheld", "heading")),
        ("p", say("withheld", "intro")),
        ("p", ""),
    ]
    seen = set()
    for w in layout.withheld:
        if (w.page, w.what, w.value) in seen:
            continue
        seen.add((w.page, w.what, w.value))
        lines.append(("p", say("withheld", "entry", page=w.page, what=w.what) + f": {w.value}"))
    if not layout.withheld:
        lines.append(("p", say("withheld", "none")))
    from pipeline.bundle.layout import BODY_LINES

    pages = [lines[i : i + BODY_LINES] for i in range(0, len(lines), BODY_LINES)]
    title = say("titles", "withheld_list")
    header = lambda n: f"{layout.reference} · {title} · {numeric_date(made_on)}"  # noqa: E731
    docx = write_private(Path(folder) / f"{stem}.docx", docx_bytes(pages, header))
    out = Written(docx, None, pages=len(pages))
    if pdf:
        out.pdf, out.pdf_problem = make_pdf(docx, [header(n) for n in range(1, len(pages) + 1)])
    return out


__all__ = ["Withheld", "Written", "write", "withheld_list"]
