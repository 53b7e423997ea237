"""People's cells moved between rows by a sort of one of their columns.

The check cell vouches for the cells the pipeline wrote; what people type (a decision, who
decided, a supervisor, a status) has nothing to vouch for it. A sort of one such column
("continue with the current selection") moves its values to other rows: seen from one saved
version of the workbook to the next, that column's values in the rows that changed are the
same values, shuffled. Rows that received a moved value are held (never acted on) until a
person clears that cell and types it again; a person typing in one row, or whole rows
moving together (a sort of the whole table), is not a shuffle.

What each sheet's people's cells said when last read is kept in the state folder
(tracker-typed.json), so a shuffle is seen by whichever process reads the workbook next.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.files import write_private

log = logging.getLogger("pipeline.tracker")

STATE_FILE = "tracker-typed.json"


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


_loaded: dict[str, tuple[bytes, dict]] = {}  # state file -> (its bytes, what they hold)


def _raw(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _read(path: Path, raw: Any = False) -> tuple[bytes | None, dict]:
    """The state file's bytes (`raw` when already read) and what they hold, parsed once per
    content and shared by the callers read-only. Told by content, not by modified time: two
    writes a millisecond apart can share a time, a size and even a file number."""
    if raw is False:
        raw = _raw(path)
    if raw is None:
        return None, {}
    seen = _loaded.get(str(path))
    if seen is not None and seen[0] == raw:
        return raw, seen[1]
    try:
        memo = json.loads(raw)
    except ValueError:
        return raw, {}
    if not isinstance(memo, dict):
        return raw, {}
    _loaded[str(path)] = (raw, memo)
    return raw, memo


def _load(path: Path) -> dict:
    return _read(path)[1]


# (state file, book|sheet, columns) -> (workbook version, state file bytes, held): a workbook
# read again unchanged, with the state file as this process left it, holds the same rows (the
# comparison is then of the rows with themselves), so neither is compared again.
_compared: dict[tuple, tuple] = {}


def held_rows(
    state_dir: Path,
    book: str,
    sheet: str,
    rows: dict[str, dict[str, Any]],
    columns: list[str],
    version: Any = None,
) -> dict[str, str]:
    """Row key -> the column whose cell was moved into that row (held until cleared), from
    `rows` as read now (people's columns only) against what was read last time. `version`
    (typed_rows.saved_version of the workbook the rows were read from) lets an unchanged
    workbook skip the comparison."""
    path = Path(state_dir) / STATE_FILE
    memo_key = (str(path), f"{book}|{sheet}", tuple(columns))
    raw = _raw(path)
    if version is not None:
        seen = _compared.get(memo_key)
        if seen is not None and seen[0] == version and seen[1] == raw:
            return dict(seen[2])
    memo = dict(_read(path, raw)[1])  # its entries are replaced, never changed in place
    entry = memo.get(f"{book}|{sheet}", {})
    before: dict[str, dict[str, str]] = entry.get("cells", {})
    held: dict[str, str] = dict(entry.get("held", {}))
    # what the rows of a shuffle held before it, so undoing it (or sorting back) is not
    # taken for another shuffle
    origin: dict[str, dict[str, str]] = {k: dict(v) for k, v in entry.get("origin", {}).items()}
    now = {k: {c: _text(v.get(c)) for c in columns} for k, v in rows.items()}
    for col in columns:
        common = [k for k in now if k in before]
        changed = [k for k in common if before[k].get(col, "") != now[k][col]]
        if len(changed) < 2:
            continue
        if Counter(before[k].get(col, "") for k in changed) != Counter(
            now[k][col] for k in changed
        ):
            continue
        for k in changed:
            first = origin.setdefault(k, {}).setdefault(col, before[k].get(col, ""))
            if now[k][col] == first:  # back to what it was before: put right
                if held.get(k) == col:
                    del held[k]
            elif now[k][col]:
                held[k] = col
                log.warning("tracker: %s row %s: '%s' moved in from another row", sheet, k, col)
    for k, col in list(held.items()):  # a person cleared the moved cell (or the row went)
        if not now.get(k, {}).get(col):
            del held[k]
    if not held:
        origin = {}
    new_entry = {"cells": now, "held": held, "origin": origin}
    kept = raw
    if entry != new_entry:
        memo[f"{book}|{sheet}"] = new_entry
        data = json.dumps(memo, ensure_ascii=False).encode("utf-8")
        try:
            write_private(path, data)
            kept = data
            _loaded[str(path)] = (data, memo)  # what the file now holds
        except OSError:
            kept = b"\0"  # matches no file: compared again next time, the write tried again
            log.warning("tracker: could not keep what people typed (%s)", STATE_FILE)
    if version is not None:
        _compared[memo_key] = (version, kept, dict(held))
    return dict(held)


def held_now(state_dir: Path, book: str, sheet: str) -> dict[str, str]:
    """The rows held on a sheet as last worked out (for `status` and the digest)."""
    return dict(_load(Path(state_dir) / STATE_FILE).get(f"{book}|{sheet}", {}).get("held", {}))
