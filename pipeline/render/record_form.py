"""Pre-filled Family Time Records: the blank record form with the session's details typed in.

The supervisor fills only the rest and sends it back, and the reader must still recognise it
as the record form (same content controls, tags, footer and FormId/FormVersion properties). So
we fill the blank form's own content controls rather than render a look-alike: every other
part of the file is copied byte for byte.

The control-filling helpers here are also what tests/fixtures/make_fixtures.py uses to fill
forms, so the fixtures and the product write controls the same way.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import threading
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.catalogue import catalogue
from pipeline.dates import numeric_date
from pipeline.errors import FamilyTimeError
from pipeline.files import write_private
from pipeline.paths import FORM_TEMPLATES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
RECORD_FORM = "family-time-record"
INTERPRETER_KEY = "session.interpreter"
DOCUMENT_PART = "word/document.xml"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed member timestamps: same input, same bytes
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not in XML 1.0


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


class RecordProblem(FamilyTimeError):
    """The blank record form cannot be used; the message says what to do."""


# ---------------------------------------------------------------------------------------
# Content-control helpers (shared with the fixture generator)


def controls_by_tag(root) -> dict[str, object]:
    """Every content control (w:sdt) under root, by its tag (the field key)."""
    out: dict[str, object] = {}
    for sdt in root.iter(_q("sdt")):
        tag = sdt.find(f"{_q('sdtPr')}/{_q('tag')}")
        if tag is not None:
            out[tag.get(_q("val"))] = sdt
    return out


def text_runs(text: str) -> list:
    """A w:r holding `text` as plain text (newlines become w:br), in the cell's normal style.

    Text is set on the element, never pasted into XML, so '&' and '<' are escaped by
    construction; characters XML cannot hold are dropped.
    """
    text = _XML_BAD.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    r = etree.Element(_q("r"), nsmap={"w": W})
    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(r, _q("br"))
        if line:
            t = etree.SubElement(r, _q("t"))
            t.text = line
            t.set(XML_SPACE, "preserve")
    return [r]


def _single_line(pr) -> bool:
    """A plain-text control without multiLine: Word does not allow line breaks in it."""
    kind = pr.find(_q("text"))
    return kind is not None and kind.get(_q("multiLine"), "0").lower() not in ("1", "true", "on")


def set_control_text(sdt, text: str) -> None:
    """Replace what a control shows with `text` and mark it as answered (no prompt).

    In a single-line control, several lines are joined with "; " (Word allows no breaks there).
    """
    pr = sdt.find(_q("sdtPr"))
    if _single_line(pr) and ("\n" in text or "\r" in text):
        text = "; ".join(line.strip() for line in text.splitlines() if line.strip())
    plc = pr.find(_q("showingPlcHdr"))
    if plc is not None:
        pr.remove(plc)
    content = sdt.find(_q("sdtContent"))
    for child in list(content):
        content.remove(child)
    for r in text_runs(text):
        content.append(r)


def set_control_date(sdt, value: dt.date | str) -> None:
    """A date control: shown as dd/mm/yyyy, and stored in w:fullDate as Word does when a date
    is picked. Free text typed into a picker (a str that is not dd/mm/yyyy) gets no fullDate."""
    if isinstance(value, dt.date):
        day: dt.date | None = value
        text = numeric_date(value)
    else:
        text = value
        m = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", value.strip())
        day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None
    set_control_text(sdt, text)
    picker = sdt.find(_q("sdtPr")).find(_q("date"))
    if day is not None and picker is not None:
        picker.set(_q("fullDate"), f"{day.isoformat()}T00:00:00Z")


def set_control_checkbox(sdt, checked: bool) -> None:
    """A Word 2010 check-box control: its state and the ballot box it shows."""
    pr = sdt.find(_q("sdtPr"))
    box = pr.find(f"{{{W14}}}checkbox")
    box.find(f"{{{W14}}}checked").set(f"{{{W14}}}val", "1" if checked else "0")
    t = sdt.find(f"{_q('sdtContent')}//{_q('t')}")
    t.text = "\u2612" if checked else "\u2610"


# ---------------------------------------------------------------------------------------
# The blank record form, read once per process


def blank_record_path() -> Path:
    """The current version's blank record form, as the catalogue names it."""
    versions = catalogue().form(RECORD_FORM).current_versions
    if not versions:
        raise RecordProblem("The field catalogue lists no current Family Time Record form.")
    return FORM_TEMPLATES / versions[-1].template


class _Blank:
    """The blank form split into its document part and a zip of everything else."""

    def __init__(self, path: Path):
        try:
            with zipfile.ZipFile(path) as src:
                self.document = src.read(DOCUMENT_PART)
                rest = io.BytesIO()
                with zipfile.ZipFile(rest, "w", zipfile.ZIP_DEFLATED) as dst:
                    for info in src.infolist():
                        if info.filename != DOCUMENT_PART:
                            dst.writestr(_member(info.filename), src.read(info.filename))
                self.rest = rest.getvalue()
        except FileNotFoundError as exc:
            raise RecordProblem(
                f"The blank Family Time Record form is missing ({path.name}). "
                "Rebuild it with: python form_templates/build_forms.py"
            ) from exc
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise RecordProblem(
                f"The blank Family Time Record form ({path.name}) is damaged. "
                "Rebuild it with: python form_templates/build_forms.py"
            ) from exc
        self.key = _stamp(path)


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _stamp(path: Path) -> tuple:
    try:
        st = path.stat()
        return (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return (str(path), None, None)


_cache: dict[str, _Blank] = {}
_cache_lock = threading.Lock()


def _blank(path: Path) -> _Blank:
    """The parsed blank form, re-read when the file changes (a rebuilt form is picked up)."""
    with _cache_lock:
        found = _cache.get(str(path))
        if found is None or found.key != _stamp(path):
            found = _Blank(path)
            _cache[str(path)] = found
        return found


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, remove_blank_text=False, huge_tree=False
)


def _time_text(t: dt.time | None) -> str:
    return t.strftime("%H:%M") if t is not None else ""


def _service_labels(root, words: dict[str, str]) -> None:
    """Labels that follow the service ("Family Time Supervisor" reads "Together Worker" for
    Blackpool): the blank form carries the catalogue's default, replaced where it stands."""
    from pipeline.catalogue import catalogue

    form = catalogue().by_kind("session_record")
    swaps = {
        f.label: f.display_label(**words)
        for f in form.expanded_fields()
        if f.label_template and f.display_label(**words) != f.label
    }
    if not swaps:
        return
    for t in root.iter(f"{{{W}}}t"):
        if t.text in swaps:
            t.text = swaps[t.text]


SIGN_OFF_KEY = "session.author"  # "Written by": the sign-off table


def _add_sign_off_guidance(root, controls: dict, text: str) -> None:
    """`text` as one more guidance line above the sign-off table, in the look of the line
    before it (kept with the table), where the supervisor reads it as they finish the record.
    A plain paragraph, not a control: the reader still knows the form by its controls."""
    body = root.find(_q("body"))
    table = controls.get(SIGN_OFF_KEY)
    while table is not None and table.getparent() is not body:
        table = table.getparent()
    before = table.getprevious() if table is not None else None
    if before is not None and before.tag == _q("p"):
        para = copy.deepcopy(before)
        for child in list(para):
            if child.tag != _q("pPr"):
                para.remove(child)
        run = before.find(_q("r"))
        style = run.find(_q("rPr")) if run is not None else None
        for r in text_runs(text):
            if style is not None:
                r.insert(0, copy.deepcopy(style))
            para.append(r)
        before.addnext(para)
        _keep_together(table)
        return
    para = etree.SubElement(body, _q("p"))  # an unexpected layout: at the end, plainly
    for r in text_runs(text):
        para.append(r)
    sect = body.find(_q("sectPr"))
    if sect is not None:
        sect.addprevious(para)


def _keep_together(table) -> None:
    """The sign-off table on one page with its heading and guidance: no row split, each row
    kept with the next. The blank form fills its first page, so the added line moves the
    whole of its last section to the next page rather than leaving "Written by" alone there."""
    rows = table.findall(_q("tr"))
    for n, row in enumerate(rows):
        tr_pr = row.find(_q("trPr"))
        if tr_pr is None:
            tr_pr = etree.Element(_q("trPr"))
            row.insert(0 if row.find(_q("tblPrEx")) is None else 1, tr_pr)
        if tr_pr.find(_q("cantSplit")) is None:
            tr_pr.insert(0, etree.Element(_q("cantSplit")))
        if n == len(rows) - 1:
            continue
        for p in row.iter(_q("p")):
            p_pr = p.find(_q("pPr"))
            if p_pr is None:
                p_pr = etree.Element(_q("pPr"))
                p.insert(0, p_pr)
            if p_pr.find(_q("keepNext")) is None:
                p_pr.insert(_after_style(p_pr), etree.Element(_q("keepNext")))


def _after_style(p_pr) -> int:
    """Where keepNext goes in a w:pPr: after w:pStyle, the one element before it."""
    return 1 if p_pr.find(_q("pStyle")) is not None else 0


def prefill_record(
    out_path: Path,
    *,
    reference: str,
    child_names: str,
    date: dt.date,
    planned_start: dt.time | None,
    planned_end: dt.time | None,
    venue: str,
    supervisor: str,
    family_expected: str,
    template: Path | None = None,
    words: dict[str, str] | None = None,
    interpreter: str = "",
    case_note: str = "",
    notice: str = "",
) -> Path:
    """Write a Family Time Record with the session's details filled in; return out_path.

    family_expected goes in "Family present" (the supervisor corrects it on the day);
    interpreter ("Jo Sample-Parent: Polish") goes in the interpreter field where the form
    version has one (the supervisor then says whether the interpreter came). case_note: the
    service's own sentence on recording the session in its case system (a heading the
    service states), added to the sign-off guidance; "" adds nothing. Blank
    values leave the control showing its prompt, so nothing reads "None". The file is private.
    Raises RecordProblem when the blank form is missing, damaged or lacks a control.
    """
    blank = _blank(Path(template) if template is not None else blank_record_path())
    root = etree.fromstring(blank.document, _PARSER)
    controls = controls_by_tag(root)
    texts = {
        "session.reference": reference,
        "session.child_names": child_names,
        "session.planned_start": _time_text(planned_start),
        "session.planned_end": _time_text(planned_end),
        "session.venue": venue,
        "session.supervisor": supervisor,
        "session.family_present": family_expected,
    }
    missing = [k for k in [*texts, "session.date"] if k not in controls]
    if missing:
        raise RecordProblem(
            "The blank Family Time Record form has no place for "
            f"{', '.join(missing)}; it may be an old copy. Rebuild it with: "
            "python form_templates/build_forms.py"
        )
    for key, value in texts.items():
        value = "" if value is None else str(value).strip()
        if value:
            set_control_text(controls[key], value)
    if date is not None:
        set_control_date(controls["session.date"], date)
    if interpreter and INTERPRETER_KEY in controls:
        set_control_text(controls[INTERPRETER_KEY], interpreter.strip())
    if words:
        _service_labels(root, words)
    if case_note.strip():
        _add_sign_off_guidance(root, controls, case_note.strip())
    if notice:
        _notice_at_top(root, notice)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    out = io.BytesIO(blank.rest)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_member(DOCUMENT_PART), document)
    return write_private(Path(out_path), out.getvalue())


def _notice_at_top(root, notice: str) -> None:
    """A bold line for the supervisor before the record's first table (under its title): not
    a control, so the record reads back exactly as before."""
    body = root.find(_q("body"))
    first_table = body.find(_q("tbl"))
    p = etree.Element(_q("p"), nsmap={"w": W})
    for r in text_runs(notice):
        rpr = etree.Element(_q("rPr"))
        etree.SubElement(rpr, _q("b"))
        r.insert(0, rpr)
        p.append(r)
    if first_table is not None:
        first_table.addprevious(p)
    else:
        body.insert(0, p)


def fill_controls(src: Path, out_path: Path, answers: dict[str, object]) -> Path:
    """Copy a filled-in form with more answers typed into its controls (a date as a date, a
    bool as a check box, anything else as text), as a person would in Word; return out_path."""
    with zipfile.ZipFile(src) as zin:
        members = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    root = etree.fromstring(dict(members)[DOCUMENT_PART], _PARSER)
    controls = controls_by_tag(root)
    missing = [
        k
        for k in answers
        if k not in controls and not (isinstance(answers[k], bool) and f"{k}:Yes" in controls)
    ]
    if missing:
        raise RecordProblem(f"{Path(src).name} has no place for {', '.join(missing)}.")
    for key, value in answers.items():
        if isinstance(value, bool) and key not in controls:
            # asked as two boxes, Yes and No: tick the one that answers
            set_control_checkbox(controls[f"{key}:{'Yes' if value else 'No'}"], True)
        elif isinstance(value, bool):
            set_control_checkbox(controls[key], value)
        elif isinstance(value, dt.date):
            set_control_date(controls[key], value)
        else:
            set_control_text(controls[key], str(value))
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(_member(name), document if name == DOCUMENT_PART else data)
    return write_private(Path(out_path), out.getvalue())
