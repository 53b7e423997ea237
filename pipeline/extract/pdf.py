"""Reads a referral or session record sent as a PDF: fillable (AcroForm) or flat "Save as PDF".

Social workers sometimes "Save as PDF" from Word or LibreOffice, and a few print, sign and
scan. A fillable PDF names its fields by contract key, so they are read directly (its page
text, the printed labels, only helps identify it); a flat one only has text, so answers are
found by their labels, as for old Word forms. Anything that cannot be read (password, scan,
damage, a huge file) gets a reason business support can act on: this function never raises
for bad input.
"""

from __future__ import annotations

import bisect
import logging
import re
import zlib
from pathlib import Path

from pipeline.extract import reasons
from pipeline.extract.labels import CHECKED, UNCHECKED
from pipeline.extract.models import Extraction
from pipeline.extract.results import unreadable

log = logging.getLogger(__name__)

MAX_PAGES = 50  # a referral form is a few pages; more is not a form
MAX_BYTES = 40 * 1024 * 1024  # a flat form is well under 1 MB; a scan a few MB
MIN_TEXT_CHARS = 20  # fewer characters than this on every page: nothing to read
MAX_INFLATED_STREAM = 64 * 1024 * 1024  # a 600 dpi colour scan page is about this; a form far less
MAX_INFLATED_TOTAL = 128 * 1024 * 1024
_INFLATE_CHUNK = 1024 * 1024
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")

# The shared wording of the commonest reasons (form_templates/reader/reasons.toml, [pdf]);
# the reader itself asks for the service's wording.
PASSWORD_REASON = reasons.say("pdf.password")
SCANNED_REASON = reasons.say("pdf.scanned")
DAMAGED_REASON = reasons.say("pdf.damaged")

_TRUE = {"yes", "on", "1", "true", "x", "checked", "ticked"}
_FALSE = {"off", "no", "0", "false", ""}
_DAY_FIELD = re.compile(r"^(?P<key>[\w.\[\]]+):(?P<day>[A-Za-z]+)$")


def _inflated_size(data: bytes, limit: int) -> int:
    """Bytes a Flate stream inflates to, counted a chunk at a time and never past `limit`."""
    d = zlib.decompressobj()
    try:
        n = len(d.decompress(data, _INFLATE_CHUNK))
        while d.unconsumed_tail and not d.eof and n < limit:
            chunk = len(d.decompress(d.unconsumed_tail, _INFLATE_CHUNK))
            if chunk == 0:  # no progress (a damaged stream): stop, or
                break  # the loop would never end
            n += chunk
    except zlib.error:
        return 0  # not Flate (or encrypted): nothing to fear
    return n


def _inflates_too_far(data: bytes) -> bool:
    """A "decompression bomb": a small PDF whose compressed streams inflate to hundreds of MB.
    pypdf and pdfminer inflate streams without a limit, so this looks first, bounded."""
    total = 0
    for m in _STREAM_START.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        size = _inflated_size(data[m.end() : end], MAX_INFLATED_STREAM)
        total += size
        if size >= MAX_INFLATED_STREAM or total >= MAX_INFLATED_TOTAL:
            return True
    return False


def read_pdf(path: Path, profile=None) -> Extraction:
    """Which form the PDF is and every answer in it; an `unreadable` match with a plain reason
    for a password, a scan, a damaged or an over-long file. `profile` decides which form
    versions are current (the catalogue's status without one)."""
    path = Path(path)
    name = path.name
    try:
        return _read(path, name, profile)
    except Exception:  # noqa: BLE001 - a hostile or broken file must never stop the pipeline
        log.warning("pdf: unexpected failure reading a file; treated as damaged", exc_info=True)
        return unreadable(path, reasons.say("pdf.damaged", profile))


def _read(path: Path, name: str, profile) -> Extraction:
    def refuse(code: str, **values) -> Extraction:
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
    if size > MAX_BYTES:
        return refuse("too_large", megabytes=size // (1024 * 1024))
    if b"%%EOF" not in tail:
        return refuse("truncated")
    if _inflates_too_far(path.read_bytes()):
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
    if n_pages > MAX_PAGES:
        return refuse("too_long", pages=n_pages)

    properties = _properties(reader)
    n_fields = _field_count(reader)
    try:
        from pipeline.extract.pdf_pages import read_document

        pages, widgets = read_document(path, password, widgets=bool(n_fields))
    except Exception:  # noqa: BLE001 - pdfium.PdfUnreadable, or whatever else a broken file raises
        return refuse("damaged")
    acro = {} if n_fields == 0 else _fields_from_widgets(widgets, n_fields)
    if acro is None:  # not laid out as the service's own forms are
        acro = _acroform_fields(reader)
    answered = _answers_form(acro)
    lines, images, tables = _lines_and_tables(pages, tables=not answered)
    text = "\n".join(lines)

    if (
        not acro
        and len(re.sub(r"\s", "", text)) < MIN_TEXT_CHARS
        and not _has_form_props(properties)
    ):
        return refuse("scanned" if images else "no_text")

    return _identify_and_read(
        name, text, lines, properties, acro, profile, None if answered else tables, pages=pages
    )


def _has_form_props(properties: dict[str, str]) -> bool:
    return bool(properties.get("FormId"))


def _properties(reader) -> dict[str, str]:
    """Document information and XMP custom properties (FormId, FormVersion, Title ...)."""
    out: dict[str, str] = {}
    try:
        info = reader.metadata or {}
        for k, v in info.items():
            if isinstance(v, (str, int, float)):
                out[str(k).lstrip("/")] = str(v)
    except Exception:  # noqa: BLE001 - metadata is a hint, never a reason to fail
        pass
    try:
        xmp = reader.xmp_metadata
        if xmp is not None:
            for k, v in (xmp.custom_properties or {}).items():
                out.setdefault(str(k), str(v))
    except Exception:  # noqa: BLE001
        pass
    return out


def _button_state(value) -> str:
    return str(value or "").lstrip("/").strip().lower()


def _read_fields(fields) -> dict[str, str | list[str]]:
    """Fillable fields named by contract key; check boxes become Yes/No, day boxes a list.
    `fields`: name -> its field dictionary (/FT, /V, /Ff), in the form's order."""
    from pipeline.extract.text import is_placeholder, normalise

    out: dict[str, str | list[str]] = {}
    days: dict[str, list[str]] = {}
    for fname, fld in fields.items():
        try:
            ftype = fld.get("/FT")
            value = fld.get("/V")
        except AttributeError:
            continue
        fname = str(fname)
        m = _DAY_FIELD.match(fname)
        if m:
            days.setdefault(m.group("key"), [])
            if ftype == "/Btn" and _button_state(value) in _TRUE:
                days[m.group("key")].append(m.group("day").capitalize())
            continue
        if ftype == "/Btn":
            state = _button_state(value)
            flags = int(fld.get("/Ff", 0) or 0)
            is_radio = bool(flags & (1 << 15))
            if state in _TRUE:
                out[fname] = "yes"
            elif is_radio and state and state not in _FALSE:
                out[fname] = str(value).lstrip("/")  # a radio group: the chosen option
            elif not is_radio or state == "no":
                out[fname] = "no"
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        text = normalise(str(value) if value is not None else "", keep_lines=True)
        if text and not is_placeholder(text):
            out[fname] = text
    for key, picked in days.items():
        out[key] = picked
    return out


def _field_count(reader) -> int | None:
    """How many fields the AcroForm lists at its top level (0: no AcroForm at all); None when
    its form dictionary is not the plain kind, so that only pypdf's full walk reads it."""
    from pypdf.generic import ArrayObject, DictionaryObject

    try:
        root = reader.trailer["/Root"].get_object()
        if "/AcroForm" not in root:
            return 0
        acro = root["/AcroForm"]
        acro = acro.get_object() if acro is not None else None
        if not isinstance(acro, DictionaryObject) or "/Fields" not in acro:
            return None
        fields = acro["/Fields"].get_object()
        return len(fields) if isinstance(fields, ArrayObject) else None
    except Exception:  # noqa: BLE001 - a broken form dictionary: pypdf's walk decides
        return None


_ODD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def _fields_from_widgets(
    widgets: list[dict] | None, n_fields: int
) -> dict[str, str | list[str]] | None:
    """The fields as `_acroform_fields` reads them, from the widgets pdfium found on the pages,
    when the form is laid out as the service's own are: every field listed once at the top
    level, each its own widget (name, type and value in its own dictionary, no parent, no
    kids), names unique, values plain text or names. None for anything else (radio groups,
    fields without a widget, inherited values, control characters...): pypdf reads those."""
    if not widgets or len(widgets) != n_fields:
        return None
    fields: dict[str, dict] = {}
    for w in widgets:
        if "Parent" in w or "Kids" in w or "TM" in w:
            return None
        t_kind, name = w.get("T", (None, None))
        ft_kind, ftype = w.get("FT", (None, None))
        if t_kind != 3 or not name or ft_kind != 4 or name in fields:  # 3 string, 4 name
            return None
        v_kind, value = w.get("V", (0, None))
        if v_kind not in (0, 3, 4) or (v_kind == 4 and ftype != "Btn"):
            return None
        ff_kind, ff = w.get("Ff", (2, 0))
        if ff_kind != 2 or ff is None or not 0 <= ff < 2**24 or ff != int(ff):
            return None
        if _ODD_TEXT.search(name) or (value and _ODD_TEXT.search(value)):
            return None
        fields[name] = {"/FT": "/" + ftype, "/V": value, "/Ff": int(ff)}
    return _read_fields(fields)


def _acroform_fields(reader) -> dict[str, str | list[str]]:
    """Fillable fields named by contract key, read by pypdf (any form layout)."""
    try:
        fields = reader.get_fields() or {}
    except Exception:  # noqa: BLE001 - a broken form dictionary: fall back to the text
        return {}
    return _read_fields(fields)


def _answers_form(acro: dict) -> bool:
    """Fields named by a catalogue form's contract keys: the service's own fillable form, whose
    answers are its fields (its page text is the printed labels, read only to identify it)."""
    return bool(acro.keys() & _all_keys())


def _all_keys() -> frozenset[str]:
    """Every contract key of every catalogue form (worked out once per catalogue)."""
    from pipeline.catalogue import catalogue
    from pipeline.extract.labels import known_keys

    cat = catalogue()
    cached = getattr(_all_keys, "_cache", None)
    if cached is None or cached[0] is not cat:
        keys: set[str] = set()
        for form in cat.forms.values():
            keys |= known_keys(form)
        cached = _all_keys._cache = (cat, frozenset(keys))
    return cached[1]


def _page_text(path: Path, password: str | None) -> tuple[list[str] | None, bool, list[list]]:
    """Every line of text, page by page; whether any page carries an image; and the tables
    (label | answer rows) with check boxes drawn as shapes turned into box characters.
    Pages are parsed by pdfium (pdf_pages.py); None when it cannot parse the file."""
    from pipeline.extract.pdf_pages import read_pages

    try:
        pages = read_pages(path, password)
    except Exception:  # noqa: BLE001 - pdfium.PdfUnreadable, or whatever else a broken file raises
        return None, False, []
    return _lines_and_tables(pages)


def _lines_and_tables(pages, tables: bool = True) -> tuple[list[str], bool, list[list]]:
    """`_page_text` for pages already read; without `tables` the tables are left for
    `_tables_of` to find if they are wanted after all."""
    lines: list[str] = []
    found: list[list] = []
    images = False
    for page in pages:
        images = images or page.images
        try:
            _add_drawn_boxes(page)
            text = page.extract_text() or ""
            page.has_text = bool(text.strip())
            if tables and page.has_text:
                found.extend(page.extract_tables())
        except Exception:  # noqa: BLE001 - one bad page: keep the others
            text = ""
            page.has_text = False
        lines.extend(text.splitlines())
    return lines, images, found


def _tables_of(pages) -> list[list]:
    """The tables of pages whose text was read without them."""
    found: list[list] = []
    for page in pages:
        if getattr(page, "has_text", False):
            try:
                found.extend(page.extract_tables())
            except Exception:  # noqa: BLE001 - one bad page: keep the others
                pass
    return found


def _add_drawn_boxes(page) -> None:
    """Old forms' check boxes (Word legacy fields) are exported as a small square, with a
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
    box_chars = [c for c in chars if c["text"] in boxes]
    by_top = sorted((c["top"], i) for i, c in enumerate(chars))
    added = []
    for r in rects:
        if any(
            c["x0"] < r["x1"]
            and c["x1"] > r["x0"]
            and c["top"] < r["bottom"]
            and c["bottom"] > r["top"]
            for c in box_chars
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
        ch = dict(chars[_nearest(chars, by_top, r["top"], r["x1"])])
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


def _nearest(chars: list[dict], by_top: list[tuple[float, int]], top: float, x: float) -> int:
    """The first character (in page order) of least |top - top| + |x0 - x|: the one a box
    copies its font from. Looked for outwards from the nearest top, stopping where the
    difference in top alone is more than the best found."""
    start = bisect.bisect_left(by_top, (top, -1))
    best = (float("inf"), len(chars))
    for step in (range(start, len(by_top)), range(start - 1, -1, -1)):
        for k in step:
            c_top, i = by_top[k]
            gap = abs(c_top - top)
            if gap > best[0]:
                break
            best = min(best, (gap + abs(chars[i]["x0"] - x), i))
    return best[1]


_BOX_WORD = re.compile("([" + CHECKED + UNCHECKED + "])\\s*([A-Za-z]*)")


def _yes_no(raw: str) -> str:
    """A yes/no answer as "yes"/"no": a lone box beside "Yes" means no when empty."""
    from pipeline.extract.text import label_key, normalise

    text = normalise(raw)
    marks = _BOX_WORD.findall(text)
    if marks:
        ticked = [word for box, word in marks if box in CHECKED]
        if len(marks) == 1:
            word = label_key(marks[0][1]) or "yes"
            if ticked:
                return word if word in ("yes", "no") else "yes"
            return "no" if word == "yes" else ""
        if ticked:
            word = label_key(ticked[0])
            return word if word in ("yes", "no") else ticked[0]
        return ""
    return text  # typed as words: kept as typed, like a Word cell


def _resolve(cell: str, form, version) -> tuple[str, str | None]:
    """The label in a table cell (which may carry a hint under it) and its generic key."""
    from pipeline.extract.labels import fields_from_label_pairs
    from pipeline.extract.text import normalise

    parts = [normalise(p) for p in (cell or "").splitlines() if normalise(p)]
    candidates = [" ".join(parts[:n]) for n in range(len(parts), 0, -1)]
    for cand in candidates[:6]:
        found = fields_from_label_pairs([(cand, "x")], form, version)
        if found:
            key = next(iter(found))
            return cand, re.sub(r"\[\d+\]", "[n]", key)
    return (candidates[0] if candidates else ""), None


def _pairs_from_tables(tables: list[list], form, version) -> list[tuple[str, str]]:
    """(label, answer) pairs from label | answer rows and from the family grid."""
    from pipeline.extract.text import is_placeholder

    pairs: list[tuple[str, str]] = []

    def answer(key: str | None, raw: str) -> str:
        raw = raw or ""
        if is_placeholder(raw):
            return ""
        spec = form.field(key.replace("[n]", "[1]")) if key else None
        if spec is not None and spec.type == "yesno":
            return _yes_no(raw)
        return raw

    for table in tables:
        # "Sample-\nParent": a hyphenated name wrapped in a narrow cell.
        rows = [[re.sub(r"-\n(?=\w)", "-", c or "") for c in row] for row in table if row]
        if not rows:
            continue
        header = [_resolve(c, form, version) if c.strip() else ("", None) for c in rows[0]]
        filled = [h for h in header if h[0]]
        if len(filled) >= 3 and all(k and "[n]" in k for _, k in filled):
            for row in rows[1:]:
                for (label, key), cell in zip(header, row):
                    if key:
                        pairs.append((label, answer(key, cell)))
            continue
        for row in rows:
            cells = [c for c in row if c is not None]
            if len(cells) < 2 or not cells[0].strip():
                continue
            label, key = _resolve(cells[0], form, version)
            if key is None:
                continue
            value = "\n".join(c for c in cells[1:] if c.strip())
            pairs.append((label, answer(key, value)))
    return pairs


_LONE_BOX = re.compile("([" + CHECKED + UNCHECKED + "])\\s*(Yes|No)\\s*$", re.IGNORECASE)


def _lone_box(line: str) -> str:
    """ "Label ☐ Yes" (one box on the line) as "Label no", so the label reader keeps the
    answer: an empty lone box is a "no", not a blank."""
    boxes = sum(line.count(c) for c in CHECKED + UNCHECKED)
    m = _LONE_BOX.search(line)
    if boxes != 1 or not m:
        return line
    return line[: m.start()] + _yes_no(m.group(0))


_PAGE_LINE = re.compile(r"^\s*page\s+\d+\s+of\s+\d+\s*$", re.IGNORECASE)


def _identify_and_read(
    name: str,
    text: str,
    lines: list[str],
    properties: dict[str, str],
    acro: dict[str, str | list[str]],
    profile,
    tables: list[list] | None,
    pages=None,
) -> Extraction:
    """The form and its answers. A fillable form's answers are its fields: its page text is
    read for answers only when none of its fields is one of the identified form's. `tables`
    None: not read yet (found on `pages` if they are wanted)."""
    from pipeline.catalogue import catalogue
    from pipeline.extract.identify import identify
    from pipeline.extract.labels import fields_from_label_pairs, fields_from_text, known_keys

    cat = catalogue()
    all_keys = _all_keys()
    acro = {k: v for k, v in acro.items() if k in all_keys}
    # identify() counts the labels in the text itself; field names count as tags.
    match = identify(text, properties, set(acro), 0, profile=profile)
    fields: dict[str, str | list[str]] = {}
    if match.status in ("current", "old") and match.id in cat.forms:
        form = cat.form(match.id)
        version = form.version(match.version) if match.version else None
        form_keys = known_keys(form)
        if not acro.keys() & form_keys:
            if tables is None:
                tables = _tables_of(pages or [])
            if tables:
                fields = fields_from_label_pairs(
                    _pairs_from_tables(tables, form, version), form, version
                )
            if len(fields) < form.min_labels and text.strip():
                # No usable table (text laid out without borders): answers after their labels.
                body = [_lone_box(ln) for ln in lines if not _PAGE_LINE.match(ln)]
                for k, v in fields_from_text(body, form, version).items():
                    spec = form.field(k)
                    if spec is not None and spec.type == "yesno" and isinstance(v, str):
                        v = _yes_no(v)
                    fields.setdefault(k, v)
        for k, v in acro.items():
            if k in form_keys:
                spec = form.field(k)
                if spec is not None and spec.type == "yesno" and isinstance(v, str):
                    v = _yes_no(v)
                fields[k] = v
        fields = {k: v for k, v in fields.items() if v != ""}
    return Extraction(file=name, form=match, fields=fields)
