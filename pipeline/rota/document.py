"""The rota people read: the lines of the Rota sheet, and a printable rota for a week, one
per venue (for reception: who comes to which room when) and one per supervisor (their week).

Reference and initials only, like the pack's email: the names are in the pack. Suspended and
cancelled sessions stay on the rota, said as such, so reception does not wait for a family
who will not come. Wording: form_templates/rota.toml [rota].
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from pipeline import words as house
from pipeline.dates import numeric_date, weekday_name
from pipeline.rota import diary as D

WORDING = "rota.toml"
WEEKS_SHOWN = 5  # the Rota sheet: this week and the next four
ONE_WEEK = dt.timedelta(days=6)  # Monday to Sunday, inclusive
_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.I)


def words() -> dict[str, Any]:
    return house.load(WORDING)["rota"]


def _say(key: str, **kw: Any) -> str:
    return house.fill(words()[key], f"rota.toml [rota] {key}", **kw)


def week_of(day: dt.date) -> dt.date:
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


def week_name(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def read_week(text: str) -> dt.date:
    """The Monday of an ISO week typed as 2026-W49 (ValueError in plain words otherwise)."""
    m = _WEEK.match(text or "")
    try:
        if not m:
            raise ValueError
        return dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise ValueError(_say("bad_week", week=text)) from None


def state_text(s: D.Session) -> str:
    """What the Session column says: planned (a replacement says what for), suspended, or
    cancelled with why."""
    if s.state == D.SUSPENDED:
        return _say("suspended")
    if s.state == D.ENDED:
        return _say("ended")
    if s.state == D.CLOSED:
        return _say("closed", why=s.why or "-")
    if s.why:
        return _say("replacement", date=numeric_date(dt.date.fromisoformat(s.why)), why="-")
    return _say("planned")


def row(s: D.Session) -> list[str]:
    """One rota line, in the order of [rota] columns."""
    b = s.booking
    return [
        week_name(week_of(s.date)),
        numeric_date(s.date),
        weekday_name(s.date),
        b.time,
        b.supervisor,
        b.venue,
        b.room or _say("no_room"),
        b.reference,
        b.initials,
        state_text(s),
    ]


def by_supervisor(sessions: list[D.Session]) -> dict[str, list[D.Session]]:
    out: dict[str, list[D.Session]] = defaultdict(list)
    for s in sessions:
        out[s.booking.supervisor].append(s)
    return {k: sorted(v, key=_when) for k, v in sorted(out.items())}


def by_venue(sessions: list[D.Session]) -> dict[str, list[D.Session]]:
    out: dict[str, list[D.Session]] = defaultdict(list)
    for s in sessions:
        out[s.booking.venue].append(s)
    return {
        k: sorted(v, key=lambda s: (s.booking.room.casefold(), *_when(s)))
        for k, v in sorted(out.items())
    }


def _when(s: D.Session) -> tuple:
    return (s.date, s.booking.start, s.booking.reference)


def _safe(name: str) -> str:
    """A file name from a venue's or a person's name (Windows forbids some characters)."""
    return re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "-", name).strip(" .-") or "rota"


def write_week(
    sessions: list[D.Session],
    monday: dt.date,
    out_dir: Path,
    venue: str | None = None,
    pdf: bool = False,
) -> list[Path]:
    """The week's printable rotas in `out_dir`: one per venue (only `venue`'s, if given) and
    one per supervisor working there; with `pdf`, a PDF beside each (LibreOffice)."""
    from pipeline.files import private_dir

    private_dir(out_dir)
    week = [s for s in sessions if monday <= s.date < monday + dt.timedelta(days=7)]
    if venue:
        week = [s for s in week if D._fold(s.booking.venue) == D._fold(venue)]
    name = week_name(monday)
    made: list[Path] = []
    for place, lines in by_venue(week).items():
        title = _say("document_venue", venue=place, week=name)
        made.append(_docx(title, lines, out_dir / f"{name} {_safe(place)}.docx"))
    for person, lines in by_supervisor(week).items():
        title = _say("document_supervisor", supervisor=person, week=name)
        made.append(_docx(title, lines, out_dir / f"{name} {_safe(person)}.docx"))
    if pdf and made:
        from pipeline.render.pdf import to_pdfs

        made += to_pdfs(made, out_dir=out_dir)
    return made


def _docx(title: str, lines: list[D.Session], path: Path) -> Path:
    import io

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    from pipeline.files import write_private

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    doc.add_heading(title, 1)
    headers = words()["columns"][1:]  # the week is in the title
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for s in lines:
        for cell, text in zip(table.add_row().cells, row(s)[1:], strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(10)
    if not lines:
        doc.add_paragraph(_say("nothing"))
    buf = io.BytesIO()
    doc.save(buf)
    return write_private(path, buf.getvalue())
