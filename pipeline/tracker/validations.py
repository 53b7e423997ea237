"""The workbook's drop-downs (data validations), kept in step with tracker.toml on every sync.

A workbook made by an older layout, or saved by Excel or LibreOffice Calc, keeps whatever
drop-downs it had when it was made; without this, a new list (Venue from the profile, the
supervisor from the Staff sheet) never reaches it. Each sync works out the drop-downs the
layout asks for, finds the columns by their headings (an older workbook may have them in
other places), and replaces only the validations on those columns: no cell is touched, and a
validation a person added to another column stays.

A value the pipeline itself writes into a person's column is allowed by that cell's list:
Status holds "Suspended until dd/mm/yyyy" once a suspension is approved (tracker.toml,
`list_also`), so a cell holding such a value gets the usual choices plus its own value, and
Excel's "Circle invalid data" or LibreOffice's "Mark invalid data" does not flag it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from pipeline import words
from pipeline.profile import Profile
from pipeline.tracker.columns import ColumnSpec, SheetSpec, TrackerSpec
from pipeline.tracker.ranges import INITIAL_RANGE_ROWS, list_formula
from pipeline.tracker.workbook import NS, Package, SheetPart, col_index, col_letters, norm_header

X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
_DV = f"{{{NS}}}dataValidation"
_DVS = f"{{{NS}}}dataValidations"
_PART = re.compile(r"^([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?$")
# CT_Worksheet's order: dataValidations goes before the first of these that the sheet has
_AFTER = (
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)


@dataclass(frozen=True)
class Rule:
    """One drop-down: where its list comes from and what a person sees on a wrong value."""

    formula: str
    strict: bool
    title: str
    error: str


def rule_for(
    column: ColumnSpec,
    spec: TrackerSpec,
    profile: Profile,
    extra: str | None = None,
    names: dict[str, str] | None = None,
) -> Rule | None:
    """The drop-down tracker.toml asks for in this column, or None. `extra`: one more value
    allowed in the list (what the pipeline wrote in this cell)."""
    title = column.header_for(profile)
    source = list_formula(column, spec, names)
    if source:
        if column.list_strict:
            key = "strict_staff" if column.list_from.startswith("sheet.") else "strict"
        else:
            key = "loose"
        return Rule(source, column.list_strict, title, _say(spec, key))
    if column.choices:
        choices = ([extra] if extra else []) + list(column.choices)
        return Rule(
            '"' + ",".join(choices) + '"',
            True,
            title,
            _say(spec, "choices", choices=", ".join(column.choices)),
        )
    return None


def _say(spec: TrackerSpec, key: str, **values: str) -> str:
    """A drop-down's message, worded in tracker.toml [drop_downs]."""
    return words.fill(spec.drop_downs[key], f"tracker.toml [drop_downs] {key}", **values)


def refresh(
    pkg: Package, sp: SheetPart, sheet: SheetSpec, spec: TrackerSpec, profile: Profile
) -> bool:
    """Bring the sheet's drop-downs up to the layout's; True when something changed."""
    wanted: dict[int, list[tuple[Rule, list[str]]]] = {}
    end = max(sp.header_row + INITIAL_RANGE_ROWS, sp.max_row, _present_end(sp))
    first = sp.header_row + 1
    for column in sheet.columns:
        col = sp.columns.get(norm_header(column.header_for(profile)))
        base = rule_for(column, spec, profile, names=pkg.aliases)
        if col is None or base is None:
            continue
        letter = col_letters(col)
        special = _pipeline_values(pkg, sp, col, column.list_also) if column.list_also else {}
        taken = sorted(n for rows in special.values() for n in rows)
        wanted[col] = [(base, _ranges(letter, first, end, taken))]
        for value, rows in sorted(special.items()):
            wanted[col].append(
                (
                    rule_for(column, spec, profile, extra=value, names=pkg.aliases),
                    [f"{letter}{n}" for n in sorted(rows)],
                )
            )
    if not wanted:
        return False
    if _current(sp, wanted.keys()) == _canonical(wanted) and not _x14_on(sp, wanted.keys()):
        return False
    _remove(sp, set(wanted))
    holder = _holder(sp)
    for col in sorted(wanted):
        for rule, sqref in wanted[col]:
            holder.append(_element(rule, sqref))
    holder.set("count", str(len(holder)))
    sp.dirty = True
    return True


def _pipeline_values(pkg: Package, sp: SheetPart, col: int, prefix: str) -> dict[str, list[int]]:
    """Values in the column that begin with what the pipeline writes ("Suspended until ")."""
    out: dict[str, list[int]] = {}
    letter = col_letters(col)
    # one XPath over the sheet (fast on 10,000 rows) rather than every row's cells
    for c in sp.sheet_data.xpath(
        "./x:row/x:c[starts-with(@r, $letter)]", namespaces={"x": NS}, letter=letter
    ):
        number = c.get("r")[len(letter) :]
        if not number.isdigit() or int(number) <= sp.header_row:
            continue
        value = pkg.value(c)
        if isinstance(value, str) and value.startswith(prefix) and "," not in value:
            out.setdefault(value.strip(), []).append(int(number))
    return out


def _ranges(letter: str, first: int, end: int, taken: list[int]) -> list[str]:
    """The column from `first` to `end` without the rows in `taken`, as ranges."""
    out, start = [], first
    for n in taken + [end + 1]:
        if n > start:
            out.append(f"{letter}{start}:{letter}{n - 1}" if n - 1 > start else f"{letter}{start}")
        start = max(start, n + 1)
    return out


def _parts(sqref: str):
    for part in sqref.split():
        m = _PART.match(part.replace("$", ""))
        if m:
            c1, r1 = col_index(m[1]), int(m[2])
            c2, r2 = (col_index(m[3]), int(m[4])) if m[3] else (c1, r1)
            yield part, c1, r1, c2, r2
        else:
            yield part, None, None, None, None


def _without(sqref: str, cols: set[int]) -> str:
    """The ranges of `sqref` outside the columns in `cols` (a range over several columns is
    cut around them)."""
    kept = []
    for part, c1, r1, c2, r2 in _parts(sqref):
        if c1 is None:
            kept.append(part)
            continue
        span = [c for c in range(c1, c2 + 1) if c not in cols]
        if len(span) == c2 - c1 + 1:
            kept.append(part)
            continue
        runs: list[list[int]] = []
        for c in span:
            if runs and runs[-1][-1] == c - 1:
                runs[-1].append(c)
            else:
                runs.append([c])
        for run in runs:
            a, b = f"{col_letters(run[0])}{r1}", f"{col_letters(run[-1])}{r2}"
            kept.append(a if a == b else f"{a}:{b}")
    return " ".join(kept)


def _present_end(sp: SheetPart) -> int:
    """The last row any drop-down reaches now (they grow as rows are added)."""
    end = 0
    holder = sp.root.find(_DVS)
    for dv in holder.iterfind(_DV) if holder is not None else ():
        for _, _c1, _r1, _c2, r2 in _parts(dv.get("sqref") or ""):
            if r2:
                end = max(end, r2)
    return end


def _canonical(wanted) -> list:
    return sorted(
        (col, rule.formula, rule.strict, " ".join(sqref))
        for col, rules in wanted.items()
        for rule, sqref in rules
    )


def _current(sp: SheetPart, cols) -> list:
    cols = set(cols)
    holder = sp.root.find(_DVS)
    out = []
    for dv in holder.iterfind(_DV) if holder is not None else ():
        parts = list(_parts(dv.get("sqref") or ""))
        mine = {c1 for _, c1, _, c2, _ in parts if c1 is not None and c1 == c2 and c1 in cols}
        if not mine:
            continue
        if len(mine) > 1 or any(c1 is None or c1 != c2 for _, c1, _, c2, _ in parts):
            return ["mixed"]  # several columns in one: rewrite
        formula = dv.findtext(f"{{{NS}}}formula1") or ""
        strict = dv.get("errorStyle", "stop") == "stop"
        out.append((mine.pop(), formula, strict, dv.get("sqref")))
    return sorted(out)


def _x14_on(sp: SheetPart, cols) -> bool:
    cols = set(cols)
    for dv in sp.root.iter(f"{{{X14}}}dataValidation"):
        sqref = dv.findtext(f"{{{XM}}}sqref") or ""
        if any(
            c1 is not None and any(c in cols for c in range(c1, c2 + 1))
            for _, c1, _, c2, _ in _parts(sqref)
        ):
            return True
    return False


def _remove(sp: SheetPart, cols: set[int]) -> None:
    """Take the managed columns out of every validation, Excel's extension list included."""
    holder = sp.root.find(_DVS)
    for dv in list(holder.iterfind(_DV)) if holder is not None else ():
        rest = _without(dv.get("sqref") or "", cols)
        if rest:
            dv.set("sqref", rest)
        else:
            holder.remove(dv)
    for dv in list(sp.root.iter(f"{{{X14}}}dataValidation")):
        ref = dv.find(f"{{{XM}}}sqref")
        rest = _without(ref.text or "", cols) if ref is not None else ""
        parent = dv.getparent()
        if rest:
            ref.text = rest
            continue
        parent.remove(dv)
        left = len(parent.findall(f"{{{X14}}}dataValidation"))
        parent.set("count", str(left))
        if not left:  # an empty list is not allowed: take it, and its ext
            ext = parent.getparent()
            ext.remove(parent)
            if len(ext) == 0 and ext.getparent() is not None:
                lst = ext.getparent()
                lst.remove(ext)
                if len(lst) == 0 and lst.getparent() is not None:
                    lst.getparent().remove(lst)


def _holder(sp: SheetPart):
    holder = sp.root.find(_DVS)
    if holder is None:
        holder = etree.Element(_DVS)
        later = next((el for el in sp.root if etree.QName(el).localname in _AFTER), None)
        if later is not None:
            later.addprevious(holder)
        else:
            sp.root.append(holder)
    return holder


def _element(rule: Rule, sqref: list[str]):
    el = etree.Element(
        _DV,
        type="list",
        allowBlank="1",
        showErrorMessage="1",
        errorTitle=rule.title,
        error=rule.error,
        sqref=" ".join(sqref),
    )
    if not rule.strict:
        el.set("errorStyle", "warning")
    etree.SubElement(el, f"{{{NS}}}formula1").text = rule.formula
    return el
