"""Label fallback: find answers by the label printed beside them, not by a control's tag.

Old forms (label/answer tables), typed-over content controls and flattened PDFs carry no
keys, only labels. Labels come from the catalogue (label, the version's label_overrides and
each field's aliases), so a relabelled form is a catalogue edit, never a code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.catalogue import FieldSpec, FormSpec, VersionSpec, catalogue
from pipeline.extract.text import is_placeholder, label_key, normalise

MAX_FIELD_CHARS = 20_000
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CHECKED = "☒☑✔✓■⊠🗹"
UNCHECKED = "☐□▢"
_CHECK_MARK = re.compile(r"(?:[☒☑✔✓■⊠🗹]|\[\s*[xX✓✔]\s*\]|\(\s*[xX]\s*\))")
_BOX = re.compile(r"(?:[☒☑✔✓■⊠🗹☐□▢]|\[\s*[xX✓✔ ]?\s*\]|\(\s*[xX ]?\s*\))")
_CASE_SYSTEMS = ["CareFirst", "Mosaic", "Liquidlogic", "Other"]


@dataclass
class _Index:
    """Label lookup for one form (and version): normalised label -> generic field key."""

    by_label: dict[str, str] = field(default_factory=dict)
    repeating: dict[str, str] = field(default_factory=dict)  # label -> "family[n].name"
    stops: set[str] = field(default_factory=set)  # section titles, headings
    skip: set[str] = field(default_factory=set)  # hints, guidance, footers
    pattern: re.Pattern | None = None  # every label, longest first
    specs: dict[str, FieldSpec] = field(default_factory=dict)


def _variants(f: FieldSpec, version: VersionSpec | None, form: FormSpec) -> list[str]:
    out = [f.label, *f.aliases]
    if f.label_template:
        for cs in _CASE_SYSTEMS:
            out.append(f.display_label(case_system=cs, supervisor_role="Family Time Supervisor"))
        out.append(f.label_template.split("}")[-1].strip() or f.label)
    versions = [version] if version is not None else form.versions
    for v in versions:
        if f.key in v.label_overrides:
            out.append(v.label_overrides[f.key])
    return [o for o in out if o]


def _regex_for(label: str) -> str:
    tokens = label_key(label).split()
    return r"(?<![\w])" + r"[\W_]*".join(re.escape(t) for t in tokens) + r"(?![\w])[)?:*\]]*"


@lru_cache(maxsize=64)
def _index_cached(form_id: str, version_id: str | None) -> _Index:
    form = catalogue().form(form_id)
    version = form.version(version_id) if version_id else None
    return _build_index(form, version)


def _build_index(form: FormSpec, version: VersionSpec | None) -> _Index:
    idx = _Index()
    for f in form.fields:
        idx.specs[f.key] = f
        for lab in _variants(f, version, form):
            k = label_key(lab)
            if not k:
                continue
            if f.repeating:
                idx.repeating.setdefault(k, f.key)
            else:
                idx.by_label.setdefault(k, f.key)
    for s in form.sections:
        idx.stops.add(label_key(s.title))
        idx.stops.add(label_key(re.sub(r"^\s*\d+[.)]\s*", "", s.title)))
    for t in form.titles:
        idx.stops.add(label_key(t))
    for f in form.fields:
        for extra in (f.hint, f.note):
            if extra:
                idx.skip.add(label_key(extra))
    for s in form.sections:
        idx.skip.add(label_key(s.guidance))
    for v in form.versions:
        idx.skip.add(label_key(v.footer))
    idx.skip.discard("")
    alts = sorted(
        {lab for lab in list(idx.by_label) + list(idx.stops) if lab}, key=len, reverse=True
    )
    idx.pattern = (
        re.compile(
            "|".join(f"(?P<l{i}>{_regex_for(a)})" for i, a in enumerate(alts)), re.IGNORECASE
        )
        if alts
        else None
    )
    idx._alts = alts  # type: ignore[attr-defined]
    return idx


def _index(form: FormSpec, version: VersionSpec | None) -> _Index:
    try:
        if catalogue().forms.get(form.id) is form:
            return _index_cached(form.id, version.version if version else None)
    except Exception:
        pass
    return _build_index(form, version)


def _match_label(text: str, idx: _Index) -> tuple[str | None, int | None]:
    """(generic key, row number or None) for a cell or line that is just a label."""
    k = label_key(text)
    if not k:
        return None, None
    if k in idx.by_label:
        return idx.by_label[k], None
    if k in idx.repeating:
        return idx.repeating[k], None
    # "Name 2", "Phone (3)": a family column with its row number.
    m = re.match(r"^(.*?)\s+(\d)$", k)
    if m and m.group(1) in idx.repeating:
        return idx.repeating[m.group(1)], int(m.group(2))
    # A label followed by a hint in brackets: "Length of each session (e.g. 90 minutes)".
    bare = label_key(re.sub(r"\([^)]*\)\s*[:*]?\s*$", "", normalise(text)))
    if bare and bare != k and bare in idx.by_label:
        return idx.by_label[bare], None
    return None, None


def key_for_label(label: str, form: FormSpec, version: VersionSpec | None = None) -> str | None:
    """The field key a label names ("family[n].name" for a family column), or None."""
    key, row = _match_label(label, _index(form, version))
    if key is not None and row is not None and "[n]" in key:
        return key.replace("[n]", f"[{row}]")
    return key


def _clip(s: str) -> str:
    return s[:MAX_FIELD_CHARS]


def days_from_text(text: str) -> list[str]:
    """Day names an answer selects: after a ticked box when there are boxes, else by name."""
    t = normalise(text)
    if _BOX.search(t):
        found = []
        for m in re.finditer(r"(" + _BOX.pattern + r")\s*([A-Za-z]+)", t):
            if _CHECK_MARK.fullmatch(m.group(1)):
                day = _day_name(m.group(2))
                if day and day not in found:
                    found.append(day)
        return found
    t = _DAY_RANGE.sub(_expand_range, t)
    found = []
    for word in re.findall(r"[A-Za-z]+", t):
        if word.lower() in ("weekdays", "weekday"):
            found.extend(DAYS[:5])
        elif _day_name(word):
            found.append(_day_name(word))
    return [d for d in DAYS if d in found]


_DAY_RANGE = re.compile(
    r"\b([A-Za-z]+)\s*(?:-|–|\bto\b|\buntil\b|\bthrough\b|\btill\b)"
    r"\s*([A-Za-z]+)\b"
)


def _expand_range(m: re.Match) -> str:
    """ "Monday to Wednesday" -> "Monday Tuesday Wednesday"; anything else unchanged."""
    first, last = _day_name(m.group(1)), _day_name(m.group(2))
    if first and last and DAYS.index(first) <= DAYS.index(last):
        return " ".join(DAYS[DAYS.index(first) : DAYS.index(last) + 1])
    return m.group(0)


_DAY_WORDS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "tues": "Tuesday",
    "wed": "Wednesday",
    "weds": "Wednesday",
    "thu": "Thursday",
    "thur": "Thursday",
    "thurs": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
_DAY_WORDS.update({d.lower(): d for d in DAYS})
_DAY_WORDS.update({d.lower() + "s": d for d in DAYS})


def _day_name(word: str) -> str | None:
    return _DAY_WORDS.get(word.lower())


def checked_choice(text: str, choices: list[str]) -> str | None:
    """The option after a ticked box ("☒ Yes ☐ No" -> "Yes"), or None when nothing is ticked."""
    t = normalise(text)
    for m in re.finditer(r"(" + _CHECK_MARK.pattern + r")\s*([^☒☑✔✓■⊠🗹☐□▢\[\(]+)", t):
        picked = m.group(2).strip(" ,;")
        for c in choices:
            if label_key(picked).startswith(label_key(c)):
                return c
        if picked:
            return picked
    return None


def clean_answer(spec: FieldSpec | None, raw: str) -> str | list[str] | None:
    """An answer as the contract wants it: text, days as a list, blanks as None."""
    if spec is not None and spec.type == "days":
        text = normalise(raw)
        if not text or is_placeholder(text):
            return None
        days = days_from_text(text)
        if days or _BOX.search(text):
            return days
        return _clip(text)  # typed, but no day we know: validation says what is wrong
    text = normalise(raw)
    if not text or is_placeholder(text):
        return None
    if spec is not None and _BOX.search(text):
        choices = spec.choices or (["Yes", "No"] if spec.type == "yesno" else [])
        words = label_key(text)
        if choices and any(label_key(c) in words for c in choices):
            return checked_choice(text, choices)  # None: boxes shown, none ticked
    return _clip(text)


def fields_from_label_pairs(
    pairs: list[tuple[str, str]], form: FormSpec, version: VersionSpec | None = None
) -> dict[str, str | list[str]]:
    """Map (label, answer) pairs to contract keys; family columns fill family[1..rows] in order.

    Repeated family column labels ("Name", "Phone") are counted: the n-th "Name" is row n.
    Blank answers are left out (but still counted, so rows stay aligned).
    """
    idx = _index(form, version)
    out: dict[str, str | list[str]] = {}
    seen_rows: dict[str, int] = {}
    for label, answer in pairs:
        key, row = _match_label(label, idx)
        if key is None:
            continue
        spec = idx.specs.get(key)
        if "[n]" in key:
            if row is None:
                row = seen_rows.get(key, 0) + 1
            seen_rows[key] = row
            if row < 1 or row > max(form.rows, 1):
                continue
            key = key.replace("[n]", f"[{row}]")
        value = clean_answer(spec, answer or "")
        if value is None or key in out:
            continue
        out[key] = value
    return out


def _split_line(line: str, idx: _Index) -> list[tuple[str | None, str]]:
    """A line as (label-or-None, text) segments; mid-line labels only when long enough."""
    if idx.pattern is None:
        return [(None, line)]
    segs: list[tuple[str | None, str]] = []
    pos = 0
    current: str | None = None
    for m in idx.pattern.finditer(line):
        lab = m.group(0)
        at_start = not line[: m.start()].strip(" :*-")
        if not at_start and len(label_key(lab).split()) < 3:
            continue
        segs.append((current, line[pos : m.start()]))
        current = lab
        pos = m.end()
    segs.append((current, line[pos:]))
    return [(lab, txt) for lab, txt in segs if lab is not None or txt.strip()]


def fields_from_text(
    lines: list[str], form: FormSpec, version: VersionSpec | None = None
) -> dict[str, str | list[str]]:
    """Answers from flat text (a PDF page): the text after a label, on its line or the next
    lines, up to the next known label or section heading."""
    idx = _index(form, version)
    pairs: list[tuple[str, str]] = []
    label: str | None = None
    buf: list[str] = []

    def flush() -> None:
        if label is not None:
            pairs.append((label, "\n".join(buf)))

    for raw in lines:
        line = normalise(raw)
        if not line or label_key(line) in idx.skip:
            continue
        for lab, txt in _split_line(line, idx):
            if lab is not None:
                flush()
                if label_key(lab) in idx.stops:
                    label, buf = None, []
                else:
                    label, buf = lab, []
                txt = txt.lstrip(" :*-\u2013")
            if txt.strip() and label is not None:
                buf.append(txt.strip())
    flush()
    return fields_from_label_pairs(pairs, form, version)


def count_labels(text: str, form: FormSpec) -> int:
    """How many different fields of `form` have their label somewhere in `text`."""
    idx = _index(form, None)
    found: set[str] = set()
    norm = normalise(text, keep_lines=True)
    lines = [ln for ln in norm.split("\n") if ln.strip()]
    line_keys = {label_key(ln) for ln in lines}
    for lab_key, key in idx.by_label.items():
        tokens = lab_key.split()
        if len(tokens) >= 2:
            if re.search(_regex_for(lab_key), norm, re.IGNORECASE):
                found.add(key)
        elif lab_key in line_keys:
            found.add(key)
    for lab_key, key in idx.repeating.items():
        if lab_key in line_keys or (
            len(lab_key.split()) >= 3 and re.search(_regex_for(lab_key), norm, re.IGNORECASE)
        ):
            found.add(key)
    return len(found)


def known_keys(form: FormSpec) -> set[str]:
    """Every concrete key of a form (family rows expanded), for checking control tags."""
    return {f.key for f in form.expanded_fields()}
