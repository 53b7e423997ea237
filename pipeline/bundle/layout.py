"""The bundle's pages, laid out here rather than left to the word processor, so the page each
document starts on is known before anything is written: the index's page numbers are the
pages' own, in the .docx and in the PDF made from it (write.py checks the PDF against them).

Each line is wrapped to a width and each page holds a number of lines both well inside what an
A4 page at the bundle's fixed line height holds, so no word processor moves a line to another
page. For the parties' copy every withheld answer is replaced by "[withheld]" before wrapping,
and each removal is kept with the page it was made on, for the court's list.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass, field

from pipeline.bundle.gather import Contents, Part, say
from pipeline.dates import numeric_date

LINES_PER_PAGE = 48  # an A4 page at 13 pt a line, 18 mm margins, holds 56
WIDTH = 84  # characters a line; 10 pt Arial/Liberation Sans fits about 95 of ordinary text
HEADER_LINES = 2  # the page line ("... Page 3 of 40") and a blank line under it
BODY_LINES = LINES_PER_PAGE - HEADER_LINES


@dataclass
class Withheld:
    page: int
    what: str
    value: str


@dataclass
class Layout:
    title: str
    reference: str
    pages: list[list[tuple[str, str]]]  # (style, text); style "i" an index row with tabs
    starts: list[tuple[Part, int]]  # each document and its first page
    withheld: list[Withheld] = field(default_factory=list)


class Withholder:
    """Replaces the answers the parties never see, wherever they stand in a line."""

    def __init__(self, values: dict[str, list[str]]):
        self.mark = say("withheld", "mark")
        pairs = [(v, what) for what, vs in values.items() for v in vs if v.strip()]
        pairs.sort(key=lambda p: -len(p[0]))  # the whole address before its first line
        self.patterns = [
            (re.compile(r"\s+".join(map(re.escape, v.split())), re.IGNORECASE), what, v)
            for v, what in pairs
        ]

    def apply(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        found = []
        for pattern, what, value in self.patterns:
            text, n = pattern.subn(self.mark, text)
            if n:
                found.append((what, value))
        return text, found


def _wrap(style: str, text: str) -> list[tuple[str, str]]:
    out = []
    for para in text.splitlines() or [""]:
        indent = "    " if style == "p" else ""
        lines = textwrap.wrap(
            para, WIDTH - len(indent), break_long_words=True, break_on_hyphens=False
        ) or [""]
        out += [(style, indent + line if style == "p" else line) for line in lines]
    return out


def lay_out(contents: Contents, for_parties: bool, made_on) -> Layout:
    title = say("titles", "parties" if for_parties else "court")
    hold = Withholder(contents.withheld_values if for_parties else {})
    withheld: list[tuple[int, str, str]] = []  # (body page index, what, value)
    body: list[list[tuple[str, str]]] = []
    starts: list[tuple[Part, int]] = []
    for part in [*contents.records, *contents.papers]:
        page: list[tuple[str, str]] = []
        body.append(page)
        starts.append((part, len(body) - 1))
        for style, text in part.lines:
            text, found = hold.apply(text)
            for line in _wrap(style, text):
                if len(page) >= BODY_LINES:
                    page = []
                    body.append(page)
                page.append(line)
            withheld += [(len(body) - 1, what, value) for what, value in found]
    front = _front(contents, title, made_on, for_parties, starts, len(body), hold)
    offset = len(front)
    pages = front + body
    return Layout(
        title=title,
        reference=contents.reference,
        pages=pages,
        starts=[(p, i + offset + 1) for p, i in starts],
        withheld=[Withheld(i + offset + 1, what, value) for i, what, value in withheld],
    )


def _front(contents, title, made_on, for_parties, starts, body_pages, hold) -> list:
    """The cover, then the index: every document by date with its page (the missing records
    in their place, marked), the significant events, the missing records again in a list."""
    cover = [
        ("h", title),
        ("p", ""),
        ("b", say("cover", "reference", reference=contents.reference)),
    ]
    if contents.child:
        cover.append(("b", say("cover", "child", child=hold.apply(contents.child)[0])))
    cover += [
        (
            "p",
            say(
                "cover",
                "period",
                start=numeric_date(contents.start),
                end=numeric_date(contents.end),
            ),
        ),
        ("p", ""),
        ("p", say("cover", "made", date=numeric_date(made_on))),
        ("p", say("cover", "shape")),
    ]
    if for_parties:
        cover += [("p", "")] + _wrap("p", say("cover", "parties_note"))
    # rows first with a stand-in page number; the real numbers once the front's length is known
    rows: list[tuple[str, object]] = []  # ("i", (date, document, body index or None))
    records = [(p, i) for p, i in starts if p in contents.records]
    papers = [(p, i) for p, i in starts if p not in contents.records]
    dated: list[tuple] = [(p.on, 0, p.title, i) for p, i in records]
    no_page = say("index", "no_page")
    for m in contents.missing:
        key = "scanned_entry" if m.scanned else "missing_entry"
        dated.append((m.on, 1, say("index", key), None))
    dated.sort(key=lambda r: (r[0], r[1]))
    cols = say_list("index", "columns")
    rows.append(("h", say("index", "heading")))
    rows.append(("c", cols))
    rows += [("i", (numeric_date(on), doc, i)) for on, _, doc, i in dated]
    rows += [("i", (numeric_date(p.on) if p.on else "", p.title, i)) for p, i in papers]
    rows.append(("p", ""))
    rows.append(("h", say("index", "significant")))
    sig = [(p, i) for p, i in records if p.significant]
    rows += [("i", (numeric_date(p.on), p.title, i)) for p, i in sig] or [
        ("p", say("index", "significant_none"))
    ]
    rows.append(("p", ""))
    rows.append(("h", say("index", "missing")))
    gone = [m for m in contents.missing]
    rows += [
        (
            "i",
            (
                numeric_date(m.on),
                say("index", "scanned_entry" if m.scanned else "missing_entry"),
                None,
            ),
        )
        for m in gone
    ] or [("p", say("index", "missing_none"))]
    index_pages = max(1, math.ceil(len(rows) / BODY_LINES))
    offset = 1 + index_pages
    out: list[list[tuple[str, str]]] = [cover]
    page: list[tuple[str, str]] = []
    for style, row in rows:
        if len(page) >= BODY_LINES:
            out.append(page)
            page = []
        if style == "i":
            on, doc, i = row
            page.append(
                (
                    "i",
                    f"{on}\t{hold.apply(doc)[0][:60]}\t{no_page if i is None else i + offset + 1}",
                )
            )
        elif style == "c":
            page.append(("c", "\t".join(row)))
        else:
            page.append((style, row))
    out.append(page)
    assert len(out) == offset
    return out


def say_list(table: str, key: str) -> list[str]:
    from pipeline import words
    from pipeline.bundle.gather import WORDING

    return list(words.load(WORDING)[table][key])
