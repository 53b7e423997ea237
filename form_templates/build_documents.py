"""Build the paperwork templates (form_templates/documents/*.docx) with python-docx.

This script holds the layout only: page furniture, styles, tables, and where each entry of
documents/wording.toml goes ({{ words.<table>.<key> }}). The sentences themselves are data in
wording.toml, filled in when a document is rendered, so changing what a letter says (for
every service, or for one in documents/<profile id>/wording.toml) needs neither Python nor a
rebuild. Run `python3 form_templates/build_documents.py` after changing the layout here; the
.docx files are committed so the service can open them in Word. The templates are docxtpl
(Jinja2 in Word): every variable they use must exist in the context models of
pipeline/render/context.py, which `family-time watch` checks at start (preflight).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import sys
import tomllib
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
OUT = HERE / "documents"
WORDING = OUT / "wording.toml"
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
GREY = "E7ECF2"

# docassemble-style mending: quotes Word "smartens" inside a tag break Jinja.
_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.S)
_SMART = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def fix_quotes(s: str) -> str:
    return _TAG.sub(lambda m: m.group(0).translate(_SMART), s)


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
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("t", "1"),
                       ("end", None)):
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


def para(doc, text: str = "", *, bold: bool = False, style: str | None = None,
         align=None, size: float | None = None):
    p = doc.add_paragraph(style=style)
    if text:
        r = p.add_run(text)
        r.bold = bold
        if size:
            r.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


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
    doc.add_paragraph()


def loop_table(doc, headings: str, loop: str, cells: list[str], widths: list[float],
               end: str = "endfor") -> None:
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
    """Yours sincerely, the supervisor's name and role, and the copy to the social worker."""
    para(doc, w("shared.yours_sincerely"))
    doc.add_paragraph()
    doc.add_paragraph()
    para(doc, "{{ arrangement.supervisor }}", bold=True)
    para(doc, w("shared.signer_role"))
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
    para(doc, w("shared.replacement"))


def sessions_list(doc) -> None:
    tag(doc, "{%p if sessions %}")
    para(doc, w("shared.first_sessions"))
    tag(doc, "{%p for s in sessions %}")
    doc.add_paragraph("{{ s.date }}{% if s.note %} ({{ s.note }}){% endif %}",
                      style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, w("shared.first_session"))
    tag(doc, "{%p endif %}")


def dated_list(doc) -> None:
    """The missed sessions' dates, one bullet each."""
    tag(doc, "{%p for d in missed_dates %}")
    doc.add_paragraph("{{ d }}", style="List Bullet")
    tag(doc, "{%p endfor %}")


# ---------------------------------------------------------------- the documents

def agreement() -> Document:
    doc = new_document("agreement")
    title(doc, w("agreement.title"))
    para(doc, w("agreement.intro"))
    tag(doc, "{%p if resigned %}")
    heading(doc, w("agreement.resigned_heading"))
    para(doc, w("agreement.resigned_why"))
    tag(doc, "{%p endif %}")

    heading(doc, w("agreement.family_time_heading"))
    facts(doc, "agreement.facts")
    para(doc, w("agreement.family_intro"), bold=True)
    loop_table(doc, "agreement.family_headings", "for p in family",
               ["{{ p.name }}", "{{ p.relationship }}", "{{ p.parental_responsibility }}"],
               [7.0, 6.0, 4.0])
    para(doc, w("agreement.nobody_else"))

    heading(doc, w("agreement.service_heading"))
    bullets(doc, "agreement.service_will")

    heading(doc, w("agreement.arriving_heading"))
    para(doc, w("shared.arrival"))
    para(doc, w("shared.lateness"))
    para(doc, w("agreement.not_before_start"))

    heading(doc, w("agreement.during_heading"))
    bullets(doc, "agreement.during")

    heading(doc, w("agreement.missed_heading"))
    para(doc, w("shared.missed"))
    para(doc, w("shared.legal"))
    court_limit(doc)
    para(doc, w("agreement.rarely_rearranged"))

    heading(doc, w("agreement.unwell_heading"))
    bullets(doc, "agreement.unwell")

    heading(doc, w("agreement.closed_heading"))
    closures_list(doc)
    bullets(doc, "agreement.closed")

    heading(doc, w("agreement.photos_heading"))
    para(doc, w("agreement.photos_recorded"))
    para(doc, w("agreement.photos_agree"))
    signature_table(doc, [("for p in family", w("agreement.photos_signing_as"),
                           "{{ p.name }}")])

    heading(doc, w("agreement.signatures_heading"))
    para(doc, w("agreement.worries"))
    para(doc, w("agreement.understood"), bold=True)
    w("agreement.signatories")
    signature_table(doc, [("for p in family", "{{ p.relationship }}", "{{ p.name }}"),
                          ("for s in words.agreement.signatories", "{{ s[0] }}",
                           "{{ s[1] }}")])
    return doc


def letter_parent() -> Document:
    doc = new_document("letter_parent")
    letter_top(doc, "{{ parent.name }}", "{{ parent.address }}", "letter_parent.subject")
    para(doc, w("letter_parent.dear"))
    para(doc, w("letter_parent.intro"))
    facts(doc, "letter_parent.facts")
    sessions_list(doc)
    heading(doc, w("letter_parent.arriving_heading"), 2)
    para(doc, w("shared.arrival"))
    para(doc, w("shared.lateness"))
    heading(doc, w("letter_parent.cannot_come_heading"), 2)
    para(doc, w("letter_parent.cannot_come"))
    heading(doc, w("letter_parent.closed_heading"), 2)
    closures_list(doc)
    heading(doc, w("letter_parent.agreement_heading"), 2)
    para(doc, w("letter_parent.agreement"))
    para(doc, w("letter_parent.questions"))
    sign_off(doc)
    return doc


CARER_ADDRESS = "{{ carer.address }}{% if carer.postcode %} {{ carer.postcode }}{% endif %}"   # the carer's letters' address line


def letter_carer() -> Document:
    doc = new_document("letter_carer")
    letter_top(doc, "{{ carer.name }}", CARER_ADDRESS,
               "letter_carer.subject")
    para(doc, w("letter_carer.dear"))
    para(doc, w("letter_carer.intro"))
    facts(doc, "letter_carer.facts")
    sessions_list(doc)
    heading(doc, w("letter_carer.handover_heading"), 2)
    para(doc, w("letter_carer.handover_intro"))
    bullets(doc, "letter_carer.handover")
    para(doc, w("letter_carer.communication_book"))
    heading(doc, w("letter_carer.illness_heading"), 2)
    para(doc, w("letter_carer.illness"))
    heading(doc, w("letter_carer.holidays_heading"), 2)
    para(doc, w("letter_carer.holidays"))
    closures_list(doc)
    para(doc, w("letter_carer.short_notice"))
    para(doc, w("letter_carer.contact"))
    sign_off(doc)
    return doc


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


def lac_report() -> Document:
    doc = new_document("lac_report")
    title(doc, w("lac_report.title"))
    para(doc, w("lac_report.for_whom"), size=9.5)
    facts(doc, "lac_report.facts")
    heading(doc, w("lac_report.arrangements_heading"))
    facts(doc, "lac_report.arrangements")
    heading(doc, w("lac_report.attendance_heading"))
    tag(doc, "{%p if has_records %}")
    para(doc, w("lac_report.attendance_intro"))
    loop_table(doc, "lac_report.attendance_headings", "for c in counts",
               ["{{ c.label }}", "{{ c.count }}"], [12.0, 5.0])
    p = para(doc, "{{ chart }}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tag(doc, "{%p else %}")
    para(doc, w("lac_report.no_records"))
    tag(doc, "{%p endif %}")
    w("lac_report.suspensions")
    tag(doc, "{%p if words.lac_report.suspensions %}")
    heading(doc, w("lac_report.suspension_heading"), 2)
    tag(doc, "{%p for s in words.lac_report.suspensions %}")
    para(doc, "{{ s }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    heading(doc, w("lac_report.events_heading"), 2)
    tag(doc, "{%p if significant_events %}")
    bullets(doc, "lac_report.events")
    tag(doc, "{%p else %}")
    para(doc, w("lac_report.no_events"))
    tag(doc, "{%p endif %}")
    heading(doc, w("lac_report.words_heading"))
    para(doc, w("lac_report.words_intro"), size=9.5)
    quotes(doc, "child_views", "lac_report.child_views_heading", "lac_report.none_recorded")
    quotes(doc, "parenting", "lac_report.parenting_heading", "lac_report.none_recorded")
    quotes(doc, "went_well", "lac_report.went_well_heading", "lac_report.none_recorded")
    quotes(doc, "worries", "lac_report.worries_heading", "lac_report.no_worries")
    for i, lines in enumerate((8,)):
        box(doc, "lac_report.boxes", i, lines)
    heading(doc, w("lac_report.sign_off_heading"))
    facts(doc, "lac_report.sign_off")
    heading(doc, w("lac_report.appendix_heading"))
    para(doc, w("lac_report.appendix_intro"), size=9.5)
    tag(doc, "{%p if appendix %}")
    loop_table(doc, "lac_report.appendix_headings", "for a in appendix",
               ["{{ a.date }}", "{{ a.outcome }}", "{{ a.counted_as }}", "{{ a.note }}"],
               [3.6, 4.6, 3.6, 5.2])
    tag(doc, "{%p else %}")
    para(doc, w("lac_report.no_appendix"))
    tag(doc, "{%p endif %}")
    return doc


def suspension_letter() -> Document:
    doc = new_document("suspension_letter")
    w("suspension_letter.no_address")
    letter_top(doc, "{{ parent.name }}",
               "{% if by_hand %}{{ words.suspension_letter.no_address }}{% else %}"
               "{{ parent.address }}{% endif %}", "suspension_letter.subject")
    para(doc, w("suspension_letter.dear"))
    para(doc, w("suspension_letter.missed"))
    dated_list(doc)
    para(doc, w("suspension_letter.suspended"))
    tag(doc, "{%p if restart_date %}")
    para(doc, w("suspension_letter.restart"))
    tag(doc, "{%p endif %}")
    heading(doc, w("suspension_letter.next_heading"), 2)
    bullets(doc, "suspension_letter.next")
    court_limit(doc)
    para(doc, w("suspension_letter.talk"))
    sign_off(doc)
    return doc


def suspension_letter_carer() -> Document:
    """The carer's short letter: paused from/until, the sessions not taking place, and the
    social worker confirms when family time resumes."""
    doc = new_document("suspension_letter_carer")
    letter_top(doc, "{{ carer.name }}", CARER_ADDRESS,
               "suspension_letter_carer.subject")
    para(doc, w("suspension_letter_carer.dear"))
    para(doc, w("suspension_letter_carer.paused"))
    tag(doc, "{%p if paused_sessions %}")
    para(doc, w("suspension_letter_carer.not_taking_place_intro"))
    tag(doc, "{%p for d in paused_sessions %}")
    doc.add_paragraph("{{ d }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, w("suspension_letter_carer.none_in_pause"))
    tag(doc, "{%p endif %}")
    para(doc, w("suspension_letter_carer.resume"))
    para(doc, w("suspension_letter_carer.questions"))
    sign_off(doc)
    return doc


def notice_social_worker() -> Document:
    doc = new_document("notice_social_worker")
    title(doc, w("notice_social_worker.title"))
    facts(doc, "notice_social_worker.facts")
    para(doc, w("notice_social_worker.missed"), bold=True)
    dated_list(doc)
    tag(doc, "{%p if kind == 'legal_advice' %}")
    para(doc, w("notice_social_worker.legal_advice"))
    para(doc, w("notice_social_worker.tell_decision"))
    tag(doc, "{%p else %}")
    para(doc, w("notice_social_worker.suspended"))
    para(doc, w("notice_social_worker.meeting"))
    court_limit(doc)
    para(doc, w("notice_social_worker.further"))
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if made %}")
    heading(doc, w("notice_social_worker.made_heading"), 2)
    para(doc, w("notice_social_worker.made_intro"))
    loop_table(doc, "notice_social_worker.made_headings", "for m in made",
               ["{{ m.document }}", "{{ m.recipient }}", "{{ m.how }}"], [7.0, 5.5, 4.5])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if guardian %}")
    para(doc, w("notice_social_worker.guardian"))
    tag(doc, "{%p endif %}")
    para(doc, w("notice_social_worker.records_held"))
    return doc


BUILDERS = {
    "family_time_agreement.docx": agreement,
    "letter_parent.docx": letter_parent,
    "letter_carer.docx": letter_carer,
    "lac_review_report.docx": lac_report,
    "suspension_letter.docx": suspension_letter,
    "suspension_letter_carer.docx": suspension_letter_carer,
    "notice_social_worker.docx": notice_social_worker,
}


def mend(doc: Document) -> None:
    """Straighten quotes inside every tag (also in tables, headers and footers)."""
    parts = [doc.element.body] + [s.header._element for s in doc.sections] + \
            [s.footer._element for s in doc.sections]
    for part in parts:
        for t in part.iter(qn("w:t")):
            if t.text and ("{" in t.text):
                t.text = fix_quotes(t.text)


def slim(doc: Document) -> None:
    """Drop what the blank python-docx document carries but a letter never uses (its
    thumbnail picture, a second copy of the styles, hundreds of unused styles): smaller files
    that Word opens as before and that render several times faster."""
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)
    styles = doc.styles.element
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    used = set()
    parts = [doc.element] + [s.header._element for s in doc.sections] + \
        [s.footer._element for s in doc.sections]
    for part in parts:
        for tag_name in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            used |= {e.get(qn("w:val")) for e in part.iter(qn(tag_name))}
    by_id = {st.get(qn("w:styleId")): st for st in styles.findall(qn("w:style"))}
    keep = {sid for sid, st in by_id.items() if st.get(qn("w:default")) == "1"} | used
    todo = list(keep)
    while todo:
        st = by_id.get(todo.pop())
        if st is None:
            continue
        for ref in ("w:basedOn", "w:link", "w:next"):
            el = st.find(qn(ref))
            if el is not None and el.get(qn("w:val")) not in keep:
                keep.add(el.get(qn("w:val")))
                todo.append(el.get(qn("w:val")))
    for sid, st in by_id.items():
        if sid not in keep:
            styles.remove(st)


def _stable_zip(doc: Document) -> bytes:
    """The .docx bytes with fixed member dates, so an unchanged template rebuilds to the same
    bytes and git shows only real changes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def build(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in BUILDERS.items():
        doc = builder()
        mend(doc)
        slim(doc)
        core = doc.core_properties
        core.author = "Family Time Service"
        core.title = name.removesuffix(".docx").replace("_", " ").capitalize()
        core.comments = "docxtpl template built by form_templates/build_documents.py"
        # fixed dates keep the committed files stable between builds
        core.created = core.modified = dt.datetime(2025, 3, 1)
        core.last_modified_by = "build_documents.py"
        core.revision = 1
        path = out / name
        path.write_bytes(_stable_zip(doc))
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(p)
