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

from pipeline.extract.labels import CHECKED, UNCHECKED

from bench.corpus import FIXTURES, ROOT

TYPES = {
    "docx (current form)": "forms/referral-complete.docx",
    "docx (legacy form fields, old form)": "forms/old-contact-referral.docx",
    "PDF fillable (AcroForm)": "pdf/acroform-referral.pdf",
    "PDF fillable, opened with the empty password (AcroForm)": "pdf/acroform-empty-password.pdf",
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
    PDFs, the same read by today's route (`todays_read_pdf` below: pypdf opens the file and
    reads every form field, pdfminer parses the pages through pdfplumber with the reader's
    former shortcuts, and the labels are read from the text even on a fillable form),
    interleaved with the reader's pdfium route in the same run, is the baseline; `speedup` is
    baseline CPU over pdfium CPU, and `group` says which PDFs it is (fillable or flat)."""
    import pipeline.extract.pdf as pdf_reader
    from pipeline.profile import load_profile

    profile = load_profile("northamptonshire")
    pdfium_route = pdf_reader.read_pdf
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
                calls = _TODAYS_CALLS[0]
                pdf_reader.read_pdf = todays_read_pdf
                try:
                    w, c, before = _timed_read(path, profile)
                finally:
                    pdf_reader.read_pdf = pdfium_route
                if _TODAYS_CALLS[0] == calls:
                    raise RuntimeError(
                        "the old route was not used: extract_file no longer "
                        "reads PDFs through pipeline.extract.pdf.read_pdf"
                    )
                base_wall.append(w)
                base_cpu.append(c)
                same = same and before.to_json_dict() == got.to_json_dict()
        ms = lambda xs: round(statistics.median(xs) * 1000, 1)  # noqa: E731
        out[label] = {
            "file": rel,
            "status": first.form.status,
            "fields": len(first.fields) + sum(len(a.fields) for a in first.attachments),
            "first_ms": round(cold * 1000, 1),
            "median_ms": ms(wall),
            "median_cpu_ms": ms(cpu),
        }
        if base_wall:
            out[label].update(
                {
                    "group": "fillable" if "fillable" in label else "flat",
                    "pdfplumber_route_median_ms": ms(base_wall),
                    "pdfplumber_route_median_cpu_ms": ms(base_cpu),
                    "speedup": round(ms(base_cpu) / max(ms(cpu), 0.1), 2),
                    "same_answers_both_routes": same,
                }
            )
    return out


def group_ratios(results: dict) -> dict[str, float]:
    """Baseline CPU over pdfium CPU for each group of PDFs together (fillable, flat)."""
    sums: dict[str, list[float]] = {}
    for r in results.values():
        if "group" in r:
            s = sums.setdefault(r["group"], [0.0, 0.0])
            s[0] += r["pdfplumber_route_median_cpu_ms"]
            s[1] += r["median_cpu_ms"]
    return {g: round(b / max(n, 0.1), 2) for g, (b, n) in sums.items()}


# ---------------------------------------------------------------- today's whole PDF route
# pipeline/extract/pdf.py's read_pdf before the pdfium routes (kept here only to measure
# against), with the reader's helpers that did not change.

_TODAYS_CALLS = [0]


def todays_read_pdf(path: Path, profile=None):
    """read_pdf as it was: same checks, then pypdf reads every field and pdfplumber the pages."""
    from pipeline.extract import reasons, unreadable

    _TODAYS_CALLS[0] += 1
    path = Path(path)
    try:
        return _todays_read(path, path.name, profile)
    except Exception:  # noqa: BLE001
        return unreadable(path, reasons.say("pdf.damaged", profile))


def _todays_read(path: Path, name: str, profile):
    import re

    import pipeline.extract.pdf as pdf_reader
    from pipeline.extract import reasons, unreadable

    def refuse(code: str, **values):
        return unreadable(path, reasons.say(f"pdf.{code}", profile, **values))

    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, size - 2048))
            tail = fh.read()
    except OSError:
        return refuse("cannot_open")
    if size == 0:
        return refuse("empty")
    if b"%PDF-" not in head:
        return refuse("not_pdf")
    if size > pdf_reader.MAX_BYTES:
        return refuse("too_large", megabytes=size // (1024 * 1024))
    if b"%%EOF" not in tail:
        return refuse("truncated")
    if _todays_inflates_too_far(path.read_bytes()):
        return refuse("bomb")

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path, strict=False)
        password = None
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (PyPdfError, NotImplementedError, ValueError, KeyError):
                opened = 0
            if not opened:
                return refuse("password")
            password = ""
        n_pages = len(reader.pages)
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
    ):
        return refuse("damaged")
    if n_pages == 0:
        return refuse("damaged")
    if n_pages > pdf_reader.MAX_PAGES:
        return refuse("too_long", pages=n_pages)

    properties = pdf_reader._properties(reader)
    try:
        acro = pdf_reader._read_fields(reader.get_fields() or {})
    except Exception:  # noqa: BLE001
        acro = {}
    lines, images, tables = todays_page_text(path, password)
    if lines is None:
        return refuse("damaged")
    text = "\n".join(lines)
    if (
        not acro
        and len(re.sub(r"\s", "", text)) < pdf_reader.MIN_TEXT_CHARS
        and not properties.get("FormId")
    ):
        return refuse("scanned" if images else "no_text")
    return _todays_identify_and_read(name, text, lines, properties, acro, profile, tables)


def _todays_inflates_too_far(data: bytes) -> bool:
    import pipeline.extract.pdf as pdf_reader

    total = 0
    for m in pdf_reader._STREAM_START.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        size = pdf_reader._inflated_size(data[m.end() : end], pdf_reader.MAX_INFLATED_STREAM)
        total += size
        if size >= pdf_reader.MAX_INFLATED_STREAM or total >= pdf_reader.MAX_INFLATED_TOTAL:
            return True
    return False


def _todays_identify_and_read(name, text, lines, properties, acro, profile, tables):
    import pipeline.extract.pdf as pdf_reader
    from pipeline.catalogue import catalogue
    from pipeline.extract.identify import identify
    from pipeline.extract.labels import fields_from_label_pairs, fields_from_text, known_keys
    from pipeline.extract.models import Extraction

    cat = catalogue()
    all_keys: set[str] = set()
    for form in cat.forms.values():
        all_keys |= known_keys(form)
    acro = {k: v for k, v in acro.items() if k in all_keys}
    match = identify(text, properties, set(acro), 0, profile=profile)
    fields: dict = {}
    if match.status in ("current", "old") and match.id in cat.forms:
        form = cat.form(match.id)
        version = form.version(match.version) if match.version else None
        form_keys = known_keys(form)
        if tables:
            fields = fields_from_label_pairs(
                pdf_reader._pairs_from_tables(tables, form, version), form, version
            )
        if len(fields) < form.min_labels and text.strip():
            body = [pdf_reader._lone_box(ln) for ln in lines if not pdf_reader._PAGE_LINE.match(ln)]
            for k, v in fields_from_text(body, form, version).items():
                spec = form.field(k)
                if spec is not None and spec.type == "yesno" and isinstance(v, str):
                    v = pdf_reader._yes_no(v)
                fields.setdefault(k, v)
        for k, v in acro.items():
            if k in form_keys:
                spec = form.field(k)
                if spec is not None and spec.type == "yesno" and isinstance(v, str):
                    v = pdf_reader._yes_no(v)
                fields[k] = v
        fields = {k: v for k, v in fields.items() if v != ""}
    return Extraction(file=name, form=match, fields=fields)


# ---------------------------------------------------------------- today's PDF pages (baseline)
# The reader's PDF pages before pdfium (kept here only to measure against): pdfplumber's pages,
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
    rects = [
        r
        for r in objects.get("rect", [])
        if 5 <= r["width"] <= 16 and 5 <= r["height"] <= 16 and abs(r["width"] - r["height"]) < 3
    ]
    if not rects:
        return
    chars = objects.get("char", [])
    if not chars:
        return
    lines = objects.get("line", []) + objects.get("curve", [])
    boxes = set(CHECKED + UNCHECKED)
    added = []
    for r in rects:
        if any(
            c["text"] in boxes
            and c["x0"] < r["x1"]
            and c["x1"] > r["x0"]
            and c["top"] < r["bottom"]
            and c["bottom"] > r["top"]
            for c in chars
        ):
            continue
        inside = [
            ln
            for ln in lines
            if ln["x0"] >= r["x0"] - 1
            and ln["x1"] <= r["x1"] + 1
            and ln["top"] >= r["top"] - 1
            and ln["bottom"] <= r["bottom"] + 1
            and ln["width"] > r["width"] / 2
            and ln["height"] > r["height"] / 2
        ]
        template = min(chars, key=lambda c: abs(c["top"] - r["top"]) + abs(c["x0"] - r["x1"]))
        ch = dict(template)
        ch.update(
            {
                "text": "☒" if len(inside) >= 2 else "☐",
                "x0": r["x0"],
                "x1": r["x1"],
                "width": r["width"],
                "top": r["top"],
                "bottom": r["bottom"],
                "y0": r["y0"],
                "y1": r["y1"],
                "doctop": r["doctop"],
            }
        )
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
        from unicodedata import normalize

        from pdfminer.layout import LTChar
        from pdfplumber.page import ALL_ATTRS, Page, fix_fontname_bytes
        from pdfplumber.table import TableSettings
        from pdfplumber.utils import resolve_all, resolve_and_decode
    except ImportError:
        return None

    class FastPage(Page):
        process_object = _fast_process_object(
            Page, LTChar, ALL_ATTRS, fix_fontname_bytes, resolve_all, resolve_and_decode, normalize
        )
        extract_tables = _fast_extract_tables(TableSettings)

    return FastPage


def _fast_process_object(
    page_class, lt_char, all_attrs, fix_fontname_bytes, resolve_all, resolve_and_decode, normalize
):
    """FastPage.process_object: a character's dict built directly (split out of
    _fast_page_class as it was; the names are pdfplumber's and pdfminer's, imported there)."""
    plain = {int, float, str, bool, type(None)}
    names: dict = {}  # colour space name -> its decoded text

    def value(v):
        if type(v) in plain:
            return v
        if type(v) is tuple and all(type(e) in plain for e in v):
            return v  # resolve_all would return an equal tuple
        return resolve_all(v)

    def process_object(self, obj):
        if type(obj) is not lt_char:
            return page_class.process_object(self, obj)
        attr = {k: value(v) for k, v in obj.__dict__.items() if k in all_attrs}
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
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
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

    return process_object


def _fast_extract_tables(table_settings_class):
    """FastPage.extract_tables: each table given only the characters inside it (split out of
    _fast_page_class as it was)."""
    from types import SimpleNamespace

    def inside(char, bbox) -> bool:  # pdfplumber's own test (Table.extract)
        v_mid = (char["top"] + char["bottom"]) / 2
        h_mid = (char["x0"] + char["x1"]) / 2
        x0, top, x1, bottom = bbox
        return (h_mid >= x0) and (h_mid < x1) and (v_mid >= top) and (v_mid < bottom)

    def extract_tables(self, table_settings=None):
        tset = table_settings_class.resolve(table_settings)
        out = []
        chars = self.chars
        for table in self.find_tables(tset):
            # every row lies inside the table, so its characters are among these
            bbox = table.bbox  # a property: worked out on each use
            table.page = SimpleNamespace(chars=[c for c in chars if inside(c, bbox)])
            out.append(table.extract(**(tset.text_settings or {})))
        return out

    return extract_tables


def _render_commits() -> list[str]:
    try:
        log = subprocess.run(
            ["git", "log", "--oneline", "--", "pipeline/render"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=20,
        ).stdout
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
        return {
            "available": False,
            "why": "pipeline.render.render_pack is not there yet",
            "render_commits": len(commits),
        }
    from pipeline.models import Allocation
    from pipeline.profile import load_profile

    from tests.helpers.tracker_kit import accepted

    profile = load_profile("northamptonshire")
    item = accepted(1, received=dt.datetime(2026, 11, 2, 9, 30))
    venue = profile.venues[0].name if getattr(profile, "venues", None) else "Test Venue"
    allocation = Allocation(
        reference=item.reference,
        status="Allocated",
        supervisor="Sam Example-Supervisor",
        venue=venue,
        room="Room 1",
        day="Tuesday",
        time="10:00-11:30",
        first_date=dt.date(2026, 11, 10),
    )
    times, files = [], []
    try:
        with tempfile.TemporaryDirectory(prefix="ft-bench-render-") as tmp:
            for i in range(repeat + 1):
                out_dir = Path(tmp) / f"pack-{i}"
                t = time.perf_counter()
                files = render_pack(item, allocation, profile, out_dir)
                times.append(time.perf_counter() - t)
    except Exception as exc:  # noqa: BLE001 - a module still being written: say so, carry on
        return {
            "available": False,
            "why": f"render_pack failed: {type(exc).__name__}: {exc}"[:300],
            "render_commits": len(commits),
        }
    return {
        "available": True,
        "documents": len(files or []),
        "first_ms": round(times[0] * 1000, 1),
        "median_ms": round(statistics.median(times[1:]) * 1000, 1),
        "render_commits": len(commits),
        "latest_render_commit": commits[0] if commits else None,
    }
