"""The Word XML parts of a blank form, below python-docx: content controls tagged with the
catalogue's field keys (what the reader keys on), the legacy FORMTEXT / FORMCHECKBOX fields of
the old forms, formatted runs, and the schema order Word wants property elements in. Apart
from build_forms.py (the layout of a form) so each reads on its own; the ids are counted, so a
rebuild gives the same bytes.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"

# What Word itself shows in an empty control (and in an empty legacy text field).
PLACEHOLDER_TEXT = "Click or tap here to enter text."
PLACEHOLDER_DATE = "Click or tap to enter a date."
PLACEHOLDER_CHOICE = "Choose an item."
PLACEHOLDER_GREY = "808080"
BLANK_LEGACY = "\u2002" * 5  # Word's five en spaces in an empty FORMTEXT


def _el(tag: str, **attrs: str):
    """An OxmlElement with w:-prefixed (or given-prefix) attributes set."""
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(name.replace("__", ":")) if "__" in name else qn(f"w:{name}"), value)
    return el


def _w14(tag: str, **attrs: str):
    """A w14: element (Word 2010 check box parts), attributes in the w14 namespace."""
    el = OxmlElement(f"w14:{tag}")
    for name, value in attrs.items():
        el.set(f"{{{W14}}}{name}", value)
    return el


def _run(
    text: str = "",
    *,
    style: str | None = None,
    font: str | None = None,
    size: float | None = None,
    bold: bool = False,
    color: str | None = None,
):
    """A w:r with optional formatting; newlines in text become w:br line breaks."""
    r = _el("w:r")
    rpr = _el("w:rPr")
    if style:
        rpr.append(_el("w:rStyle", val=style))
    if font:
        rpr.append(_el("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font))
    if bold:
        rpr.append(_el("w:b"))
    if color:
        rpr.append(_el("w:color", val=color))
    if size:
        rpr.append(_el("w:sz", val=str(int(size * 2))))
        rpr.append(_el("w:szCs", val=str(int(size * 2))))
    if len(rpr):
        r.append(rpr)
    for i, line in enumerate(text.split("\n")):
        if i:
            r.append(_el("w:br"))
        if line:
            t = _el("w:t")
            t.text = line
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
    return r


class Ids:
    """Counted ids for content controls and legacy field names: stable across runs."""

    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return 100000 + self.n


def _sdt(key: str, alias: str, ids: Ids, kind_el, content_runs, *, placeholder: bool, rpr=None):
    """A run-level content control: w:sdt with alias (label), tag (key), id and its type."""
    sdt = _el("w:sdt")
    pr = _el("w:sdtPr")
    if rpr is not None:
        pr.append(rpr)
    pr.append(_el("w:alias", val=alias))
    pr.append(_el("w:tag", val=key))
    pr.append(_el("w:id", val=str(ids.next())))
    if placeholder:
        pr.append(_el("w:showingPlcHdr"))
    pr.append(kind_el)
    sdt.append(pr)
    content = _el("w:sdtContent")
    for r in content_runs:
        content.append(r)
    sdt.append(content)
    return sdt


def sdt_text(key: str, alias: str, ids: Ids, multiline: bool = False):
    kind = _el("w:text")
    if multiline:
        kind.set(qn("w:multiLine"), "1")
    return _sdt(
        key,
        alias,
        ids,
        kind,
        [_run(PLACEHOLDER_TEXT, style="PlaceholderText", color=PLACEHOLDER_GREY)],
        placeholder=True,
    )


def sdt_date(key: str, alias: str, ids: Ids):
    kind = _el("w:date")
    kind.append(_el("w:dateFormat", val="dd/MM/yyyy"))
    kind.append(_el("w:lid", val="en-GB"))
    kind.append(_el("w:storeMappedDataAs", val="dateTime"))
    kind.append(_el("w:calendar", val="gregorian"))
    return _sdt(
        key,
        alias,
        ids,
        kind,
        [_run(PLACEHOLDER_DATE, style="PlaceholderText", color=PLACEHOLDER_GREY)],
        placeholder=True,
    )


def sdt_dropdown(key: str, alias: str, choices: list[str], ids: Ids):
    kind = _el("w:dropDownList")
    kind.append(_el("w:listItem", displayText=PLACEHOLDER_CHOICE, value=""))
    for choice in choices:
        kind.append(_el("w:listItem", displayText=choice, value=choice))
    return _sdt(
        key,
        alias,
        ids,
        kind,
        [_run(PLACEHOLDER_CHOICE, style="PlaceholderText", color=PLACEHOLDER_GREY)],
        placeholder=True,
    )


def sdt_checkbox(key: str, alias: str, ids: Ids, checked: bool = False):
    """A w14:checkbox control drawn with MS Gothic ballot boxes (☒ checked, ☐ not)."""
    kind = _w14("checkbox")
    state = _w14("checked", val="1" if checked else "0")
    kind.append(state)
    kind.append(_w14("checkedState", val="2612", font="MS Gothic"))
    kind.append(_w14("uncheckedState", val="2610", font="MS Gothic"))
    rpr = _el("w:rPr")
    rpr.append(_el("w:rFonts", ascii="MS Gothic", hAnsi="MS Gothic", eastAsia="MS Gothic"))
    return _sdt(
        key,
        alias,
        ids,
        kind,
        [_run("\u2612" if checked else "\u2610", font="MS Gothic")],
        placeholder=False,
        rpr=rpr,
    )


def _field_runs(instr: str, ff_data, result_runs) -> list:
    """The runs of a legacy form field: begin (with ffData), instruction, separate, result, end."""
    begin = _el("w:r")
    fc = _el("w:fldChar", fldCharType="begin")
    fc.append(ff_data)
    begin.append(fc)
    instr_r = _el("w:r")
    it = _el("w:instrText")
    it.text = f" {instr} "
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr_r.append(it)
    runs = [begin, instr_r]
    if result_runs is not None:
        sep = _el("w:r")
        sep.append(_el("w:fldChar", fldCharType="separate"))
        runs.append(sep)
        runs.extend(result_runs)
    end = _el("w:r")
    end.append(_el("w:fldChar", fldCharType="end"))
    runs.append(end)
    return runs


def _ff_data(name: str):
    ff = _el("w:ffData")
    ff.append(_el("w:name", val=name))
    ff.append(_el("w:enabled"))
    ff.append(_el("w:calcOnExit", val="0"))
    return ff


def legacy_text(ids: Ids) -> list:
    ff = _ff_data(f"Text{ids.next() - 100000}")
    ff.append(_el("w:textInput"))
    return _field_runs("FORMTEXT", ff, [_run(BLANK_LEGACY)])


def legacy_checkbox(ids: Ids, checked: bool = False) -> list:
    ff = _ff_data(f"Check{ids.next() - 100000}")
    cb = _el("w:checkBox")
    cb.append(_el("w:sizeAuto"))
    cb.append(_el("w:default", val="1" if checked else "0"))
    ff.append(cb)
    return _field_runs("FORMCHECKBOX", ff, None)


# Word rejects property elements out of schema order, so they are inserted in place.
TBLPR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
]
TCPR_ORDER = [
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
]
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def _put(parent, el, order: list[str]) -> None:
    """Insert `el` among parent's children where the schema sequence puts it."""
    name = el.tag.split("}")[1]
    rank = order.index(name)
    for i, child in enumerate(parent):
        child_name = child.tag.split("}")[1] if isinstance(child.tag, str) else ""
        if child_name == name:
            parent.replace(child, el)
            return
        if child_name in order and order.index(child_name) > rank:
            parent.insert(i, el)
            return
    parent.append(el)
