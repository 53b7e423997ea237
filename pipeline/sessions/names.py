"""Is the child a session record names the referral's child? Names as people write them.

A record carries a reference and the child's name(s) typed by a supervisor; a reference
copied from another family's record would count a session against the wrong child (and
could suspend their family time), so the names must agree. Tolerant of how names are
written ("Zoe" for "Zoë", the first name alone, a known-as name, an initial, "Sam and Zoë
Example" for siblings seen together), strict about a different child.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.models import Item

_SPLIT = re.compile(r",|;|/|&|\+|\band\b", re.I)
_WORD = re.compile(r"[^\W\d_]+")


def name_words(text: object) -> list[str]:
    """ "Zoë O'Brien-Sample" -> ["zoe", "o", "brien", "sample"]."""
    plain = unicodedata.normalize("NFKD", str(text or "")).casefold()
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def child_names_of(items: list[Item]) -> list[str]:
    """The referral's child as each version of the referral names them ("Zoë Sample")."""
    out: list[str] = []
    for item in items:
        v = item.verdict.values if item.verdict else {}
        name = " ".join(
            str(v.get(k)).strip() for k in ("child.first_name", "child.last_name") if v.get(k)
        )
        if name and name not in out:
            out.append(name)
    return out


def _is_child(written: list[str], item_names: list[str], known_as: list[str]) -> bool:
    first, *rest = written
    firsts = {item_names[0], *known_as} if item_names else set(known_as)
    if first not in firsts and not (len(first) == 1 and any(f.startswith(first) for f in firsts)):
        return False
    every = set(item_names) | set(known_as)
    return all(w in every or (len(w) == 1 and any(n.startswith(w) for n in every)) for w in rest)


def known_as_of(items: list[Item]) -> list[str]:
    return [
        str(item.verdict.values["child.known_as"])
        for item in items
        if item.verdict and item.verdict.values.get("child.known_as")
    ]


def names_match(written: str, items: list[Item]) -> bool:
    """Whether any child the record names ("Sam Example, Zoë Example") is the referral's
    child as any version of the referral names them. A record naming nobody is no match."""
    known = [w for k in known_as_of(items) for w in name_words(k)]
    shapes = [name_words(c) for c in child_names_of(items)]
    names = [name_words(n) for n in _SPLIT.split(written or "")]
    return any(_is_child(name, shape, known) for name in names if name for shape in shapes if shape)
