"""Ledger items -> the values the pipeline owns in each sheet's rows.

Pure functions: no files. Where each value comes from is data (tracker.toml `from`/`join`),
so a new column or a new sheet is an edit there. Re-submissions share a reference, so the
rows are worked out per reference from all of its items together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pipeline import words
from pipeline.dates import numeric_date
from pipeline.models import Item
from pipeline.tracker.columns import ColumnSpec, SheetSpec, TrackerSpec, said
from pipeline.tracker.typed import read_date

Value = str | dt.date  # what a pipeline cell holds; "" is a blank cell
SEED = "seed:"  # a row key for a person's cell filled once, when the row is added
Row = dict[str, Value]  # column key -> value (a column absent: leave the cell alone)
Extras = dict[str, dict[str, Any]]  # extra name ("paperwork") -> reference -> value

EXCEL_MAX_TEXT = 32767


def as_text(value: Any) -> str:
    """A form answer as the text a person would write in a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (dt.datetime, dt.date)):
        return numeric_date(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, (list, tuple)):
        return ", ".join(as_text(v) for v in value if as_text(v))
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    """A date from a cell: the one reading of typed dates (tracker/typed.read_date); None
    otherwise."""
    return read_date(value)


def cell_value(column: ColumnSpec, value: Any) -> Value:
    """The value as the column's format wants it: a date for date columns, text otherwise."""
    if column.format == "date":
        day = parse_date(value)
        if day is not None:
            return day
    return as_text(value)[:EXCEL_MAX_TEXT]


def _promised(group: list[Item], shown: Item) -> dict:
    """The due dates of the row's complete referral (its first accepted submission), the same
    answer every view gives (validate/calendar.complete_referrals); no first session for an
    unborn child."""
    from pipeline.validate.calendar import complete_referrals, is_unborn

    complete = complete_referrals(group).get(shown.reference or "") or shown
    verdict = complete.verdict
    if verdict is None:
        return {}
    due = dict(verdict.due)
    if is_unborn(verdict.values):
        due.pop("first_session", None)
    return due


class _Context:
    """One row's sources: the item the row shows, and all items sharing its reference."""

    def __init__(
        self, item: Item, group: list[Item], spec: TrackerSpec, sheet: SheetSpec, extras: Extras
    ):
        self.item, self.group, self.spec, self.sheet, self.extras = item, group, spec, sheet, extras
        self.words = spec.words

    def word(self, name: str, **kw: Any) -> str:
        return words.fill(self.words[name], f"tracker.toml [words] {name}", **kw)

    def lookup(self, source: str) -> tuple[bool, Any]:
        """(known, value): `known` False means the source has nothing to say (leave the cell)."""
        kind, _, name = source.partition(".")
        item, verdict = self.item, self.item.verdict
        if kind == "item":
            return True, getattr(item, name, None)
        if kind == "values":
            return True, (verdict.values.get(name) if verdict else None)
        if kind == "due":  # counted from the complete referral: an update moves nothing
            return True, _promised(self.group, item).get(name)
        if kind == "extra":
            table = self.extras.get(name) or {}
            key = item.reference or self.word("item_key", id=item.id)
            return (key in table), table.get(key)
        if kind == "summary":
            return True, getattr(self, f"_summary_{name}")()
        raise ValueError(said("layout_unknown_source", source=source))

    # ---- summaries: values worked out rather than copied
    def _summary_item_key(self) -> str:
        return self.word("item_key", id=self.item.id)

    def _summary_verdict(self) -> str:
        flags = [
            self._flag_words(f)
            for f in (self.item.verdict.flags if self.item.verdict else [])
            if f != "updated_referral"
        ]  # said with its date below
        text = self.item.outcome
        if text == "accepted":  # by whom, once the timeline knows (tracker/cells.accepted)
            key = self.item.reference or ""
            text = (self.extras.get("accepted") or {}).get(key) or self.word("accepted")
        text += self.word("flag_separator") + ", ".join(flags) if flags else ""
        accepted = sorted((i for i in self.group if i.outcome == "accepted"), key=_order)
        for later in accepted[1:]:  # one child, one open referral: updates say so
            text += self.word("flag_separator") + self.word(
                "updated", date=numeric_date(later.received_at)
            )
        return text

    def _flag_words(self, flag: str) -> str:
        """A flag in plain words: one with a date ("time_limited:2026-11-16") is said by its
        [words] entry "flag_<name>" with the date as people write it."""
        name, _, day = flag.partition(":")
        if day and f"flag_{name}" in self.words:
            try:
                return self.word(f"flag_{name}", date=numeric_date(dt.date.fromisoformat(day)))
            except ValueError:
                pass
        return flag.replace("_", " ")

    def _summary_family_time_end(self) -> dt.date | None:
        from pipeline.cases.family_time import limit_end

        return limit_end(self.item)

    def _summary_warnings(self) -> str:
        warnings = self.item.verdict.warnings if self.item.verdict else []
        return self.word("list_separator").join(w.message for w in warnings)

    def _summary_problems(self) -> str:
        problems = self.item.verdict.problems if self.item.verdict else []
        messages = [p.message for p in problems]
        if not messages and self.item.reason:
            messages = [self.item.reason]
        return self.word("list_separator").join(messages)

    def _summary_interpreters(self) -> str:
        from pipeline.interpreters import interpreter_text

        return interpreter_text(self.item.verdict.values if self.item.verdict else {})

    def _summary_returned_because(self) -> str:
        return self.word(
            "returned_old" if self.item.outcome == "old_form" else "returned_incomplete"
        )

    def _summary_first_received(self) -> dt.datetime:
        return min(self.group, key=_order).received_at  # times with a zone or without

    def _summary_initials(self) -> str:
        """The child's initials, as every email writes them (pipeline/initials.py): enough for
        business support to find the family without a full name on a sheet that is forwarded."""
        from pipeline.initials import child_initials

        return child_initials(self.item.verdict.values if self.item.verdict else {}) or ""

    def _summary_valid_reason(self) -> str:
        """Asked only when a session did not take place: blank for one that did."""
        values = self.item.verdict.values if self.item.verdict else {}
        outcome = str(values.get("session.outcome") or "")
        if outcome.casefold() == "took place":
            return ""
        return as_text(values.get("session.valid_reason"))

    # ---- session records (the Sessions sheet): worked out from the record's own answers
    def _summary_session_reference(self) -> str:
        ref = self.item.verdict.values.get("session.reference") if self.item.verdict else None
        return "".join(str(ref).split()).upper() if ref else (self.item.reference or "")

    def _summary_session_key(self) -> str:
        """One row per referral and session date: a corrected record replaces the row."""
        day = (
            parse_date(self.item.verdict.values.get("session.date")) if self.item.verdict else None
        )
        ref = self._summary_session_reference()
        if not ref or day is None:
            return self._summary_item_key()
        return f"{ref} {numeric_date(day)}"

    def _summary_lateness(self) -> str:
        """The lateness as the service counts it, and, where the record and the service's
        lateness rule disagree (flagged when the record was linked), that a person should
        check: the one cell a co-ordinator reads about the arrival."""
        from pipeline.sessions.record import LATE_FLAG, LATE_MINUTES, WITHIN_FLAG, late_minutes

        values = self.item.verdict.values if self.item.verdict else {}
        flags = self.item.verdict.flags if self.item.verdict else []
        minutes = values.get(LATE_MINUTES)  # counted by the service's own rule when it has one
        if minutes is None:
            minutes = late_minutes(
                values.get("session.arrival"), values.get("session.planned_start")
            )
        if not minutes:
            said = self.word("on_time") if minutes == 0 else ""
        else:
            said = self.word("minutes_late", minutes=minutes)
        if said and LATE_FLAG in flags:
            return self.word("late_but_held", lateness=said)
        if said and WITHIN_FLAG in flags:
            return self.word("cancelled_within_limit", lateness=said)
        return said

    def _summary_late_recording(self) -> str:
        flags = self.item.verdict.flags if self.item.verdict else []
        return self.word("late_recording") if "late_recording" in flags else ""

    def _summary_resubmission(self) -> str:
        """Every later submission of a returned referral, oldest first."""
        first_returned = min(_order(i) for i in self.group if i.outcome in self.sheet.outcomes)
        later = sorted((i for i in self.group if _order(i) > first_returned), key=_order)
        parts = []
        for i in later:
            word = f"outcome_{i.outcome}"
            outcome = (
                self.word(word)
                if word in self.words
                else self.word("outcome_other", outcome=i.outcome)
            )
            parts.append(
                self.word("resubmitted", date=numeric_date(i.received_at), outcome=outcome)
            )
        return self.word("list_separator").join(parts)


def _order(item: Item) -> tuple:
    received = item.received_at
    if received.tzinfo is not None:
        received = received.astimezone(dt.UTC).replace(tzinfo=None)
    return (received, item.id)


def row_for(
    item: Item, group: list[Item], spec: TrackerSpec, sheet: SheetSpec, extras: Extras | None = None
) -> Row:
    """The pipeline-owned values of the row that shows `item` on `sheet`."""
    ctx = _Context(item, group, spec, sheet, extras or {})
    row: Row = {}
    for column in sheet.columns:
        for source in column.seed:  # written once, with the new row (SEED + key)
            known, value = ctx.lookup(source)
            if known and value not in (None, "", []):
                row[SEED + column.key] = cell_value(column, value)
                break
        if not column.pipeline:
            # a person's cell: written only when another step has something new to say
            for source in column.from_:
                known, value = ctx.lookup(source)
                if known and value not in (None, "", []):
                    row[column.key] = cell_value(column, value)
                    break
            continue
        if column.join:
            found = [as_text(ctx.lookup(s)[1]) for s in column.join]
            row[column.key] = cell_value(column, " ".join(v for v in found if v))
            continue
        known_any, chosen = False, None
        for source in column.from_:
            known, value = ctx.lookup(source)
            known_any = known_any or known
            if known and value not in (None, "", []):
                chosen = value
                break
        if known_any:
            row[column.key] = cell_value(column, chosen)
    return row


def row_key(item: Item, sheet: SheetSpec, spec: TrackerSpec) -> str:
    """The value that identifies the item's row on `sheet` (its reference, or 'Item 12')."""
    fallback = words.fill(spec.words["item_key"], "tracker.toml [words] item_key", id=item.id)
    if sheet.key == "reference" and item.reference:
        return item.reference
    column = sheet.key_column
    if (
        sheet.key != "reference"
        and column.from_
        and column.from_[0].startswith("summary.")
        and column.from_[0] != "summary.item_key"
    ):
        ctx = _Context(item, [item], spec, sheet, {})
        return as_text(ctx.lookup(column.from_[0])[1]) or fallback
    return fallback


class RowSource:
    """What one row is made from; the values themselves are worked out only when needed.

    `signature` changes whenever the row's values could: a new submission for the reference,
    new extra text, or a new layout. Ledger items do not change once recorded, so their ids
    stand for their content. The signature is kept in the row (a hidden column), which lets a
    sync skip every row already written without reading its cells.
    """

    __slots__ = ("item", "group", "sheet", "spec", "extras", "key", "_row", "_sig", "layout")

    def __init__(
        self,
        key: str,
        item: Item,
        group: list[Item],
        sheet: SheetSpec,
        spec: TrackerSpec,
        extras: Extras,
        layout: str,
    ):
        self.key, self.item, self.group, self.sheet = key, item, group, sheet
        self.spec, self.extras, self.layout = spec, extras, layout
        self._row: Row | None = None
        self._sig: str | None = None

    @property
    def signature(self) -> str:
        if self._sig is None:
            extra = tuple(
                sorted((n, str(t.get(self.key))) for n, t in self.extras.items() if self.key in t)
            )
            ids = tuple((i.id, i.outcome) for i in self.group)
            raw = repr((self.layout, self.key, self.item.id, ids, extra)).encode()
            self._sig = hashlib.blake2b(raw, digest_size=8).hexdigest()
        return self._sig

    @property
    def row(self) -> Row:
        if self._row is None:
            self._row = row_for(self.item, self.group, self.spec, self.sheet, self.extras)
        return self._row


def _flagged_for(sheet: SheetSpec, item: Item) -> bool:
    return bool(sheet.flags and item.verdict and set(item.verdict.flags) & set(sheet.flags))


def row_sources(
    items: Iterable[Item], spec: TrackerSpec, extras: Extras | None = None, layout: str = ""
) -> dict[str, dict[str, RowSource]]:
    """sheet name -> row key -> what that row is made from, for the one workbook.

    A referral's rows are all in the one workbook, so its re-submissions, sessions and
    proposals update the same file across a new year.
    """
    extras = extras or {}
    items = sorted(items, key=_order)
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.reference:
            groups[item.reference].append(item)
    out: dict[str, dict[str, RowSource]] = {}
    for sheet in spec.enabled_sheets:
        latest: dict[str, Item] = {}
        for item in items:
            if item.outcome in sheet.outcomes or _flagged_for(sheet, item):
                latest[row_key(item, sheet, spec)] = item  # later items win
        for key, item in latest.items():
            group = groups[item.reference] if item.reference else [item]
            out.setdefault(sheet.name, {})[key] = RowSource(
                key, item, group, sheet, spec, extras, layout
            )
    return out


def desired_rows(
    items: Iterable[Item],
    spec: TrackerSpec,
    extras: Extras | None = None,
) -> dict[str, dict[str, Row]]:
    """sheet name -> row key -> the pipeline values that row must hold."""
    return {
        name: {k: src.row for k, src in rows.items()}
        for name, rows in row_sources(items, spec, extras).items()
    }
