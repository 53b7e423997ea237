"""The ledger: the source of truth for every file that entered the inbox and what became of it.

SQLite (standard library) in WAL mode. ONE transaction per inbox file records the file, its
items (one per submission), their references and the side effects they owe; the original is
moved out of the inbox only after that commit, so a crash at any instant leaves either nothing
recorded (the file is processed again) or a committed row whose move is finished at the next
start. References (FT-<year>-<5 digits>) are allocated inside the same transaction and never
reused. Which outcomes get a reference, and which a re-submission takes over, is
pipeline/outcomes.toml's rule; the words people read are process.py's. The ledger stores.
Logs carry references and item ids, never names.

One `Ledger` object, put together from one part per subject so each can be read alone:
store (the file, schema, connections), referrals (files and items), sessions (records and
the missed-session rule's actions), paperwork (packs, review reports), mail (whether report
emails and acknowledgements went), effects (owed effects and their retries), commitments
(dates kept), timeline (each case's events, written once). They share one connection and
transaction (`_tx`, `_query`), so a file and everything it owes still commit together.
"""

from __future__ import annotations

from pipeline.ledger.commitments import _Commitments
from pipeline.ledger.common import normalise_case_id, shown
from pipeline.ledger.effects import EFFECT_STATUSES, OwedEffect, _Effects
from pipeline.ledger.mail import _Mail
from pipeline.ledger.names import EffectName, EventKind, MailHow, Waiting
from pipeline.ledger.paperwork import _Paperwork
from pipeline.ledger.referrals import AlreadyRecorded, FileRecord, ItemDraft, _Referrals
from pipeline.ledger.sessions import StoredAction, _Sessions
from pipeline.ledger.store import _Store
from pipeline.ledger.timeline import Event, _Timeline

__all__ = [
    "EFFECT_STATUSES",
    "AlreadyRecorded",
    "EffectName",
    "Event",
    "EventKind",
    "FileRecord",
    "ItemDraft",
    "Ledger",
    "MailHow",
    "OwedEffect",
    "StoredAction",
    "Waiting",
    "normalise_case_id",
    "shown",
]


class Ledger(_Referrals, _Sessions, _Paperwork, _Mail, _Effects, _Commitments, _Timeline, _Store):
    """One SQLite file; one connection per thread; safe to reopen after a crash."""
