"""Fast reading and writing of the tracking workbook, by editing the sheet XML in the zip.

openpyxl's load-append-save rewrites every cell and takes seconds once a workbook holds
years of referrals; people keep the workbook open all day, so a write must be short. Here a
new workbook is made once with openpyxl (formats, drop-downs, highlighting), and from then on
only the sheets that change are parsed (lxml) and re-serialised: rows are found by their key
and columns by their header text, cells are written as inline strings (never formulas) or
as dated numbers, and every other part of the file is carried over unchanged.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.errors import FamilyTimeError
from pipeline.tracker.columns import SheetSpec, said
from pipeline.tracker.rows import Value

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_C, _R, _V, _IS, _T, _F = (f"{{{NS}}}{t}" for t in ("c", "row", "v", "is", "t", "f"))
_RPH = f"{{{NS}}}rPh"
_SI = f"{{{NS}}}si"
EPOCH = dt.date(1899, 12, 30)
EPOCH_1904 = dt.date(1904, 1, 1)
HEADER_SEARCH_ROWS = 10
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
_RANGE_END = re.compile(r"(\$?[A-Z]{1,3}\$?)(\d+)$")


class WorkbookError(FamilyTimeError):
    """The file is not a workbook we can read; the message is for business support."""


# ---------------------------------------------------------------- small helpers

_col_cache: dict[str, int] = {}
_letter_cache: dict[int, str] = {}


def col_index(letters: str) -> int:
    idx = _col_cache.get(letters)
    if idx is None:
        idx = 0
        for ch in letters:
            idx = idx * 26 + (ord(ch) - 64)
        _col_cache[letters] = idx
    return idx


def col_letters(index: int) -> str:
    out = _letter_cache.get(index)
    if out is None:
        n, out = index, ""
        while n:
            n, rem = divmod(n - 1, 26)
            out = chr(65 + rem) + out
        _letter_cache[index] = out
    return out


def norm_header(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def clean_text(text: str) -> str:
    """Text Excel accepts: no control characters XML forbids."""
    return _ILLEGAL.sub("", text)


def date_serial(day: dt.date, date1904: bool = False) -> int:
    return (day - (EPOCH_1904 if date1904 else EPOCH)).days


def serial_date(serial: float, date1904: bool = False) -> dt.date | None:
    try:
        return (EPOCH_1904 if date1904 else EPOCH) + dt.timedelta(days=int(serial))
    except (OverflowError, ValueError):
        return None


# ---------------------------------------------------------------- shared strings

_SI_RE = re.compile(rb"<(?:\w+:)?si(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_T_RE = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
_RPH_RE = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_COUNT_RE = re.compile(rb"uniqueCount=\"(\d+)\"")


class SharedStrings:
    """Excel's shared-string table, decoded only where a cell we read points.

    A person's save turns every text cell into an index here; a sync reads two cells a row,
    so decoding the whole table (tens of thousands of strings) would be wasted. The entries
    are found with one C-speed scan; a table the scan does not account for exactly is read
    in full with lxml instead.
    """

    def __init__(self, raw: list[bytes] | None, decoded: list[str] | None = None):
        self._raw = raw
        self._decoded: dict[int, str] = {}
        self._full = decoded

    @classmethod
    def from_bytes(cls, data: bytes) -> SharedStrings:
        if not data:
            return cls([])
        raw = [m.group(1) or b"" for m in _SI_RE.finditer(data)]
        m = _COUNT_RE.search(data[:1000])
        if (m is None or int(m.group(1)) != len(raw)) and data.count(b"si>") // 2 != len(raw):
            return cls(None, _parse_shared(data))
        return cls(raw)

    def __len__(self) -> int:
        return len(self._full) if self._full is not None else len(self._raw)

    def __getitem__(self, index: int) -> str:
        if self._full is not None:
            return self._full[index]
        text = self._decoded.get(index)
        if text is None:
            chunk = self._raw[index]
            if b"rPh" in chunk:
                chunk = _RPH_RE.sub(b"", chunk)
            text = html.unescape(b"".join(_T_RE.findall(chunk)).decode("utf-8"))
            self._decoded[index] = text
        return text


def _parse_shared(data: bytes) -> list[str]:
    out = []
    for _, si in etree.iterparse(io.BytesIO(data), tag=_SI, huge_tree=True):
        out.append("".join((x.text or "") for x in si.iter(_T) if x.getparent().tag != _RPH))
        si.clear()
    return out


# ---------------------------------------------------------------- the package


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


@dataclass
class SheetPart:
    """One worksheet, parsed: header columns, and rows by number and by key."""

    name: str
    part: str
    root: Any
    sheet_data: Any
    header_row: int = 1
    columns: dict[str, int] = field(default_factory=dict)  # normalised header -> column
    rows: dict[int, Any] = field(default_factory=dict)  # row number -> <row>
    max_row: int = 0
    max_col: int = 0
    dirty: bool = False
    last_key_row: int | None = None  # where the next new row goes after


class Package:
    """An .xlsx held in memory: every part as bytes; the parts we change, parsed."""

    def __init__(self, data: bytes, path: Path | None = None):
        self.path = path
        self.data = data
        self.original = data  # what was on disk (kept as the backup)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.infos = self.zip.infolist()
            names = {i.filename for i in self.infos}
            if "xl/workbook.xml" not in names:
                raise KeyError("xl/workbook.xml")
            self.workbook = etree.fromstring(self.zip.read("xl/workbook.xml"))
            rels = etree.fromstring(self.zip.read("xl/_rels/workbook.xml.rels"))
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError) as exc:
            where = path.name if path else said("no_file_name")
            raise WorkbookError(said("not_a_workbook", name=where)) from exc
        targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG_NS}}}Relationship")}
        self.sheet_parts: dict[str, str] = {}
        self.sheet_index: dict[str, int] = {}
        for i, s in enumerate(self.workbook.iter(f"{{{NS}}}sheet")):
            target = targets.get(s.get(f"{{{REL_NS}}}id"))
            if target:
                self.sheet_parts[s.get("name")] = _resolve("xl/workbook.xml", target)
                self.sheet_index[s.get("name")] = i
        pr = self.workbook.find(f"{{{NS}}}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        self.shared_part = next(
            (
                _resolve("xl/workbook.xml", t)
                for t in targets.values()
                if t and t.endswith("sharedStrings.xml")
            ),
            None,
        )
        self.styles_part = next(
            (
                _resolve("xl/workbook.xml", t)
                for t in targets.values()
                if t and t.endswith("styles.xml")
            ),
            None,
        )
        self._shared: SharedStrings | None = None
        self._styles = None
        self._date_style: str | None = None
        self.sheets: dict[str, SheetPart] = {}
        # layout sheet name -> the sheet holding it under another name (tracker/sheets.py)
        self.aliases: dict[str, str] = {}
        self.tables: dict[str, Any] = {}  # table parts grown to take new rows
        self.workbook_dirty = False
        self.styles_dirty = False

    @classmethod
    def open(cls, path: Path) -> Package:
        return cls(path.read_bytes(), path)

    # ---- shared strings (Excel turns our inline strings into these when a person saves)
    @property
    def shared(self) -> SharedStrings | list[str]:
        if self._shared is None:
            data = b""
            if self.shared_part and self.shared_part in self.zip.NameToInfo:
                data = self.zip.read(self.shared_part)
            self._shared = SharedStrings.from_bytes(data)
        return self._shared

    # ---- cell values
    def value(self, c: Any) -> Any:
        """A cell's value: str, float, bool or None (formulas give their last result)."""
        t = c.get("t")
        if t == "inlineStr":
            if len(c) == 1 and len(c[0]) == 1 and c[0].tag == _IS:
                return c[0][0].text or ""  # the common case: <is><t>text</t></is>
            is_ = c.find(_IS)
            return "".join(is_.itertext()) if is_ is not None else ""
        # the common case first: <v>..</v> alone
        v = (c[0].text or "") if len(c) == 1 and c[0].tag == _V else c.findtext(_V)
        return None if v is None else self.typed(t, v)

    def typed(self, t: str | None, v: str) -> Any:
        """The value of a cell of type `t` whose <v> holds `v` (a shared string's index, text,
        a boolean or a number): one reading for Package.value and the row check's fast path."""
        if t == "s":
            try:
                return self.shared[int(v)]
            except (ValueError, IndexError):
                return ""
        if t in ("str", "e"):
            return v
        if t == "b":
            return v == "1"
        try:
            return float(v)
        except ValueError:
            return v

    def column_value(self, cells: dict[int, Any], col: int, fmt: str) -> Any:
        """The value in column `col` of a row's cells (None when empty); in a date column,
        the date Excel shows rather than its serial number."""
        c = cells.get(col)
        v = self.value(c) if c is not None else None
        if fmt == "date" and isinstance(v, float):
            v = serial_date(v, self.date1904)
        return v

    # ---- sheets
    def sheet(self, name: str, key_header: str) -> SheetPart | None:
        """The sheet parsed, with its header row found by the key column's header text."""
        if name in self.sheets:
            return self.sheets[name]
        if name not in self.sheet_parts and name in self.aliases:
            sp = self.sheet(self.aliases[name], key_header)
            if sp is not None:
                self.sheets[name] = sp
            return sp
        part = self.sheet_parts.get(name)
        if part is None or part not in self.zip.NameToInfo:
            return None
        root = etree.fromstring(self.zip.read(part), etree.XMLParser(huge_tree=True))
        sheet_data = root.find(f"{{{NS}}}sheetData")
        sp = SheetPart(name=name, part=part, root=root, sheet_data=sheet_data)
        last = 0
        for row in sheet_data.iterchildren(_R):
            r = row.get("r")
            last = int(r) if r else last + 1
            sp.rows[last] = row
        sp.max_row = last
        want = norm_header(key_header)
        for number in sorted(sp.rows)[:HEADER_SEARCH_ROWS]:
            cells = self.cells(sp.rows[number])
            headers = {
                norm_header(self.value(c)): idx
                for idx, c in cells.items()
                if self.value(c) not in (None, "")
            }
            if want in headers:
                sp.header_row, sp.columns = number, headers
                break
        else:
            sp.header_row = min(sp.rows) if sp.rows else 1
            sp.columns = (
                {
                    norm_header(self.value(c)): idx
                    for idx, c in self.cells(sp.rows[sp.header_row]).items()
                }
                if sp.rows
                else {}
            )
        sp.max_col = max(sp.columns.values(), default=0)
        self.sheets[name] = sp
        return sp

    @staticmethod
    def cells(row: Any) -> dict[int, Any]:
        """A row's cells by column number."""
        out: dict[int, Any] = {}
        pos = 0
        for c in row.iterchildren(_C):
            ref = c.get("r")
            pos = col_index(ref.rstrip("0123456789")) if ref else pos + 1
            out[pos] = c
        return out

    def data_rows(self, sp: SheetPart) -> Iterator[tuple[int, Any]]:
        for number, row in sp.rows.items():
            if number > sp.header_row:
                yield number, row

    # ---- styles: the index of a dd/mm/yyyy cell format, added if the file has none
    def date_style(self, fmt: str) -> str:
        if self._date_style is not None:
            return self._date_style
        if not self.styles_part:
            self._date_style = "0"
            return "0"
        root = etree.fromstring(self.zip.read(self.styles_part))
        self._styles = root
        numfmts = root.find(f"{{{NS}}}numFmts")
        ids = {
            int(n.get("numFmtId"))
            for n in (numfmts if numfmts is not None else [])
            if (n.get("formatCode") or "").lower() == fmt.lower()
        }
        xfs = root.find(f"{{{NS}}}cellXfs")
        for i, xf in enumerate(xfs):
            if int(xf.get("numFmtId", "0")) in ids:
                if xf.get("applyNumberFormat") not in ("1", "true"):
                    xf.set("applyNumberFormat", "1")  # LibreOffice ignores the format without it
                    self.styles_dirty = True
                self._date_style = str(i)
                return self._date_style
        if numfmts is None:
            numfmts = etree.Element(f"{{{NS}}}numFmts")
            root.insert(0, numfmts)
        new_id = max([int(n.get("numFmtId")) for n in numfmts] + [163]) + 1
        etree.SubElement(numfmts, f"{{{NS}}}numFmt", numFmtId=str(new_id), formatCode=fmt)
        numfmts.set("count", str(len(numfmts)))
        etree.SubElement(
            xfs,
            f"{{{NS}}}xf",
            numFmtId=str(new_id),
            fontId="0",
            fillId="0",
            borderId="0",
            xfId="0",
            applyNumberFormat="1",
        )
        xfs.set("count", str(len(xfs)))
        self.styles_dirty = True
        self._date_style = str(len(xfs) - 1)
        return self._date_style

    # ---- writing cells
    def set_cell(
        self, sp: SheetPart, row: Any, number: int, col: int, value: Value, date_fmt: str
    ) -> None:
        """Write one pipeline cell: text as an inline string (never a formula), a date as a
        number."""
        ref = f"{col_letters(col)}{number}"
        existing = None
        insert_at = None
        for i, c in enumerate(row.iterchildren(_C)):
            r = c.get("r")
            idx = col_index(r.rstrip("0123456789")) if r else i + 1
            if idx == col:
                existing = c
                break
            if idx > col:
                insert_at = c
                break
        if existing is None:
            if value == "":
                return
            existing = etree.Element(_C, r=ref)
            if insert_at is not None:
                insert_at.addprevious(existing)
            else:
                row.append(existing)
        for child in list(existing):
            existing.remove(child)
        existing.attrib.pop("t", None)
        existing.set("r", ref)
        if isinstance(value, dt.date):
            existing.set("s", self.date_style(date_fmt))
            etree.SubElement(existing, _V).text = str(date_serial(value, self.date1904))
        elif value != "":
            existing.set("t", "inlineStr")
            is_ = etree.SubElement(existing, _IS)
            t = etree.SubElement(is_, _T)
            t.text = clean_text(value)
            if t.text != t.text.strip() or "\n" in t.text:
                t.set(XML_SPACE, "preserve")
        row.attrib.pop("spans", None)
        sp.dirty = True

    def append_row(
        self,
        sp: SheetPart,
        cells: list[tuple[int, Value]],
        date_fmt: str,
        key_col: int | None = None,
    ) -> int:
        """A new row with these (column, value) cells, straight after the last row holding a
        key: empty rows another program left below (LibreOffice writes formatted empty rows
        down to row 501) are filled in place, keeping their formatting, so new referrals
        land where people look, inside the drop-downs and highlighting."""
        number = self._next_row(sp, key_col)
        row = sp.rows.get(number)
        if row is None:
            row = etree.Element(_R, r=str(number))
            before = self._row_before(sp, number)
            if before is not None:
                sp.rows[before].addnext(row)
            else:
                sp.sheet_data.insert(0, row)
            sp.rows[number] = row
        for col, value in sorted(cells, key=lambda cv: cv[0]):
            if value == "":
                continue
            self.set_cell(sp, row, number, col, value, date_fmt)
        sp.last_key_row = number
        sp.max_row = max(sp.max_row, number)
        sp.dirty = True
        self._grow_tables(sp, number)
        return number

    @staticmethod
    def _row_before(sp: SheetPart, number: int) -> int | None:
        """The existing row just above `number`: new rows go after the last key, so it is
        near (walking down the gap costs less than scanning every row of a big sheet)."""
        if len(sp.rows) and number > max(sp.max_row, 0):
            return sp.max_row if sp.max_row in sp.rows else max(sp.rows)
        for n in range(number - 1, 0, -1):
            if n in sp.rows:
                return n
        return None

    def _next_row(self, sp: SheetPart, key_col: int | None) -> int:
        last = getattr(sp, "last_key_row", None)
        if last is None:
            last = sp.header_row
            for number in sorted(sp.rows, reverse=True):  # from the bottom: the first hit
                if number <= last:  # is the last key
                    break
                if self._holds_key(sp.rows[number], key_col):
                    last = number
                    break
            sp.last_key_row = last
        number = last + 1
        while number in sp.rows and any(
            self.value(c) not in (None, "") for c in sp.rows[number].iterchildren(_C)
        ):
            number += 1  # a row someone typed in without a key: left alone
        return number

    def _holds_key(self, row: Any, key_col: int | None) -> bool:
        """Whether a row has a value in the key column (any value when there is no key)."""
        for c in row.iterchildren(_C):
            if self.value(c) in (None, ""):
                continue
            ref = c.get("r") or ""
            if key_col is None or col_index(ref.rstrip("0123456789")) == key_col:
                return True
        return False

    def _grow_tables(self, sp: SheetPart, number: int) -> None:
        """An Excel table (Insert > Table) over the rows grows to take the new row."""
        rels_part = posixpath.join(
            posixpath.dirname(sp.part), "_rels", posixpath.basename(sp.part) + ".rels"
        )
        if rels_part not in self.zip.NameToInfo:
            return
        rels = etree.fromstring(self.zip.read(rels_part))
        for r in rels.iter(f"{{{PKG_NS}}}Relationship"):
            if not (r.get("Type") or "").endswith("/table"):
                continue
            part = _resolve(sp.part, r.get("Target"))
            if part not in self.zip.NameToInfo:
                continue
            root = self.tables.get(part)
            if root is None:
                root = etree.fromstring(self.zip.read(part))
                self.tables[part] = root
            ref = root.get("ref") or ""
            a, _, b = ref.partition(":")
            ma, mb = _REF.match(a), _REF.match(b)
            if not (ma and mb) or int(mb.group(2)) >= number or int(ma.group(2)) > sp.header_row:
                continue
            root.set("ref", f"{a}:{mb.group(1)}{number}")
            af = root.find(f"{{{NS}}}autoFilter")
            if af is not None and af.get("ref"):
                af.set("ref", f"{a}:{mb.group(1)}{number}")

    def new_row(self, sp: SheetPart) -> tuple[int, Any]:
        number = sp.max_row + 1
        row = etree.SubElement(sp.sheet_data, _R, r=str(number))
        sp.rows[number] = row
        sp.max_row = number
        sp.dirty = True
        return number, row

    def add_header(self, sp: SheetPart, header: str) -> int:
        """A column the sheet lacks (deleted, or new in tracker.toml) gets a header at the end."""
        col = sp.max_col + 1
        row = sp.rows.get(sp.header_row)
        if row is None:
            row = etree.Element(_R, r=str(sp.header_row))
            sp.sheet_data.insert(0, row)
            sp.rows[sp.header_row] = row
            sp.max_row = max(sp.max_row, sp.header_row)
        self.set_cell(sp, row, sp.header_row, col, header, "")
        sp.columns[norm_header(header)] = col
        sp.max_col = col
        return col

    # ---- ranges that must follow the data (filter, drop-downs, highlighting)
    def _stretch(self, sqref: str, last_row: int, from_row: int) -> str:
        """Ranges grown down to last_row. Of several ranges, only those reaching furthest
        grow: "C2:C9 C11:C501" (a drop-down with another rule on C10) keeps C10 apart."""
        ends = [
            int(m.group(2))
            for part in sqref.split()
            if ":" in part
            for m in [_RANGE_END.search(part.partition(":")[2])]
            if m
        ]
        furthest = max(ends, default=0)
        out = []
        for part in sqref.split():
            a, sep, b = part.partition(":")
            m_a = _REF.match(a)
            m_b = _RANGE_END.search(b) if sep else None
            if (
                m_a
                and m_b
                and int(m_a.group(2)) >= from_row
                and int(m_b.group(2)) == furthest < last_row
            ):
                part = f"{a}:{m_b.group(1)}{last_row}"
            out.append(part)
        return " ".join(out)

    def finish_sheet(self, sp: SheetPart) -> None:
        last = max(sp.max_row, sp.header_row + 1)
        dim = sp.root.find(f"{{{NS}}}dimension")
        if dim is not None:
            max_col = sp.max_col
            m = _RANGE_END.search(dim.get("ref") or "")
            if m:
                max_col = max(max_col, col_index(m.group(1).replace("$", "")))
            dim.set("ref", f"A1:{col_letters(max(max_col, 1))}{sp.max_row or 1}")
        af = sp.root.find(f"{{{NS}}}autoFilter")
        if af is not None and af.get("ref"):
            af.set("ref", self._stretch(af.get("ref"), last, sp.header_row))
            self._stretch_filter_name(sp, af.get("ref"))
        for tag in ("conditionalFormatting", f"dataValidations/{{{NS}}}dataValidation"):
            for el in sp.root.iterfind(f"{{{NS}}}{tag}"):
                if el.get("sqref"):
                    el.set("sqref", self._stretch(el.get("sqref"), last, sp.header_row + 1))

    def _stretch_filter_name(self, sp: SheetPart, ref: str) -> None:
        index = str(self.sheet_index.get(sp.name, -1))
        for dn in self.workbook.iter(f"{{{NS}}}definedName"):
            if dn.get("name") == "_xlnm._FilterDatabase" and dn.get("localSheetId") == index:
                a, _, b = ref.partition(":")
                ma, mb = _REF.match(a), _REF.match(b)
                if ma and mb:
                    quoted = "'" + sp.name.replace("'", "''") + "'"
                    dn.text = f"{quoted}!${ma.group(1)}${ma.group(2)}:${mb.group(1)}${mb.group(2)}"
                    self.workbook_dirty = True

    # ---- the new file
    def to_bytes(self) -> bytes:
        """The whole package with our changes; untouched parts carried over as they were."""
        changed: dict[str, bytes] = {}
        for sp in self.sheets.values():
            if sp.dirty:
                self.finish_sheet(sp)
                changed[sp.part] = etree.tostring(
                    sp.root, xml_declaration=True, encoding="UTF-8", standalone=True
                )
        if self.workbook_dirty:
            changed["xl/workbook.xml"] = etree.tostring(
                self.workbook, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        for part, root in self.tables.items():
            changed[part] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        if self.styles_dirty and self._styles is not None:
            changed[self.styles_part] = etree.tostring(
                self._styles, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for info in self.infos:
                data = changed.get(info.filename)
                if data is None:
                    data = self.zip.read(info)
                    z.writestr(info, data, compress_type=info.compress_type, compresslevel=1)
                else:
                    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    new.compress_type = zipfile.ZIP_DEFLATED
                    new.external_attr = info.external_attr
                    z.writestr(new, data, compresslevel=1)  # a ZipInfo ignores the file's level
        return out.getvalue()

    @property
    def dirty(self) -> bool:
        return any(sp.dirty for sp in self.sheets.values()) or self.workbook_dirty


def read_rows(
    pkg: Package, sheet: SheetSpec, headers: dict[str, str], keys: set[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Rows of one sheet by key: column key -> value, for the columns in `keys` (default all)."""
    sp = pkg.sheet(sheet.name, headers[sheet.key])
    if sp is None:
        return {}
    key_col = sp.columns.get(norm_header(headers[sheet.key]))
    if key_col is None:
        return {}
    wanted = {
        c.key: sp.columns.get(norm_header(headers[c.key]))
        for c in sheet.columns
        if keys is None or c.key in keys
    }
    wanted = {k: v for k, v in wanted.items() if v is not None}
    formats = {c.key: c.format for c in sheet.columns}
    out: dict[str, dict[str, Any]] = {}
    for _, row in pkg.data_rows(sp):
        cells = pkg.cells(row)
        kc = cells.get(key_col)
        key = pkg.value(kc) if kc is not None else None
        if key in (None, ""):
            continue
        key = str(key).strip()
        if key in out:
            continue
        values = {}
        for ck, col in wanted.items():
            values[ck] = pkg.column_value(cells, col, formats[ck])
        out[key] = values
    return out


def key_index(
    pkg: Package, sp: SheetPart, key_col: int, check_col: int | None
) -> dict[str, tuple[int, Any, Any]]:
    """key -> (row number, <row>, check value) for every data row, reading only two cells a row.

    The key is usually a row's first cell and the check its last, so most rows cost two
    look-ups; other rows are scanned. The first row with a key wins (a copy is left alone).
    """
    a = col_letters(key_col)
    b = col_letters(check_col) if check_col else None
    digits = "0123456789"
    out: dict[str, tuple[int, Any, Any]] = {}
    value = pkg.value
    for number, row in sp.rows.items():
        if number <= sp.header_row or not len(row):
            continue
        kc = cc = None
        first, last = row[0], row[-1]
        if first.tag == _C and (first.get("r") or "").rstrip(digits) == a:
            kc = first
        if b and last.tag == _C and (last.get("r") or "").rstrip(digits) == b:
            cc = last
        if kc is None or (b and cc is None):
            pos = 0
            for c in row.iterchildren(_C):
                ref = c.get("r")
                letters = ref.rstrip(digits) if ref else col_letters(pos + 1)
                pos = col_index(letters)
                if letters == a:
                    kc = c
                elif letters == b:
                    cc = c
        if kc is None:
            continue
        key = value(kc)
        if key in (None, ""):
            continue
        if isinstance(key, float) and key.is_integer():
            key = int(key)
        key = str(key).strip()
        if key not in out:
            out[key] = (number, row, value(cc) if cc is not None else None)
    return out
