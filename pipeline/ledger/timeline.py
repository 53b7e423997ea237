"""The case timeline: what happened to each referral, written once as an event with the date it
happened on the pipeline's clock and the time it was written.

An event's `key` says which happening it is ("acknowledged:item=12", "decided:FT-2026-00001:2"),
so writing it again (a retried pass, a restart, the backfill) changes nothing: an event is never
rewritten. A later happening is a new event (a decision reversed is a second `decided`), so the
timeline keeps what was true when.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline import clock
from pipeline.ledger.common import _iso
from pipeline.ledger.names import EventKind


@dataclass(frozen=True)
class Event:
    reference: str
    kind: EventKind
    on: dt.date  # the day it happened (the pipeline's clock)
    key: str
    detail: dict[str, Any] = field(default_factory=dict)
    written_at: dt.datetime | None = None
    id: int | None = None


class _Timeline:
    """Writing and reading the case timeline (the `events` table)."""

    def record_event(self, event: Event, db: sqlite3.Connection | None = None) -> bool:
        """Write `event` once; True when it is new. Inside a transaction when `db` is given
        (so the event commits with what it records), else in its own."""
        row = (
            event.reference,
            str(event.kind),
            event.on.isoformat(),
            _iso(clock.now()),
            event.key,
            json.dumps(event.detail, default=_jsonable, sort_keys=True),
        )
        sql = (
            "INSERT OR IGNORE INTO events (reference, kind, effective_on, written_at, key, "
            "detail) VALUES (?, ?, ?, ?, ?, ?)"
        )
        if db is not None:
            return db.execute(sql, row).rowcount == 1
        with self._tx() as tx:
            return tx.execute(sql, row).rowcount == 1

    def record_events(self, events: Iterable[Event], db: sqlite3.Connection | None = None) -> int:
        if db is not None:
            return sum(self.record_event(e, db) for e in events)
        with self._tx() as tx:
            return sum(self.record_event(e, tx) for e in events)

    def events(
        self, reference: str | None = None, kinds: Iterable[EventKind] | None = None
    ) -> list[Event]:
        """Events in the order they happened (then as written), for one referral or all."""
        sql, args = "SELECT * FROM events WHERE 1 = 1", []
        if reference is not None:
            sql += " AND reference = ?"
            args.append(reference)
        if kinds is not None:
            kinds = [str(k) for k in kinds]
            sql += f" AND kind IN ({', '.join('?' * len(kinds))})"
            args += kinds
        sql += " ORDER BY effective_on, id"
        return [_event(r) for r in self._query(sql, args)]

    def has_event(self, key: str) -> bool:
        return bool(self._query("SELECT 1 FROM events WHERE key = ?", (key,)))


RETURNED_OUTCOMES = ("incomplete", "old_form")


def intake_events(
    item_id: int, reference: str, outcome: str, received: dt.datetime, *, update: bool
) -> list[Event]:
    """What an item's arrival adds to its referral's timeline: received, and returned when it
    was sent back. (Acceptance is its own event, by the pipeline or a person.)"""
    on = received.date()
    detail = {
        "item": item_id,
        "outcome": outcome,
        "update": update,
        "at": received.isoformat(timespec="seconds"),
    }
    out = [Event(reference, EventKind.RECEIVED, on, f"received:item={item_id}", detail)]
    if outcome in RETURNED_OUTCOMES:
        out.append(
            Event(
                reference,
                EventKind.RETURNED,
                on,
                f"returned:item={item_id}",
                {"item": item_id, "outcome": outcome},
            )
        )
    return out


def _event(row: sqlite3.Row) -> Event:
    return Event(
        reference=row["reference"],
        kind=EventKind(row["kind"]),
        on=dt.date.fromisoformat(row["effective_on"]),
        key=row["key"],
        detail=json.loads(row["detail"]),
        written_at=dt.datetime.fromisoformat(row["written_at"]),
        id=row["id"],
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not storable in an event: {type(value).__name__}")
