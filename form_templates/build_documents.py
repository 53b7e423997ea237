"""Build the paperwork templates (form_templates/documents/*.docx) with python-docx.

Run `python3 form_templates/build_documents.py` after changing any wording here; the .docx
files are committed so the service can open them in Word. The templates are docxtpl (Jinja2
in Word): every variable they use must exist in the context models of
pipeline/render/context.py, which `family-time watch` checks at start (preflight).

The wording is our own, written from the services' published facts (the Northamptonshire
agreement, the Milton Keynes carers' information and the Blackpool policy). Numbers and
rules that differ between services (arrival time, lateness, missed sessions, closed days)
come from the service profile through the context, never from this file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
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
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
GREY = "E7ECF2"

# docassemble-style mending: quotes Word "smartens" inside a tag break Jinja.
_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.S)
_SMART = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def fix_quotes(s: str) -> str:
    return _TAG.sub(lambda m: m.group(0).translate(_SMART), s)


# ---------------------------------------------------------------- page furniture

def new_document(title_tag: str) -> Document:
    """An A4 document with the service's name, address and phone in the header."""
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
    r = hp4.add_run("Telephone {{ service.phone }}")
    r.font.size = Pt(8)
    _bottom_border(hp4)
    for p in (hp, hp2, hp3, hp4):
        p.paragraph_format.space_after = Pt(0)

    footer = sec.footer
    fp = footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = fp.add_run(f"{title_tag}  ·  Reference {{{{ reference }}}}  ·  OFFICIAL-SENSITIVE"
                   "  ·  Page ")
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


def bullets(doc, items: list[str]) -> None:
    for item in items:
        doc.add_paragraph(item, style="List Bullet")


def facts(doc, rows: list[tuple[str, str]], widths=(5.2, 11.8)) -> None:
    """A two-column table of label and value, labels shaded."""
    t = doc.add_table(rows=0, cols=2)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in rows:
        cells = t.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        _shade(cells[0])
        cells[1].text = value
    _widths(t, list(widths))
    doc.add_paragraph()


def loop_table(doc, headings: list[str], loop: str, cells: list[str], widths: list[float],
               end: str = "endfor") -> None:
    """A table with a heading row and one row per item ({%tr for ... %})."""
    t = doc.add_table(rows=4, cols=len(headings))
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, headings):
        c.text = h
        c.paragraphs[0].runs[0].bold = True
        _shade(c)
    t.rows[1].cells[0].text = "{%tr " + loop + " %}"
    for c, v in zip(t.rows[2].cells, cells):
        c.text = v
    t.rows[3].cells[0].text = "{%tr " + end + " %}"
    _widths(t, widths)
    doc.add_paragraph()


def box(doc, heading_text: str, prompt: str, lines: int = 5) -> None:
    """A heading and a bordered empty box for the supervisor to write in."""
    heading(doc, heading_text, 2)
    t = doc.add_table(rows=1, cols=1)
    t.style = "Table Grid"
    cell = t.rows[0].cells[0]
    cell.text = prompt
    run = cell.paragraphs[0].runs[0]
    run.italic = True
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    _row_height(t.rows[0], lines * 0.6)
    _widths(t, [17.0])


def signature_table(doc, rows: list[tuple[str, str]],
                    loop_rows: tuple[str, str, str] | None = None) -> None:
    """Who / Name / Signed / Date, with tall empty cells to sign in."""
    t = doc.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, ["Signing as", "Name", "Signed", "Date"]):
        c.text = h
        c.paragraphs[0].runs[0].bold = True
        _shade(c)
    if loop_rows:
        loop, who, name = loop_rows
        t.add_row().cells[0].text = "{%tr " + loop + " %}"
        r = t.add_row()
        r.cells[0].text, r.cells[1].text = who, name
        _row_height(r, 1.2)
        t.add_row().cells[0].text = "{%tr endfor %}"
    for who, name in rows:
        r = t.add_row()
        r.cells[0].text, r.cells[1].text = who, name
        _row_height(r, 1.2)
    _widths(t, [4.2, 5.0, 4.8, 3.0])
    doc.add_paragraph()


def letter_top(doc, to_name: str, to_address: str, subject: str) -> None:
    """Addressee on the left, date and reference on the right, then the subject line."""
    t = doc.add_table(rows=1, cols=2)
    left, right = t.rows[0].cells
    left.text = to_name
    left.add_paragraph(to_address)
    right.text = "Date: {{ today }}"
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p = right.add_paragraph("Our reference: {{ reference }}")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _widths(t, [10.0, 7.0])
    doc.add_paragraph()
    para(doc, subject, bold=True)


def sign_off(doc, name: str, role: str) -> None:
    para(doc, "Yours sincerely,")
    doc.add_paragraph()
    doc.add_paragraph()
    para(doc, name, bold=True)
    para(doc, role)


# ---------------------------------------------------------------- shared wording

ARRIVAL = ("{% if service.any_lateness_cancels %}Please arrive at least "
           "{{ service.arrive_minutes_before }} minutes before the session starts"
           "{% else %}Please arrive about {{ service.arrive_minutes_before }} minutes before "
           "the session starts{% endif %}{% if arrangement.arrive_by %} (by "
           "{{ arrangement.arrive_by }}){% endif %} and tell the staff at the venue that you "
           "are there. Wait outside the family room until the {{ service.supervisor_role }} "
           "comes for you: you need to be settled in the room before {{ child.call_name }} "
           "arrives.")
LATENESS = ("{% if service.any_lateness_cancels %}If you arrive after the start time, for any "
            "reason, the session will be cancelled. We hold every family to the same rule so "
            "that it is fair to all.{% else %}If you are more than "
            "{{ service.max_late_minutes }} minutes late, the session will be cancelled. If you "
            "are running late, please ring us on {{ service.phone }} straight away.{% endif %}")
MISSED = ("If {{ service.missed_count }} sessions in a row are missed or cancelled without a "
          "reason the service accepts, family time will be suspended (paused) for at least "
          "{{ service.suspension_days }} days. During the pause the social worker and the "
          "{{ service.supervisor_role }} will meet with you, and the Family Time Agreement has "
          "to be signed again before sessions start again. Until that meeting has happened, family "
          "time stays paused.")
LEGAL = ("If a further {{ service.legal_advice_after }} sessions in a row are missed after "
         "family time starts again, the social worker will be asked to take legal advice about "
         "the family time arrangements.")
COURT = ("{%p if arrangement.court_directed %}", "Because this family time has been directed by "
         "the court, it cannot be suspended for more than {{ service.court_max_days }} days "
         "without the matter going back to court.", "{%p endif %}")
REPLACEMENT = ("{% if service.replacement %}If your only session in a week falls on one of "
               "these days, we will offer you a replacement session in the same week. If you "
               "have more than one session that week, the one that falls on a closed day will "
               "not be replaced.{% else %}Sessions that fall on these days are not replaced."
               "{% endif %}")


def closures_list(doc) -> None:
    para(doc, "There is no family time on Sundays or on the days the service is closed. From "
              "{{ closures_from }} to {{ closures_to }} those days are:")
    tag(doc, "{%p for c in closures %}")
    doc.add_paragraph("{{ c.date }}: {{ c.reason }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    para(doc, REPLACEMENT)


def sessions_list(doc) -> None:
    tag(doc, "{%p if sessions %}")
    para(doc, "The first sessions are on:")
    tag(doc, "{%p for s in sessions %}")
    doc.add_paragraph("{{ s.date }}{% if s.note %} ({{ s.note }}){% endif %}",
                      style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "The first session is on {{ arrangement.first_date }}.")
    tag(doc, "{%p endif %}")


# ---------------------------------------------------------------- the documents

def agreement() -> Document:
    doc = new_document("Family Time Agreement")
    title(doc, "{% if resigned %}Family Time Agreement (signed again after a pause){% else %}"
               "Family Time Agreement{% endif %}")
    para(doc, "This agreement explains how {{ child.call_name }}'s family time will work: what "
              "the {{ service.service_name }} will do, and what we ask of everyone who comes. "
              "Please read every part and ask about anything that is not clear before you "
              "sign. Wherever possible, everyone signs before the first session.")
    tag(doc, "{%p if resigned %}")
    heading(doc, "Why this agreement is being signed again")
    para(doc, "Family time was suspended because the sessions on {{ missed_text }} were "
              "missed without a reason the service could accept. It was suspended from "
              "{{ suspended_from }} until {{ suspended_until }}. Family time can start again "
              "on {{ restart_date }}, once everyone named below has signed this agreement again.")
    tag(doc, "{%p endif %}")

    heading(doc, "1. The family time")
    facts(doc, [
        ("Reference", "{{ reference }}"),
        ("Child", "{{ child.full_name }}{% if child.known_as %} (known as "
                  "{{ child.known_as }}){% endif %}"),
        ("Date of birth", "{{ child.dob }}"),
        ("Level of family time", "{{ arrangement.supervision }}"),
        ("How often", "{{ arrangement.frequency }}"),
        ("Day and time", "{{ arrangement.day }}, {{ arrangement.time }}"),
        ("Length of each session", "{{ arrangement.duration }}"),
        ("First session", "{{ arrangement.first_date }}"),
        ("Venue", "{{ arrangement.venue_full }}"
                  "{% if arrangement.room %} (room: {{ arrangement.room }}){% endif %}"),
        ("{{ service.supervisor_role }}", "{{ arrangement.supervisor }}"),
        ("Social worker", "{{ social_worker.name }}, {{ social_worker.team }}, "
                          "telephone {{ social_worker.phone }}"),
    ])
    para(doc, "Family members who will attend:", bold=True)
    loop_table(doc, ["Name", "Relationship to the child", "Parental responsibility"],
               "for p in family", ["{{ p.name }}", "{{ p.relationship }}",
                                   "{{ p.parental_responsibility }}"], [7.0, 6.0, 4.0])
    para(doc, "Nobody else may come to a session unless the social worker and the "
              "{{ service.supervisor_role }} have agreed it beforehand. If the social worker "
              "agrees without telling the {{ service.supervisor_role }}, that person will not "
              "be able to join the session.")

    heading(doc, "2. What the service will do")
    bullets(doc, [
        "When family time is allocated, the social worker and the {{ service.supervisor_role }} "
        "meet to agree what is expected and how the service can help {{ child.call_name }} "
        "and the family.",
        "The {{ service.supervisor_role }} plans each session so there are suitable things "
        "to do, completes any risk assessment that is needed, and tells everyone about the "
        "arrangements, usually by letter or email.",
        "Support can include supervising or facilitating the sessions, observation and "
        "assessment, help and ideas with parenting, supporting relationships, and memory "
        "making or life story work.",
        "The {{ service.supervisor_role }}, the social worker and the family review together "
        "how family time is going and what else would help.",
        "The {{ service.supervisor_role }} writes a report on family time for each Looked "
        "After Child review.",
    ])

    heading(doc, "3. Arriving and lateness")
    para(doc, ARRIVAL)
    para(doc, LATENESS)
    para(doc, "Please do not go into the venue before the session starts unless staff invite "
              "you in.")

    heading(doc, "4. During family time")
    bullets(doc, [
        "Please do not come to a session after drinking alcohol or taking drugs. If you are "
        "not able to focus on {{ child.call_name }}, the session will not go ahead.",
        "Photos or videos of {{ child.call_name }} must be agreed beforehand with the social "
        "worker or the {{ service.supervisor_role }}. Never photograph or record any member of "
        "staff.",
        "Please keep your phone put away and stay off social media while you are with "
        "{{ child.call_name }}.",
        "Family time is for enjoying being together. Please do not talk about court, legal "
        "matters or complaints during the session; speak to the {{ service.supervisor_role }} "
        "or the social worker about them at another time.",
        "Please speak kindly about other people in front of {{ child.call_name }}.",
        "Never try to take {{ child.call_name }} out of the venue during a session.",
        "Long goodbyes can be hard for children. Unless something else has been agreed, "
        "please say goodbye in the room and stay there while {{ child.call_name }} is taken "
        "out at the end.",
        "You are welcome to bring toys and activities. Toys can be left at your usual venue "
        "in a box with a lid and a name label. Please tidy the room before you leave.",
        "Videos and photos of family pets are welcome and can be shared during sessions.",
        "No smoking or vaping at any time during family time.",
    ])

    heading(doc, "5. Missed and cancelled sessions")
    para(doc, MISSED)
    para(doc, LEGAL)
    tag(doc, COURT[0])
    para(doc, COURT[1])
    tag(doc, COURT[2])
    para(doc, "Missed sessions can rarely be rearranged.")

    heading(doc, "6. If someone is unwell")
    bullets(doc, [
        "If {{ child.call_name }} is unwell the session may not go ahead. We will tell you as "
        "soon as we can, and a video call may be offered instead if {{ child.call_name }} is "
        "well enough.",
        "If {{ child.call_name }} becomes unwell during a session, the session will end and "
        "{{ child.call_name }} will go back to the carer.",
        "If you are unwell, especially with a stomach bug or anything infectious, please do "
        "not come to the venue, and ring us on {{ service.phone }} as soon as you can. "
        "Sessions missed because a parent is unwell cannot be rearranged.",
    ])

    heading(doc, "7. Closed days, holidays and celebrations")
    closures_list(doc)
    bullets(doc, [
        "Sessions missed because of a court hearing are not replaced automatically; it depends "
        "on staff and rooms being free.",
        "If the carer takes {{ child.call_name }} on holiday, the session is not replaced; "
        "the carer will send videos and photos through the {{ service.supervisor_role }} for "
        "you instead.",
        "Unless the court has ordered it, there are no extra sessions for birthdays or other "
        "celebrations: please celebrate at the session nearest the day.",
    ])

    heading(doc, "8. Photos for memory making")
    para(doc, "On the referral, agreement to photos for memory making was recorded as: "
              "{{ photos_consent }}.")
    para(doc, "I agree to photos being taken during my sessions for memory making.")
    signature_table(doc, [], ("for p in family", "Family member", "{{ p.name }}"))

    heading(doc, "9. Signatures")
    para(doc, "If you have any worries or questions, talk to the {{ service.supervisor_role }} "
              "after your session, ring the service on {{ service.phone }}, or speak to your "
              "social worker.")
    para(doc, "I have read this agreement and I understand it.", bold=True)
    signature_table(doc, [("{{ service.supervisor_role }}", "{{ arrangement.supervisor }}"),
                          ("Social worker", "{{ social_worker.name }}")],
                    ("for p in family", "{{ p.relationship }}", "{{ p.name }}"))
    return doc


def letter_parent() -> Document:
    doc = new_document("Family time arrangements")
    letter_top(doc, "{{ parent.name }}", "{{ parent.address }}",
               "Family time with {{ child.call_name }}: your arrangements")
    para(doc, "Dear {{ parent.name }},")
    para(doc, "I am writing to confirm the arrangements for your family time with "
              "{{ child.call_name }}. I will be your {{ service.supervisor_role }}.")
    facts(doc, [
        ("Day and time", "{{ arrangement.day }}, {{ arrangement.time }}"),
        ("How often", "{{ arrangement.frequency }}"),
        ("Length of each session", "{{ arrangement.duration }}"),
        ("Venue", "{{ arrangement.venue }}"),
        ("Address", "{{ arrangement.venue_address }}"),
        ("Room", "{% if arrangement.room %}{{ arrangement.room }}{% else %}Staff will show "
                 "you{% endif %}"),
        ("{{ service.supervisor_role }}", "{{ arrangement.supervisor }}"),
    ])
    sessions_list(doc)
    heading(doc, "Arriving", 2)
    para(doc, ARRIVAL)
    para(doc, LATENESS)
    heading(doc, "If you cannot come", 2)
    para(doc, "Please ring the {{ service.service_name }} on {{ service.phone }} as early as "
              "you can. " + MISSED)
    heading(doc, "Days when there is no family time", 2)
    closures_list(doc)
    heading(doc, "The Family Time Agreement", 2)
    para(doc, "Please read the Family Time Agreement that comes with this letter. If you have "
              "not signed it yet, we will go through it with you before the first session. "
              "Only the family members named in the agreement may come to sessions.")
    para(doc, "If you have any questions, please ring us on {{ service.phone }}.")
    sign_off(doc, "{{ arrangement.supervisor }}",
             "{{ service.supervisor_role }}, {{ service.service_name }}")
    para(doc, "Copy to: {{ social_worker.name }}, social worker", size=9)
    return doc


def letter_carer() -> Document:
    doc = new_document("Family time arrangements for carers")
    letter_top(doc, "{{ carer.name }}", "{{ carer.address }}{% if carer.postcode %} "
                    "{{ carer.postcode }}{% endif %}",
               "Family time for {{ child.full_name }}: bringing and collecting")
    para(doc, "Dear {{ carer.name }},")
    para(doc, "Thank you for supporting {{ child.call_name }}'s family time. These are the "
              "arrangements and what will help the sessions go well.")
    facts(doc, [
        ("Day", "{{ arrangement.day }} ({{ arrangement.frequency }})"),
        ("Please arrive", "{{ drop_off }}"),
        ("Collect {{ child.call_name }} at", "{{ arrangement.end }}"),
        ("Place", "Reception, {{ arrangement.venue_full }}"),
        ("Transport agreed", "{{ arrangement.transport }}"),
        ("{{ service.supervisor_role }}", "{{ arrangement.supervisor }}"),
    ])
    sessions_list(doc)
    heading(doc, "At handover", 2)
    para(doc, "Please bring {{ child.call_name }} into reception, where the "
              "{{ service.supervisor_role }} will meet you, and tell them:")
    bullets(doc, [
        "how {{ child.call_name }}'s day has gone so far, their mood and their health;",
        "any marks or bruises, so that they can be explained to the parents if needed;",
        "for a baby, the time of the last feed and nappy change, and how feeds are made up;",
        "the child's routine, and any changes to school, nursery or clubs;",
        "any medication, handed over with written instructions.",
    ])
    para(doc, "Please write short factual updates in the communication book. If you would like "
              "to talk to a senior member of staff, please wait until {{ child.call_name }} "
              "has gone to the family room.")
    heading(doc, "Illness and medication", 2)
    para(doc, "Please do not bring {{ child.call_name }} to a session with an infectious "
              "illness: ring us on {{ service.phone }} beforehand. If {{ child.call_name }} "
              "becomes unwell during a session, the session will end and we will contact you.")
    heading(doc, "Holidays, closed days and cancellations", 2)
    para(doc, "If you take {{ child.call_name }} on holiday, the session will not be "
              "replaced. Please send videos and photos through the "
              "{{ service.supervisor_role }} so they can be shared with the family.")
    closures_list(doc)
    para(doc, "Sometimes a session has to be cancelled at short notice for reasons we cannot "
              "always explain. Please raise any questions or worries about family time with "
              "{{ child.call_name }}'s social worker, {{ social_worker.name }}, first, and "
              "with your own supervising social worker.")
    para(doc, "You can reach the {{ service.service_name }} on {{ service.phone }}"
              "{% if service.out_of_hours_phone %}; out of hours, ring "
              "{{ service.out_of_hours_phone }}{% endif %}.")
    sign_off(doc, "{{ arrangement.supervisor }}",
             "{{ service.supervisor_role }}, {{ service.service_name }}")
    para(doc, "Copy to: {{ social_worker.name }}, social worker", size=9)
    return doc


def lac_report() -> Document:
    doc = new_document("Family Time report for the Looked After Child review")
    title(doc, "Family Time report for the Looked After Child review")
    para(doc, "For the Independent Reviewing Officer, with a copy to the social worker.",
         size=9.5)
    facts(doc, [
        ("Child", "{{ child.full_name }}"),
        ("Date of birth", "{{ child.dob }}"),
        ("{{ service.case_system }} ID", "{{ child.case_id }}"),
        ("Family Time reference", "{{ reference }}"),
        ("Date of review", "{{ review_date }}"),
        ("Independent Reviewing Officer", "{{ iro.name }}"),
        ("Social worker", "{{ social_worker.name }}"),
        ("{{ service.supervisor_role }}", "{{ arrangement.supervisor }}"),
        ("Date of this report", "{{ today }}"),
        ("Period covered", "{{ period_from }} to {{ period_to }}"),
    ])
    heading(doc, "1. Current arrangements")
    facts(doc, [
        ("Who attends", "{{ family_names }}"),
        ("How often", "{{ arrangement.frequency }}"),
        ("Day and time", "{{ arrangement.day }}, {{ arrangement.time }}"),
        ("Length of each session", "{{ arrangement.duration }}"),
        ("Venue", "{{ arrangement.venue }}"),
        ("Level of family time", "{{ arrangement.supervision }}"),
        ("Transport", "{{ arrangement.transport }}"),
        ("Purpose", "{{ arrangement.purpose }}"),
    ])
    heading(doc, "2. Attendance in this period")
    tag(doc, "{%p if has_records %}")
    loop_table(doc, ["Sessions", "Number"], "for c in counts",
               ["{{ c.label }}", "{{ c.count }}"], [12.0, 5.0])
    p = para(doc, "{{ chart }}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tag(doc, "{%p else %}")
    para(doc, "{{ planned_count }} sessions were planned in this period. No session records "
              "received for this period.")
    tag(doc, "{%p endif %}")
    heading(doc, "Significant events", 2)
    tag(doc, "{%p if significant_events %}")
    tag(doc, "{%p for e in significant_events %}")
    doc.add_paragraph("{{ e }}: see the session record.", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "No significant events were recorded in this period.")
    tag(doc, "{%p endif %}")
    box(doc, "3. Overview of family time",
        "How family time has gone since the last review: its quality, strengths, worries and "
        "progress.", 7)
    box(doc, "4. The child's views", "The child's wishes and feelings, in their own words "
        "where possible.", 5)
    box(doc, "5. The parents' views", "Including their views on how often, where, and how the "
        "sessions go.", 5)
    box(doc, "6. The carer's views", "The effect on the child, routines and travel.", 5)
    box(doc, "7. Level of supervision", "Could supervision be reduced? What has changed since "
        "family time started?", 5)
    box(doc, "8. Recommendations", "Any changes to how often, how long, where, the level of "
        "supervision, or who attends.", 6)
    heading(doc, "Sign-off")
    facts(doc, [("Written by", ""), ("Discussed with the family on", ""),
                ("Sent to the reviewing officer on", ""),
                ("Copy to", "{{ social_worker.name }}, social worker")])
    return doc


def suspension_letter() -> Document:
    doc = new_document("Family time is suspended")
    letter_top(doc, "{{ parent.name }}", "{{ parent.address }}",
               "Family time with {{ child.call_name }} is suspended")
    para(doc, "Dear {{ parent.name }},")
    para(doc, "I am writing because the family time sessions with {{ child.call_name }} on "
              "the following dates were missed without a reason the service could accept:")
    tag(doc, "{%p for d in missed_dates %}")
    doc.add_paragraph("{{ d }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    para(doc, "As the Family Time Agreement explains, when {{ service.missed_count }} sessions "
              "in a row are missed like this, family time is suspended (paused). It is suspended "
              "from {{ suspended_from }} until {{ suspended_until }}.")
    tag(doc, "{%p if restart_date %}")
    para(doc, "If the meeting has taken place and the agreement has been signed again by then, "
              "the next session will be on {{ restart_date }}.")
    tag(doc, "{%p endif %}")
    heading(doc, "What happens next", 2)
    bullets(doc, [
        "The social worker and the {{ service.supervisor_role }} will arrange a meeting with "
        "you during the pause to talk about what happened and what would help.",
        "At that meeting the Family Time Agreement will be signed again. Sessions cannot start "
        "again until it has been signed; if the meeting has not taken place, family time "
        "stays paused until it does.",
        LEGAL,
    ])
    tag(doc, COURT[0])
    para(doc, COURT[1])
    tag(doc, COURT[2])
    para(doc, "If a session was missed for a reason you have not told us about, or you would "
              "like to talk about this letter, please ring the {{ service.service_name }} on "
              "{{ service.phone }} or speak to your social worker, {{ social_worker.name }}.")
    sign_off(doc, "{{ arrangement.supervisor }}",
             "{{ service.supervisor_role }}, {{ service.service_name }}")
    para(doc, "Copy to: {{ social_worker.name }}, social worker", size=9)
    return doc


def notice_social_worker() -> Document:
    doc = new_document("Notice to the social worker")
    title(doc, "{% if kind == 'legal_advice' %}Notice to the social worker: legal advice "
               "needed{% else %}Notice to the social worker: family time suspended{% endif %}")
    facts(doc, [
        ("To", "{{ social_worker.name }}, {{ social_worker.team }}"),
        ("Copy to", "{{ team_manager.name }}, team manager"),
        ("Child", "{{ child.full_name }} ({{ service.case_system }} ID {{ child.case_id }})"),
        ("Family Time reference", "{{ reference }}"),
        ("{{ service.supervisor_role }}", "{{ arrangement.supervisor }}"),
        ("Date", "{{ today }}"),
    ])
    para(doc, "Sessions missed in a row without a reason the service accepted:", bold=True)
    tag(doc, "{%p for d in missed_dates %}")
    doc.add_paragraph("{{ d }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if kind == 'legal_advice' %}")
    para(doc, "These sessions were missed after family time started again following an "
              "earlier pause. In line with the Family Time Agreement, please take legal advice "
              "about the family time arrangements, including whether an application should be "
              "made under section 34(4) of the Children Act 1989.")
    para(doc, "Please tell the {{ service.supervisor_role }} what you decide, so the sessions "
              "can be planned accordingly.")
    tag(doc, "{%p else %}")
    para(doc, "Family time is suspended from {{ suspended_from }} until {{ suspended_until }}. "
              "A letter explaining this has gone to each parent, with a copy to you.")
    para(doc, "Please arrange a meeting with the parents and the {{ service.supervisor_role }} "
              "during the pause. The Family Time Agreement must be signed again at that meeting "
              "before sessions start again; until the meeting has taken place, family time "
              "stays paused.")
    tag(doc, COURT[0])
    para(doc, COURT[1])
    tag(doc, COURT[2])
    para(doc, "If a further {{ service.legal_advice_after }} sessions in a row are missed once "
              "family time starts again, the service will ask you to take legal advice.")
    tag(doc, "{%p endif %}")
    para(doc, "The session records for these dates are held by the {{ service.service_name }}"
              " ({{ service.phone }}).")
    return doc


BUILDERS = {
    "family_time_agreement.docx": agreement,
    "letter_parent.docx": letter_parent,
    "letter_carer.docx": letter_carer,
    "lac_review_report.docx": lac_report,
    "suspension_letter.docx": suspension_letter,
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
