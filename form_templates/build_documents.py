"""Build the paperwork templates (form_templates/documents/*.docx) with python-docx.

This script holds the layout only: what each document holds, in order (its page furniture,
styles and repeated blocks are in document_blocks.py beside it), and where each entry of
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
import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent
OUT = HERE / "documents"
if str(HERE) not in sys.path:  # document_blocks.py beside it, however it is loaded
    sys.path.append(str(HERE))

# The wording lookup, page furniture and repeated blocks (document_blocks.py): WORDING, w and
# new_document stay reachable as build_documents.<name>, as before the split.
from document_blocks import (  # noqa: E402,F401
    WORDING,
    box,
    bullets,
    closures_list,
    court_limit,
    dated_list,
    facts,
    heading,
    keep_with_next,
    letter_top,
    loop_table,
    new_document,
    para,
    para_if,
    quotes,
    sessions_list,
    sign_off,
    signature_table,
    tag,
    title,
    w,
)

# docassemble-style mending: quotes Word "smartens" inside a tag break Jinja.
_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.S)
_SMART = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def fix_quotes(s: str) -> str:
    return _TAG.sub(lambda m: m.group(0).translate(_SMART), s)


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
    loop_table(
        doc,
        "agreement.family_headings",
        "for p in family",
        ["{{ p.name }}", "{{ p.relationship }}", "{{ p.parental_responsibility }}"],
        [7.0, 6.0, 4.0],
    )
    para_if(doc, "agreement.nobody_else")

    heading(doc, w("agreement.service_heading"))
    bullets(doc, "agreement.service_will")

    heading(doc, w("agreement.arriving_heading"))
    para(doc, w("shared.arrival"))
    para(doc, w("shared.lateness"))
    para_if(doc, "agreement.not_before_start")

    heading(doc, w("agreement.during_heading"))
    bullets(doc, "agreement.during")

    heading(doc, w("agreement.missed_heading"))
    para(doc, w("shared.missed"))
    para_if(doc, "shared.legal")
    court_limit(doc)
    para_if(doc, "agreement.rarely_rearranged")

    heading(doc, w("agreement.unwell_heading"))
    bullets(doc, "agreement.unwell")

    heading(doc, w("agreement.closed_heading"))
    closures_list(doc)
    bullets(doc, "agreement.closed")

    # photos for memory making: a section only where the service's agreement has one
    tag(doc, "{%p if words.agreement.photos_heading %}")
    heading(doc, w("agreement.photos_heading"))
    keep_with_next(para(doc, w("agreement.photos_recorded")))
    keep_with_next(para(doc, w("agreement.photos_agree")))
    signature_table(doc, [("for p in family", w("agreement.photos_signing_as"), "{{ p.name }}")])
    tag(doc, "{%p endif %}")

    heading(doc, w("agreement.signatures_heading"))
    keep_with_next(para(doc, w("agreement.worries")))
    keep_with_next(para(doc, w("agreement.understood"), bold=True))
    w("agreement.signatories")
    signature_table(
        doc,
        [
            ("for p in family", "{{ p.relationship }}", "{{ p.name }}"),
            ("for s in words.agreement.signatories", "{{ s[0] }}", "{{ s[1] }}"),
        ],
    )
    return doc


def changed_arrangements(doc) -> None:
    """A remade pack's letters say first what changed and which sessions are off (the
    paragraph vanishes for a first pack)."""
    tag(doc, "{%p if change %}")
    para(doc, "{{ change }}", bold=True)
    tag(doc, "{%p endif %}")


def letter_parent() -> Document:
    doc = new_document("letter_parent")
    letter_top(doc, "{{ parent.name }}", "{{ parent.address }}", "letter_parent.subject")
    para(doc, w("letter_parent.dear"))
    para(doc, w("letter_parent.intro"))
    changed_arrangements(doc)
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


# the carer's letters' address line
CARER_ADDRESS = "{{ carer.address }}{% if carer.postcode %} {{ carer.postcode }}{% endif %}"


def letter_carer() -> Document:
    doc = new_document("letter_carer")
    letter_top(doc, "{{ carer.name }}", CARER_ADDRESS, "letter_carer.subject")
    para(doc, w("letter_carer.dear"))
    para(doc, w("letter_carer.intro"))
    changed_arrangements(doc)
    facts(doc, "letter_carer.facts")
    sessions_list(doc)
    tag(doc, "{%p if words.letter_carer.handover_heading %}")
    heading(doc, w("letter_carer.handover_heading"), 2)
    tag(doc, "{%p endif %}")
    para_if(doc, "letter_carer.handover_intro")
    bullets(doc, "letter_carer.handover")
    para_if(doc, "letter_carer.communication_book")
    heading(doc, w("letter_carer.illness_heading"), 2)
    para(doc, w("letter_carer.illness"))
    heading(doc, w("letter_carer.holidays_heading"), 2)
    para(doc, w("letter_carer.holidays"))
    closures_list(doc)
    para_if(doc, "letter_carer.short_notice")
    para(doc, w("letter_carer.contact"))
    sign_off(doc)
    return doc


def lac_report() -> Document:
    doc = new_document("lac_report")
    title(doc, w("lac_report.title"))
    para(doc, w("lac_report.for_whom"), size=9.5)
    facts(doc, "lac_report.facts")
    heading(doc, w("lac_report.arrangements_heading"))
    facts(doc, "lac_report.arrangements")
    heading(doc, w("lac_report.attendance_heading"))
    # no session yet: one plain sentence, and nothing below pretends to report
    tag(doc, "{%p if not period_from %}")
    para(doc, w("lac_report.before_first"))
    tag(doc, "{%p elif has_records %}")
    para(doc, w("lac_report.attendance_intro"))
    loop_table(
        doc,
        "lac_report.attendance_headings",
        "for c in counts",
        ["{{ c.label }}", "{{ c.count }}"],
        [12.0, 5.0],
    )
    p = para(doc, "{{ chart }}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tag(doc, "{%p else %}")
    para(doc, w("lac_report.no_records"))
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if period_from and sessions %}")  # booked after the period: a count only
    para(doc, w("lac_report.booked"))
    tag(doc, "{%p endif %}")
    w("lac_report.suspensions")
    tag(doc, "{%p if words.lac_report.suspensions %}")
    heading(doc, w("lac_report.suspension_heading"), 2)
    tag(doc, "{%p for s in words.lac_report.suspensions %}")
    para(doc, "{{ s }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    # what the records say: only when there are records (no records is said once, above)
    tag(doc, "{%p if has_records %}")
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
    heading(doc, w("lac_report.worries_heading"), 2)  # ended early, or a concern
    w("lac_report.concerns")
    tag(doc, "{%p if words.lac_report.concerns %}")
    tag(doc, "{%p for c in words.lac_report.concerns %}")
    doc.add_paragraph("{{ c }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, w("lac_report.no_worries"))
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    for i, lines in enumerate((8,)):
        box(doc, "lac_report.boxes", i, lines)
    heading(doc, w("lac_report.sign_off_heading"))
    facts(doc, "lac_report.sign_off")
    # the appendix only when a date was counted; its Note column only when a line has one
    tag(doc, "{%p if appendix %}")
    heading(doc, w("lac_report.appendix_heading"))
    para(doc, w("lac_report.appendix_intro"), size=9.5)
    tag(doc, '{%p if appendix|selectattr("note")|list %}')
    loop_table(
        doc,
        "lac_report.appendix_headings",
        "for a in appendix",
        ["{{ a.date }}", "{{ a.outcome }}", "{{ a.counted_as }}", "{{ a.note }}"],
        [3.6, 4.6, 3.6, 5.2],
    )
    tag(doc, "{%p else %}")
    loop_table(
        doc,
        "lac_report.appendix_headings",
        "for a in appendix",
        ["{{ a.date }}", "{{ a.outcome }}", "{{ a.counted_as }}"],
        [4.6, 6.2, 6.2],
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    return doc


def suspension_letter() -> Document:
    doc = new_document("suspension_letter")
    w("suspension_letter.no_address")
    letter_top(
        doc,
        "{{ parent.name }}",
        "{% if by_hand %}{{ words.suspension_letter.no_address }}{% else %}"
        "{{ parent.address }}{% endif %}",
        "suspension_letter.subject",
    )
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
    letter_top(doc, "{{ carer.name }}", CARER_ADDRESS, "suspension_letter_carer.subject")
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
    para_if(doc, "notice_social_worker.legal_advice")
    para(doc, w("notice_social_worker.tell_decision"))
    tag(doc, "{%p else %}")
    para(doc, w("notice_social_worker.suspended"))
    para(doc, w("notice_social_worker.meeting"))
    court_limit(doc)
    para_if(doc, "notice_social_worker.further")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if made %}")
    heading(doc, w("notice_social_worker.made_heading"), 2)
    para(doc, w("notice_social_worker.made_intro"))
    loop_table(
        doc,
        "notice_social_worker.made_headings",
        "for m in made",
        ["{{ m.document }}", "{{ m.recipient }}", "{{ m.how }}"],
        [7.0, 5.5, 4.5],
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if guardian %}")
    para(doc, w("notice_social_worker.guardian"))
    tag(doc, "{%p endif %}")
    para(doc, w("notice_social_worker.records_held"))
    return doc


def safety_notes() -> Document:
    """The referral's safety answers for the supervisor and the social worker: one page, never
    for the family."""
    doc = new_document("safety_notes")
    title(doc, w("safety_notes.title"))
    para(doc, w("safety_notes.for_whom"), bold=True)
    para(doc, w("safety_notes.intro"))
    facts(doc, "safety_notes.facts", widths=(6.0, 11.0))
    heading(doc, w("safety_notes.rules_heading"), 2)
    bullets(doc, "safety_notes.rules")
    return doc


BUILDERS = {
    "family_time_agreement.docx": agreement,
    "letter_parent.docx": letter_parent,
    "letter_carer.docx": letter_carer,
    "lac_review_report.docx": lac_report,
    "suspension_letter.docx": suspension_letter,
    "suspension_letter_carer.docx": suspension_letter_carer,
    "notice_social_worker.docx": notice_social_worker,
    "safety_notes.docx": safety_notes,
}


def mend(doc: Document) -> None:
    """Straighten quotes inside every tag (also in tables, headers and footers)."""
    parts = (
        [doc.element.body]
        + [s.header._element for s in doc.sections]
        + [s.footer._element for s in doc.sections]
    )
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
    parts = (
        [doc.element]
        + [s.header._element for s in doc.sections]
        + [s.footer._element for s in doc.sections]
    )
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
