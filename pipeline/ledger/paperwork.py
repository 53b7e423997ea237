"""Paperwork made for a referral: packs (one row per version, with the allocation each was
made from), what must be corrected before a pack can be made, and the Looked After Child
review reports made (with the checked-by name left over from the last one)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from pipeline import clock
from pipeline.ledger.common import _iso


def _pack(row: sqlite3.Row) -> dict:
    return {
        "reference": row["reference"],
        "version": row["version"],
        "item_id": row["item_id"],
        "allocation": json.loads(row["allocation"]),
        "made_at": dt.datetime.fromisoformat(row["made_at"]),
        "documents": json.loads(row["documents"]),
        "changed": row["changed"],
        "short_notice": bool(row["short_notice"]),
        "mailed_at": row["mailed_at"],
    }


class _Paperwork:
    """Packs, allocation problems and review reports made (mixed into Ledger)."""

    # ---- packs and the allocations they were made from
    def latest_pack(self, reference: str) -> dict | None:
        rows = self._query(
            "SELECT * FROM packs WHERE reference = ? ORDER BY version DESC LIMIT 1", (reference,)
        )
        return _pack(rows[0]) if rows else None

    def latest_packs(self) -> dict[str, dict]:
        """reference -> its newest pack (version, allocation, made_at, changed, ...)."""
        rows = self._query(
            "SELECT p.* FROM packs p JOIN (SELECT reference, MAX(version) AS v "
            "FROM packs GROUP BY reference) m ON p.reference = m.reference AND "
            "p.version = m.v"
        )
        return {r["reference"]: _pack(r) for r in rows}

    def add_pack(
        self,
        reference: str,
        item_id: int,
        allocation: dict,
        documents: list[str],
        changed: str = "",
        short_notice: bool = False,
    ) -> int:
        """Record a new version of a referral's pack; its version number."""
        with self._tx() as db:
            row = db.execute(
                "SELECT MAX(version) AS v FROM packs WHERE reference = ?", (reference,)
            ).fetchone()
            version = (row["v"] or 0) + 1
            db.execute(
                "INSERT INTO packs (reference, version, item_id, allocation, made_at, "
                "documents, changed, short_notice) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    reference,
                    version,
                    item_id,
                    json.dumps(allocation, default=str),
                    _iso(clock.now()),
                    json.dumps(documents),
                    changed,
                    int(short_notice),
                ),
            )
            db.execute("DELETE FROM allocation_problems WHERE reference = ?", (reference,))
        return version

    def mark_pack_mailed(self, reference: str, version: int) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE packs SET mailed_at = ? WHERE reference = ? AND version = ?",
                (_iso(clock.now()), reference, version),
            )

    def set_allocation_problem(self, reference: str, text: str | None) -> bool:
        """Note (or clear, with None) what must be corrected; True when it changed."""
        with self._tx() as db:
            row = db.execute(
                "SELECT text FROM allocation_problems WHERE reference = ?", (reference,)
            ).fetchone()
            if (row["text"] if row else None) == text:
                return False
            if text is None:
                db.execute("DELETE FROM allocation_problems WHERE reference = ?", (reference,))
            else:
                db.execute(
                    "INSERT INTO allocation_problems (reference, text, noted_at) VALUES "
                    "(?, ?, ?) ON CONFLICT (reference) DO UPDATE SET text = excluded.text, "
                    "noted_at = excluded.noted_at",
                    (reference, text, _iso(clock.now())),
                )
        return True

    def allocation_problems(self) -> dict[str, str]:
        return {
            r["reference"]: r["text"]
            for r in self._query("SELECT reference, text FROM allocation_problems")
        }

    # ---- Looked After Child review reports made
    def report_made(self, reference: str, review_date: dt.date) -> str | None:
        rows = self._query(
            "SELECT path FROM reports WHERE reference = ? AND review_date = ?",
            (reference, review_date.isoformat()),
        )
        return rows[0]["path"] if rows else None

    def reports_of(self, reference: str) -> list[tuple[dt.date, dt.date, str]]:
        """(review date, the day it was made, path) of a referral's review reports, oldest
        first (the next report's period starts where the last one ended)."""
        rows = self._query(
            "SELECT review_date, made_at, path FROM reports WHERE reference = ? ORDER BY made_at",
            (reference,),
        )
        return [
            (
                dt.date.fromisoformat(r["review_date"]),
                dt.datetime.fromisoformat(r["made_at"]).date(),
                r["path"],
            )
            for r in rows
        ]

    def add_report(
        self, reference: str, review_date: dt.date, path: Path | str, made_on: dt.date | None = None
    ) -> bool:
        with self._tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO reports (reference, review_date, path, "
                "made_at) VALUES (?, ?, ?, ?)",
                (
                    reference,
                    review_date.isoformat(),
                    str(path),
                    _iso(dt.datetime.combine(made_on, dt.time(12)))
                    if made_on
                    else _iso(clock.now()),
                ),
            )
            return cur.rowcount == 1

    def note_report_name_left(self, reference: str, review_date: dt.date, name: str) -> None:
        """Keep what "Review report checked (name)" held as the report was made (a blank
        cell is not kept: there is nothing left to refuse)."""
        name = " ".join((name or "").split())
        if not name:
            return
        with self._tx() as db:
            db.execute(
                "INSERT OR IGNORE INTO report_name_left (reference, review_date, name) "
                "VALUES (?, ?, ?)",
                (reference, review_date.isoformat(), name),
            )

    def report_name_left(self, reference: str, review_date: dt.date) -> str:
        """The name left in the cell from before the report was made, still there ("" once
        the cell has been seen holding anything else)."""
        rows = self._query(
            "SELECT name FROM report_name_left WHERE reference = ? AND review_date = ?",
            (reference, review_date.isoformat()),
        )
        return rows[0]["name"] if rows else ""

    def forget_report_name_left(self, reference: str, review_date: dt.date) -> None:
        with self._tx() as db:
            db.execute(
                "DELETE FROM report_name_left WHERE reference = ? AND review_date = ?",
                (reference, review_date.isoformat()),
            )
