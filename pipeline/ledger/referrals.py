"""Inbox files and their items: recording a file with its items in one transaction (new
references, re-submissions, updates of an open referral), and reading them back."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ledger.common import (
    _iso,
    _path_text,
    _stamp_now,
    _text_path,
    normalise_case_id,
    shown,
)
from pipeline.ledger.names import EffectName
from pipeline.ledger.timeline import intake_events
from pipeline.models import Item, Outcome, SessionRecord, Verdict
from pipeline.outcomes import REFERRAL_OUTCOMES, RESUBMITTABLE, email_folder, takes_reference

log = logging.getLogger("pipeline.ledger")


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
    effects: list[EffectName] = field(default_factory=list)  # the effects this item owes
    linked_to: int | None = None  # set for duplicates (the earlier item)
    update_of: str | None = None  # the open referral (reference) this one updates
    previous_reference: str | None = None  # the child's closed referral, named by the new one
    received_at: dt.datetime | None = None  # an email's own date; else the file's
    session: SessionRecord | None = None  # a linked session record (item_id 0)
    own_reference: bool = False  # another child under the same case ID: never its reference
    resubmits: str | None = None  # the returned referral this re-submits, when the ID is shared


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


class _Referrals:
    """Files and items (mixed into Ledger: self._tx and self._query are the store's)."""

    # ---------------------------------------------------------------- recording

    def record_file(
        self,
        *,
        sha256: str,
        original_name: str,
        size: int,
        received_at: dt.datetime,
        source_path: Path,
        archive_root: Path,
        drafts: list[ItemDraft],
        keep_source: bool = False,
        archive_folder: str | None = None,
        subfolder: Path | None = None,
    ) -> tuple[FileRecord, list[Item]]:
        """Record one inbox file and its items in ONE transaction; return them with ids.

        The archive path is chosen here too (collision-safe against the disk and against
        moves still owed), so a move finished after a crash goes to the same place; a file
        from a sub-folder of the inbox keeps that sub-folder's name under its outcome folder.
        """
        if not drafts:
            raise ValueError("a file needs at least one item")
        raw_name, original_name = original_name, shown(original_name)
        for d in drafts:
            d.original_name, d.reason = shown(d.original_name), shown(d.reason)
        outcome, reason, folder = _file_outcome(drafts, archive_folder)
        where = archive_root / folder / subfolder if subfolder else archive_root / folder
        with self._tx() as db:
            dest = _claim_destination(db, sha256, source_path, where, raw_name)
            cur = db.execute(
                "INSERT INTO files (sha256, original_name, size, received_at, recorded_at, "
                "outcome, reason, source_path, keep_source, archive_path) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    sha256,
                    original_name,
                    size,
                    _iso(received_at),
                    _iso(_stamp_now()),
                    outcome,
                    shown(reason),
                    _path_text(source_path),
                    int(keep_source),
                    _path_text(dest),
                ),
            )
            file_id = cur.lastrowid
            ids = [self._insert_item(db, file_id, sha256, received_at, d) for d in drafts]
        record = self.file(file_id)
        items = [self.item(i) for i in ids]
        for it in items:
            log.info(
                "item %s recorded: %s%s",
                it.id,
                it.outcome,
                f" {it.reference}" if it.reference else "",
            )
        return record, items

    def _insert_item(
        self,
        db: sqlite3.Connection,
        file_id: int,
        sha256: str,
        received_at: dt.datetime,
        d: ItemDraft,
    ) -> int:
        reference, linked_to = None, d.linked_to
        case_id = normalise_case_id(d.case_id)
        if d.update_of:  # one child, one open referral: the same reference
            reference = d.update_of
            row = db.execute(
                "SELECT id FROM items WHERE reference = ? ORDER BY id DESC LIMIT 1", (reference,)
            ).fetchone()
            linked_to = row["id"] if row else linked_to
        elif d.resubmits and takes_reference(d.outcome, d.verdict):
            reference = d.resubmits  # the same child's returned referral, not a sibling's
            row = db.execute(
                "SELECT id FROM items WHERE reference = ? ORDER BY id DESC LIMIT 1", (reference,)
            ).fetchone()
            linked_to = row["id"] if row else linked_to
        elif takes_reference(d.outcome, d.verdict):
            earlier = None
            if case_id:  # the case's latest referral
                marks = ", ".join("?" * len(REFERRAL_OUTCOMES))
                earlier = db.execute(
                    "SELECT id, outcome, reference FROM items WHERE case_id = ? AND outcome IN "
                    f"({marks}) AND reference IS NOT NULL ORDER BY id DESC LIMIT 1",
                    (case_id, *REFERRAL_OUTCOMES),
                ).fetchone()
            if (
                earlier is not None
                and earlier["outcome"] in RESUBMITTABLE
                and not d.previous_reference
                and not d.own_reference
            ):
                reference, linked_to = earlier["reference"], earlier["id"]
            else:
                reference = self._next_reference(db, (d.received_at or received_at).year)
        verdict_json = d.verdict.model_dump_json() if d.verdict is not None else None
        cur = db.execute(
            "INSERT INTO items (file_id, file_sha256, original_name, received_at, outcome, "
            "reason, reference, linked_to, case_id, sender, subject, auto_submitted, verdict, "
            "agreement_attached) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                file_id,
                sha256,
                d.original_name,
                _iso(d.received_at or received_at),
                d.outcome,
                d.reason,
                reference,
                linked_to,
                case_id,
                d.sender,
                d.subject,
                int(d.auto_submitted),
                verdict_json,
                int(d.agreement_attached),
            ),
        )
        item_id = cur.lastrowid
        if reference:
            self.record_events(
                intake_events(
                    item_id,
                    reference,
                    d.outcome,
                    d.received_at or received_at,
                    update=bool(d.update_of or linked_to),
                ),
                db,
            )
        if d.session is not None:
            self._insert_session(db, item_id, d)
        for effect in dict.fromkeys(d.effects):
            key = f"{effect}:{reference or 'item'}:{item_id}"
            db.execute(
                "INSERT INTO effects (item_id, effect, key) VALUES (?, ?, ?)",
                (item_id, effect, key),
            )
        return item_id

    @staticmethod
    def _next_reference(db: sqlite3.Connection, year: int) -> str:
        row = db.execute("SELECT last FROM reference_years WHERE year = ?", (year,)).fetchone()
        number = (row["last"] if row else 0) + 1
        db.execute(
            "INSERT INTO reference_years (year, last) VALUES (?, ?) ON CONFLICT (year) "
            "DO UPDATE SET last = excluded.last",
            (year, number),
        )
        return f"FT-{year}-{number:05d}"

    def next_reference(self, year: int) -> str:
        """Allocate a reference on its own (never reused); mostly for tools and tests."""
        with self._tx() as db:
            return self._next_reference(db, year)

    def mark_archived(self, file_id: int, archive_path: Path | None = None) -> None:
        with self._tx() as db:
            if archive_path is not None:
                db.execute(
                    "UPDATE files SET archived = 1, archive_path = ? WHERE id = ?",
                    (_path_text(archive_path), file_id),
                )
            else:
                db.execute("UPDATE files SET archived = 1 WHERE id = ?", (file_id,))

    # ---------------------------------------------------------------- files

    @staticmethod
    def _file(row: sqlite3.Row) -> FileRecord:
        return FileRecord(
            id=row["id"],
            sha256=row["sha256"],
            original_name=row["original_name"],
            size=row["size"],
            received_at=dt.datetime.fromisoformat(row["received_at"]),
            outcome=row["outcome"],
            reason=row["reason"],
            source_path=_text_path(row["source_path"]),
            keep_source=bool(row["keep_source"]),
            archive_path=_text_path(row["archive_path"]),
            archived=bool(row["archived"]),
        )

    def file(self, file_id: int) -> FileRecord | None:
        rows = self._query("SELECT * FROM files WHERE id = ?", (file_id,))
        return self._file(rows[0]) if rows else None

    def files_with_hash(self, sha256: str) -> list[FileRecord]:
        return [
            self._file(r)
            for r in self._query("SELECT * FROM files WHERE sha256 = ? ORDER BY id", (sha256,))
        ]

    def unarchived(self) -> list[FileRecord]:
        """Files recorded whose original has not been moved yet (a crash, or a locked file)."""
        return [
            self._file(r) for r in self._query("SELECT * FROM files WHERE archived = 0 ORDER BY id")
        ]

    def file_count(self) -> int:
        return self._query("SELECT COUNT(*) AS n FROM files")[0]["n"]

    def items_of_file(self, file_id: int) -> list[Item]:
        return [
            self._item(r)
            for r in self._query(
                "SELECT i.*, f.archive_path AS fpath FROM items i JOIN files f "
                "ON f.id = i.file_id WHERE i.file_id = ? ORDER BY i.id",
                (file_id,),
            )
        ]

    # ---------------------------------------------------------------- items

    @staticmethod
    def _item(row: sqlite3.Row) -> Item:
        verdict = _retyped(Verdict.model_validate_json(row["verdict"])) if row["verdict"] else None
        return Item(
            id=row["id"],
            file_sha256=row["file_sha256"],
            original_name=row["original_name"],
            received_at=dt.datetime.fromisoformat(row["received_at"]),
            outcome=row["outcome"],
            reason=row["reason"],
            reference=row["reference"],
            linked_to=row["linked_to"],
            case_id=row["case_id"],
            sender=row["sender"],
            subject=row["subject"],
            auto_submitted=bool(row["auto_submitted"]),
            archive_path=_text_path(row["fpath"]),
            verdict=verdict,
            agreement_attached=bool(row["agreement_attached"]),
        )

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
        rows = self._query(
            self._ITEMS + " WHERE i.reference = ? ORDER BY i.id DESC LIMIT 1", (reference,)
        )
        return self._item(rows[0]) if rows else None

    def referral_items(self, reference: str) -> list[Item]:
        """Every version of a referral (first form, re-submissions, updates), oldest first."""
        marks = ", ".join("?" * len(REFERRAL_OUTCOMES))
        return [
            self._item(r)
            for r in self._query(
                self._ITEMS + f" WHERE i.reference = ? AND i.outcome IN ({marks}) ORDER BY i.id",
                (reference, *REFERRAL_OUTCOMES),
            )
        ]

    def referrals_of_case(self, case_id: str | None) -> list[Item]:
        """Each referral (reference) given this case ID, newest first: its newest accepted
        submission where one was accepted (an accepted referral stays open whatever came
        after), else its newest. Siblings' forms may share an ID, so there may be several."""
        case = normalise_case_id(case_id)
        if not case:
            return []
        marks = ", ".join("?" * len(REFERRAL_OUTCOMES))
        rows = self._query(
            self._ITEMS + f" WHERE i.case_id = ? AND i.outcome IN ({marks}) AND "
            "i.reference IS NOT NULL ORDER BY i.id DESC",
            (case, *REFERRAL_OUTCOMES),
        )
        newest: dict[str, Item] = {}
        for item in (self._item(r) for r in rows):
            kept = newest.get(item.reference)
            if kept is None or (item.outcome == "accepted" and kept.outcome != "accepted"):
                newest[item.reference] = item
        return list(newest.values())

    def referrals_born_on(self, dob: str) -> list[Item]:
        """Each referral's latest submission whose child was born on `dob` (ISO): the few to
        compare a new child with. Reading every verdict each time would cost a tenth of a
        second per form on a large ledger, so an index of births by reference is kept for
        this ledger object and brought up to date with only the items added since."""
        index: dict[str, set[str]] = self.__dict__.setdefault("_born_on", {})
        seen = self.__dict__.get("_born_on_seen", 0)
        marks = ", ".join("?" * len(REFERRAL_OUTCOMES))
        rows = self._query(
            "SELECT id, reference, json_extract(verdict, '$.values.\"child.dob\"') AS dob "
            f"FROM items WHERE id > ? AND reference IS NOT NULL AND outcome IN ({marks}) "
            "ORDER BY id",
            (seen, *REFERRAL_OUTCOMES),
        )
        for r in rows:
            if r["dob"]:
                index.setdefault(str(r["dob"]), set()).add(r["reference"])
            seen = r["id"]
        self.__dict__["_born_on_seen"] = seen
        found = []
        for reference in sorted(index.get(dob, ())):
            latest = self.referral_items(reference)
            if latest and latest[-1].verdict and _iso_date(latest[-1]) == dob:
                found.append(latest[-1])
        return found

    def open_referral_of_case(self, case_id: str | None) -> Item | None:
        """The child's latest accepted referral (its newest item), or None."""
        case = normalise_case_id(case_id)
        if not case:
            return None
        rows = self._query(
            self._ITEMS + " WHERE i.case_id = ? AND i.outcome = 'accepted' AND "
            "i.reference IS NOT NULL ORDER BY i.id DESC LIMIT 1",
            (case,),
        )
        return self._item(rows[0]) if rows else None

    def counts(self) -> dict[str, int]:
        """Items by outcome."""
        return {
            r["outcome"]: r["n"]
            for r in self._query("SELECT outcome, COUNT(*) AS n FROM items GROUP BY outcome")
        }

    def referral_submissions(self) -> list[tuple[str, str]]:
        """(reference, outcome) of every referral submission, in the order recorded: cheap
        enough for `status` on a large ledger (no verdicts read). A referral once accepted
        stays accepted: a later update with answers missing (same reference) asks the social
        worker for them, it does not return the referral, so it is given as "accepted"."""
        marks = ", ".join("?" * len(REFERRAL_OUTCOMES))
        out, accepted = [], set()
        for r in self._query(
            f"SELECT reference, outcome FROM items WHERE reference IS NOT NULL AND outcome IN "
            f"({marks}) ORDER BY id",
            REFERRAL_OUTCOMES,
        ):
            if r["outcome"] == "accepted":
                accepted.add(r["reference"])
            out.append((r["reference"], "accepted" if r["reference"] in accepted else r["outcome"]))
        return out


_FIELD_TYPES: dict[str, dict[str, str]] = {}


def _field_types(form_id: str) -> dict[str, str]:
    """key -> catalogue type for a form ("date", "time", ...), cached."""
    if form_id not in _FIELD_TYPES:
        types: dict[str, str] = {}
        try:
            from pipeline.catalogue import catalogue

            form = catalogue().forms.get(form_id)
            if form is not None:
                types = {f.key: f.type for f in form.expanded_fields()}
        except Exception:  # no catalogue: values stay as stored
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


def _iso_date(item: Item) -> str | None:
    dob = item.verdict.values.get("child.dob") if item.verdict else None
    return dob.isoformat() if hasattr(dob, "isoformat") else (str(dob) if dob else None)


def _file_outcome(drafts: list[ItemDraft], archive_folder: str | None) -> tuple[str, str, str]:
    """The file's outcome, reason and archive folder, summed up from its items."""
    outcome = ",".join(dict.fromkeys(d.outcome for d in drafts))
    reason = (
        drafts[0].reason
        if len(drafts) == 1
        else "; ".join(f"{d.original_name}: {d.outcome}" for d in drafts)
    )
    outcomes = {d.outcome for d in drafts}
    folder = archive_folder or (drafts[0].outcome if len(outcomes) == 1 else email_folder(outcomes))
    return outcome, reason, folder


def _claim_destination(db, sha256: str, source_path: Path, where: Path, raw_name: str) -> Path:
    """Inside the caller's transaction: refuse a file already recorded and not yet archived,
    then pick an archive path free on disk and among the moves still owed."""
    from pipeline.ledger.archive_paths import choose_destination

    same = db.execute(
        "SELECT id, archived FROM files WHERE sha256 = ? AND source_path = ? ORDER BY id DESC",
        (sha256, _path_text(source_path)),
    ).fetchone()
    if same is not None and (not same["archived"] or not source_path.exists()):
        # not moved yet, or recorded and moved by another run while this one read it (the
        # file is gone from the inbox): the same file, never a duplicate of itself
        raise AlreadyRecorded(same["id"])
    owed = {
        _text_path(r["archive_path"])
        for r in db.execute("SELECT archive_path FROM files WHERE archived = 0")
    }
    return choose_destination(where, raw_name, taken=owed)
