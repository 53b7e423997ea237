"""Reconcile the tracking workbook with the ledger, in one write per workbook per batch.

The ledger is the truth for the pipeline's own columns; a person's columns are theirs. A
sync appends the rows that are missing (a new referral, or one lost when someone saved over
the file) and corrects pipeline cells that differ, and writes nothing while the workbook is
open. Each write keeps the previous version in backups/.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.clock import today
from pipeline.dates import numeric_date
from pipeline.errors import FamilyTimeError
from pipeline.files import private_dir, write_private
from pipeline.models import Allocation, Item
from pipeline.profile import Profile
from pipeline.tracker import lock
from pipeline.tracker.allocation import TypedAllocation
from pipeline.tracker.books import DECISIONS_SHEET, SyncReport, sync_message, workbook_path
from pipeline.tracker.columns import SheetSpec, TrackerSpec, load_spec, said
from pipeline.tracker.create import add_missing_sheets, headers, new_workbook_bytes
from pipeline.tracker.rowcheck import Check, Fingerprints, canon, check_text, pipeline_columns
from pipeline.tracker.rows import SEED, RowSource, parse_date, row_sources
from pipeline.tracker.sheets import resolve as resolve_sheets
from pipeline.tracker.typed_rows import cell_text, typed_rows
from pipeline.tracker.validations import refresh as refresh_validations
from pipeline.tracker.workbook import (
    Package,
    SheetPart,
    WorkbookError,
    key_index,
    norm_header,
    read_rows,
)

log = logging.getLogger("pipeline.tracker")
BACKUP_DIR = "backups"
RETRIES = 3
# path -> [file stamp, digest of its rows' signatures] after the last write or check, also
# kept in <state>/tracker-sync.json: a workbook nobody has touched since, for a ledger that
# has not changed, is then not even opened.
_written: dict[str, list] = {}
MEMORY_FILE = "tracker-sync.json"


class LayoutError(FamilyTimeError):
    """The workbook's columns were changed so far that writing could do harm."""


@dataclass
class Difference:
    """One way the workbook and the ledger disagree (`family-time tracker check`)."""

    kind: str  # "missing", "differs", "unknown", "moved"
    workbook: str
    sheet: str
    key: str
    columns: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if self.kind == "missing":
            return said("check_missing", sheet=self.sheet, key=self.key)
        if self.kind in ("differs", "moved"):
            columns = said("columns_separator").join(self.columns)
            name = "check_differs" if self.kind == "differs" else "check_moved"
            return said(name, sheet=self.sheet, key=self.key, columns=columns)
        return said("check_unknown", sheet=self.sheet, key=self.key)


# ---------------------------------------------------------------- comparing cells


def _same(want: Any, have: Any) -> bool:
    if isinstance(want, dt.date):
        return (have == want) or (isinstance(have, str) and parse_date(have) == want)
    if have is None:
        have = ""
    elif isinstance(have, float):
        have = str(int(have)) if have.is_integer() else str(have)
    elif isinstance(have, bool):
        have = "Yes" if have else "No"
    elif isinstance(have, dt.date):
        have = numeric_date(have)
    return " ".join(str(have).split()) == " ".join(str(want).split())


# ---------------------------------------------------------------- one workbook


@dataclass
class _Reconciliation:
    """One workbook compared with the rows it must hold: the package (changed in memory when
    editing), whether it is new, and the rows appended, updated or found different."""

    pkg: Package
    created: bool
    appended: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    moved: dict[str, list[str]] = field(default_factory=dict)  # sheet -> keys held as moved


def _open(
    path: Path, spec: TrackerSpec, profile: Profile, wanted: list[str]
) -> tuple[Package, bool]:
    if not path.exists():
        return Package(new_workbook_bytes(spec, profile), path), True
    pkg = Package.open(path)
    resolve_sheets(pkg, spec, profile)  # a renamed sheet is found by its headers
    missing = [n for n in wanted if n not in pkg.sheet_parts and n not in pkg.aliases]
    if missing:
        log.info("tracker: adding sheet(s) %s to %s", ", ".join(missing), path.name)
        original = pkg.data
        pkg = Package(add_missing_sheets(original, missing, spec, profile), path)
        resolve_sheets(pkg, spec, profile)
        pkg.original = original  # the backup keeps the file as it was on disk
        return pkg, True
    return pkg, False


def _layout(spec: TrackerSpec, profile: Profile) -> str:
    """Changes when the layout or the service's words do, so every row is re-checked once."""
    raw = spec.model_dump_json() + repr(sorted(profile.words.items()))
    return hashlib.blake2b(raw.encode(), digest_size=6).hexdigest()


def _reconcile(
    path: Path,
    spec: TrackerSpec,
    profile: Profile,
    sheets: dict[str, dict[str, RowSource]],
    edit: bool,
    full: bool = False,
    all_sheets: bool = False,
) -> _Reconciliation:
    """Compare the workbook with the rows it must hold; with `edit`, change it in memory.

    Rows whose hidden check cell matches are skipped unless `full`; `full` reads every
    pipeline cell (what `tracker check` reports, and `tracker sync --full` corrects).
    """
    wanted = [
        s.name for s in spec.enabled_sheets if s.name in sheets or all_sheets or s.kept_by_people
    ]
    pkg, created = _open(path, spec, profile, wanted if edit else [])
    outcome = _Reconciliation(pkg=pkg, created=created)
    for sheet in spec.enabled_sheets:
        if sheet.name not in wanted or sheet.kept_by_people:
            continue
        _reconcile_sheet(
            outcome, path, sheet, spec, profile, sheets.get(sheet.name, {}), edit, full
        )
    return outcome


def _reconcile_sheet(
    outcome: _Reconciliation,
    path: Path,
    sheet: SheetSpec,
    spec: TrackerSpec,
    profile: Profile,
    sources: dict[str, RowSource],
    edit: bool,
    full: bool,
) -> None:
    """One sheet of `_reconcile`: its rows appended, compared or corrected, into `outcome`."""
    pkg = outcome.pkg
    hdrs = headers(sheet, profile)
    sp = pkg.sheet(sheet.name, hdrs[sheet.key])
    if sp is None:
        outcome.differences += [Difference("missing", path.name, sheet.name, k) for k in sources]
        return
    if edit and norm_header(hdrs[sheet.key]) not in sp.columns and any(pkg.data_rows(sp)):
        raise LayoutError(
            said(
                "no_key_column",
                sheet=sheet.name,
                name=path.name,
                header=hdrs[sheet.key],
                backups=BACKUP_DIR,
            )
        )
    cols, check_col = _sheet_columns(pkg, sp, sheet, spec, hdrs, edit)
    key_col = cols.get(sheet.key)
    index = key_index(pkg, sp, key_col, check_col) if key_col else {}
    rows = _Rows(pkg, sp, sheet, spec, hdrs, cols, check_col, sources, edit)
    for key in index.keys() - sources.keys():
        outcome.differences.append(Difference("unknown", path.name, sheet.name, key))
    for key, src in sources.items():
        hit = index.get(key)
        if hit is None:
            outcome.differences.append(Difference("missing", path.name, sheet.name, key))
            outcome.appended.append(key)
            if edit:
                rows.append(src, key_col)
            continue
        differ, moved = rows.compare(hit, src, full)
        if moved:
            outcome.differences.append(Difference("moved", path.name, sheet.name, key, differ))
            outcome.moved.setdefault(sheet.name, []).append(key)
        elif differ:
            outcome.differences.append(Difference("differs", path.name, sheet.name, key, differ))
            outcome.updated.append(key)
    if edit:  # drop-downs as tracker.toml has them, values written
        refresh_validations(pkg, sp, sheet, spec, profile)


def _sheet_columns(
    pkg: Package,
    sp: SheetPart,
    sheet: SheetSpec,
    spec: TrackerSpec,
    hdrs: dict[str, str],
    edit: bool,
) -> tuple[dict[str, int], int | None]:
    """Column key -> column number, and the hidden check column; with `edit`, a column
    missing from the sheet gets its heading back."""
    cols: dict[str, int] = {}
    for column in sheet.columns:
        col = sp.columns.get(norm_header(hdrs[column.key]))
        if col is None and edit:  # a workbook from an older layout (or a
            col = pkg.add_header(sp, hdrs[column.key])  # column deleted) gets it back
        if col is not None:
            cols[column.key] = col
    check_col = sp.columns.get(norm_header(spec.check_column))
    if check_col is None and edit:
        check_col = pkg.add_header(sp, spec.check_column)
    return cols, check_col


_ALLOCATION_CELLS = ("supervisor", "venue", "room", "day", "time", "first_date")


class _Rows:
    """One sheet's rows against the ledger: appended, compared, put right or held.

    The check cell vouches for every pipeline cell of its row (rowcheck.py). A row whose
    cells differ from the ledger is put right from the ledger by its reference when that is
    certain: the changed cells were typed over or cleared, or they were moved in from other
    rows but nothing a person typed sits beside them. Moved cells beside a person's typing
    (an allocation, a decision typed looking at another child's name) are not certain: the
    row is held (its check cell can no longer match, so nothing acts on it) and its note says
    so, until a person sorts the whole table, undoes, or clears the moved cells.
    """

    def __init__(self, pkg, sp, sheet, spec, hdrs, cols, check_col, sources, edit):
        self.pkg, self.sp, self.sheet, self.spec, self.hdrs = pkg, sp, sheet, spec, hdrs
        self.cols, self.check_col, self.sources, self.edit = cols, check_col, sources, edit
        self.owned = pipeline_columns(sheet, cols)
        self.fingerprints = Fingerprints(pkg, self.owned)
        self.formats = {c.key: c.format for c in sheet.columns}
        self.person = [c.key for c in sheet.columns if not c.pipeline]
        self._ledger_values: dict[str, set[str]] | None = None
        self._note_col: int | None = sp.columns.get(norm_header(spec.note_column))

    # ---- writing
    def _vouch(self, row, number: int, src: RowSource) -> None:
        """The check cell after the row's pipeline cells were written: it covers them all."""
        if not self.check_col:
            return
        text = check_text(src.signature, self.fingerprints.of_row(row))
        if self.pkg.column_value(self.pkg.cells(row), self.check_col, "text") != text:
            self.pkg.set_cell(self.sp, row, number, self.check_col, text, "")

    def _note(self, row, number: int, text: str) -> None:
        if self._note_col is None:
            if not text:
                return
            self._note_col = self.pkg.add_header(self.sp, self.spec.note_column)
        have = self.pkg.column_value(self.pkg.cells(row), self._note_col, "text") or ""
        if have != text:
            self.pkg.set_cell(self.sp, row, number, self._note_col, text, "")

    def append(self, src: RowSource, key_col: int | None) -> None:
        """A row the sheet lacks, written with its seeds and its check cell. A row the ledger
        shows was allocated (a pack was made from it) was deleted: it comes back with that
        allocation and a note saying so."""
        cells = [
            (self.cols[ck.removeprefix(SEED)], v)
            for ck, v in src.row.items()
            if ck.removeprefix(SEED) in self.cols
        ]
        extras = getattr(src, "extras", None) or {}  # a Decisions row has none
        restored = (extras.get("allocated") or {}).get(src.key)
        if restored and "status" in self.cols:
            cells = [(c, v) for c, v in cells if c not in self._allocation_cols()]
            cells.append((self.cols["status"], "Allocated"))
            for k in _ALLOCATION_CELLS:
                if k in self.cols and restored.get(k):
                    value = restored[k]
                    day = parse_date(value) if k == "first_date" else None
                    cells.append((self.cols[k], day or value))
        number = self.pkg.append_row(self.sp, cells, self.spec.date_format, key_col)
        row = self.sp.rows[number]
        if restored and "status" in self.cols:
            self._note(row, number, self._word("restored_row", date=numeric_date(today())))
        self._vouch(row, number, src)

    def _allocation_cols(self) -> set[int]:
        return {self.cols[k] for k in ("status", *_ALLOCATION_CELLS) if k in self.cols}

    def _word(self, name: str, **kw) -> str:
        from pipeline import words

        return words.fill(self.spec.words[name], f"tracker.toml [words] {name}", **kw)

    # ---- comparing
    def compare(self, hit: tuple, src: RowSource, full: bool) -> tuple[list[str], bool]:
        """(the pipeline columns where the row differs from the ledger, held as moved?);
        ([], False) at once when the check cell vouches for the row's cells, unless `full`.
        With `edit`, the row is put right, or held with a note."""
        number, row, seen_check = hit
        check = Check.read(seen_check)
        vouched = False  # the check cell vouches for the row's cells as the pipeline wrote them
        if check is not None and not check.held:
            vouched = check.fp == (self.fingerprints.of_row(row) if self.owned else "")
            if vouched and not full and check.signature == src.signature:
                return [], False
        cells = self.pkg.cells(row)
        differ: dict[str, tuple[int | None, object]] = {}
        for ck, value in src.row.items():
            if ck.startswith(SEED):
                continue  # a seed is written with a new row only
            col = self.cols.get(ck)
            if col is None:
                differ[ck] = (None, value)
                continue
            if not _same(value, self.pkg.column_value(cells, col, self.formats[ck])):
                differ[ck] = (col, value)
        # cells the check cell vouches for are as the pipeline wrote them: a difference is the
        # ledger's news (an acceptance, a pack), never a sort, even where the old value is what
        # another row now shows
        moved = not vouched and self._moved(cells, src, differ) and not self._certain(cells, src)
        if not self.edit:
            return list(differ), moved
        if moved:
            headings = said("columns_separator").join(self.hdrs[k] for k in differ)
            self._note(row, number, self._word("moved_row", columns=headings, key=src.key))
            held = check_text(src.signature, "0", held=True)  # matches no row's cells
            if seen_check != held and self.check_col:
                self.pkg.set_cell(self.sp, row, number, self.check_col, held, "")
            log.warning("tracker: %s: row %s held: its cells were moved", self.sp.name, src.key)
            return list(differ), True
        for _ck, (col, value) in differ.items():
            if col is not None:
                self.pkg.set_cell(self.sp, row, number, col, value, self.spec.date_format)
        if check is not None and check.held:
            self._note(row, number, "")  # put right or undone: the note has nothing to say
        self._vouch(row, number, src)
        return list(differ), False

    def _moved(self, cells, src: RowSource, differ: dict) -> bool:
        """Whether a differing cell holds what the ledger gives another row in that column
        (moved there by a sort), rather than a value someone typed over or cleared."""
        for ck, (col, _value) in differ.items():
            if col is None:
                continue
            have = canon(self.pkg.column_value(cells, col, self.formats[ck]), self.formats[ck])
            if have and have in self._values(ck):
                return True
        return False

    def _values(self, ck: str) -> set[str]:
        if self._ledger_values is None:
            self._ledger_values = {}
            for other in self.sources.values():
                for k, v in other.row.items():
                    if not k.startswith(SEED):
                        fmt = self.formats.get(k, "text")
                        self._ledger_values.setdefault(k, set()).add(canon(v, fmt))
        return self._ledger_values.get(ck, set())

    def _certain(self, cells, src: RowSource) -> bool:
        """Putting moved cells back by the row's reference is certain when nobody typed in
        the row (its person cells empty, or holding only what the pipeline put there)."""
        for ck in self.person:
            col = self.cols.get(ck)
            if col is None:
                continue
            fmt = self.formats[ck]
            have = canon(self.pkg.column_value(cells, col, fmt), fmt)
            if not have:
                continue
            ours = src.row.get(SEED + ck, src.row.get(ck))
            if ours is None or canon(ours, fmt) != have:
                return False
        return True


def _backup(path: Path, data: bytes, keep: int) -> Path:
    folder = private_dir(path.parent / BACKUP_DIR)
    # The machine's clock, not the pipeline's: the names order the backups, and pruning keeps
    # the last ones by name, so a demonstration's moved day must not make a new one "oldest".
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return write_private(folder / f"{path.stem} {stamp}{path.suffix}", data)


def prune_backups(path: Path, keep: int) -> int:
    """Delete the oldest backups beyond `keep`, its own step after the write: a backup open
    in Excel (or any failure here) is skipped and tried next time, never blocking a write."""
    folder = path.parent / BACKUP_DIR
    try:
        old = sorted(folder.glob(f"{path.stem} *{path.suffix}"))
    except OSError:
        return 0
    removed = 0
    for extra in old[:-keep] if keep > 0 else old:
        try:
            extra.unlink(missing_ok=True)
            removed += 1
        except OSError as exc:
            log.info("tracker: an old backup could not be deleted yet (%s)", type(exc).__name__)
    return removed


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
        return (st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        return None


def _memory_path(config: Any) -> Path | None:
    try:
        return config.state_dir / MEMORY_FILE
    except AttributeError:
        return None


def _recall(config: Any, path: Path) -> list | None:
    key = str(path)
    if key not in _written:
        mem = _memory_path(config)
        if mem is not None and mem.exists():
            try:
                for k, v in json.loads(mem.read_text(encoding="utf-8")).items():
                    _written.setdefault(k, v)
            except (OSError, ValueError):
                pass  # a damaged memory only costs a full read
    return _written.get(key)


def _remember(config: Any, path: Path, stamp: Any, digest: str) -> None:
    entry = [list(stamp) if stamp else None, digest]
    if _written.get(str(path)) == entry:
        return
    _written[str(path)] = entry
    mem = _memory_path(config)
    if mem is None:
        return
    try:
        write_private(mem, json.dumps(_written, sort_keys=True).encode("utf-8"))
    except OSError as exc:
        log.warning("tracker: cannot save %s: %s", MEMORY_FILE, exc)


def _digest(sheets: dict[str, dict[str, RowSource]]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for name in sorted(sheets):  # one update a sheet: the same digest as one a row
        h.update(
            "".join(f"{name}\0{k}\0{src.signature}\n" for k, src in sheets[name].items()).encode()
        )
    return h.hexdigest()


def sync_one(
    path: Path,
    spec: TrackerSpec,
    profile: Profile,
    sheets: dict[str, dict[str, RowSource]],
    report: SyncReport,
    full: bool,
    config: Any = None,
) -> None:
    """Bring one workbook in line with `sheets` and add what was done to `report` (public for
    the Decisions sheet's write, decisions.py): nothing while it is open, a backup first, and
    start again if someone saved meanwhile."""
    for _attempt in range(RETRIES):
        held = lock.open_by(path)
        if held:
            report.waiting = True
            report.problems.append(held)
            log.info("tracker: %s is open; rows wait", path.name)
            return
        before = _stamp(path)
        digest = _digest(sheets)
        if not full and before is not None and _recall(config, path) == [list(before), digest]:
            return  # nobody touched it and the ledger has nothing new
        try:
            outcome = _reconcile(path, spec, profile, sheets, edit=True, full=full)
        except LayoutError as exc:
            report.problems.append(str(exc))
            return
        except WorkbookError as exc:
            report.problems.append(
                said("not_readable_nothing_written", problem=exc, backups=BACKUP_DIR)
            )
            return
        except PermissionError:
            report.waiting = True
            report.problems.append(said("read_locked", name=path.name))
            return
        if not (outcome.pkg.dirty or outcome.created):
            _remember(config, path, before, digest)
            return
        data = outcome.pkg.to_bytes()
        if _stamp(path) != before:
            continue  # someone saved while we worked: start again
        try:
            if before is not None:
                _backup(path, outcome.pkg.original, spec.backups)
            write_private(path, data)
        except PermissionError:
            report.waiting = True
            report.problems.append(said("save_locked", name=path.name))
            return
        prune_backups(path, spec.backups)
        _remember(config, path, _stamp(path), digest)
        report.writes += 1
        report.workbooks.append(path)
        report.appended += len(outcome.appended)
        report.updated += len(outcome.updated)
        report.written += outcome.appended + outcome.updated
        log.info(
            "tracker: %s: %d added, %d updated (%s)",
            path.name,
            len(outcome.appended),
            len(outcome.updated),
            ", ".join((outcome.appended + outcome.updated)[:20]),
        )
        return
    report.waiting = True
    report.problems.append(said("kept_changing", name=path.name))


# ---------------------------------------------------------------- public API


def _extras(
    paperwork: dict[str, str] | None,
    acknowledged: dict[str, Any] | None,
    more: dict[str, dict[str, Any]] | None = None,
) -> dict:
    out: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (more or {}).items() if v}
    if paperwork:
        out["paperwork"] = dict(paperwork)
    if acknowledged:
        out["acknowledged"] = dict(acknowledged)
    return out


def sync(
    items: Iterable[Item],
    config: Any,
    profile: Profile,
    paperwork: dict[str, str] | None = None,
    acknowledged: dict[str, Any] | None = None,
    *,
    full: bool = False,
    extras: dict[str, dict[str, Any]] | None = None,
) -> SyncReport:
    """Bring the workbook(s) in line with `items`: one write per workbook, never a person's cell.

    `paperwork` and `acknowledged` (reference -> text or date) fill the pipeline's
    "Paperwork" and "Acknowledgement sent" cells; a reference not given leaves its cell as is.
    `extras` (name -> row key -> value) feed other `extra.<name>` sources, e.g. "status" ->
    "Suspended until 30/11/2026": the one time tracker.toml lets the pipeline write a cell a
    person otherwise keeps (give it once; afterwards the cell is theirs again).
    """
    report = SyncReport()
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of short-lived XML proxies: collect once, after
    try:
        return _sync(items, config, profile, _extras(paperwork, acknowledged, extras), full, report)
    finally:
        if collecting:
            gc.enable()


def _sync(items, config, profile, extras, full, report) -> SyncReport:
    try:
        spec = load_spec(profile=profile)
        if extras.get("allocated"):
            extras["allocated"] = _not_in_earlier_books(extras["allocated"], config, profile, spec)
        sheets = row_sources(list(items), spec, extras, _layout(spec, profile))
    except Exception as exc:  # a bad layout file or a malformed item: say so, do not crash
        log.exception("tracker: could not work out the rows")
        report.problems.append(said("not_updated", problem=exc))
        report.message = report.problems[-1]
        return report
    sync_one(workbook_path(config, profile, spec), spec, profile, sheets, report, full, config)
    report.message = sync_message(report)
    return report


def _not_in_earlier_books(allocated: dict, config: Any, profile: Profile, spec) -> dict:
    """The allocations a missing row is restored with, less those of referrals an earlier
    year's workbook still holds: their row in the one workbook is new, not deleted, and the
    allocation typed in the earlier workbook counts until someone types in the new row."""
    from pipeline.tracker.books import read_workbooks

    one = workbook_path(config, profile, spec)
    earlier = [p for p in read_workbooks(config, profile, spec) if p != one and p.exists()]
    sheet = next((s for s in spec.enabled_sheets if "accepted" in s.outcomes), None)
    if not earlier or sheet is None:
        return allocated
    kept = dict(allocated)
    for path in earlier:
        try:
            pkg = Package.open(path)
        except (WorkbookError, OSError):
            return {}  # cannot tell: restore nothing rather than guess
        resolve_sheets(pkg, spec, profile)
        for key in read_rows(pkg, sheet, headers(sheet, profile), keys={sheet.key}):
            kept.pop(key, None)
    return kept


def check(
    items: Iterable[Item], config: Any, profile: Profile, proposals: Iterable[Any] = ()
) -> list[Difference]:
    """How the workbook(s) differ from the ledger, without writing anything.

    `proposals` are the Decisions sheet's rows as the ledger knows them
    (`sessions.effect.proposal_rows`): without them every proposal's row would look like one
    the ledger does not have, while sync (which writes them) finds nothing to do."""
    spec = load_spec(profile=profile)
    sheets = row_sources(list(items), spec, None, _layout(spec, profile))
    for row in proposals:
        sheets.setdefault(DECISIONS_SHEET, {})[row.key] = row
    path = workbook_path(config, profile, spec)
    if not path.exists():
        return [Difference("missing", path.name, s, k) for s, rows in sheets.items() for k in rows]
    return _reconcile(
        path, spec, profile, sheets, edit=False, full=True, all_sheets=True
    ).differences


def read_staff(config: Any, profile: Profile) -> list[dict[str, str]]:
    """The people co-ordinators list on the Staff sheet (name, role, email, hours), from the
    one workbook; [] when there is no such sheet or nobody is on it."""
    spec = load_spec()
    sheet = next((s for s in spec.enabled_sheets if s.kept_by_people), None)
    if sheet is None:
        return []
    path = workbook_path(config, profile, spec)
    if not path.exists():
        return []
    try:
        pkg = Package.open(path)
    except (WorkbookError, OSError) as exc:
        log.warning("tracker: cannot read the staff list in %s: %s", path.name, exc)
        return []
    resolve_sheets(pkg, load_spec(profile=profile), profile)
    from pipeline.tracker.shuffled import held_rows

    rows = read_rows(pkg, sheet, headers(sheet, profile))
    columns = [c.key for c in sheet.columns if c.key != sheet.key]
    # a column sorted alone (Name, say) gives people other people's roles and addresses:
    # those rows are nobody until put right (status and the digest say which)
    held = held_rows(config.state_dir, path.name, sheet.name, rows, columns)
    out = []
    for name, values in rows.items():
        if name in held:
            continue
        person = {k: (cell_text(v) or "") for k, v in values.items()}
        person[sheet.key] = name
        out.append(person)
    return out


def read_allocations(config: Any, profile: Profile) -> list[Allocation]:
    """Rows where a co-ordinator has typed something (books.read_workbooks).

    Reading is allowed while the workbook is open. A workbook that cannot be read is
    logged and skipped, so paperwork for other rows still goes out.
    """
    spec = load_spec(profile=profile)
    sheet = next((s for s in spec.enabled_sheets if "accepted" in s.outcomes), None)
    if sheet is None:
        return []
    person = {c.key for c in sheet.columns if not c.pipeline}
    choices = {c.key: c.choices for c in sheet.columns if c.choices}
    found: dict[str, Allocation] = {}
    for ref, values in typed_rows(config, profile, spec, sheet, person, "allocations").items():
        fields: dict[str, Any] = {}
        for key in person & set(Allocation.model_fields):
            v = values.get(key)
            if key == "first_date":
                fields[key] = v if isinstance(v, dt.date) else parse_date(v)
                if fields[key] is None and cell_text(v):
                    fields["first_date_text"] = cell_text(v)  # said back, not guessed
            elif key == "family_time_ends":  # not a date: the service's limit still stands
                day = v if isinstance(v, dt.date) else parse_date(v)
                fields[key] = day.date() if isinstance(day, dt.datetime) else day
            else:
                text = cell_text(v)
                for choice in choices.get(key, []):
                    if text and text.casefold() == choice.casefold():
                        text = choice
                fields[key] = text
        if any(v not in (None, "") for v in fields.values()):
            asked = "accepted_by" in values  # a workbook made before the column has none
            found[ref] = TypedAllocation(reference=ref, acceptance_asked=asked, **fields)
    return list(found.values())
