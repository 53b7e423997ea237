"""A child's initials: the one way the pipeline writes them (mail, tracker, reports).

People outside the team see a child only by reference and initials, and the team finds the
same child by them in the tracker, so both must read the same: "Test Child" + "Example" is
"TCE" everywhere. Every first name counts (siblings often share a first initial) and a
hyphenated surname keeps its hyphen ("Sample-Example" -> "S-E").
"""

from __future__ import annotations

import re


def initials(first_names: object, last_name: object) -> str | None:
    """ "Test Child" + "Sample-Example" -> "TCS-E"; None when neither name is given."""
    text = _letters(first_names, False) + _letters(last_name, True)
    return text or None


def child_initials(values: dict) -> str | None:
    """The initials of the child a form is about: from the referral's names, or from a
    session record's "child's name(s)" ("Test Child Example, Sam Example" -> "TCE, SE")."""
    first, last = values.get("child.first_name"), values.get("child.last_name")
    if any(isinstance(n, str) and n.strip() for n in (first, last)):
        return initials(first, last)
    names = [
        n.split()
        for n in re.split(r",|;|\band\b|&", str(values.get("session.child_names") or ""))
        if n.strip()
    ]
    found = [initials(" ".join(words[:-1]), words[-1]) for words in names]
    return ", ".join(f for f in found if f) or None


def _letters(name: object, hyphenated: bool) -> str:
    if not isinstance(name, str):
        return ""
    out = []
    for word in name.split():
        parts = [p for p in word.split("-") if p] if hyphenated else [word]
        firsts = [next((ch for ch in p if ch.isalpha()), "") for p in parts]
        out.append("-".join(f.upper() for f in firsts if f))
    return "".join(out)
