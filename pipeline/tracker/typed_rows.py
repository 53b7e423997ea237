"""What people typed on one sheet, read from the workbook: the one reader behind
allocations, decisions and reviews.

Reading is allowed while a workbook is open in Excel. Where an earlier version left one
workbook per year, those are read first and the one workbook last: its row wins once anything
is typed in it. A workbook that cannot be read is logged and skipped, so the others still count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from pipeline.dates import numeric_date
from pipeline.tracker.books import read_workbooks
from pipeline.tracker.columns import SheetSpec, TrackerSpec, load_spec
from pipeline.tracker.create import headers
from pipeline.tracker.rowcheck import moved_keys
from pipeline.tracker.sheets import resolve as resolve_sheets
from pipeline.tracker.shuffled import held_now, held_rows
from pipeline.tracker.workbook import Package, WorkbookError, read_rows

log = logging.getLogger("pipeline.tracker")


MOVED = "__moved__"  # in a row kept with `keep_moved`: its cells were moved (never act on it)


def typed_rows(
    config: Any,
    profile,
    spec: TrackerSpec,
    sheet: SheetSpec,
    keys: set[str],
    what: str,
    keep_moved: bool = False,
) -> dict[str, dict[str, Any]]:
    """Row key -> {column key: value} for `keys`. A row the pipeline added to the one workbook
    for a referral of an earlier year's workbook is empty until someone types in it: the row
    typed in the earlier workbook counts until then. A row whose cells were moved is left out,
    or with `keep_moved` kept and marked MOVED (a reader that must remember what was typed
    there, so it is not applied once the cells are put right)."""
    hdrs = headers(sheet, profile)
    own = load_spec(profile=profile)  # the service's columns, as the sync vouched for them
    own_sheet = own.sheet(sheet.name)
    people = [c.key for c in own_sheet.columns if not c.pipeline and c.key in hdrs]
    wanted = keys | set(people) | {sheet.key}
    out: dict[str, dict[str, Any]] = {}
    for path in read_workbooks(config, profile, spec):
        if not path.exists():
            continue
        read = _read(path, profile, spec, sheet, hdrs, own, wanted, what)
        if read is None:
            continue
        version, rows, moved = read
        shuffled = held_rows(config.state_dir, path.name, sheet.name, rows, people, version)
        for key, values in rows.items():
            values = {k: v for k, v in values.items() if k in keys or k == sheet.key}
            if key in moved or key in shuffled:  # typed beside another child's cells
                out.pop(key, None)
                if keep_moved:  # the column moved into this row, or True (rowcheck.py)
                    out[key] = {**values, MOVED: shuffled.get(key) or True}
                continue
            if key not in out or any(cell_text(v) for k, v in values.items() if k != sheet.key):
                out[key] = values
    return out


def saved_version(data: bytes) -> tuple[int, bytes]:
    """One saved version of a workbook, from its bytes: their length and a 16-byte hash (a
    file's modified time and size can stay the same across two quick saves; its bytes cannot).
    Reading and hashing the file costs milliseconds; parsing it, a tenth of a second and up."""
    return (len(data), hashlib.blake2b(data, digest_size=16).digest())


# (path, sheet, columns read, headers) -> (version, profile, spec, own spec, rows, moved rows):
# every reader of one pass (allocations, reviews, decisions, commitments) and the next passes
# parse an unchanged workbook once, not once each. The profile and specs are kept and compared
# by identity, so a memo is never used for another layout.
_read_seen: dict[tuple, tuple] = {}


def _read(path, profile, spec, sheet, hdrs, own, wanted, what):
    """(the file's saved_version, rows by key for the columns `wanted`, the sheet's moved
    rows) as saved in `path`, or None when it cannot be read (logged)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.warning("tracker: cannot read %s for %s: %s", path.name, what, exc)
        return None
    version = saved_version(data)
    memo_key = (str(path), sheet.name, frozenset(wanted), tuple(sorted(hdrs.items())))
    seen = _read_seen.get(memo_key)
    if (
        seen is not None
        and seen[0] == version
        and seen[1] is profile
        and seen[2] is spec
        and seen[3] is own
    ):
        return version, seen[4], seen[5]
    try:
        pkg = Package(data, path)
    except WorkbookError as exc:
        log.warning("tracker: cannot read %s for %s: %s", path.name, what, exc)
        return None
    resolve_sheets(pkg, spec, profile)
    own_sheet = own.sheet(sheet.name)
    moved = _moved(pkg, own_sheet, own, headers(own_sheet, profile), path, version)
    rows = read_rows(pkg, sheet, hdrs, keys=wanted)
    _read_seen[memo_key] = (version, profile, spec, own, rows, moved)
    return version, rows, moved


# (path, sheet, headers) -> (saved_version, moved keys)
_seen: dict[tuple, tuple[object, set[str]]] = {}


def _moved(
    pkg: Package,
    sheet: SheetSpec,
    spec: TrackerSpec,
    hdrs: dict[str, str],
    path=None,
    version: tuple | None = None,
) -> set[str]:
    """The sheet's moved rows, worked out once per saved version of the file (the readers of
    one pass, the pack's guard and the digest all ask)."""
    if path is None:
        sp = pkg.sheet(sheet.name, hdrs[sheet.key])
        return moved_keys(pkg, sp, sheet, spec, hdrs) if sp is not None else set()
    version = version or saved_version(pkg.data)
    memo_key = (str(path), sheet.name, tuple(sorted(hdrs.items())))
    memo = _seen.get(memo_key)
    if memo is not None and memo[0] == version:
        return memo[1]
    sp = pkg.sheet(sheet.name, hdrs[sheet.key])
    found = moved_keys(pkg, sp, sheet, spec, hdrs) if sp is not None else set()
    _seen[memo_key] = (version, found)
    return found


def moved_rows(config: Any, profile, spec: TrackerSpec | None = None) -> dict[str, list[str]]:
    """Sheet name -> the keys of its rows whose cells were moved (rowcheck.py), in the one
    workbook: what `status` and the digest say, and what no reader acts on. {} when the
    workbook cannot be read (the readers skip it too)."""
    from pipeline.tracker.books import workbook_path

    spec = spec or load_spec(profile=profile)
    path = workbook_path(config, profile, spec)
    if not path.exists():
        return {}
    try:
        pkg = Package.open(path)
    except (WorkbookError, OSError):
        return {}
    resolve_sheets(pkg, spec, profile)
    version = saved_version(pkg.data)
    out: dict[str, list[str]] = {}
    for sheet in spec.enabled_sheets:
        if sheet.kept_by_people:  # the Staff sheet: only a column sorted alone can show
            staff = held_now(config.state_dir, path.name, sheet.name)
            if staff:
                out[sheet.name] = sorted(staff)
            continue
        found = _moved(pkg, sheet, spec, headers(sheet, profile), path, version)
        found |= set(held_now(config.state_dir, path.name, sheet.name))  # a column sorted alone
        if found:
            out[sheet.name] = sorted(found)
    return out


def moved_sentences(config: Any, profile) -> list[str]:
    """The moved rows in plain words, one sentence a sheet (tracker.toml [messages])."""
    from pipeline.tracker.columns import said

    spec = load_spec(profile=profile)
    return [
        said(
            "moved_rows",
            sheet=sheet,
            keys=said("names_separator").join(keys),
            note=spec.note_column,
        )
        for sheet, keys in moved_rows(config, profile, spec).items()
    ]


def cell_text(value: Any) -> str | None:
    """What a person typed in a cell, as text (None for an empty cell): whole numbers without
    ".0", a time Excel stores as a fraction of a day as hh:mm, a date as dd/mm/yyyy."""
    if value in (None, ""):
        return None
    if isinstance(value, float):
        if 0 <= value < 1:  # a time of day Excel stores as a fraction
            minutes = round(value * 24 * 60)
            return f"{minutes // 60:02d}:{minutes % 60:02d}"
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.date):
        return numeric_date(value)
    return " ".join(str(value).split()) or None


def moved_referrals(config: Any, profile) -> dict[str, str]:
    """Referral reference -> why nothing is done for its row (its cells were moved): the
    guard the pack, and anything else acting on a Referrals row, checks first."""
    spec = load_spec(profile=profile)
    sheet = next((s for s in spec.enabled_sheets if "accepted" in s.outcomes), None)
    return moved_on(config, profile, sheet.name) if sheet is not None else {}


def moved_on(config: Any, profile, sheet_name: str) -> dict[str, str]:
    """Row key -> why nothing is done for that row of `sheet_name` ("Decisions", "Sessions"):
    its cells were moved since the pipeline wrote them (rowcheck.py). typed_rows already
    leaves these rows out; this says which they are, in the words `status` uses."""
    from pipeline.tracker.columns import said

    spec = load_spec(profile=profile)
    keys = moved_rows(config, profile, spec).get(sheet_name, [])
    return {k: said("moved_rows", sheet=sheet_name, keys=k, note=spec.note_column) for k in keys}
