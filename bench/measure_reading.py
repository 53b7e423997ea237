"""Reading time per form type (pipeline.extract.extract_file on one committed fixture each),
and the paperwork pack render time when pipeline.render has landed."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.corpus import FIXTURES, ROOT
from pipeline.extract.labels import CHECKED, UNCHECKED

TYPES = {
    "docx (current form)": "forms/referral-complete.docx",
    "docx (legacy form fields, old form)": "forms/old-contact-referral.docx",
    "PDF fillable (AcroForm)": "pdf/acroform-referral.pdf",
    "PDF flat, current form, pages rotated (pypdf)": "world/referral-rotated.pdf",
    "PDF flat, session record (LibreOffice export)": "forms/record-completed.pdf",
    "PDF flat, current form (LibreOffice export)": "forms/referral-complete.pdf",
    "PDF flat, old form (LibreOffice export)": "forms/old-contact-referral.pdf",
    "eml (form + agreement PDF)": "email/referral-with-agreement.eml",
    "msg (form + agreement PDF)": "email/referral-with-agreement.msg",
    "eml with ten attachments": "email/ten-attachments.eml",
}


def _timed_read(path, profile) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, extraction) of one read. CPU time is shown too because
    other work on a shared 2-core machine stretches wall time but not a reader's own work.
    The garbage of the read before (pdfminer leaves many cycles) is collected first, so each
    route is charged for its own work, not for the other's."""
    from pipeline.extract import extract_file
    gc.collect()
    w, c = time.perf_counter(), time.process_time()
    result = extract_file(path, profile)
    return time.perf_counter() - w, time.process_time() - c, result


def reading(repeat: int = 5) -> dict:
    """Milliseconds per type: the first read in the process (cold) and the median after. For
    PDFs, the same read by today's route (pages parsed by pdfminer through pdfplumber, with the
    reader's former shortcuts: `todays_page_text` below), interleaved with the reader's pdfium
    route in the same run, is the baseline; `speedup` is baseline CPU over pdfium CPU."""
    import pipeline.extract.pdf as pdf_reader
    from pipeline.profile import load_profile

    profile = load_profile("northamptonshire")
    pdfium_route = pdf_reader._page_text
    out = {}
    for label, rel in TYPES.items():
        path = FIXTURES / rel
        cold, _, first = _timed_read(path, profile)
        wall, cpu, base_wall, base_cpu = [], [], [], []
        same = True
        for _ in range(repeat):
            w, c, got = _timed_read(path, profile)
            wall.append(w)
            cpu.append(c)
            if path.suffix == ".pdf":
                pdf_reader._page_text = todays_page_text
                try:
                    w, c, before = _timed_read(path, profile)
                finally:
                    pdf_reader._page_text = pdfium_route
                base_wall.append(w)
                base_cpu.append(c)
                same = same and before.to_json_dict() == got.to_json_dict()
        ms = lambda xs: round(statistics.median(xs) * 1000, 1)  # noqa: E731
        out[label] = {"file": rel, "status": first.form.status,
                      "fields": len(first.fields) + sum(len(a.fields) for a in first.attachments),
                      "first_ms": round(cold * 1000, 1), "median_ms": ms(wall),
                      "median_cpu_ms": ms(cpu)}
        if base_wall:
            out[label].update({"pdfplumber_route_median_ms": ms(base_wall),
                               "pdfplumber_route_median_cpu_ms": ms(base_cpu),
                               "speedup": round(ms(base_cpu) / max(ms(cpu), 0.1), 2),
                               "same_answers_both_routes": same})
    return out


# ---------------------------------------------------------------- today's PDF route (baseline)
# The reader's PDF route before pdfium (kept here only to measure against): pdfplumber's pages,
# parsed by pdfminer, with two shortcuts that gave pdfplumber's own results faster.

def todays_page_text(path: Path, password: str | None) -> tuple[list[str] | None, bool, list[list]]:
    """Every line of text, page by page; whether any page carries an image; and the tables
    (label | answer rows) with check boxes drawn as shapes turned into box characters."""
    import pdfplumber

    lines: list[str] = []
    tables: list[list] = []
    images = False
    fast_page = _fast_page_class()
    try:
        with pdfplumber.open(path, password=password) as pdf:
            for page in pdf.pages:
                if fast_page is not None:
                    page.__class__ = fast_page
                if page.images:
                    images = True
                try:
                    todays_add_drawn_boxes(page)
                    text = page.extract_text() or ""
                    if text.strip():
                        tables.extend(page.extract_tables())
                except Exception:  # noqa: BLE001 - one bad page: keep the others
                    text = ""
                lines.extend(text.splitlines())
                page.close()
    except Exception:  # noqa: BLE001 - pdfminer raises many types for broken files
        return None, False, []
    return lines, images, tables


def todays_add_drawn_boxes(page) -> None:
    """(pipeline/extract/pdf.py's _add_drawn_boxes as it was, kept for the baseline.)
    Old forms' check boxes (Word legacy fields) are exported as a small square, with a
    cross of two lines when ticked, not as a character: add the matching box character so the
    answer reads "☒ Tuesday" like a content control's would."""
    objects = page.objects
    rects = [r for r in objects.get("rect", [])
             if 5 <= r["width"] <= 16 and 5 <= r["height"] <= 16
             and abs(r["width"] - r["height"]) < 3]
    if not rects:
        return
    chars = objects.get("char", [])
    if not chars:
        return
    lines = objects.get("line", []) + objects.get("curve", [])
    boxes = set(CHECKED + UNCHECKED)
    added = []
    for r in rects:
        if any(c["text"] in boxes and c["x0"] < r["x1"] and c["x1"] > r["x0"]
               and c["top"] < r["bottom"] and c["bottom"] > r["top"] for c in chars):
            continue
        inside = [ln for ln in lines
                  if ln["x0"] >= r["x0"] - 1 and ln["x1"] <= r["x1"] + 1
                  and ln["top"] >= r["top"] - 1 and ln["bottom"] <= r["bottom"] + 1
                  and ln["width"] > r["width"] / 2 and ln["height"] > r["height"] / 2]
        template = min(chars, key=lambda c: abs(c["top"] - r["top"]) + abs(c["x0"] - r["x1"]))
        ch = dict(template)
        ch.update({"text": "☒" if len(inside) >= 2 else "☐", "x0": r["x0"], "x1": r["x1"],
                   "width": r["width"], "top": r["top"], "bottom": r["bottom"],
                   "y0": r["y0"], "y1": r["y1"], "doctop": r["doctop"]})
        added.append(ch)
    if added:
        chars.extend(added)
        chars.sort(key=lambda c: (c["doctop"], c["x0"]))


@functools.lru_cache(maxsize=1)
def _fast_page_class():
    """pdfplumber's Page with two shortcuts that give the same results, measured faster.

    A LibreOffice export has about 1,600 characters a page. pdfplumber spent a third of the
    reading time turning them into dicts, passing every attribute through resolve_all (which
    only matters for PDF references, never for the numbers and names a character holds), and
    its table reader compares every character of the page with every row of every table. Here
    a character's dict is built directly (the same dict, key for key; anything but a character
    takes pdfplumber's own route), and each table is given only the characters inside it.
    None (pdfplumber's own pages) if its internals are not as expected.
    """
    try:
        from types import SimpleNamespace
        from unicodedata import normalize

        from pdfminer.layout import LTChar
        from pdfplumber.page import ALL_ATTRS, Page, fix_fontname_bytes
        from pdfplumber.table import TableSettings
        from pdfplumber.utils import resolve_all, resolve_and_decode
    except ImportError:
        return None
    plain = {int, float, str, bool, type(None)}
    names: dict = {}                      # colour space name -> its decoded text

    def value(v):
        if type(v) in plain:
            return v
        if type(v) is tuple and all(type(e) in plain for e in v):
            return v                      # resolve_all would return an equal tuple
        return resolve_all(v)

    def inside(char, bbox) -> bool:      # pdfplumber's own test (Table.extract)
        v_mid = (char["top"] + char["bottom"]) / 2
        h_mid = (char["x0"] + char["x1"]) / 2
        x0, top, x1, bottom = bbox
        return (h_mid >= x0) and (h_mid < x1) and (v_mid >= top) and (v_mid < bottom)

    class FastPage(Page):
        def process_object(self, obj):
            if type(obj) is not LTChar:
                return super().process_object(obj)
            attr = {k: value(v) for k, v in obj.__dict__.items() if k in ALL_ATTRS}
            attr["object_type"] = "char"
            attr["page_number"] = self.page_number
            for cs in ("ncs", "scs"):
                if hasattr(obj, cs):
                    name = getattr(obj, cs).name
                    key = (type(name), name)
                    if key not in names:
                        names[key] = resolve_and_decode(name)
                    attr[cs] = names[key]
            text = obj.get_text()
            norm = self.pdf.unicode_norm
            attr["text"] = normalize(norm, text) if norm is not None else text
            gs = obj.graphicstate
            attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
            attr["non_stroking_color"] = (gs.ncolor if isinstance(gs.ncolor, tuple)
                                          else (gs.ncolor,))
            if isinstance(attr.get("fontname"), bytes):
                attr["fontname"] = fix_fontname_bytes(attr["fontname"])
            mb_x0, mb_top = self.mediabox[:2]
            if "y0" in attr:
                height = self.height
                attr["top"] = (height - attr["y1"]) + mb_top
                attr["bottom"] = (height - attr["y0"]) + mb_top
                attr["doctop"] = self.initial_doctop + attr["top"]
            if "x0" in attr and mb_x0 != 0:
                attr["x0"] = attr["x0"] + mb_x0
                attr["x1"] = attr["x1"] + mb_x0
            return attr

        def extract_tables(self, table_settings=None):
            tset = TableSettings.resolve(table_settings)
            out = []
            chars = self.chars
            for table in self.find_tables(tset):
                # every row lies inside the table, so its characters are among these
                bbox = table.bbox                  # a property: worked out on each use
                table.page = SimpleNamespace(chars=[c for c in chars if inside(c, bbox)])
                out.append(table.extract(**(tset.text_settings or {})))
            return out

    return FastPage



def _render_commits() -> list[str]:
    try:
        log = subprocess.run(["git", "log", "--oneline", "--", "pipeline/render"], cwd=ROOT,
                             capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [ln for ln in log.splitlines() if ln.strip()]


def render(repeat: int = 5) -> dict:
    """render_pack for one accepted referral with a complete allocation (fictional people)."""
    commits = _render_commits()
    try:
        import pipeline.render as render_module
        render_pack = render_module.render_pack
    except (ImportError, AttributeError):
        return {"available": False, "why": "pipeline.render.render_pack is not there yet",
                "render_commits": len(commits)}
    from pipeline.models import Allocation
    from pipeline.profile import load_profile

    from tests.helpers.tracker_kit import accepted
    profile = load_profile("northamptonshire")
    item = accepted(1, received=dt.datetime(2026, 11, 2, 9, 30))
    venue = profile.venues[0].name if getattr(profile, "venues", None) else "Test Venue"
    allocation = Allocation(reference=item.reference, status="Allocated",
                            supervisor="Sam Example-Supervisor", venue=venue, room="Room 1",
                            day="Tuesday", time="10:00-11:30", first_date=dt.date(2026, 11, 10))
    times, files = [], []
    try:
        with tempfile.TemporaryDirectory(prefix="ft-bench-render-") as tmp:
            for i in range(repeat + 1):
                out_dir = Path(tmp) / f"pack-{i}"
                t = time.perf_counter()
                files = render_pack(item, allocation, profile, out_dir)
                times.append(time.perf_counter() - t)
    except Exception as exc:  # noqa: BLE001 - a module still being written: say so, carry on
        return {"available": False, "why": f"render_pack failed: {type(exc).__name__}: {exc}"[:300],
                "render_commits": len(commits)}
    return {"available": True, "documents": len(files or []),
            "first_ms": round(times[0] * 1000, 1),
            "median_ms": round(statistics.median(times[1:]) * 1000, 1),
            "render_commits": len(commits), "latest_render_commit": commits[0] if commits else None}
