"""The read-only "Rota" sheet of the tracking workbook: this week and the next four, by
supervisor and by venue and room, suspended and cancelled sessions said as such.

Drawn from the session plan and the case timeline (pipeline/rota/), written after the
tracker's sync whenever what it shows has changed, and never while the workbook is open. The
sheet is protected without a password (Excel and Calc show it read-only): nothing typed there
is read, and it is rewritten whole. The part is written directly into the .xlsx (the sheet,
its entry in workbook.xml, its relationship and its content type), like the tracker's own
fast writer (workbook.py) carries every other part over unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import posixpath
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

log = logging.getLogger("pipeline.tracker")

SHEET = "Rota"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_TYPE = REL_NS + "/worksheet"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WIDTHS = [10, 12, 11, 13, 26, 30, 16, 16, 9, 34]


def rows(sessions, today: dt.date) -> list[list[str]]:
    """The sheet's lines: a heading, then the weeks by supervisor, then by venue and room."""
    from pipeline.dates import numeric_date
    from pipeline.rota import document as R

    w = R.words()
    first = R.week_of(today)
    last = first + dt.timedelta(weeks=R.WEEKS_SHOWN) - dt.timedelta(days=1)
    shown = [s for s in sessions if first <= s.date <= last]
    heading = R._say(
        "heading", first=numeric_date(first), last=numeric_date(last), made=numeric_date(today)
    )
    out: list[list[str]] = [[heading], []]
    for title, groups in ((w["by_supervisor"], R.by_supervisor), (w["by_venue"], R.by_venue)):
        out.append([title])
        out.append(list(w["columns"]))
        lines = [R.row(s) for group in groups(shown).values() for s in group]
        out.extend(lines or [[R._say("nothing")]])
        out.append([])
    return out


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def sheet_xml(lines: list[list[str]]) -> bytes:
    """The worksheet: inline strings, column widths, the top lines frozen, protected."""
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(WIDTHS)
    )
    body = []
    for r, line in enumerate(lines, start=1):
        cells = "".join(_cell(f"{_letters(c)}{r}", str(v)) for c, v in enumerate(line) if v)
        body.append(f'<row r="{r}">{cells}</row>')
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{NS}" xmlns:r="{REL_NS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
        f"<cols>{cols}</cols><sheetData>{''.join(body)}</sheetData>"
        '<sheetProtection sheet="1" objects="1" scenarios="1"/>'
        "</worksheet>"
    )
    return xml.encode("utf-8")


def put(data: bytes, xml: bytes) -> bytes | None:
    """The workbook `data` with its Rota sheet replaced by `xml` (added after the last sheet
    when there is none); None when the sheet already says exactly that."""
    z = zipfile.ZipFile(io.BytesIO(data))
    names = set(z.namelist())
    workbook = etree.fromstring(z.read("xl/workbook.xml"))
    rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG_NS}}}Relationship")}
    sheets = workbook.find(f"{{{NS}}}sheets")
    changed: dict[str, bytes] = {}
    ours = next((s for s in sheets if s.get("name") == SHEET), None)
    if ours is not None:
        target = targets[ours.get(f"{{{REL_NS}}}id")]
        part = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        if part in names and z.read(part) == xml:
            return None
    else:
        n = 1
        while f"xl/worksheets/sheet{n}.xml" in names:
            n += 1
        part = f"xl/worksheets/sheet{n}.xml"
        rid, k = "rIdRota", 1
        while rid in targets:
            k += 1
            rid = f"rIdRota{k}"
        etree.SubElement(
            rels,
            f"{{{PKG_NS}}}Relationship",
            Id=rid,
            Type=SHEET_TYPE,
            Target=f"worksheets/sheet{n}.xml",
        )
        ids = [int(s.get("sheetId") or 0) for s in sheets]
        etree.SubElement(
            sheets,
            f"{{{NS}}}sheet",
            {"name": SHEET, "sheetId": str(max(ids, default=0) + 1), f"{{{REL_NS}}}id": rid},
        )
        types = etree.fromstring(z.read("[Content_Types].xml"))
        etree.SubElement(types, f"{{{CT_NS}}}Override", PartName="/" + part, ContentType=SHEET_CT)
        for name, root in (
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", rels),
            ("[Content_Types].xml", types),
        ):
            changed[name] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
    changed[part] = xml
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            if info.filename in changed:
                w.writestr(info.filename, changed.pop(info.filename))
            else:
                w.writestr(info, z.read(info))
        for name, part_data in changed.items():  # the new sheet
            w.writestr(name, part_data)
    return out.getvalue()


def has_sheet(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        workbook = etree.fromstring(z.read("xl/workbook.xml"))
    return any(s.get("name") == SHEET for s in workbook.iter(f"{{{NS}}}sheet"))


def refresh(ledger, config, profile, today: dt.date) -> bool:
    """Write the Rota sheet when what it shows changed; True when written. Never raises: the
    rota is a view, and the sync's own work is done by then."""
    from pipeline.files import write_private
    from pipeline.rota import diary
    from pipeline.rota import document as R
    from pipeline.tracker.books import workbook_path
    from pipeline.tracker.lock import open_by

    try:
        path = Path(workbook_path(config, profile))
        if not path.exists() or open_by(path):
            return False
        first = R.week_of(today)
        from pipeline.tracker import allocations_or_none

        # an end of time-limited family time a person typed (pipeline/cases/family_time.py)
        ends = {
            ref: a.family_time_ends
            for ref, a in allocations_or_none(config, profile).items()
            if a.family_time_ends
        }
        sessions = diary.from_ledger(
            ledger, profile, first, first + dt.timedelta(weeks=R.WEEKS_SHOWN), ends=ends
        )
        data = path.read_bytes()
        if not sessions and not has_sheet(data):
            return False  # nothing allocated yet: no sheet to show
        new = put(data, sheet_xml(rows(sessions, today)))
        if new is None or path.read_bytes() != data:
            return False  # the same already, or someone saved meanwhile (next pass)
        write_private(path, new)
        return True
    except Exception as exc:  # a view: said in the log, the pipeline goes on
        log.warning("tracker: the Rota sheet was not written: %s", type(exc).__name__)
        return False
