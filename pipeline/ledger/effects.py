"""The side effects each item owes (tracker row, acknowledgement, paperwork, ...): owed in
the item's own transaction, then marked done, failed (retried with back-off), or withheld;
`waiting` says why one is not done yet (pipeline.ledger.names.Waiting)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from pipeline.ledger.common import _iso, _retry_in, _retry_now, _stamp_now
from pipeline.ledger.names import EffectStatus

EFFECT_STATUSES = tuple(EffectStatus)


@dataclass
class OwedEffect:
    """One row of the effects table (its names and statuses are pipeline/ledger/names.py's)."""

    id: int
    item_id: int
    effect: str
    key: str
    status: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    waiting: str | None


class _Effects:
    """Owed effects and their attempts (mixed into Ledger)."""

    @staticmethod
    def _effect(row: sqlite3.Row) -> OwedEffect:
        return OwedEffect(
            id=row["id"],
            item_id=row["item_id"],
            effect=row["effect"],
            key=row["key"],
            status=row["status"],
            attempts=row["attempts"],
            next_attempt_at=row["next_attempt_at"],
            last_error=row["last_error"],
            waiting=row["waiting"],
        )

    def pending_effects(
        self, now: float | None = None, effect: str | None = None
    ) -> list[OwedEffect]:
        """Effects not done whose next attempt is due (all of them when now is None)."""
        sql, args = "SELECT * FROM effects WHERE status NOT IN ('done', 'withheld')", []
        if now is not None:
            sql += " AND next_attempt_at <= ?"
            args.append(now)
        if effect:
            sql += " AND effect = ?"
            args.append(effect)
        return [self._effect(r) for r in self._query(sql + " ORDER BY id", args)]

    def effects_of(self, item_id: int) -> list[OwedEffect]:
        return [
            self._effect(r)
            for r in self._query("SELECT * FROM effects WHERE item_id = ? ORDER BY id", (item_id,))
        ]

    def add_effect(self, item_id: int, effect: str, key: str) -> bool:
        """Owe a new effect (e.g. paperwork once a row is allocated); False if already owed."""
        with self._tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO effects (item_id, effect, key) VALUES (?, ?, ?)",
                (item_id, effect, key),
            )
            return cur.rowcount == 1

    def mark_effect(
        self,
        item_id: int,
        effect: str,
        status: str,
        error: str | None = None,
        *,
        retry_in: float | None = None,
        waiting: str | None = None,
        count_attempt: bool = True,
    ) -> None:
        """Record an attempt: done, failed (retried later with backoff, or at retry_in), or
        withheld (deliberately not done, never retried: `error` says why, for `status`)."""
        if status not in EFFECT_STATUSES:
            raise ValueError(f"unknown effect status {status!r}")
        with self._tx() as db:
            row = db.execute(
                "SELECT attempts FROM effects WHERE item_id = ? AND effect = ?", (item_id, effect)
            ).fetchone()
            if row is None:
                return
            attempts = row["attempts"] + (1 if count_attempt else 0)
            if status == "done":
                db.execute(
                    "UPDATE effects SET status = 'done', attempts = ?, last_error = NULL, "
                    "waiting = NULL, done_at = ? WHERE item_id = ? AND effect = ?",
                    (attempts, _iso(_stamp_now()), item_id, effect),
                )
                return
            delay = retry_in if retry_in is not None else _retry_in(attempts)
            if status == "withheld":
                delay = 0.0
            db.execute(
                "UPDATE effects SET status = ?, attempts = ?, last_error = ?, waiting = ?, "
                "next_attempt_at = ? WHERE item_id = ? AND effect = ?",
                (status, attempts, error, waiting, _retry_now() + delay, item_id, effect),
            )

    def reopen_effect(self, item_id: int, effect: str) -> None:
        """Owe an effect again (e.g. the tracker row must show a pack that was just made)."""
        with self._tx() as db:
            db.execute(
                "UPDATE effects SET status = 'pending', next_attempt_at = 0, done_at = NULL"
                " WHERE item_id = ? AND effect = ?",
                (item_id, effect),
            )

    def mark_effect_done(self, item_id: int, effect: str) -> None:
        self.mark_effect(item_id, effect, "done")

    def effect_summary(self) -> list[dict]:
        """Effects not done, grouped by effect and reason (for `status`)."""
        rows = self._query(
            "SELECT effect, waiting, last_error, COUNT(*) AS n, MIN(next_attempt_at) AS next "
            "FROM effects WHERE status != 'done' GROUP BY effect, waiting, last_error "
            "ORDER BY effect"
        )
        return [dict(r) for r in rows]

    def superseded_pending(self, effect: str) -> list[int]:
        """Items owing `effect` whose referral has since been sent again and accepted (a
        later accepted submission with the same reference): one query, not a read of every
        item."""
        rows = self._query(
            "SELECT e.item_id FROM effects e JOIN items i ON i.id = e.item_id "
            "WHERE e.effect = ? AND e.status NOT IN ('done', 'withheld') "
            "AND i.reference IS NOT NULL AND EXISTS (SELECT 1 FROM items j "
            "WHERE j.reference = i.reference AND j.outcome = 'accepted' AND j.id > i.id)",
            (effect,),
        )
        return [r["item_id"] for r in rows]

    def withheld_effects(self, effect: str) -> dict[int, str]:
        """item id -> why the effect was withheld (e.g. why no acknowledgement went)."""
        return {
            r["item_id"]: r["last_error"] or ""
            for r in self._query(
                "SELECT item_id, last_error FROM effects WHERE effect = ? AND status = 'withheld'",
                (effect,),
            )
        }

    def done_effects(self, effect: str) -> dict[int, str]:
        """item id -> when the effect was done (e.g. acknowledgement sent)."""
        return {
            r["item_id"]: r["done_at"]
            for r in self._query(
                "SELECT item_id, done_at FROM effects WHERE effect = ? AND status = 'done'",
                (effect,),
            )
        }
