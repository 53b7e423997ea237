"""Keep people's details out of email: initials instead of names, and no quoted answers.

Emails carry the minimum (reference, initials, dates). Validation messages name labels, not
people, but a message may still quote an answer ("'31/02/2019' is not a date"): a quoted
protected answer is replaced by neutral words wherever it stands, and any message that still
holds a protected value (anywhere, quoted or not) is replaced by a neutral line.
"""

from __future__ import annotations

import datetime as dt
import re
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Any

from pipeline.dates import date_in_words, numeric_date
from pipeline.models import Problem
from pipeline.notify.templates import MailTemplates

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _matches(key: str, patterns: list[str]) -> bool:
    return any(fnmatchcase(key, p) for p in patterns)


def _date_forms(d: dt.date) -> list[str]:
    """The ways a person may have written a protected date, all looked for in a message."""
    return [
        numeric_date(d),
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}",
        f"{d.day}.{d.month}.{d.year % 100:02d}",
        d.isoformat(),
        date_in_words(d),
    ]


def _phrase_pattern(value: str) -> re.Pattern | None:
    """The value as a whole word or phrase (any spacing between its words): "Ed" is found in
    "Ed is 4" but never inside "Requested"; "TC" never inside "postcode"."""
    parts = value.split()
    if not parts:
        return None
    body = r"\s+".join(re.escape(p) for p in parts)
    left = r"(?<!\w)" if re.match(r"\w", parts[0]) else ""
    right = r"(?!\w)" if re.search(r"\w$", parts[-1]) else ""
    return re.compile(left + body + right, re.IGNORECASE)


class Protected:
    """The answers in one form that must not be mailed, ready to look for in a message.

    Only as a whole word or phrase, and a name only where it is written as a name: a surname
    "Example" is not found in "for example", a nickname "Will" not in "it will", but "Ed" is
    found in "Ed" and "ED" (issue 27: the filter hid whole lines for a two-letter nickname)."""

    def __init__(self, values: dict[str, Any], templates: MailTemplates):
        self.patterns: list[tuple[re.Pattern, bool]] = []  # (pattern, is a name)
        for key, value in values.items():
            if not _matches(key, templates.never_in_mail):
                continue
            name = _matches(key, templates.name_keys)
            if isinstance(value, dt.date):
                texts = _date_forms(value)
            elif isinstance(value, str) and len(value.strip()) >= 2:
                texts = [value]
                if name:
                    texts += [w for w in _WORD.findall(value) if len(w) >= 2]
            else:
                continue
            for text in texts:
                pattern = _phrase_pattern(text)
                if pattern is not None:
                    self.patterns.append((pattern, name and not text.islower()))

    @staticmethod
    def _as_name(m: re.Match) -> bool:
        """A name as people write one: not all in lower case ("example" is a word)."""
        return not m.group(0).islower()

    def _hits(self, text: str):
        for pattern, name in self.patterns:
            for m in pattern.finditer(text):
                if not name or self._as_name(m):
                    yield m

    def found_in(self, text: str) -> bool:
        """True when `text` holds any protected answer, or any word of a name, as a whole."""
        return next(self._hits(text), None) is not None

    def removed(self, text: str, neutral: str) -> str:
        """`text` with each protected answer standing in it replaced by `neutral`, longest
        first (a full name before its words), so the rest of the sentence still helps."""
        spans = sorted(
            {(m.start(), m.end()) for m in self._hits(text)}, key=lambda s: (s[0], -s[1])
        )
        out, at = [], 0
        for start, end in spans:
            if start < at:
                continue  # inside a longer one already replaced
            out.append(text[at:start])
            out.append(neutral)
            at = end
        out.append(text[at:])
        return "".join(out)


# A quoted answer anywhere in a message: 'CF-1234567', "…", ‘…’ (the validator quotes them).
_QUOTE = re.compile(
    r"""(?<!\w)(?:'(?:[^'\n]|'(?=\w)){1,400}'|‘(?:[^’\n]|’(?=\w)){1,400}’"""
    r"""|"[^"\n]{1,400}"|“[^”\n]{1,400}”)"""
)  # O'Brien stays inside
# What marks a quoted answer as possibly somebody else's details, whatever field it was given
# in (a flattened PDF can merge a carer's email or a parent's name into another answer).
_MERGED = re.compile(r"\S+\s+\S+")  # more than one word ...
_CONTACT = re.compile(r"@")  # ... holding an email address
QUOTE_KEEP_MAX = 40


@lru_cache(maxsize=1)
def _form_labels() -> frozenset[str]:
    """Every label of every form the catalogue knows, folded: quoting one names a question."""
    from pipeline.catalogue import catalogue

    return frozenset(
        " ".join(f.label.split()).casefold()
        for form in catalogue().forms.values()
        for f in form.fields
        if f.label
    )


def _quotes_out(text: str, neutral: str, protected_key: bool) -> str:
    """`text` with quoted answers replaced by neutral words, wherever they stand: every quote
    for a protected field; for any other field, quotes that are long or look like contact
    details (they may be another answer run into this one)."""

    def swap(m: re.Match) -> str:
        inner = m.group(0)[1:-1]
        if " ".join(inner.split()).casefold() in _form_labels():
            return m.group(0)  # a question of the form ('Is the child unborn?'), not an answer
        merged_contact = bool(_MERGED.search(inner) and _CONTACT.search(inner))
        if protected_key or len(inner) > QUOTE_KEEP_MAX or merged_contact:
            return neutral if m.start() == 0 else neutral[0].lower() + neutral[1:]
        return m.group(0)

    return _QUOTE.sub(swap, text)


def without_label(label: str | None, message: str) -> str:
    """The message without a leading copy of its label ("Date of referral: Date of referral:
    this is required" is said once)."""
    if not label:
        return message
    text = message.lstrip()
    while text.lower().startswith(label.lower()):
        rest = text[len(label) :].lstrip()
        if not rest.startswith(":"):
            break
        text = rest[1:].lstrip()
        if text:
            text = text[0].upper() + text[1:]
    return text


def safe_text(
    text: str,
    protected: Protected,
    templates: MailTemplates | None = None,
    protected_key: bool = False,
) -> str | None:
    """A sentence fit for mail: quoted answers neutralised; None if it still reveals one."""
    neutral = (
        templates.words("privacy", "quoted_answer", "The answer given")
        if templates
        else "The answer given"
    )
    text = _quotes_out(text, neutral, protected_key)
    if protected.found_in(text):
        text = protected.removed(text, neutral[0].lower() + neutral[1:])
        text = text[0].upper() + text[1:] if text else text
    return None if protected.found_in(text) else text


_FAMILY_ROW = re.compile(r"^family\[(\d+)\]\.(\w+)$")


def whose_label(
    key: str, label: str | None, values: dict, protected: Protected, templates: MailTemplates | None
) -> str | None:
    """A family row's bare label ("Phone") named by whose answer it is: the relationship the
    form gives ("Mother's phone"), else the row ("Family member 2's phone"); any other label
    as the form words it (labels are the form's words, never an answer, so never hidden)."""
    m = _FAMILY_ROW.match(key)
    if not m or not label or templates is None:
        return label
    row, bare = m.group(1), label[:1].lower() + label[1:]
    who = values.get(f"family[{row}].relationship")
    who = " ".join(who.split()) if isinstance(who, str) else ""
    if who and len(who) <= 40 and not protected.found_in(who) and "@" not in who:
        text = templates.words("labels", "family_of", "{who}'s {label}")
        return text.format(who=who[:1].upper() + who[1:], label=bare)
    text = templates.words("labels", "family_row", "Family member {n}'s {label}")
    return text.format(n=row, label=bare)


def safe_problems(
    problems: list[Problem],
    protected: Protected,
    templates: MailTemplates | None = None,
    values: dict | None = None,
) -> list[dict[str, str | None]]:
    """Label and message of each problem; message None when it would reveal an answer.

    The label is kept, naming whose answer it is; a protected answer is taken out of the
    message as a whole word or phrase, and the message never repeats its label.
    """
    patterns = templates.never_in_mail if templates else []
    out = []
    for p in problems:
        label = whose_label(p.key, p.label, values or {}, protected, templates)
        text = without_label(p.label, p.message)
        message = safe_text(text, protected, templates, _matches(p.key, patterns))
        out.append({"key": p.key, "label": label, "message": message})
    return out
