"""Read a Word .docx form: content controls first, then legacy form fields, then labels.

Parsed straight from the zip with the safe XML parser (python-docx cannot see inline or
nested content controls, and we must control entity handling ourselves). Every w:sdt at
every level is visited, so a control inside a table cell, a paragraph or another control is
found wherever Word or the sender's edits put it.
"""

from __future__ import annotations

import re
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from lxml import etree

from pipeline.catalogue import FormSpec, VersionSpec, catalogue
from pipeline.extract import reasons
from pipeline.extract.identify import identify
from pipeline.extract.labels import (
    MAX_FIELD_CHARS,
    clean_answer,
    fields_from_label_pairs,
    fields_from_text,
    key_for_label,
    known_keys,
)
from pipeline.extract.models import Extraction, FormMatch
from pipeline.extract.results import unreadable
from pipeline.extract.safety import UnsafeFile, open_zip_safely, parse_xml, read_member
from pipeline.extract.text import is_placeholder, label_key, normalise
from pipeline.paths import FORM_TEMPLATES

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
DAYS_KEY = "request.days"
_TRUE = {"1", "true", "on"}
_CHECKED_GLYPHS = set("☒☑✔✓⊠")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Tick boxes people insert as symbols (Insert > Symbol) on old forms: (font, code) -> glyph.
_SYMBOLS = {
    ("wingdings", "f0fe"): "☒",
    ("wingdings", "f078"): "☒",
    ("wingdings", "f0fc"): "☒",
    ("wingdings", "f0a8"): "☐",
    ("wingdings", "f06f"): "☐",
    ("wingdings", "f071"): "☐",
    ("wingdings 2", "f054"): "☒",
    ("wingdings 2", "f052"): "☒",
    ("wingdings 2", "f050"): "☒",
    ("wingdings 2", "f0a3"): "☐",
    ("wingdings 2", "f0a2"): "☐",
    ("wingdings 2", "f02a"): "☐",
}
_OPTION_TAG = re.compile(r"^(?P<key>[\w.\[\]]+?)\s*[:|]\s*(?P<option>.+)$")

_Q = (
    "p",
    "r",
    "t",
    "tab",
    "br",
    "cr",
    "sdt",
    "sdtPr",
    "sdtContent",
    "tag",
    "alias",
    "showingPlcHdr",
    "delText",
    "instrText",
    "fldChar",
    "ffData",
    "name",
    "checkBox",
    "checked",
    "default",
    "ddList",
    "result",
    "listEntry",
    "tbl",
    "tr",
    "tc",
    "pPr",
    "rPr",
    "val",
    "fldCharType",
    "noBreakHyphen",
    "dropDownList",
    "comboBox",
    "listItem",
    "displayText",
    "value",
    "body",
    "sym",
    "font",
    "char",
)


class _Names:
    """Qualified tag names for the document's namespace (transitional or strict OOXML)."""

    def __init__(self, ns: str):
        self.ns = ns
        for n in _Q:
            setattr(self, n, f"{{{ns}}}{n}")
        self.deleted = f"{{{ns}}}del"
        self.moved_from = f"{{{ns}}}moveFrom"
        self.w14_checkbox = f"{{{W14}}}checkbox"
        self.w14_checked = f"{{{W14}}}checked"
        self.w14_val = f"{{{W14}}}val"


@dataclass
class _Control:
    """One content control or legacy form field, as found, before we know the form."""

    tag: str
    alias: str
    value: str | None  # None: blank or still showing its prompt
    checkbox: bool = False
    checked: bool = False
    label_beside: str = ""  # the text beside a legacy field that has no usable name
    label_after: str = ""  # the word after a legacy check box ("Yes", "No", "Monday")


# ---------------------------------------------------------------- text


def _showing_placeholder(sdt, n: _Names) -> bool:
    pr = sdt.find(n.sdtPr)
    if pr is None:
        return False
    flag = pr.find(n.showingPlcHdr)
    if flag is None:
        return False
    return flag.get(n.val, "true").lower() in _TRUE


def _checkbox_state(sdt, n: _Names) -> bool | None:
    """True/False for a check-box content control, None for any other control."""
    pr = sdt.find(n.sdtPr)
    box = pr.find(n.w14_checkbox) if pr is not None else None
    if box is None:
        return None
    checked_el = box.find(n.w14_checked)
    if checked_el is not None:
        return checked_el.get(n.w14_val, "0").lower() in _TRUE
    content = sdt.find(n.sdtContent)
    shown = "".join(t.text or "" for t in content.iter(n.t)) if content is not None else ""
    return any(ch in _CHECKED_GLYPHS for ch in shown)


def _legacy_checked(box, n: _Names) -> bool:
    """A FORMCHECKBOX's state: w:checked if present, else its default."""
    val_el = box.find(n.checked)
    if val_el is None:
        val_el = box.find(n.default)
    return val_el is not None and val_el.get(n.val, "true").lower() in _TRUE


def _text(el, n: _Names, skip_placeholders: bool = True) -> str:
    """What a person sees: runs, tabs and breaks; deleted text, field codes and controls
    still showing their prompt left out."""
    parts: list[str] = []
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        tag = node.tag
        if event == "start":
            if tag == n.t:
                parts.append(node.text or "")
            elif tag == n.tab:
                parent = node.getparent()
                if parent is not None and parent.tag == n.r:
                    parts.append(" ")
            elif tag == n.br or tag == n.cr:
                parts.append("\n")
            elif tag == n.noBreakHyphen:
                parts.append("-")
            elif tag == n.sym:
                key = ((node.get(n.font) or "").lower(), (node.get(n.char) or "").lower())
                glyph = _SYMBOLS.get(key)
                if glyph:
                    parts.append(glyph + " ")
            elif tag == MC_FALLBACK:
                walker.skip_subtree()  # the same content again, for old Word versions
            elif tag in (
                n.pPr,
                n.rPr,
                n.sdtPr,
                n.instrText,
                n.delText,
                n.deleted,
                n.moved_from,
                n.ffData,
            ):
                walker.skip_subtree()
            elif tag == n.sdt and node is not el:
                state = _checkbox_state(node, n)
                if state is not None:
                    parts.append("☒ " if state else "☐ ")
                    walker.skip_subtree()
                elif skip_placeholders and _showing_placeholder(node, n):
                    walker.skip_subtree()
            elif tag == n.fldChar and node.get(n.fldCharType) == "begin":
                ff = node.find(n.ffData)
                box = ff.find(n.checkBox) if ff is not None else None
                if box is not None:
                    parts.append("☒ " if _legacy_checked(box, n) else "☐ ")
        elif tag == n.p:
            parts.append("\n")
    return "".join(parts)


def _clip(s: str) -> str:
    return s[:MAX_FIELD_CHARS]


# ---------------------------------------------------------------- content controls


def _controls(root, n: _Names) -> list[_Control]:
    """Every content control at every level (body, paragraph, row, cell, nested).

    A form saved by LibreOffice Writer keeps each control's title (alias) but not its tag, and
    wraps a check box in a second control that carries the title while the box itself carries
    neither: the box takes its wrapper's title when the wrapper holds that one box only, and
    the wrapper is not read as an answer of its own. Controls left with neither tag nor title
    are kept unnamed, for matching by position (`_name_by_position`).
    """
    out: list[_Control] = []
    for sdt in root.iter(n.sdt):
        pr = sdt.find(n.sdtPr)
        if pr is None:
            continue
        tag, alias = _names(pr, n)
        content = sdt.find(n.sdtContent)
        checked = _checkbox_state(sdt, n)
        if checked is None and content is not None and _boxes_inside(content, n):
            continue  # a wrapper round check boxes: the boxes are the answers
        if checked is not None:
            if not tag and not alias:
                tag, alias = _wrapper_names(sdt, n)
            out.append(
                _Control(tag, alias, "yes" if checked else "no", checkbox=True, checked=checked)
            )
            continue
        if content is None or _showing_placeholder(sdt, n):
            out.append(_Control(tag, alias, None))
            continue
        text = _text(content, n)
        if is_placeholder(text):
            out.append(_Control(tag, alias, None))
        else:
            out.append(_Control(tag, alias, _clip(normalise(text))))
    return out


def _names(pr, n: _Names) -> tuple[str, str]:
    tag_el = pr.find(n.tag)
    alias_el = pr.find(n.alias)
    tag = normalise(tag_el.get(n.val, "")) if tag_el is not None else ""
    alias = normalise(alias_el.get(n.val, "")) if alias_el is not None else ""
    return tag, alias


def _boxes_inside(content, n: _Names) -> list:
    return [d for d in content.iter(n.sdt) if _checkbox_state(d, n) is not None]


def _wrapper_names(sdt, n: _Names) -> tuple[str, str]:
    """The tag and title of the control wrapped round this check box alone, if any."""
    for outer in sdt.iterancestors(n.sdt):
        pr = outer.find(n.sdtPr)
        tag, alias = _names(pr, n) if pr is not None else ("", "")
        if tag or alias:
            content = outer.find(n.sdtContent)
            alone = content is not None and len(_boxes_inside(content, n)) == 1
            return (tag, alias) if alone else ("", "")
    return "", ""


@lru_cache(maxsize=8)
def _template_names(template: str) -> tuple[tuple[str, bool], ...]:
    """(tag, is check box) of every control of a version's blank form, in order."""
    path = FORM_TEMPLATES / template
    try:
        with zipfile.ZipFile(path) as zf:
            root = parse_xml(zf.read("word/document.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, UnsafeFile):
        return ()
    return tuple((c.tag, c.checkbox) for c in _controls(root, _Names(W_MAIN)))


def _name_by_position(controls: list[_Control], version: VersionSpec | None) -> None:
    """Controls that lost both tag and title (Word for the web, LibreOffice) take the tag of
    the control at the same place in the version's blank form: check boxes counted among
    check boxes, other controls among the others, and only when the counts agree, so one
    added or removed control never shifts an answer onto the wrong question."""
    if version is None or not version.template or all(c.tag or c.alias for c in controls):
        return
    names = _template_names(version.template)
    for is_box in (True, False):
        ours = [c for c in controls if c.checkbox == is_box]
        theirs = [tag for tag, box in names if box == is_box]
        if len(ours) != len(theirs):
            continue
        for c, tag in zip(ours, theirs):
            if not c.tag and not c.alias:
                c.tag = tag


# ---------------------------------------------------------------- legacy form fields


def _legacy_fields(root, n: _Names) -> list[_Control]:
    """Pre-2007 form fields (FORMTEXT, FORMCHECKBOX, FORMDROPDOWN): name and result."""
    out: list[_Control] = []
    stack: list[dict] = []
    for r in root.iter(n.r):
        fld = r.find(n.fldChar)
        if fld is not None:
            kind = fld.get(n.fldCharType)
            if kind == "begin":
                stack.append({"ff": fld.find(n.ffData), "run": r, "result": [], "sep": False})
            elif kind == "separate" and stack:
                stack[-1]["sep"] = True
            elif kind == "end" and stack:
                field = stack.pop()
                field["end"] = r
                if field["ff"] is not None:
                    out.append(_legacy_control(field, n))
            continue
        if stack and stack[-1]["sep"]:
            for t in r.iter(n.t):
                stack[-1]["result"].append(t.text or "")
    return out


def _legacy_control(field: dict, n: _Names) -> _Control:
    ff = field["ff"]
    name_el = ff.find(n.name)
    name = normalise(name_el.get(n.val, "")) if name_el is not None else ""
    beside = _label_beside(field["run"], n)
    box = ff.find(n.checkBox)
    if box is not None:
        checked = _legacy_checked(box, n)
        return _Control(
            name,
            "",
            "yes" if checked else "no",
            checkbox=True,
            checked=checked,
            label_beside=beside,
            label_after=_label_after(field["end"], n),
        )
    dd = ff.find(n.ddList)
    if dd is not None:
        entries = [normalise(e.get(n.val, "")) for e in dd.findall(n.listEntry)]
        res = dd.find(n.result)
        if res is None:
            res = dd.find(n.default)
        i = int(res.get(n.val, "0")) if res is not None and res.get(n.val, "0").isdigit() else 0
        value = entries[i] if 0 <= i < len(entries) else None
        return _Control(
            name, "", value if value and not is_placeholder(value) else None, label_beside=beside
        )
    text = normalise("".join(field["result"]))
    return _Control(
        name, "", _clip(text) if text and not is_placeholder(text) else None, label_beside=beside
    )


def _label_beside(run, n: _Names) -> str:
    """The label next to a legacy field: the previous cell in its row, else the text before
    it in its paragraph."""
    para = next((a for a in run.iterancestors(n.p)), None)
    cell = next((a for a in run.iterancestors(n.tc)), None)
    if cell is not None:
        prev = cell.getprevious()
        while prev is not None and prev.tag != n.tc:
            prev = prev.getprevious()
        if prev is not None:
            return normalise(_text(prev, n))
    if para is not None:
        before: list[str] = []
        for r in para.iter(n.r):
            if r is run:
                break
            before.extend(t.text or "" for t in r.iter(n.t))
        return normalise("".join(before))
    return ""


def _label_after(end_run, n: _Names) -> str:
    """The words after a field in its paragraph, up to the next field."""
    words: list[str] = []
    for r in end_run.itersiblings(n.r):
        if r.find(n.fldChar) is not None:
            break
        words.extend(t.text or "" for t in r.iter(n.t))
    return normalise("".join(words))


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@lru_cache(maxsize=16)
def _squash_table(keys: frozenset[str]) -> dict[str, str]:
    return {_squash(k): k for k in keys}


@lru_cache(maxsize=8)
def _all_keys() -> frozenset[str]:
    return frozenset().union(*(known_keys(f) for f in catalogue().forms.values()))


def _name_to_key(name: str, keys: set[str]) -> str | None:
    """A control tag or legacy field name to a contract key ("referral_date", truncated)."""
    if name in keys:
        return name
    squash = _squash(name)
    if not squash:
        return None
    table = _squash_table(frozenset(keys))
    if squash in table:
        return table[squash]
    if len(name) >= 20:  # Word truncates legacy field names to 20 characters
        hits = [k for s, k in table.items() if s.startswith(squash)]
        if len(hits) == 1:
            return hits[0]
    return None


# ---------------------------------------------------------------- tables (label fallback)


def _table_pairs(
    root, n: _Names, form: FormSpec, version: VersionSpec | None
) -> list[tuple[str, str]]:
    """(label, answer) pairs from every table: label cell then answer cell, and family
    tables read by their header row (or with one column per person)."""
    pairs: list[tuple[str, str]] = []
    for tbl in root.iter(n.tbl):
        header: list[str] | None = None
        for tr in tbl.iterchildren(n.tr):
            cells = [_cell_text(tc, n) for tc in tr.iterchildren(n.tc)]
            if not cells:
                continue
            kinds = [_label_kind(c, form, version) for c in cells]
            if sum(1 for k in kinds if k == "repeating") >= 2:
                header = cells
                continue
            if header is not None and not any(k == "single" for k in kinds):
                for h, c in zip(header, cells):
                    pairs.append((h, _box_answer(c)))
                continue
            header = None
            if kinds[0] == "repeating" and len(cells) > 2:
                for i, c in enumerate(cells[1:], start=1):
                    pairs.append((f"{_first_line(cells[0])} {i}", _box_answer(c)))
                continue
            for i, c in enumerate(cells[:-1]):
                if kinds[i] is not None:
                    pairs.append((c, _box_answer(cells[i + 1])))
                    label_line = _first_line(c)
                    if label_line != normalise(c):
                        pairs.append((label_line, _box_answer(cells[i + 1])))
    return pairs


_SINGLE_BOX = re.compile(r"^([☒☐])\s*(yes)?$", re.IGNORECASE)


def _box_answer(cell: str) -> str:
    """A cell holding one check box (and perhaps the word "Yes") reads "yes" or "no", like a
    tagged check box; anything else is left as it is."""
    m = _SINGLE_BOX.match(normalise(cell))
    if m:
        return "yes" if m.group(1) == "☒" else "no"
    return cell


def _cell_text(tc, n: _Names) -> str:
    return normalise(_text(tc, n), keep_lines=True)


def _first_line(s: str) -> str:
    return s.split("\n", 1)[0].strip()


def _label_kind(cell: str, form: FormSpec, version: VersionSpec | None) -> str | None:
    if not cell or len(cell) > 300:
        return None
    for candidate in (cell, _first_line(cell)):
        key = key_for_label(candidate, form, version)
        if key:
            return "repeating" if "[n]" in key else "single"
    return None


# ---------------------------------------------------------------- package parts


def _main_part(zf: zipfile.ZipFile) -> str | None:
    """The main document's name, from the package relationships (usually word/document.xml)."""
    rels = read_member(zf, "_rels/.rels", limit=1024 * 1024)
    if rels:
        root = parse_xml(rels)
        for rel in root.iter(f"{{{REL_NS}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                target = rel.get("Target", "").lstrip("/")
                if target in zf.NameToInfo:
                    return target
    return "word/document.xml" if "word/document.xml" in zf.NameToInfo else None


def _custom_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    data = read_member(zf, "docProps/custom.xml", limit=1024 * 1024)
    if not data:
        return {}
    try:
        root = parse_xml(data)
    except UnsafeFile:
        return {}
    props: dict[str, str] = {}
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name")
        if name:
            props[name] = normalise("".join(prop.itertext()))
    return props


def _header_footer_text(zf: zipfile.ZipFile, main: str, n: _Names) -> str:
    folder = str(PurePosixPath(main).parent)
    texts = []
    for name in zf.namelist():
        base = PurePosixPath(name)
        if str(base.parent) == folder and re.match(r"(header|footer)\d*\.xml$", base.name):
            data = read_member(zf, name, limit=5 * 1024 * 1024)
            if data:
                texts.append(_text(parse_xml(data), n))
    return "\n".join(texts)


def _package_problem(zf: zipfile.ZipFile) -> str | None:
    """Why a zip is not a Word document we will open (macros, another format), as a reason
    code, or None."""
    names = set(zf.namelist())
    types = (read_member(zf, "[Content_Types].xml", limit=1024 * 1024) or b"").lower()
    if b"macroenabled" in types or any(x.lower().endswith("vbaproject.bin") for x in names):
        return "docx.macros"
    if "mimetype" in names:
        mime = (read_member(zf, "mimetype", limit=200) or b"").decode("ascii", "replace")
        if "opendocument" in mime:
            return "docx.odt"
    if any(x.startswith("xl/") for x in names):
        return None  # handled by the caller as "not a referral" (a spreadsheet)
    return None


# ---------------------------------------------------------------- the reader


def read_docx(path: Path, profile=None) -> Extraction:
    """Read one .docx: which form it is and every answer, or a clear reason why not.
    A file holding several forms gives the first; `read_docx_all` gives each."""
    return read_docx_all(path, profile)[0]


def read_docx_all(path: Path, profile=None) -> list[Extraction]:
    """Every form in one .docx (two children's forms pasted into one file give two), or one
    verdict saying why it is not read."""
    path = Path(path)
    try:
        return _read(path, profile)
    except UnsafeFile as exc:
        return [unreadable(path, exc.reason_for(profile))]


def _read(path: Path, profile) -> list[Extraction]:
    zf = open_zip_safely(path)
    with zf:
        problem = _package_problem(zf)
        if problem:
            return [unreadable(path, reasons.say(problem, profile))]
        main = _main_part(zf)
        if main is None:
            names = zf.namelist()
            if any(x.startswith("xl/") for x in names):
                return [
                    Extraction(
                        file=path.name,
                        form=FormMatch(
                            status="not_referral", reason=reasons.say("docx.spreadsheet", profile)
                        ),
                    )
                ]
            if any(x.startswith("ppt/") for x in names):
                return [
                    Extraction(
                        file=path.name,
                        form=FormMatch(
                            status="not_referral", reason=reasons.say("docx.presentation", profile)
                        ),
                    )
                ]
            return [unreadable(path, reasons.say("docx.zip_archive", profile))]
        root = parse_xml(read_member(zf, main) or b"")
        ns = etree.QName(root).namespace or W_MAIN
        n = _Names(ns if ns in (W_MAIN, W_STRICT) else W_MAIN)
        properties = _custom_properties(zf)
        hf_text = _header_footer_text(zf, main, n)
    whole = _read_document(path, root, n, properties, hf_text, profile)
    parts = _segments(root, n)
    if len(parts) < 2 or whole.form.status not in ("current", "old"):
        return [whole]
    each = [_read_document(path, part, n, properties, hf_text, profile) for part in parts]
    if all(_is_whole_form(e) for e in each):
        return each
    return [whole]


@lru_cache(maxsize=1)
def _title_keys() -> frozenset[str]:
    titles: set[str] = set()
    for form in catalogue().forms.values():
        titles.update({*form.titles, form.title, *(v.title for v in form.versions if v.title)})
    return frozenset(label_key(t) for t in titles if t)


def _segments(root, n: _Names) -> list:
    """The document cut before each paragraph that is a form's title, when there are two or
    more: a social worker with two children copies the whole form and fills it in again below.
    Each part is a document of its own (anything before the first title goes with the first)."""
    body = root.find(n.body)
    if body is None:
        return [root]
    children = list(body)
    titles = _title_keys()
    starts = [
        i
        for i, ch in enumerate(children)
        if ch.tag == n.p and label_key(normalise(_text(ch, n))) in titles
    ]
    if len(starts) < 2:
        return [root]
    starts[0] = 0
    parts = []
    for a, b in zip(starts, starts[1:] + [len(children)]):
        part = etree.Element(root.tag, nsmap=root.nsmap)
        part_body = etree.SubElement(part, n.body)
        for child in children[a:b]:
            part_body.append(deepcopy(child))
        parts.append(part)
    return parts


def _is_whole_form(e: Extraction) -> bool:
    """A part that is a form in its own right: identified, with at least as many answers as
    a document needs to look like the form at all."""
    if e.form.status not in ("current", "old") or e.form.id is None:
        return False
    return len(e.fields) >= catalogue().form(e.form.id).min_labels


def _read_document(
    path: Path, root, n: _Names, properties: dict[str, str], hf_text: str, profile
) -> Extraction:
    controls = _controls(root, n)
    legacy = _legacy_fields(root, n)
    body_text = _text(root, n, skip_placeholders=True)
    text = body_text + "\n" + hf_text
    tags = {c.tag for c in controls + legacy if c.tag}
    all_keys = _all_keys()
    tagged = {
        k for k in (_name_to_key(_OPTION_TAG.sub(r"\g<key>", t), all_keys) for t in tags) if k
    }
    match = identify(text, properties, tagged, 0, profile=profile)
    if match.status in ("not_referral", "unreadable") or match.id is None:
        return Extraction(file=path.name, form=match)
    form = catalogue().form(match.id)
    version = form.version(match.version) if match.version else None
    _name_by_position(controls, version)
    fields = _fields(root, n, form, version, controls, legacy, body_text)
    return Extraction(file=path.name, form=match, fields=fields)


def _option_tag(alias: str, form: FormSpec, version: VersionSpec | None) -> str:
    """A check box titled "Preferred days: Monday" read as the tag "request.days:Monday"
    (its tag lost, its title kept); "" when the title is not "question: option"."""
    label, sep, option = alias.rpartition(":")
    if not sep or not label.strip() or not option.strip():
        return ""
    key = key_for_label(label, form, version)
    spec = form.field(key) if key else None
    if spec is None or spec.type not in ("days", "choice"):
        return ""
    return f"{key}:{normalise(option)}"


class _Answers:
    """What the controls answered so far: the first answer for a key wins, and every key
    seen with a control (even a blank one) is remembered so the label fallback skips it."""

    def __init__(self, form: FormSpec) -> None:
        self.form = form
        self.days_spec = form.field(DAYS_KEY)
        self.fields: dict[str, str | list[str]] = {}
        self.found: set[str] = set()  # keys with a control, even a blank one
        self.days: list[str] | None = None

    def put(self, key: str, value: str | list[str] | None) -> None:
        self.found.add(key)
        if value is None or key in self.fields:
            return
        spec = self.form.field(key)
        if isinstance(value, str) and spec is not None and spec.type == "days":
            value = clean_answer(spec, value)
            if value is None:
                return
        self.fields[key] = value

    def tick(self, key: str, option: str) -> None:
        """One ticked option box. Both Yes and No ticked is no answer to act on: the value
        says both were ticked, so validation sends the form back rather than take the first."""
        spec = self.form.field(key)
        earlier = self.fields.get(key)
        if spec is not None and spec.type == "yesno" and isinstance(earlier, str):
            if earlier.casefold() != option.casefold() and earlier.casefold() in ("yes", "no"):
                self.fields[key] = reasons.say("docx.both_ticked", None, first=earlier, then=option)
            return
        self.put(key, option)

    def is_days(self, key: str) -> bool:
        return key == DAYS_KEY or (self.days_spec is not None and key == self.days_spec.key)

    def tick_day(self, key: str, option: str, checked: bool) -> None:
        """One day box: a ticked one adds its day (spelled as the form's choice)."""
        self.days = self.days if self.days is not None else []
        day = next(
            (
                d
                for d in (self.days_spec.choices if self.days_spec else [])
                if d.lower() == option.lower()
            ),
            option,
        )
        if checked and day not in self.days:
            self.days.append(day)
        self.found.add(key)

    def settle_days(self) -> None:
        """The ticked days become one answer, in the form's order."""
        if self.days is not None and DAYS_KEY not in self.fields:
            order = self.days_spec.choices if self.days_spec else []
            self.fields[DAYS_KEY] = sorted(
                self.days, key=lambda d: order.index(d) if d in order else 99
            )


def _fields(
    root,
    n: _Names,
    form: FormSpec,
    version: VersionSpec | None,
    controls: list[_Control],
    legacy: list[_Control],
    body_text: str,
) -> dict[str, str | list[str]]:
    keys = frozenset(known_keys(form))
    answers = _Answers(form)
    for c in controls + legacy:
        _read_control(c, answers, keys, form, version)
    answers.settle_days()
    _fill_from_labels(answers, keys, root, n, form, version, body_text)
    return _ordered(answers.fields, form)


def _read_control(
    c: _Control,
    answers: _Answers,
    keys: frozenset[str],
    form: FormSpec,
    version: VersionSpec | None,
) -> None:
    """One content control or legacy field: an option box, or a field found by its tag,
    its alias or the label beside it."""
    if not c.tag and c.checkbox and c.alias:
        c.tag = _option_tag(c.alias, form, version)
    m = _OPTION_TAG.match(c.tag) if c.tag else None
    if m and c.checkbox:
        key = _name_to_key(m.group("key"), keys)
        if key is None:
            return
        option = normalise(m.group("option"))
        if answers.is_days(key):
            answers.tick_day(key, option, c.checked)
        elif c.checked:
            answers.tick(key, option)
        else:
            answers.found.add(key)
        return
    key = _name_to_key(c.tag, keys) if c.tag else None
    if key is None and c.alias:
        key = key_for_label(c.alias, form, version)
        key = key if key and "[n]" not in key else None
    if key is None and c.label_beside:
        key = key_for_label(c.label_beside, form, version)
        key = key if key and "[n]" not in key else None
        spec = form.field(key) if key else None
        if c.checkbox and (spec is None or spec.type != "yesno"):
            return  # a day box or a row box: the table fallback reads those
        if c.checkbox and c.label_after.lower() == "no":
            if c.checked:
                answers.put(key, "no")
            return  # an unticked "No" box says nothing on its own
    if key is None:
        return
    answers.put(key, c.value)


def _fill_from_labels(
    answers: _Answers,
    keys: frozenset[str],
    root,
    n: _Names,
    form: FormSpec,
    version: VersionSpec | None,
    body_text: str,
) -> None:
    """Label fallback for every field no control answered (typed-over controls, old forms)."""
    fields, found = answers.fields, answers.found
    missing = keys - found - set(fields)
    if not missing:
        return
    pairs = _table_pairs(root, n, form, version)
    for key, value in fields_from_label_pairs(pairs, form, version).items():
        if key in missing and key not in fields:
            fields[key] = value
    if not found:  # a form with no controls at all: labels in running text too
        lines = normalise(body_text, keep_lines=True).split("\n")
        for key, value in fields_from_text(lines, form, version).items():
            if key in missing and key not in fields:
                fields[key] = value


def _ordered(fields: dict[str, str | list[str]], form: FormSpec) -> dict[str, str | list[str]]:
    """Answers in the form's own order, so output is stable and easy to read."""
    order: dict[str, tuple[int, int, int]] = {}
    first_row_field: int | None = None
    for i, f in enumerate(form.fields):
        if f.repeating:
            first_row_field = i if first_row_field is None else first_row_field
            for r in range(1, form.rows + 1):
                order[f.key.replace("[n]", f"[{r}]")] = (first_row_field, r, i)
        else:
            order[f.key] = (i, 0, 0)
    return dict(sorted(fields.items(), key=lambda kv: order.get(kv[0], (10_000, 0, 0))))
