"""The ledger's SQLite file: its schema, and one connection per thread.

There are no migrations: every table is CREATE ... IF NOT EXISTS, so an existing ledger
file gains new tables on open and nothing else in it changes. Tables are only ever added."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.files import private_dir

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
-- The case timeline: what happened to each referral, once each (pipeline/ledger/timeline.py).
CREATE TABLE IF NOT EXISTS events (
    id            INTEGER PRIMARY KEY,
    reference     TEXT NOT NULL,
    kind          TEXT NOT NULL,      -- pipeline.ledger.names.EventKind
    effective_on  TEXT NOT NULL,      -- the day it happened, on the pipeline's clock
    written_at    TEXT NOT NULL,      -- when it was written (the pipeline's clock)
    key           TEXT NOT NULL UNIQUE,
    detail        TEXT NOT NULL       -- JSON
);
CREATE INDEX IF NOT EXISTS events_by_reference ON events (reference, effective_on);
"""


def _private_file(path: Path) -> None:
    """Only the service's account may read the ledger (it holds names and case IDs)."""
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass


class _Tx:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on an exception): the write lock is taken at the
    start, so two processes never interleave one file's rows."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")


class _Store:
    """One SQLite file; one connection per thread; safe to reopen after a crash."""

    BUSY_TIMEOUT_MS = 30000
    _Tx = _Tx

    def __init__(self, path: Path | str):
        self.path = Path(path)
        private_dir(self.path.parent)
        self._local = threading.local()
        new = not self.path.exists()
        self._conn().executescript(_SCHEMA)
        if new:
            _private_file(self.path)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=self.BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
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

    def _tx(self) -> _Tx:
        return _Tx(self._conn())

    def _query(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return self._conn().execute(sql, tuple(args)).fetchall()
