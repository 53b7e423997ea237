"""The ledger: the source of truth for every file that entered the inbox and what became of it.

SQLite (standard library) in WAL mode. ONE transaction per inbox file records the file, its
items (one per submission), their references and the side effects they owe; the original is
moved out of the inbox only after that commit, so a crash at any instant leaves either nothing
recorded (the file is processed again) or a committed row whose move is finished at the next
start. References (FT-<year>-<5 digits>) are allocated inside the same transaction and never
reused. Which outcomes get a reference, and which a re-submission takes over, is
pipeline/outcomes.toml's rule; the words people read are process.py's. The ledger stores.
Logs carry references and item ids, never names.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pipeline import clock
from pipeline.effects.contract import EffectName
from pipeline.files import private_dir
from pipeline.models import Item, Outcome, RuleAction, SessionRecord, Verdict
from pipeline.outcomes import REFERRAL_OUTCOMES, RESUBMITTABLE, email_folder, takes_reference

log = logging.getLogger("pipeline.ledger")

EFFECT_STATUSES = ("pending", "done", "failed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    id             INTEGER PRIMARY KEY,
    sha256         TEXT NOT NULL,
    original_name  TEXT NOT NULL,
    size           INTEGER NOT NULL,
    received_at    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    outcome        TEXT NOT NULL,     -- summary: the item outcomes, comma separated
    reason         TEXT NOT NULL,
    source_path    TEXT NOT NULL,     -- where the original was when recorded
    keep_source    INTEGER NOT NULL DEFAULT 0,   -- 1: copy to the archive, leave the original
    archive_path   TEXT NOT NULL,     -- where it goes (decided in the same transaction)
    archived       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS files_sha ON files (sha256);
CREATE INDEX IF NOT EXISTS files_unarchived ON files (archived);
CREATE TABLE IF NOT EXISTS items (
    id                 INTEGER PRIMARY KEY,
    file_id            INTEGER NOT NULL REFERENCES files (id),
    file_sha256        TEXT NOT NULL,
    original_name      TEXT NOT NULL,
    received_at        TEXT NOT NULL,
    outcome            TEXT NOT NULL,
    reason             TEXT NOT NULL,
    reference          TEXT,
    linked_to          INTEGER,
    case_id            TEXT,
    sender             TEXT,
    subject            TEXT,
    auto_submitted     INTEGER NOT NULL DEFAULT 0,
    verdict            TEXT,
    agreement_attached INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS items_case ON items (case_id);
CREATE INDEX IF NOT EXISTS items_ref ON items (reference);
CREATE TABLE IF NOT EXISTS reference_years (
    year  INTEGER PRIMARY KEY,
    last  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS effects (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES items (id),
    effect          TEXT NOT NULL,        -- an EffectName: tracker, mail, paperwork, ...
    key             TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',   -- pending, done, failed (retried),
                                          -- withheld (deliberately not done; last_error says why)
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error      TEXT,
    waiting         TEXT,                 -- why it waits (pipeline.effect.Waiting)
    done_at         TEXT,
    UNIQUE (item_id, effect)
);
CREATE INDEX IF NOT EXISTS effects_open ON effects (status, next_attempt_at);
-- Session records linked to their referral; a later record for the same date replaces one.
-- (New tables only: an existing ledger file gains them on open, nothing else changes.)
CREATE TABLE IF NOT EXISTS sessions (
    item_id      INTEGER PRIMARY KEY REFERENCES items (id),
    reference    TEXT NOT NULL,
    date         TEXT NOT NULL,
    record       TEXT NOT NULL,         -- the SessionRecord as JSON
    current      INTEGER NOT NULL DEFAULT 1,
    replaced_by  INTEGER
);
CREATE INDEX IF NOT EXISTS sessions_ref ON sessions (reference, date);
-- What the missed-session rule decided: once per referral, kind and run of sessions.
CREATE TABLE IF NOT EXISTS rule_actions (
    id                 INTEGER PRIMARY KEY,
    reference          TEXT NOT NULL,
    kind               TEXT NOT NULL,
    dates              TEXT NOT NULL,   -- ISO session dates, comma separated
    action             TEXT NOT NULL,   -- the RuleAction as JSON
    item_id            INTEGER,         -- the record whose arrival fired it
    created_at         TEXT NOT NULL,
    done_at            TEXT,            -- letters made and the notice mailed
    documents          TEXT,            -- JSON list of the files made
    status_written_at  TEXT,            -- "Suspended until" written to the tracker
    UNIQUE (reference, kind, dates)
);
-- Packs made: one row per version, with the allocation each was made from, so a changed
-- allocation is noticed and the pack remade (and mailed once per version).
CREATE TABLE IF NOT EXISTS packs (
    reference    TEXT NOT NULL,
    version      INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    allocation   TEXT NOT NULL,     -- the Allocation as JSON, as the pack used it
    made_at      TEXT NOT NULL,
    documents    TEXT NOT NULL,     -- JSON list of the files made
    changed      TEXT NOT NULL DEFAULT '',   -- what changed from the version before
    short_notice INTEGER NOT NULL DEFAULT 0,
    mailed_at    TEXT,
    PRIMARY KEY (reference, version)
);
-- What a co-ordinator must correct before a pack can be made (shown in the Paperwork cell).
CREATE TABLE IF NOT EXISTS allocation_problems (
    reference  TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    noted_at   TEXT NOT NULL
);
-- Looked After Child review reports made (one per referral per review date).
CREATE TABLE IF NOT EXISTS reports (
    reference    TEXT NOT NULL,
    review_date  TEXT NOT NULL,
    path         TEXT NOT NULL,
    made_at      TEXT NOT NULL,
    PRIMARY KEY (reference, review_date)
);
-- Whether each review report's email went (to the IRO, copy to the social worker): a report
-- made but not mailed is retried on later passes with the same report.
CREATE TABLE IF NOT EXISTS report_mail (
    reference        TEXT NOT NULL,
    review_date      TEXT NOT NULL,
    sent_at          TEXT,
    last_error       TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (reference, review_date)
);
-- Which file each review report's email carried, and who the workbook said had checked it:
-- a report made again later gets a name of its own, so this file is never overwritten.
CREATE TABLE IF NOT EXISTS reports_mailed (
    reference    TEXT NOT NULL,
    review_date  TEXT NOT NULL,
    path         TEXT NOT NULL,
    checked_by   TEXT NOT NULL,
    sent_at      TEXT NOT NULL,
    PRIMARY KEY (reference, review_date)
);
-- What "Review report checked (name)" held when a review report was made: a name left from
-- the last report, which does not let this one go. Forgotten once the cell is seen holding
-- anything else (another name, or blank), so the same name typed again then counts.
CREATE TABLE IF NOT EXISTS report_name_left (
    reference    TEXT NOT NULL,
    review_date  TEXT NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (reference, review_date)
);
-- The dates co-ordinators type for the commitments they keep (the tracker's "Contact made
-- on", "Planning meeting on"), as read: a new row only when what is typed changes, so a past
-- month's figures can be worked out from the ledger alone. met_on NULL: the cell was cleared.
CREATE TABLE IF NOT EXISTS commitments_met (
    reference   TEXT NOT NULL,
    commitment  TEXT NOT NULL,          -- a [timescales] key: contact, planning_meeting
    met_on      TEXT,
    read_at     TEXT NOT NULL,
    PRIMARY KEY (reference, commitment, read_at)
);
-- A date typed wrongly for a commitment (shown in the tracker until it is corrected).
CREATE TABLE IF NOT EXISTS met_problems (
    reference  TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    noted_at   TEXT NOT NULL
);
"""


_FS_BYTES = "fs-bytes:"


def _path_text(path: Path | str) -> str:
    """A path as ledger text. A file name that is not valid UTF-8 (Linux allows any bytes) is
    kept losslessly as its bytes in hex, so the original can still be found and moved."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _FS_BYTES + os.fsencode(text).hex()


def _text_path(text: str) -> str:
    if text and text.startswith(_FS_BYTES):
        return os.fsdecode(bytes.fromhex(text[len(_FS_BYTES):]))
    return text


def shown(text: str) -> str:
    """Text safe to store and show: bytes of a file name that are not UTF-8 become U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


@dataclass
class ItemDraft:
    """One submission worked out by process.py, before the ledger gives it an id and reference."""
    original_name: str
    outcome: Outcome
    reason: str
    case_id: str | None = None
    sender: str | None = None
    subject: str | None = None
    auto_submitted: bool = False
    verdict: Verdict | None = None
    agreement_attached: bool = False
    effects: list[EffectName] = field(default_factory=list)   # the effects this item owes
    linked_to: int | None = None                        # set for duplicates (the earlier item)
    update_of: str | None = None        # the open referral (reference) this one updates
    previous_reference: str | None = None   # the child's closed referral, named by the new one
    received_at: dt.datetime | None = None              # an email's own date; else the file's
    session: SessionRecord | None = None                # a linked session record (item_id 0)


class AlreadyRecorded(Exception):
    """Another process recorded this very file (same content, same place) while we read it."""

    def __init__(self, file_id: int):
        super().__init__(f"file {file_id} already recorded")
        self.file_id = file_id


@dataclass
class FileRecord:
    id: int
    sha256: str
    original_name: str
    size: int
    received_at: dt.datetime
    outcome: str
    reason: str
    source_path: str
    keep_source: bool
    archive_path: str
    archived: bool


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


@dataclass
class Effect:
    id: int
    item_id: int
    effect: str
    key: str
    status: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    waiting: str | None


def _pack(row: sqlite3.Row) -> dict:
    return {"reference": row["reference"], "version": row["version"],
            "item_id": row["item_id"], "allocation": json.loads(row["allocation"]),
            "made_at": dt.datetime.fromisoformat(row["made_at"]),
            "documents": json.loads(row["documents"]), "changed": row["changed"],
            "short_notice": bool(row["short_notice"]), "mailed_at": row["mailed_at"]}


def normalise_case_id(value: Any) -> str | None:
    """Case IDs compared without spaces or case ("ab 123" is "AB123")."""
    if value is None:
        return None
    text = "".join(str(value).split()).upper()
    return text or None


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


class _Sessions:
    """Session records, rule actions and review reports (mixed into Ledger below)."""

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
        return {r["item_id"]: (SessionRecord.model_validate_json(r["record"]), bool(r["current"]))
                for r in self._query("SELECT item_id, record, current FROM sessions")}

    def add_session_record(self, record: SessionRecord) -> SessionRecord:
        """Store a record for an item already in the ledger (tools and repairs)."""
        draft = ItemDraft(original_name="", outcome="session_record", reason="", session=record)
        with self._tx() as db:
            if db.execute("SELECT 1 FROM sessions WHERE item_id = ?",
                          (record.item_id,)).fetchone():
                db.execute("DELETE FROM sessions WHERE item_id = ?", (record.item_id,))
            Ledger._insert_session(db, record.item_id, draft)
        return self.session_of_item(record.item_id)

    @staticmethod
    def _action(row: sqlite3.Row) -> StoredAction:
        when = lambda v: dt.datetime.fromisoformat(v) if v else None  # noqa: E731
        return StoredAction(id=row["id"], action=RuleAction.model_validate_json(row["action"]),
                            item_id=row["item_id"], created_at=when(row["created_at"]),
                            done_at=when(row["done_at"]),
                            documents=json.loads(row["documents"]) if row["documents"] else [],
                            status_written_at=when(row["status_written_at"]))

    def add_rule_action(self, action: RuleAction, item_id: int | None = None) -> bool:
        """Record an action once; False when the same referral, kind and sessions had one."""
        dates = ",".join(d.isoformat() for d in sorted(action.session_dates))
        with self._tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO rule_actions (reference, kind, dates, action, item_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (action.reference, action.kind, dates, action.model_dump_json(), item_id,
                 _iso(clock.now())))
            added = cur.rowcount == 1
        if added:
            log.info("%s: missed-session rule: %s for %d session(s)", action.reference,
                     action.kind, len(action.session_dates))
        return added

    def rule_actions(self, reference: str | None = None, *, item_id: int | None = None,
                     undone: bool = False) -> list[StoredAction]:
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
            db.execute("UPDATE rule_actions SET done_at = ?, documents = ? WHERE id = ?",
                       (_iso(clock.now()), json.dumps(documents), action_id))

    def update_rule_action(self, action_id: int, action: RuleAction) -> None:
        """A person's decision (and the dates it sets) kept with the proposal."""
        with self._tx() as db:
            db.execute("UPDATE rule_actions SET action = ? WHERE id = ?",
                       (action.model_dump_json(), action_id))

    def clear_status_written(self, action_id: int) -> None:
        """The tracker's Status should say something new about this action (a meeting date)."""
        with self._tx() as db:
            db.execute("UPDATE rule_actions SET status_written_at = NULL WHERE id = ?",
                       (action_id,))

    def mark_status_written(self, action_ids: Iterable[int]) -> None:
        with self._tx() as db:
            for i in action_ids:
                db.execute("UPDATE rule_actions SET status_written_at = ? WHERE id = ? AND "
                           "status_written_at IS NULL", (_iso(clock.now()), i))

    # ---- packs and the allocations they were made from
    def latest_pack(self, reference: str) -> dict | None:
        rows = self._query("SELECT * FROM packs WHERE reference = ? ORDER BY version DESC "
                           "LIMIT 1", (reference,))
        return _pack(rows[0]) if rows else None

    def latest_packs(self) -> dict[str, dict]:
        """reference -> its newest pack (version, allocation, made_at, changed, ...)."""
        rows = self._query("SELECT p.* FROM packs p JOIN (SELECT reference, MAX(version) AS v "
                           "FROM packs GROUP BY reference) m ON p.reference = m.reference AND "
                           "p.version = m.v")
        return {r["reference"]: _pack(r) for r in rows}

    def add_pack(self, reference: str, item_id: int, allocation: dict, documents: list[str],
                 changed: str = "", short_notice: bool = False) -> int:
        """Record a new version of a referral's pack; its version number."""
        with self._tx() as db:
            row = db.execute("SELECT MAX(version) AS v FROM packs WHERE reference = ?",
                             (reference,)).fetchone()
            version = (row["v"] or 0) + 1
            db.execute("INSERT INTO packs (reference, version, item_id, allocation, made_at, "
                       "documents, changed, short_notice) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (reference, version, item_id, json.dumps(allocation, default=str),
                        _iso(clock.now()), json.dumps(documents), changed,
                        int(short_notice)))
            db.execute("DELETE FROM allocation_problems WHERE reference = ?", (reference,))
        return version

    def mark_pack_mailed(self, reference: str, version: int) -> None:
        with self._tx() as db:
            db.execute("UPDATE packs SET mailed_at = ? WHERE reference = ? AND version = ?",
                       (_iso(clock.now()), reference, version))

    def set_allocation_problem(self, reference: str, text: str | None) -> bool:
        """Note (or clear, with None) what must be corrected; True when it changed."""
        with self._tx() as db:
            row = db.execute("SELECT text FROM allocation_problems WHERE reference = ?",
                             (reference,)).fetchone()
            if (row["text"] if row else None) == text:
                return False
            if text is None:
                db.execute("DELETE FROM allocation_problems WHERE reference = ?", (reference,))
            else:
                db.execute("INSERT INTO allocation_problems (reference, text, noted_at) VALUES "
                           "(?, ?, ?) ON CONFLICT (reference) DO UPDATE SET text = excluded.text, "
                           "noted_at = excluded.noted_at",
                           (reference, text, _iso(clock.now())))
        return True

    def allocation_problems(self) -> dict[str, str]:
        return {r["reference"]: r["text"] for r in
                self._query("SELECT reference, text FROM allocation_problems")}

    def open_referral_of_case(self, case_id: str | None) -> Item | None:
        """The child's latest accepted referral (its newest item), or None."""
        case = normalise_case_id(case_id)
        if not case:
            return None
        rows = self._query(self._ITEMS + " WHERE i.case_id = ? AND i.outcome = 'accepted' AND "
                           "i.reference IS NOT NULL ORDER BY i.id DESC LIMIT 1", (case,))
        return self._item(rows[0]) if rows else None

    def report_made(self, reference: str, review_date: dt.date) -> str | None:
        rows = self._query("SELECT path FROM reports WHERE reference = ? AND review_date = ?",
                           (reference, review_date.isoformat()))
        return rows[0]["path"] if rows else None

    def reports_of(self, reference: str) -> list[tuple[dt.date, dt.date, str]]:
        """(review date, the day it was made, path) of a referral's review reports, oldest
        first (the next report's period starts where the last one ended)."""
        rows = self._query("SELECT review_date, made_at, path FROM reports WHERE reference = ? "
                           "ORDER BY made_at", (reference,))
        return [(dt.date.fromisoformat(r["review_date"]),
                 dt.datetime.fromisoformat(r["made_at"]).date(), r["path"]) for r in rows]

    def add_report(self, reference: str, review_date: dt.date, path: Path | str,
                   made_on: dt.date | None = None) -> bool:
        with self._tx() as db:
            cur = db.execute("INSERT OR IGNORE INTO reports (reference, review_date, path, "
                             "made_at) VALUES (?, ?, ?, ?)",
                             (reference, review_date.isoformat(), str(path),
                              _iso(dt.datetime.combine(made_on, dt.time(12))) if made_on
                              else _iso(clock.now())))
            return cur.rowcount == 1

    # ---- review report mail
    def report_mail(self, reference: str, review_date: dt.date) -> dict | None:
        """{sent_at, last_error, attempts, next_attempt_at} of a report's email, or None."""
        rows = self._query("SELECT * FROM report_mail WHERE reference = ? AND review_date = ?",
                           (reference, review_date.isoformat()))
        return dict(rows[0]) if rows else None

    def mark_report_mail(self, reference: str, review_date: dt.date, sent: bool,
                         error: str | None = None, now: float | None = None) -> None:
        """The email went (sent) or did not (`error` says why; tried again with back-off)."""
        now = time.time() if now is None else now
        with self._tx() as db:
            row = db.execute("SELECT attempts FROM report_mail WHERE reference = ? AND "
                             "review_date = ?", (reference, review_date.isoformat())).fetchone()
            attempts = (row["attempts"] if row else 0) + 1
            db.execute("INSERT INTO report_mail (reference, review_date, sent_at, last_error, "
                       "attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                       "(reference, review_date) DO UPDATE SET sent_at = excluded.sent_at, "
                       "last_error = excluded.last_error, attempts = excluded.attempts, "
                       "next_attempt_at = excluded.next_attempt_at",
                       (reference, review_date.isoformat(),
                        _iso(clock.now()) if sent else None, None if sent else error,
                        attempts, 0.0 if sent else now + backoff(attempts, cap=3600.0)))

    def hold_report_mail(self, reference: str, review_date: dt.date, why: str,
                         now: float, recheck: float) -> None:
        """The email waits for a person (the recommendation, the checked-by name): looked at
        again after `recheck` seconds, without the mail server's growing back-off."""
        with self._tx() as db:
            db.execute("INSERT INTO report_mail (reference, review_date, sent_at, last_error, "
                       "attempts, next_attempt_at) VALUES (?, ?, NULL, ?, 0, ?) ON CONFLICT "
                       "(reference, review_date) DO UPDATE SET last_error = excluded.last_error,"
                       " next_attempt_at = excluded.next_attempt_at",
                       (reference, review_date.isoformat(), why, now + recheck))

    def add_report_mailed(self, reference: str, review_date: dt.date, path: Path | str,
                          checked_by: str) -> None:
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO reports_mailed (reference, review_date, path, "
                       "checked_by, sent_at) VALUES (?, ?, ?, ?, ?)",
                       (reference, review_date.isoformat(), str(path), checked_by,
                        _iso(clock.now())))

    def report_mailed(self, reference: str, review_date: dt.date) -> dict | None:
        """{path, checked_by, sent_at} of the file a review report's email carried, or None."""
        rows = self._query("SELECT path, checked_by, sent_at FROM reports_mailed WHERE "
                           "reference = ? AND review_date = ?",
                           (reference, review_date.isoformat()))
        return dict(rows[0]) if rows else None

    def note_report_name_left(self, reference: str, review_date: dt.date, name: str) -> None:
        """Keep what "Review report checked (name)" held as the report was made (a blank
        cell is not kept: there is nothing left to refuse)."""
        name = " ".join((name or "").split())
        if not name:
            return
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO report_name_left (reference, review_date, name) "
                       "VALUES (?, ?, ?)", (reference, review_date.isoformat(), name))

    def report_name_left(self, reference: str, review_date: dt.date) -> str:
        """The name left in the cell from before the report was made, still there ("" once
        the cell has been seen holding anything else)."""
        rows = self._query("SELECT name FROM report_name_left WHERE reference = ? AND "
                           "review_date = ?", (reference, review_date.isoformat()))
        return rows[0]["name"] if rows else ""

    def forget_report_name_left(self, reference: str, review_date: dt.date) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM report_name_left WHERE reference = ? AND review_date = ?",
                       (reference, review_date.isoformat()))

    def report_states(self) -> list[dict]:
        """Every review report made with its email's state (reference, review_date, made_at,
        path, sent_at, last_error), oldest first."""
        return [dict(r) for r in self._query(
            "SELECT r.reference, r.review_date, r.made_at, r.path, m.sent_at, m.last_error "
            "FROM reports r LEFT JOIN report_mail m ON m.reference = r.reference AND "
            "m.review_date = r.review_date ORDER BY r.made_at")]

    def reports_unsent(self, now: float | None = None) -> list[tuple[str, dt.date, str, str]]:
        """(reference, review date, path, why) of reports made whose email has not gone
        (those whose next try has come, when `now` is given), oldest first."""
        sql = ("SELECT r.reference, r.review_date, r.path, m.last_error FROM reports r "
               "LEFT JOIN report_mail m ON m.reference = r.reference AND "
               "m.review_date = r.review_date WHERE (m.sent_at IS NULL)")
        args: list[Any] = []
        if now is not None:
            sql += " AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= ?)"
            args.append(now)
        return [(r["reference"], dt.date.fromisoformat(r["review_date"]), r["path"],
                 r["last_error"] or "") for r in self._query(sql + " ORDER BY r.made_at", args)]

    # ---- commitments kept, as typed in the tracker
    def record_met(self, reference: str, commitment: str, met_on: dt.date | None,
                   read_at: dt.datetime | None = None) -> bool:
        """Keep what is typed now for a commitment; True when it differs from the last read."""
        with self._tx() as db:
            row = db.execute("SELECT met_on FROM commitments_met WHERE reference = ? AND "
                             "commitment = ? ORDER BY read_at DESC LIMIT 1",
                             (reference, commitment)).fetchone()
            text = met_on.isoformat() if met_on else None
            if (row["met_on"] if row else None) == text:
                return False
            db.execute("INSERT OR REPLACE INTO commitments_met (reference, commitment, met_on, "
                       "read_at) VALUES (?, ?, ?, ?)",
                       (reference, commitment, text, _iso(read_at or clock.now())))
            return True

    def commitments_met(self, read_by: dt.datetime | None = None
                        ) -> dict[str, dict[str, dt.date]]:
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
            row = db.execute("SELECT text FROM met_problems WHERE reference = ?",
                             (reference,)).fetchone()
            if (row["text"] if row else None) == text:
                return False
            if text is None:
                db.execute("DELETE FROM met_problems WHERE reference = ?", (reference,))
            else:
                db.execute("INSERT OR REPLACE INTO met_problems (reference, text, noted_at) "
                           "VALUES (?, ?, ?)", (reference, text, _iso(clock.now())))
        return True

    def met_problems(self) -> dict[str, str]:
        return {r["reference"]: r["text"] for r in
                self._query("SELECT reference, text FROM met_problems")}


class Ledger(_Sessions):
    """One SQLite file; one connection per thread; safe to reopen after a crash."""

    BUSY_TIMEOUT_MS = 30000

    def __init__(self, path: Path | str):
        self.path = Path(path)
        private_dir(self.path.parent)
        self._local = threading.local()
        new = not self.path.exists()
        self._conn().executescript(_SCHEMA)
        if new:
            _private_file(self.path)

    # ---------------------------------------------------------------- connections

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self.BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {self.BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    class _Tx:
        def __init__(self, conn: sqlite3.Connection):
            self.conn = conn

        def __enter__(self) -> sqlite3.Connection:
            self.conn.execute("BEGIN IMMEDIATE")
            return self.conn

        def __exit__(self, exc_type, exc, tb) -> None:
            self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")

    def _tx(self) -> "_Tx":
        return Ledger._Tx(self._conn())

    def _query(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return self._conn().execute(sql, tuple(args)).fetchall()

    # ---------------------------------------------------------------- recording

    def record_file(self, *, sha256: str, original_name: str, size: int,
                    received_at: dt.datetime, source_path: Path, archive_root: Path,
                    drafts: list[ItemDraft], keep_source: bool = False,
                    archive_folder: str | None = None,
                    subfolder: Path | None = None) -> tuple[FileRecord, list[Item]]:
        """Record one inbox file and its items in ONE transaction; return them with ids.

        The archive path is chosen here too (collision-safe against the disk and against
        moves still owed), so a move finished after a crash goes to the same place; a file
        from a sub-folder of the inbox keeps that sub-folder's name under its outcome folder.
        """
        from pipeline.archive import choose_destination
        if not drafts:
            raise ValueError("a file needs at least one item")
        raw_name, original_name = original_name, shown(original_name)
        for d in drafts:
            d.original_name, d.reason = shown(d.original_name), shown(d.reason)
        outcome = ",".join(dict.fromkeys(d.outcome for d in drafts))
        reason = drafts[0].reason if len(drafts) == 1 else "; ".join(
            f"{d.original_name}: {d.outcome}" for d in drafts)
        outcomes = {d.outcome for d in drafts}
        folder = archive_folder or (drafts[0].outcome if len(outcomes) == 1 else
                                    email_folder(outcomes))
        with self._tx() as db:
            same = db.execute("SELECT id FROM files WHERE sha256 = ? AND source_path = ? AND "
                              "archived = 0", (sha256, _path_text(source_path))).fetchone()
            if same is not None:
                raise AlreadyRecorded(same["id"])
            owed = {_text_path(r["archive_path"]) for r in db.execute(
                "SELECT archive_path FROM files WHERE archived = 0")}
            where = archive_root / folder / subfolder if subfolder else archive_root / folder
            dest = choose_destination(where, raw_name, taken=owed)
            cur = db.execute(
                "INSERT INTO files (sha256, original_name, size, received_at, recorded_at, "
                "outcome, reason, source_path, keep_source, archive_path) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (sha256, original_name, size, _iso(received_at), _iso(dt.datetime.now()),
                 outcome, shown(reason), _path_text(source_path), int(keep_source),
                 _path_text(dest)))
            file_id = cur.lastrowid
            ids = []
            for d in drafts:
                ids.append(self._insert_item(db, file_id, sha256, received_at, d))
        record = self.file(file_id)
        items = [self.item(i) for i in ids]
        for it in items:
            log.info("item %s recorded: %s%s", it.id, it.outcome,
                     f" {it.reference}" if it.reference else "")
        return record, items

    def _insert_item(self, db: sqlite3.Connection, file_id: int, sha256: str,
                     received_at: dt.datetime, d: ItemDraft) -> int:
        reference, linked_to = None, d.linked_to
        case_id = normalise_case_id(d.case_id)
        if d.update_of:                # one child, one open referral: the same reference
            reference = d.update_of
            row = db.execute("SELECT id FROM items WHERE reference = ? ORDER BY id DESC LIMIT 1",
                             (reference,)).fetchone()
            linked_to = row["id"] if row else linked_to
        elif takes_reference(d.outcome, d.verdict):
            earlier = None
            if case_id:                # the case's latest referral
                marks = ", ".join("?" * len(REFERRAL_OUTCOMES))
                earlier = db.execute(
                    "SELECT id, outcome, reference FROM items WHERE case_id = ? AND outcome IN "
                    f"({marks}) AND reference IS NOT NULL ORDER BY id DESC LIMIT 1",
                    (case_id, *REFERRAL_OUTCOMES)).fetchone()
            if earlier is not None and earlier["outcome"] in RESUBMITTABLE \
                    and not d.previous_reference:
                reference, linked_to = earlier["reference"], earlier["id"]
            else:
                reference = self._next_reference(db, (d.received_at or received_at).year)
        verdict_json = d.verdict.model_dump_json() if d.verdict is not None else None
        cur = db.execute(
            "INSERT INTO items (file_id, file_sha256, original_name, received_at, outcome, "
            "reason, reference, linked_to, case_id, sender, subject, auto_submitted, verdict, "
            "agreement_attached) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (file_id, sha256, d.original_name, _iso(d.received_at or received_at), d.outcome,
             d.reason,
             reference, linked_to, case_id, d.sender, d.subject, int(d.auto_submitted),
             verdict_json, int(d.agreement_attached)))
        item_id = cur.lastrowid
        if d.session is not None:
            self._insert_session(db, item_id, d)
        for effect in dict.fromkeys(d.effects):
            key = f"{effect}:{reference or 'item'}:{item_id}"
            db.execute("INSERT INTO effects (item_id, effect, key) VALUES (?, ?, ?)",
                       (item_id, effect, key))
        return item_id

    @staticmethod
    def _insert_session(db: sqlite3.Connection, item_id: int, d: ItemDraft) -> None:
        """Store a linked record; an earlier record for the same date is replaced (process.py
        says so in the item's reason)."""
        rec = d.session.model_copy(update={"item_id": item_id})
        day = rec.date.isoformat()
        earlier = db.execute("SELECT item_id FROM sessions WHERE reference = ? AND date = ? AND "
                             "current = 1 ORDER BY item_id DESC LIMIT 1",
                             (rec.reference, day)).fetchone()
        if earlier is not None:
            rec = rec.model_copy(update={"replaces": earlier["item_id"]})
            db.execute("UPDATE sessions SET current = 0, replaced_by = ? WHERE reference = ? "
                       "AND date = ? AND current = 1", (item_id, rec.reference, day))
        db.execute("INSERT INTO sessions (item_id, reference, date, record) VALUES (?, ?, ?, ?)",
                   (item_id, rec.reference, day, rec.model_dump_json()))

    @staticmethod
    def _next_reference(db: sqlite3.Connection, year: int) -> str:
        row = db.execute("SELECT last FROM reference_years WHERE year = ?", (year,)).fetchone()
        number = (row["last"] if row else 0) + 1
        db.execute("INSERT INTO reference_years (year, last) VALUES (?, ?) ON CONFLICT (year) "
                   "DO UPDATE SET last = excluded.last", (year, number))
        return f"FT-{year}-{number:05d}"

    def next_reference(self, year: int) -> str:
        """Allocate a reference on its own (never reused); mostly for tools and tests."""
        with self._tx() as db:
            return self._next_reference(db, year)

    def mark_archived(self, file_id: int, archive_path: Path | None = None) -> None:
        with self._tx() as db:
            if archive_path is not None:
                db.execute("UPDATE files SET archived = 1, archive_path = ? WHERE id = ?",
                           (_path_text(archive_path), file_id))
            else:
                db.execute("UPDATE files SET archived = 1 WHERE id = ?", (file_id,))

    # ---------------------------------------------------------------- files

    @staticmethod
    def _file(row: sqlite3.Row) -> FileRecord:
        return FileRecord(id=row["id"], sha256=row["sha256"], original_name=row["original_name"],
                          size=row["size"], received_at=dt.datetime.fromisoformat(row["received_at"]),
                          outcome=row["outcome"], reason=row["reason"],
                          source_path=_text_path(row["source_path"]),
                          keep_source=bool(row["keep_source"]),
                          archive_path=_text_path(row["archive_path"]),
                          archived=bool(row["archived"]))

    def file(self, file_id: int) -> FileRecord | None:
        rows = self._query("SELECT * FROM files WHERE id = ?", (file_id,))
        return self._file(rows[0]) if rows else None

    def files_with_hash(self, sha256: str) -> list[FileRecord]:
        return [self._file(r) for r in
                self._query("SELECT * FROM files WHERE sha256 = ? ORDER BY id", (sha256,))]

    def unarchived(self) -> list[FileRecord]:
        """Files recorded whose original has not been moved yet (a crash, or a locked file)."""
        return [self._file(r) for r in
                self._query("SELECT * FROM files WHERE archived = 0 ORDER BY id")]

    def file_count(self) -> int:
        return self._query("SELECT COUNT(*) AS n FROM files")[0]["n"]

    def items_of_file(self, file_id: int) -> list[Item]:
        return [self._item(r) for r in
                self._query("SELECT i.*, f.archive_path AS fpath FROM items i JOIN files f "
                            "ON f.id = i.file_id WHERE i.file_id = ? ORDER BY i.id", (file_id,))]

    # ---------------------------------------------------------------- items

    @staticmethod
    def _item(row: sqlite3.Row) -> Item:
        verdict = _retyped(Verdict.model_validate_json(row["verdict"])) if row["verdict"] \
            else None
        return Item(id=row["id"], file_sha256=row["file_sha256"],
                    original_name=row["original_name"],
                    received_at=dt.datetime.fromisoformat(row["received_at"]),
                    outcome=row["outcome"], reason=row["reason"], reference=row["reference"],
                    linked_to=row["linked_to"], case_id=row["case_id"], sender=row["sender"],
                    subject=row["subject"], auto_submitted=bool(row["auto_submitted"]),
                    archive_path=_text_path(row["fpath"]), verdict=verdict,
                    agreement_attached=bool(row["agreement_attached"]))

    _ITEMS = "SELECT i.*, f.archive_path AS fpath FROM items i JOIN files f ON f.id = i.file_id"

    def items(self, outcome: str | None = None, since: dt.datetime | None = None) -> list[Item]:
        sql, args = self._ITEMS + " WHERE 1 = 1", []
        if outcome:
            sql += " AND i.outcome = ?"
            args.append(outcome)
        if since:
            sql += " AND i.received_at >= ?"
            args.append(_iso(since))
        return [self._item(r) for r in self._query(sql + " ORDER BY i.id", args)]

    def item(self, item_id: int) -> Item | None:
        rows = self._query(self._ITEMS + " WHERE i.id = ?", (item_id,))
        return self._item(rows[0]) if rows else None

    def item_by_reference(self, reference: str) -> Item | None:
        """The latest item of a referral (re-submissions share the reference)."""
        rows = self._query(self._ITEMS + " WHERE i.reference = ? ORDER BY i.id DESC LIMIT 1",
                           (reference,))
        return self._item(rows[0]) if rows else None

    def counts(self) -> dict[str, int]:
        """Items by outcome."""
        return {r["outcome"]: r["n"] for r in
                self._query("SELECT outcome, COUNT(*) AS n FROM items GROUP BY outcome")}

    def referral_submissions(self) -> list[tuple[str, str]]:
        """(reference, outcome) of every referral submission, in the order recorded: cheap
        enough for `status` on a large ledger (no verdicts read)."""
        marks = ", ".join("?" * len(REFERRAL_OUTCOMES))
        return [(r["reference"], r["outcome"]) for r in self._query(
            f"SELECT reference, outcome FROM items WHERE reference IS NOT NULL AND outcome IN "
            f"({marks}) ORDER BY id", REFERRAL_OUTCOMES)]

    def oldest_unacknowledged(self) -> Item | None:
        """The oldest referral whose acknowledgement email has not gone yet."""
        marks = ", ".join("?" * len(REFERRAL_OUTCOMES))
        rows = self._query(
            self._ITEMS + " JOIN effects e ON e.item_id = i.id WHERE e.effect = ? AND "
            f"e.status != 'done' AND i.outcome IN ({marks}) "
            "ORDER BY i.received_at, i.id LIMIT 1", (EffectName.MAIL, *REFERRAL_OUTCOMES))
        return self._item(rows[0]) if rows else None

    # ---------------------------------------------------------------- effects

    @staticmethod
    def _effect(row: sqlite3.Row) -> Effect:
        return Effect(id=row["id"], item_id=row["item_id"], effect=row["effect"], key=row["key"],
                      status=row["status"], attempts=row["attempts"],
                      next_attempt_at=row["next_attempt_at"], last_error=row["last_error"],
                      waiting=row["waiting"])

    def pending_effects(self, now: float | None = None, effect: str | None = None) -> list[Effect]:
        """Effects not done whose next attempt is due (all of them when now is None)."""
        sql, args = "SELECT * FROM effects WHERE status NOT IN ('done', 'withheld')", []
        if now is not None:
            sql += " AND next_attempt_at <= ?"
            args.append(now)
        if effect:
            sql += " AND effect = ?"
            args.append(effect)
        return [self._effect(r) for r in self._query(sql + " ORDER BY id", args)]

    def effects_of(self, item_id: int) -> list[Effect]:
        return [self._effect(r) for r in
                self._query("SELECT * FROM effects WHERE item_id = ? ORDER BY id", (item_id,))]

    def add_effect(self, item_id: int, effect: str, key: str) -> bool:
        """Owe a new effect (e.g. paperwork once a row is allocated); False if already owed."""
        with self._tx() as db:
            cur = db.execute("INSERT OR IGNORE INTO effects (item_id, effect, key) "
                             "VALUES (?, ?, ?)", (item_id, effect, key))
            return cur.rowcount == 1

    def mark_effect(self, item_id: int, effect: str, status: str, error: str | None = None,
                    *, retry_in: float | None = None, waiting: str | None = None,
                    count_attempt: bool = True) -> None:
        """Record an attempt: done, failed (retried later with backoff, or at retry_in), or
        withheld (deliberately not done, never retried: `error` says why, for `status`)."""
        if status not in ("done", "failed", "pending", "withheld"):
            raise ValueError(f"unknown effect status {status!r}")
        with self._tx() as db:
            row = db.execute("SELECT attempts FROM effects WHERE item_id = ? AND effect = ?",
                             (item_id, effect)).fetchone()
            if row is None:
                return
            attempts = row["attempts"] + (1 if count_attempt else 0)
            if status == "done":
                db.execute("UPDATE effects SET status = 'done', attempts = ?, last_error = NULL, "
                           "waiting = NULL, done_at = ? WHERE item_id = ? AND effect = ?",
                           (attempts, _iso(dt.datetime.now()), item_id, effect))
                return
            delay = retry_in if retry_in is not None else backoff(attempts)
            if status == "withheld":
                delay = 0.0
            db.execute("UPDATE effects SET status = ?, attempts = ?, last_error = ?, waiting = ?, "
                       "next_attempt_at = ? WHERE item_id = ? AND effect = ?",
                       (status, attempts, error, waiting, time.time() + delay, item_id, effect))

    def reopen_effect(self, item_id: int, effect: str) -> None:
        """Owe an effect again (e.g. the tracker row must show a pack that was just made)."""
        with self._tx() as db:
            db.execute("UPDATE effects SET status = 'pending', next_attempt_at = 0, done_at = NULL"
                       " WHERE item_id = ? AND effect = ?", (item_id, effect))

    def mark_effect_done(self, item_id: int, effect: str) -> None:
        self.mark_effect(item_id, effect, "done")

    def effect_summary(self) -> list[dict]:
        """Effects not done, grouped by effect and reason (for `status`)."""
        rows = self._query(
            "SELECT effect, waiting, last_error, COUNT(*) AS n, MIN(next_attempt_at) AS next "
            "FROM effects WHERE status != 'done' GROUP BY effect, waiting, last_error "
            "ORDER BY effect")
        return [dict(r) for r in rows]

    def withheld_effects(self, effect: str) -> dict[int, str]:
        """item id -> why the effect was withheld (e.g. why no acknowledgement went)."""
        return {r["item_id"]: r["last_error"] or "" for r in self._query(
            "SELECT item_id, last_error FROM effects WHERE effect = ? AND status = 'withheld'",
            (effect,))}

    def done_effects(self, effect: str) -> dict[int, str]:
        """item id -> when the effect was done (e.g. acknowledgement sent)."""
        return {r["item_id"]: r["done_at"] for r in self._query(
            "SELECT item_id, done_at FROM effects WHERE effect = ? AND status = 'done'",
            (effect,))}


_FIELD_TYPES: dict[str, dict[str, str]] = {}


def _field_types(form_id: str) -> dict[str, str]:
    """key -> catalogue type for a form ("date", "time", ...), cached."""
    if form_id not in _FIELD_TYPES:
        types: dict[str, str] = {}
        try:
            from pipeline.extract.catalogue import catalogue
            form = catalogue().forms.get(form_id)
            if form is not None:
                types = {f.key: f.type for f in form.expanded_fields()}
        except Exception:                  # no catalogue: values stay as stored
            types = {}
        _FIELD_TYPES[form_id] = types
    return _FIELD_TYPES[form_id]


def _retyped(verdict: Verdict) -> Verdict:
    """Dates and times back as dates and times: JSON keeps them as text, and every reader of
    an item (paperwork, tracker, mail) expects the validator's types (pipeline/models.py)."""
    if not verdict.form_id or not verdict.values:
        return verdict
    types = _field_types(verdict.form_id)
    for key, value in verdict.values.items():
        if not isinstance(value, str):
            continue
        kind = types.get(key)
        try:
            if kind == "date":
                verdict.values[key] = dt.date.fromisoformat(value)
            elif kind == "time":
                verdict.values[key] = dt.time.fromisoformat(value)
        except ValueError:
            pass
    return verdict


def backoff(attempts: int, base: float = 30.0, cap: float = 3600.0) -> float:
    """Seconds before the next try: 30 s, 60 s, 2 min ... at most an hour."""
    return min(cap, base * (2 ** max(0, attempts - 1)))


def _private_file(path: Path) -> None:
    import os
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass
