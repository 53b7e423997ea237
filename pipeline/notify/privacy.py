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


class Protected:
    """The answers in one form that must not be mailed, ready to look for in a message."""

    def __init__(self, values: dict[str, Any], templates: MailTemplates):
        self.phrases: list[str] = []
        self.name_words: set[str] = set()
        for key, value in values.items():
            if not _matches(key, templates.never_in_mail):
                continue
            if isinstance(value, dt.date):
                self.phrases.extend(f.lower() for f in _date_forms(value))
            elif isinstance(value, str) and len(value.strip()) >= 2:
                self.phrases.append(" ".join(value.split()).lower())
                if _matches(key, templates.name_keys):
                    self.name_words.update(w for w in _WORD.findall(value) if len(w) >= 2)

    def found_in(self, text: str) -> bool:
        """True when `text` quotes any protected answer or any word of a name."""
        flat = " ".join(text.split()).lower()
        if any(p in flat for p in self.phrases):
            return True
        words = set(_WORD.findall(text))
        return bool(words & self.name_words)


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


def _quotes_out(text: str, neutral: str, protected_key: bool) -> str:
    """`text` with quoted answers replaced by neutral words, wherever they stand: every quote
    for a protected field; for any other field, quotes that are long or look like contact
    details (they may be another answer run into this one)."""

    def swap(m: re.Match) -> str:
        inner = m.group(0)[1:-1]
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
    return None if protected.found_in(text) else text


def safe_problems(
    problems: list[Problem], protected: Protected, templates: MailTemplates | None = None
) -> list[dict[str, str | None]]:
    """Label and message of each problem; message None when it would reveal an answer.

    A quoted answer is replaced by neutral words wherever it stands in the message; the
    message never repeats its label.
    """
    patterns = templates.never_in_mail if templates else []
    out = []
    for p in problems:
        label = None if protected.found_in(p.label) else p.label
        text = without_label(p.label, p.message)
        message = safe_text(text, protected, templates, _matches(p.key, patterns))
        out.append({"key": p.key, "label": label, "message": message})
    return out
