"""Session records linked to their referral, and the missed-session rule's proposals
(rule actions): what was decided, once per referral, kind and run of sessions."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline import clock
from pipeline.ledger.common import _iso
from pipeline.ledger.referrals import ItemDraft
from pipeline.models import RuleAction, SessionRecord

log = logging.getLogger("pipeline.ledger")


@dataclass
class StoredAction:
    """A rule action as the ledger keeps it, with what has been done about it."""

    id: int
    action: RuleAction
    item_id: int | None
    created_at: dt.datetime
    done_at: dt.datetime | None
    documents: list[str]
    status_written_at: dt.datetime | None


class _Sessions:
    """Session records and rule actions (mixed into Ledger)."""

    def sessions_of(self, reference: str, include_replaced: bool = False) -> list[SessionRecord]:
        """A referral's session records by session date (current ones unless asked)."""
        sql = "SELECT record FROM sessions WHERE reference = ?"
        if not include_replaced:
            sql += " AND current = 1"
        rows = self._query(sql + " ORDER BY date, item_id", (reference,))
        return [SessionRecord.model_validate_json(r["record"]) for r in rows]

    def session_of_item(self, item_id: int) -> SessionRecord | None:
        rows = self._query("SELECT record FROM sessions WHERE item_id = ?", (item_id,))
        return SessionRecord.model_validate_json(rows[0]["record"]) if rows else None

    def all_sessions(self) -> dict[int, tuple[SessionRecord, bool]]:
        """item id -> (record, still current) for every linked record (the tracker's sheet)."""
        return {
            r["item_id"]: (SessionRecord.model_validate_json(r["record"]), bool(r["current"]))
            for r in self._query("SELECT item_id, record, current FROM sessions")
        }

    def add_session_record(self, record: SessionRecord) -> SessionRecord:
        """Store a record for an item already in the ledger (tools and repairs)."""
        draft = ItemDraft(original_name="", outcome="session_record", reason="", session=record)
        with self._tx() as db:
            if db.execute("SELECT 1 FROM sessions WHERE item_id = ?", (record.item_id,)).fetchone():
                db.execute("DELETE FROM sessions WHERE item_id = ?", (record.item_id,))
            self._insert_session(db, record.item_id, draft)
        return self.session_of_item(record.item_id)

    @staticmethod
    def _insert_session(db: sqlite3.Connection, item_id: int, d: ItemDraft) -> None:
        """Store a linked record; an earlier record for the same date is replaced (process.py
        says so in the item's reason). Runs inside the caller's transaction."""
        rec = d.session.model_copy(update={"item_id": item_id})
        day = rec.date.isoformat()
        earlier = db.execute(
            "SELECT item_id FROM sessions WHERE reference = ? AND date = ? AND "
            "current = 1 ORDER BY item_id DESC LIMIT 1",
            (rec.reference, day),
        ).fetchone()
        if earlier is not None:
            rec = rec.model_copy(update={"replaces": earlier["item_id"]})
            db.execute(
                "UPDATE sessions SET current = 0, replaced_by = ? WHERE reference = ? "
                "AND date = ? AND current = 1",
                (item_id, rec.reference, day),
            )
        db.execute(
            "INSERT INTO sessions (item_id, reference, date, record) VALUES (?, ?, ?, ?)",
            (item_id, rec.reference, day, rec.model_dump_json()),
        )

    # ---- the missed-session rule's actions

    @staticmethod
    def _action(row: sqlite3.Row) -> StoredAction:
        when = lambda v: dt.datetime.fromisoformat(v) if v else None  # noqa: E731
        return StoredAction(
            id=row["id"],
            action=RuleAction.model_validate_json(row["action"]),
            item_id=row["item_id"],
            created_at=when(row["created_at"]),
            done_at=when(row["done_at"]),
            documents=json.loads(row["documents"]) if row["documents"] else [],
            status_written_at=when(row["status_written_at"]),
        )

    def add_rule_action(self, action: RuleAction, item_id: int | None = None) -> bool:
        """Record an action once; False when the same referral, kind and sessions had one."""
        dates = ",".join(d.isoformat() for d in sorted(action.session_dates))
        with self._tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO rule_actions (reference, kind, dates, action, item_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    action.reference,
                    action.kind,
                    dates,
                    action.model_dump_json(),
                    item_id,
                    _iso(clock.now()),
                ),
            )
            added = cur.rowcount == 1
        if added:
            log.info(
                "%s: missed-session rule: %s for %d session(s)",
                action.reference,
                action.kind,
                len(action.session_dates),
            )
        return added

    def rule_actions(
        self, reference: str | None = None, *, item_id: int | None = None, undone: bool = False
    ) -> list[StoredAction]:
        sql, args = "SELECT * FROM rule_actions WHERE 1 = 1", []
        if reference is not None:
            sql += " AND reference = ?"
            args.append(reference)
        if item_id is not None:
            sql += " AND item_id = ?"
            args.append(item_id)
        if undone:
            sql += " AND done_at IS NULL"
        return [self._action(r) for r in self._query(sql + " ORDER BY id", args)]

    def mark_rule_action_done(self, action_id: int, documents: list[str]) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE rule_actions SET done_at = ?, documents = ? WHERE id = ?",
                (_iso(clock.now()), json.dumps(documents), action_id),
            )

    def update_rule_action(self, action_id: int, action: RuleAction) -> None:
        """A person's decision (and the dates it sets) kept with the proposal."""
        with self._tx() as db:
            db.execute(
                "UPDATE rule_actions SET action = ? WHERE id = ?",
                (action.model_dump_json(), action_id),
            )

    def clear_status_written(self, action_id: int) -> None:
        """The tracker's Status should say something new about this action (a meeting date)."""
        with self._tx() as db:
            db.execute(
                "UPDATE rule_actions SET status_written_at = NULL WHERE id = ?", (action_id,)
            )

    def mark_status_written(self, action_ids: Iterable[int]) -> None:
        with self._tx() as db:
            for i in action_ids:
                db.execute(
                    "UPDATE rule_actions SET status_written_at = ? WHERE id = ? AND "
                    "status_written_at IS NULL",
                    (_iso(clock.now()), i),
                )
