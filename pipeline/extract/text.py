"""Text clean-up shared by every reader: what a person typed, without Word's invisible noise.

Answers are compared and validated as plain text, so smart quotes, odd spaces, zero-width and
direction marks, stray line breaks and Word's own "click here" placeholders must not survive.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Curly quotes and primes become straight ones; accents are kept (names carry them).
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
    }
)
# Zero-width characters, the byte-order mark, soft hyphens and bidi controls: removed.
_INVISIBLE = re.compile(
    "[\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]"
)
# Every kind of horizontal space (non-breaking, thin, ideographic ...) and tabs.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x0b\x0c]+")
_BREAKS = re.compile(r"\s*(?:\r\n|\r|\n|\u2028|\u2029|\x85)\s*")
# Control characters, Unicode noncharacters and lone surrogates: no person types them, and XML
# (Word, the workbook, the paperwork) cannot hold them, so one would break every file after.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")

# Word's and LibreOffice's "nothing typed yet" prompts, compared after normalising.
_PLACEHOLDERS = {
    "click or tap here to enter text.",
    "click or tap to enter a date.",
    "click here to enter text.",
    "click here to enter a date.",
    "choose an item.",
    "choose a building block.",
    "click or tap here to enter text",
    "click or tap to enter a date",
    "choose an item",
    "enter text here",
    "click here to enter text",
    "click to enter text",
    "[enter text]",
    "select an item",
    "select a date",
}


def normalise(s: str | None, keep_lines: bool = False) -> str:
    """One clean line (or clean lines, with keep_lines) from whatever a form held."""
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s)
    s = s.translate(_QUOTES)
    s = _INVISIBLE.sub("", s)
    s = _CONTROL.sub("", s)
    s = _SPACES.sub(" ", s)
    if keep_lines:
        lines = [ln.strip() for ln in re.split(r"\r\n|\r|\n|\u2028|\u2029|\x85", s)]
        out: list[str] = []
        for ln in lines:
            if ln or (out and out[-1]):
                out.append(ln)
        return "\n".join(out).strip()
    s = _BREAKS.sub(" ", s)
    return s.strip()


def is_placeholder(s: str | None) -> bool:
    """True when the text is only a form's prompt (Word or LibreOffice), i.e. blank."""
    t = normalise(s).lower()
    if not t:
        return True
    return t in _PLACEHOLDERS


@lru_cache(maxsize=8192)
def label_key(s: str) -> str:
    """A label reduced for comparison: case, punctuation, trailing colon/asterisk ignored."""
    t = normalise(s).lower()
    t = t.replace("&", " and ")
    t = re.sub(r"[^\w]+", " ", t)
    return " ".join(t.split())
