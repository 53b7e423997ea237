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
from operator import itemgetter

TOLERANCE = 3  # pdfplumber's DEFAULT_X_TOLERANCE and _Y_TOLERANCE
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
    lines: dict[int, list[dict]] = {}  # line number -> its characters, in page order
    for c in chars:
        n = line_of[c["top"]]
        line = lines.get(n)
        if line is None:
            lines[n] = [c]
        else:
            line.append(c)
    words: list[tuple[float, str]] = []  # (top, text)
    add = words.append
    ligature = LIGATURES.get
    for n in sorted(lines):
        texts: list[str] = []  # the word being read
        w_top = p_x0 = p_x1 = p_top = 0.0  # its top; the last character's place
        for c in sorted(lines[n], key=_X0):
            text = c["text"]
            if text.isspace():
                if texts:
                    add((w_top, "".join(texts)))
                    texts = []
            elif text == "":  # pdfplumber: '"" in ""' splits it off
                if texts:
                    add((w_top, "".join(texts)))
                    texts = []
                add((c["top"], ""))
            else:
                x0, top = c["x0"], c["top"]
                if texts and (x0 < p_x0 or x0 > p_x1 + TOLERANCE or abs(top - p_top) > TOLERANCE):
                    add((w_top, "".join(texts)))
                    texts = []
                if not texts or top < w_top:
                    w_top = top
                texts.append(ligature(text, text))
                p_x0, p_x1, p_top = x0, c["x1"], top
        if texts:
            add((w_top, "".join(texts)))
    if not words:
        return ""
    row_of = _clusters([top for top, _ in words])
    rows: dict[int, list[str]] = {}
    for top, text in words:
        n = row_of[top]
        row = rows.get(n)
        if row is None:
            rows[n] = [text]
        else:
            row.append(text)
    return "\n".join(" ".join(rows[n]) for n in sorted(rows))


_X0 = itemgetter("x0")


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
            cells.append(
                extract_text(
                    [chars[i] for i in in_row if x0 <= across[i] < x1 and top <= down[i] < bottom]
                )
            )
        out.append(cells)
    return out
