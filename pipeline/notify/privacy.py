"""Keep people's details out of email: initials instead of names, and no quoted answers.

Emails carry the minimum (reference, initials, dates). Validation messages name labels, not
people, but a message may still quote an answer ("'31/02/2019' is not a date"); any message
that quotes a protected answer is replaced by a neutral line in the template.
"""

from __future__ import annotations

import datetime as dt
import re
from fnmatch import fnmatchcase
from typing import Any

from pipeline.dates import day_month_year, short_date
from pipeline.models import Problem
from pipeline.notify.templates import MailTemplates


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def initials(first_names: object, last_name: object) -> str | None:
    """"Test Child" + "Sample-Example" -> "TCS-E"; None when neither name is given."""
    def letters(name: object, joiner_hyphen: bool) -> str:
        if not isinstance(name, str):
            return ""
        out = []
        for word in name.split():
            parts = [p for p in word.split("-") if p] if joiner_hyphen else [word]
            firsts = [next((ch for ch in p if ch.isalpha()), "") for p in parts]
            out.append("-".join(f.upper() for f in firsts if f))
        return "".join(out)

    text = letters(first_names, False) + letters(last_name, True)
    return text or None


def _matches(key: str, patterns: list[str]) -> bool:
    return any(fnmatchcase(key, p) for p in patterns)


def _date_forms(d: dt.date) -> list[str]:
    """The ways a person may have written a protected date, all looked for in a message."""
    return [short_date(d), f"{d.day}/{d.month}/{d.year}",
            f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}", f"{d.day}.{d.month}.{d.year % 100:02d}",
            d.isoformat(), day_month_year(d)]


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
                    self.name_words.update(w for w in _WORD.findall(value)
                                           if len(w) >= 2)

    def found_in(self, text: str) -> bool:
        """True when `text` quotes any protected answer or any word of a name."""
        flat = " ".join(text.split()).lower()
        if any(p in flat for p in self.phrases):
            return True
        words = set(_WORD.findall(text))
        return bool(words & self.name_words)


# The validator starts a message about a bad answer by quoting it: "'31/02/2019' is not ...".
_QUOTED = re.compile(r"^\s*['‘\"].*['’\"](?=\s+(?:is|are|could|should|does|was)\b)")


def safe_problems(problems: list[Problem], protected: Protected,
                  templates: MailTemplates | None = None) -> list[dict[str, str | None]]:
    """Label and message of each problem; message None when it would reveal an answer.

    For a protected answer that could not be read (so is not among the values), the quoted
    answer at the start of the message is replaced by neutral words.
    """
    neutral = templates.words("privacy", "quoted_answer", "The answer given") if templates \
        else "The answer given"
    patterns = templates.never_in_mail if templates else []
    out = []
    for p in problems:
        text = p.message
        if _matches(p.key, patterns):
            text = _QUOTED.sub(neutral, text, count=1)
        label = None if protected.found_in(p.label) else p.label
        message = None if protected.found_in(text) else text
        out.append({"key": p.key, "label": label, "message": message})
    return out
