"""Whether the emails the ledger answers for went: each review report's email (to the IRO,
copy to the social worker) with its retries and the file it carried, and the oldest
referral still owed its acknowledgement. The messages themselves are the outbox's
(pipeline/notify/outbox.py keeps its own table)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pipeline import clock
from pipeline.ledger.common import _iso, _retry_in, _retry_now
from pipeline.ledger.names import EffectName
from pipeline.models import Item
from pipeline.outcomes import REFERRAL_OUTCOMES


class _Mail:
    """Review report mail and acknowledgements owed (mixed into Ledger)."""

    def report_mail(self, reference: str, review_date: dt.date) -> dict | None:
        """{sent_at, last_error, attempts, next_attempt_at} of a report's email, or None."""
        rows = self._query(
            "SELECT * FROM report_mail WHERE reference = ? AND review_date = ?",
            (reference, review_date.isoformat()),
        )
        return dict(rows[0]) if rows else None

    def mark_report_mail(
        self,
        reference: str,
        review_date: dt.date,
        sent: bool,
        error: str | None = None,
        now: float | None = None,
    ) -> None:
        """The email went (sent) or did not (`error` says why; tried again with back-off)."""
        now = _retry_now() if now is None else now
        with self._tx() as db:
            row = db.execute(
                "SELECT attempts FROM report_mail WHERE reference = ? AND review_date = ?",
                (reference, review_date.isoformat()),
            ).fetchone()
            attempts = (row["attempts"] if row else 0) + 1
            db.execute(
                "INSERT INTO report_mail (reference, review_date, sent_at, last_error, "
                "attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                "(reference, review_date) DO UPDATE SET sent_at = excluded.sent_at, "
                "last_error = excluded.last_error, attempts = excluded.attempts, "
                "next_attempt_at = excluded.next_attempt_at",
                (
                    reference,
                    review_date.isoformat(),
                    _iso(clock.now()) if sent else None,
                    None if sent else error,
                    attempts,
                    0.0 if sent else now + _retry_in(attempts),
                ),
            )

    def hold_report_mail(
        self, reference: str, review_date: dt.date, why: str, now: float, recheck: float
    ) -> None:
        """The email waits for a person (the recommendation, the checked-by name): looked at
        again after `recheck` seconds, without the mail server's growing back-off."""
        with self._tx() as db:
            db.execute(
                "INSERT INTO report_mail (reference, review_date, sent_at, last_error, "
                "attempts, next_attempt_at) VALUES (?, ?, NULL, ?, 0, ?) ON CONFLICT "
                "(reference, review_date) DO UPDATE SET last_error = excluded.last_error,"
                " next_attempt_at = excluded.next_attempt_at",
                (reference, review_date.isoformat(), why, now + recheck),
            )

    def add_report_mailed(
        self, reference: str, review_date: dt.date, path: Path | str, checked_by: str
    ) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR IGNORE INTO reports_mailed (reference, review_date, path, "
                "checked_by, sent_at) VALUES (?, ?, ?, ?, ?)",
                (reference, review_date.isoformat(), str(path), checked_by, _iso(clock.now())),
            )

    def report_mailed(self, reference: str, review_date: dt.date) -> dict | None:
        """{path, checked_by, sent_at} of the file a review report's email carried, or None."""
        rows = self._query(
            "SELECT path, checked_by, sent_at FROM reports_mailed WHERE "
            "reference = ? AND review_date = ?",
            (reference, review_date.isoformat()),
        )
        return dict(rows[0]) if rows else None

    def report_states(self) -> list[dict]:
        """Every review report made with its email's state (reference, review_date, made_at,
        path, sent_at, last_error), oldest first."""
        return [
            dict(r)
            for r in self._query(
                "SELECT r.reference, r.review_date, r.made_at, r.path, m.sent_at, m.last_error "
                "FROM reports r LEFT JOIN report_mail m ON m.reference = r.reference AND "
                "m.review_date = r.review_date ORDER BY r.made_at"
            )
        ]

    def reports_unsent(self, now: float | None = None) -> list[tuple[str, dt.date, str, str]]:
        """(reference, review date, path, why) of reports made whose email has not gone
        (those whose next try has come, when `now` is given), oldest first."""
        sql = (
            "SELECT r.reference, r.review_date, r.path, m.last_error FROM reports r "
            "LEFT JOIN report_mail m ON m.reference = r.reference AND "
            "m.review_date = r.review_date WHERE (m.sent_at IS NULL)"
        )
        args: list[Any] = []
        if now is not None:
            sql += " AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= ?)"
            args.append(now)
        return [
            (
                r["reference"],
                dt.date.fromisoformat(r["review_date"]),
                r["path"],
                r["last_error"] or "",
            )
            for r in self._query(sql + " ORDER BY r.made_at", args)
        ]

    def oldest_unacknowledged(self) -> Item | None:
        """The oldest referral whose acknowledgement email has not gone yet."""
        marks = ", ".join("?" * len(REFERRAL_OUTCOMES))
        rows = self._query(
            self._ITEMS + " JOIN effects e ON e.item_id = i.id WHERE e.effect = ? AND "
            f"e.status != 'done' AND i.outcome IN ({marks}) "
            "ORDER BY i.received_at, i.id LIMIT 1",
            (EffectName.MAIL, *REFERRAL_OUTCOMES),
        )
        return self._item(rows[0]) if rows else None
