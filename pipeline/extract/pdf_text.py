"""pdfplumber's text assembly (extract_text, default settings) and its table cells' text, done
in plain code for the characters pdfium gives (all upright, left to right).

pdfplumber's own assembly is general (any direction, any tolerance, layout mode) and spent
most of a flat form's reading time once pdfium parsed the pages. This is the same rule for the
one case the reader uses, step for step, so it gives the same string: characters clustered
into lines by their top (3 pt), sorted left to right, split into words (a space, a jump back,
a gap over 3 pt or a change of top over 3 pt), words clustered into lines again by their top.
Anything else (a rotated character) goes to pdfplumber. tests/bench/test_pdf_speedup.py holds
it equal to pdfplumber on every fixture PDF and on random characters.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import groupby

TOLERANCE = 3                          # pdfplumber's DEFAULT_X_TOLERANCE and _Y_TOLERANCE
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def _clusters(values) -> dict:
    """pdfplumber's cluster_list: sorted distinct values, a new cluster after each gap over
    the tolerance; value -> cluster number."""
    out = {}
    n = 0
    last = None
    for v in sorted(set(values)):
        if last is not None and not v <= last + TOLERANCE:
            n += 1
        out[v] = n
        last = v
    return out


def extract_text(chars: list[dict]) -> str:
    """pdfplumber.utils.extract_text(chars) with its default settings."""
    if not chars:
        return ""
    for c in chars:
        if not c["upright"]:
            from pdfplumber import utils
            return utils.extract_text(chars)
    line_of = _clusters([c["top"] for c in chars])
    words: list[tuple[float, str]] = []            # (top, text)
    by_line = sorted(chars, key=lambda c: line_of[c["top"]])
    for _, line in groupby(by_line, key=lambda c: line_of[c["top"]]):
        word: list[dict] = []
        for c in sorted(line, key=lambda c: c["x0"]):
            text = c["text"]
            if text.isspace():
                _word(word, words)
                word = []
            elif text == "":                      # pdfplumber: '"" in ""' splits it off
                _word(word, words)
                _word([c], words)
                word = []
            elif word and _new_word(word[-1], c):
                _word(word, words)
                word = [c]
            else:
                word.append(c)
        _word(word, words)
    if not words:
        return ""
    row_of = _clusters([top for top, _ in words])
    ordered = sorted(words, key=lambda w: row_of[w[0]])
    return "\n".join(" ".join(w[1] for w in row)
                     for _, row in groupby(ordered, key=lambda w: row_of[w[0]]))


def _new_word(prev: dict, cur: dict) -> bool:
    return (cur["x0"] < prev["x0"] or cur["x0"] > prev["x1"] + TOLERANCE
            or abs(cur["top"] - prev["top"]) > TOLERANCE)


def _word(chars: list[dict], words: list) -> None:
    if chars:
        words.append((min(c["top"] for c in chars),
                      "".join(LIGATURES.get(c["text"], c["text"] or "") for c in chars)))


class Middles:
    """The middle of each of a page's characters, and the characters sorted by it downwards:
    worked out once a page for all its tables."""

    def __init__(self, chars: list[dict]):
        self.chars = chars
        self.down = [(c["top"] + c["bottom"]) / 2 for c in chars]
        self.across = [(c["x0"] + c["x1"]) / 2 for c in chars]
        self.order = sorted(range(len(chars)), key=self.down.__getitem__)
        self.sorted_down = [self.down[i] for i in self.order]

    def in_box(self, box) -> list[int]:
        """Indexes (in page order) of the characters whose middle lies in the box, as
        pdfplumber tests it: x0 <= middle < x1 and top <= middle < bottom."""
        x0, top, x1, bottom = box
        lo, hi = bisect_left(self.sorted_down, top), bisect_left(self.sorted_down, bottom)
        across = self.across
        return sorted(i for i in self.order[lo:hi] if x0 <= across[i] < x1)


def table_text(table, middles: Middles) -> list[list[str | None]]:
    """pdfplumber's Table.extract() on the page's characters: each cell's text from the
    characters whose middle lies in it (pdfplumber tests every character against every row;
    here a row's characters are found by bisection on their middles, kept in page order)."""
    chars, down, across = middles.chars, middles.down, middles.across
    out = []
    for row in table.rows:
        in_row = middles.in_box(row.bbox)
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            x0, top, x1, bottom = cell
            cells.append(extract_text([chars[i] for i in in_row
                                       if x0 <= across[i] < x1 and top <= down[i] < bottom]))
        out.append(cells)
    return out
