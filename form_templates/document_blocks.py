"""The pieces every paperwork template is built from (form_templates/build_documents.py puts
them together, one document at a time): the place of a wording entry ({{ words.<table>.<key> }},
checked against documents/wording.toml so a template never points at nothing), the page
furniture (A4, styles, the service's header, the footer with its page number), and the blocks
the documents repeat (facts tables, loop tables, boxes, signatures, a letter's top and
sign-off). Apart from the documents so that each document reads as what it says, in order.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

WORDING = Path(__file__).resolve().parent / "documents" / "wording.toml"
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
GREY = "E7ECF2"


@functools.lru_cache(maxsize=1)
def _wording() -> dict:
    with open(WORDING, "rb") as fh:
        return tomllib.load(fh)


def w(key: str) -> str:
    """The place for wording entry `key` ("agreement.intro"); a key wording.toml does not
    have stops the build, so a template never points at nothing."""
    table, _, name = key.partition(".")
    if name not in _wording().get(table, {}):
        raise KeyError(f"{WORDING.name} has no entry [{table}] {name}")
    return "{{ words." + key + " }}"


# ---------------------------------------------------------------- page furniture


def new_document(table: str) -> Document:
    """An A4 document with the service's name, address and phone in the header, and the
    document's own footer ([table] footer_title of the wording)."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin, sec.bottom_margin = Cm(1.6), Cm(1.8)
    sec.header_distance, sec.footer_distance = Cm(0.8), Cm(0.8)

    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 18), ("Heading 1", 13), ("Heading 2", 11.5)):
        st = doc.styles[name]
        st.font.name = "Arial"
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = NAVY
        rfonts = st.element.rPr.find(qn("w:rFonts"))
        if rfonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
            rfonts.set(qn("w:ascii"), "Arial")
            rfonts.set(qn("w:hAnsi"), "Arial")
        st.paragraph_format.space_before = Pt(10 if name != "Title" else 0)
        st.paragraph_format.space_after = Pt(4)
    doc.styles["List Bullet"].font.name = "Arial"
    doc.styles["List Bullet"].font.size = Pt(10.5)

    header = sec.header
    hp = header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = hp.add_run("{{ service.name }}")
    r.bold, r.font.size, r.font.color.rgb = True, Pt(11), NAVY
    hp2 = header.add_paragraph()
    hp2.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = hp2.add_run("{{ service.service_name }}")
    r.font.size = Pt(9)
    hp3 = header.add_paragraph()
    hp3.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = hp3.add_run("{{ service.address }}")
    r.font.size = Pt(8)
    hp4 = header.add_paragraph()
    hp4.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = hp4.add_run(w("shared.header_phone"))
    r.font.size = Pt(8)
    _bottom_border(hp4)
    for p in (hp, hp2, hp3, hp4):
        p.paragraph_format.space_after = Pt(0)

    footer = sec.footer
    fp = footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = fp.add_run(w(f"{table}.footer_title") + w("shared.footer"))
    r.font.size = Pt(8)
    _page_field(fp)
    return doc


def _bottom_border(paragraph) -> None:
    pPr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "1F3A5F")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    pPr.append(bdr)


def _page_field(paragraph) -> None:
    """A PAGE field, one run per part so every part keeps the footer's small size."""
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        ("t", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        run.font.size = Pt(8)
        if kind == "t":
            el = OxmlElement("w:t")
            el.text = text
        elif kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _shade(cell, fill: str = GREY) -> None:
    tcPr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcPr.append(shd)


def _row_height(row, cm: float) -> None:
    trPr = row._tr.get_or_add_trPr()
    h = OxmlElement("w:trHeight")
    h.set(qn("w:val"), str(int(cm * 567)))
    h.set(qn("w:hRule"), "atLeast")
    trPr.append(h)


def _whole_rows(table, header: bool = False) -> None:
    """No row split across two pages; with `header`, a table that runs onto the next page
    repeats its heading row there, so a reader never meets columns without their names."""
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if header and i == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))


def _widths(table, cms: list[float]) -> None:
    """Column widths in the grid (what LibreOffice follows) and in every cell (what Word
    follows)."""
    table.autofit = False
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), cms):
        col.set(qn("w:w"), str(int(w * 567)))
    for row in table.rows:
        for cell, w in zip(row.cells, cms):
            cell.width = Cm(w)


# ---------------------------------------------------------------- building blocks


def title(doc, text: str) -> None:
    doc.add_paragraph(text, style="Title")


def heading(doc, text: str, level: int = 1) -> None:
    doc.add_paragraph(text, style=f"Heading {level}")


def para(
    doc,
    text: str = "",
    *,
    bold: bool = False,
    style: str | None = None,
    align=None,
    size: float | None = None,
):
    p = doc.add_paragraph(style=style)
    if text:
        r = p.add_run(text)
        r.bold = bold
        if size:
            r.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


def para_if(doc, key: str, **kw) -> None:
    """The wording entry `key` as a paragraph, only where it fills in with text: a rule the
    service does not state leaves no empty line."""
    tag(doc, "{%p if " + w(key)[3:-3] + " %}")
    para(doc, w(key), **kw)
    tag(doc, "{%p endif %}")


def keep_with_next(paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


def tag(doc, text: str) -> None:
    """A paragraph holding only a docxtpl block tag ({%p ... %}); it vanishes on render."""
    doc.add_paragraph(text)


def bullets(doc, key: str) -> None:
    """One bullet per string of the wording list `key`."""
    w(key)
    tag(doc, "{%p for b in words." + key + " %}")
    doc.add_paragraph("{{ b }}", style="List Bullet")
    tag(doc, "{%p endfor %}")


def facts(doc, key: str, widths=(5.2, 11.8)) -> None:
    """A two-column table of label and value, labels shaded: one row per [label, value] of
    the wording list `key`."""
    w(key)
    t = doc.add_table(rows=3, cols=2)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.rows[0].cells[0].text = "{%tr for row in words." + key + " %}"
    cells = t.rows[1].cells
    cells[0].text = "{{ row[0] }}"
    cells[0].paragraphs[0].runs[0].bold = True
    _shade(cells[0])
    cells[1].text = "{{ row[1] }}"
    t.rows[2].cells[0].text = "{%tr endfor %}"
    _widths(t, list(widths))
    _whole_rows(t)
    doc.add_paragraph()


def loop_table(
    doc, headings: str, loop: str, cells: list[str], widths: list[float], end: str = "endfor"
) -> None:
    """A table with a heading row (the wording list `headings`) and one row per item
    ({%tr for ... %})."""
    w(headings)
    t = doc.add_table(rows=4, cols=len(cells))
    t.style = "Table Grid"
    for i, c in enumerate(t.rows[0].cells):
        c.text = "{{ words." + headings + f"[{i}] }}}}"
        c.paragraphs[0].runs[0].bold = True
        _shade(c)
    t.rows[1].cells[0].text = "{%tr " + loop + " %}"
    for c, v in zip(t.rows[2].cells, cells):
        c.text = v
    t.rows[3].cells[0].text = "{%tr " + end + " %}"
    _widths(t, widths)
    _whole_rows(t, header=True)
    doc.add_paragraph()


def box(doc, key: str, i: int, lines: int = 5) -> None:
    """Box i of the wording list `key` ([heading, prompt]): the heading and a bordered empty
    box for the supervisor to write in."""
    w(key)
    heading(doc, "{{ words." + key + f"[{i}][0] }}}}", 2)
    t = doc.add_table(rows=1, cols=1)
    t.style = "Table Grid"
    cell = t.rows[0].cells[0]
    cell.text = "{{ words." + key + f"[{i}][1] }}}}"
    run = cell.paragraphs[0].runs[0]
    run.italic = True
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    _row_height(t.rows[0], lines * 0.6)
    _widths(t, [17.0])


def signature_table(doc, loops: list[tuple[str, str, str]]) -> None:
    """Signing as / Name / Signed / Date, with tall empty cells to sign in: one row per item
    of each loop (loop, signing as, name)."""
    t = doc.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for i, c in enumerate(t.rows[0].cells):
        c.text = w("shared.signature_headings").replace(" }}", f"[{i}] }}}}")
        c.paragraphs[0].runs[0].bold = True
        _shade(c)
    for loop, who, name in loops:
        t.add_row().cells[0].text = "{%tr " + loop + " %}"
        r = t.add_row()
        r.cells[0].text, r.cells[1].text = who, name
        _row_height(r, 1.2)
        t.add_row().cells[0].text = "{%tr endfor %}"
    _widths(t, [4.2, 5.0, 4.8, 3.0])
    _whole_rows(t, header=True)
    for row in t.rows:  # and the table stays together, with what comes before it
        for cell in row.cells:
            for p in cell.paragraphs:
                keep_with_next(p)
    doc.add_paragraph()


def letter_top(doc, to_name: str, to_address: str, subject: str) -> None:
    """Addressee on the left, date and reference on the right, then the subject line."""
    t = doc.add_table(rows=1, cols=2)
    left, right = t.rows[0].cells
    left.text = to_name
    left.add_paragraph(to_address)
    right.text = w("shared.date_line")
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p = right.add_paragraph(w("shared.reference_line"))
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _widths(t, [10.0, 7.0])
    doc.add_paragraph()
    para(doc, w(subject), bold=True)


def sign_off(doc) -> None:
    """Yours sincerely, the supervisor's name and role, and the copy to the social worker: one
    block, never split across pages (a page holding only a name reads as a lost letter), and
    kept with the letter's last paragraph, so a page never holds the signature alone."""
    last = [p for p in doc.paragraphs if p.text.strip() and not p.text.startswith("{%p")]
    if last:
        keep_with_next(last[-1])
    for p in (
        para(doc, w("shared.yours_sincerely")),
        doc.add_paragraph(),
        doc.add_paragraph(),
        para(doc, "{{ arrangement.supervisor }}", bold=True),
        para(doc, w("shared.signer_role")),
    ):
        keep_with_next(p)
    para(doc, w("shared.copy_to_social_worker"), size=9)


def court_limit(doc) -> None:
    """The court-directed limit on a suspension, only when the court directed family time."""
    tag(doc, "{%p if arrangement.court_directed %}")
    para(doc, w("shared.court"))
    tag(doc, "{%p endif %}")


def closures_list(doc) -> None:
    para(doc, w("shared.closures_intro"))
    tag(doc, "{%p for c in closures %}")
    doc.add_paragraph("{{ c.date }}: {{ c.reason }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if service.replacement %}")  # no paragraph where no rule is stated
    para(doc, w("shared.replacement"))
    tag(doc, "{%p endif %}")


def sessions_list(doc) -> None:
    tag(doc, "{%p if sessions %}")
    para(doc, w("shared.first_sessions"))
    tag(doc, "{%p for s in sessions %}")
    doc.add_paragraph("{{ s.date }}{% if s.note %} ({{ s.note }}){% endif %}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, w("shared.first_session"))
    tag(doc, "{%p endif %}")


def dated_list(doc) -> None:
    """The missed sessions' dates, one bullet each."""
    tag(doc, "{%p for d in missed_dates %}")
    doc.add_paragraph("{{ d }}", style="List Bullet")
    tag(doc, "{%p endfor %}")


def quotes(doc, field: str, heading_key: str, none_key: str) -> None:
    """A heading, then one paragraph per quote ("date: words") from the session records of
    the period, or a sentence saying the records hold none."""
    heading(doc, w(heading_key), 2)
    tag(doc, "{%p if " + field + " %}")
    tag(doc, "{%p for q in " + field + " %}")
    p = doc.add_paragraph(style="List Bullet")
    r = p.add_run("{{ q.date }}: ")
    r.bold = True
    p.add_run("\u201c{{ q.text }}\u201d")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, w(none_key))
    tag(doc, "{%p endif %}")
