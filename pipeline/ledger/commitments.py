"""The dates co-ordinators type for the commitments they keep (the tracker's "Contact made
on", "Planning meeting on"), kept as read so a past month's figures can be worked out from
the ledger alone, and a date typed wrongly until it is corrected."""

from __future__ import annotations

import datetime as dt

from pipeline import clock
from pipeline.ledger.common import _iso


class _Commitments:
    """Commitments met and the problems with them (mixed into Ledger)."""

    def record_met(
        self,
        reference: str,
        commitment: str,
        met_on: dt.date | None,
        read_at: dt.datetime | None = None,
    ) -> bool:
        """Keep what is typed now for a commitment; True when it differs from the last read."""
        with self._tx() as db:
            row = db.execute(
                "SELECT met_on FROM commitments_met WHERE reference = ? AND "
                "commitment = ? ORDER BY read_at DESC LIMIT 1",
                (reference, commitment),
            ).fetchone()
            text = met_on.isoformat() if met_on else None
            if (row["met_on"] if row else None) == text:
                return False
            db.execute(
                "INSERT OR REPLACE INTO commitments_met (reference, commitment, met_on, "
                "read_at) VALUES (?, ?, ?, ?)",
                (reference, commitment, text, _iso(read_at or clock.now())),
            )
            return True

    def commitments_met(self, read_by: dt.datetime | None = None) -> dict[str, dict[str, dt.date]]:
        """reference -> {commitment: the date it was kept}, as last read (by `read_by`)."""
        sql, args = "SELECT * FROM commitments_met", []
        if read_by is not None:
            sql += " WHERE read_at <= ?"
            args.append(_iso(read_by))
        latest: dict[tuple[str, str], str | None] = {}
        for r in self._query(sql + " ORDER BY read_at", args):
            latest[(r["reference"], r["commitment"])] = r["met_on"]
        out: dict[str, dict[str, dt.date]] = {}
        for (ref, key), day in latest.items():
            if day:
                out.setdefault(ref, {})[key] = dt.date.fromisoformat(day)
        return out

    def set_met_problem(self, reference: str, text: str | None) -> bool:
        """Note (or clear, with None) a date to correct; True when it changed."""
        with self._tx() as db:
            row = db.execute(
                "SELECT text FROM met_problems WHERE reference = ?", (reference,)
            ).fetchone()
            if (row["text"] if row else None) == text:
                return False
            if text is None:
                db.execute("DELETE FROM met_problems WHERE reference = ?", (reference,))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO met_problems (reference, text, noted_at) "
                    "VALUES (?, ?, ?)",
                    (reference, text, _iso(clock.now())),
                )
        return True

    def met_problems(self) -> dict[str, str]:
        return {
            r["reference"]: r["text"]
            for r in self._query("SELECT reference, text FROM met_problems")
        }
