"""Allocation versions and paperwork packs on the case timeline: how their events are written
(their keys) and what they say, so the paperwork effect (the writer) and the Paperwork cell,
the month report and the letters (the readers) agree.

Three events, each written once, on the pipeline's today, by the paperwork effect as it
happens (never rewritten, never worked out again from an effect's `done_at`):

- ALLOCATED  "allocated:<ref>:<n>"   one per version of the allocation a pack was made from:
  supervisor (and the service's word for the role), venue, room, day, time, first session.
- PACK_MADE  "pack_made:<ref>:<n>"   one per pack version: the documents, the allocation
  version it was made from, what changed from the previous allocation (keys, and the move:
  from which day, which sessions of the old pattern are off), short notice.
- PACK_MAILED "pack_mailed:<ref>:<n>:<how>"  the pack's email: to whom by role, and how
  (sent, or only written to outbox/mail), as the mail outbox says. A message first only
  written and later sent is a second event (its own key).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.cases.case import Case
from pipeline.ledger.names import EventKind, MailHow
from pipeline.ledger.timeline import Event

ALLOCATION_FIELDS = ("supervisor", "venue", "room", "day", "time", "first_date")


# ---------------------------------------------------------------- keys and constructors


def allocated_key(reference: str, version: int) -> str:
    return f"allocated:{reference}:{version}"


def pack_made_key(reference: str, version: int) -> str:
    return f"pack_made:{reference}:{version}"


def pack_mailed_key(reference: str, version: int, how: MailHow | str) -> str:
    return f"pack_mailed:{reference}:{version}:{how}"


def mail_key(reference: str, version: int) -> str:
    """The mail outbox's key of pack `version`'s email (pipeline/notify/pack.py writes it)."""
    return f"{reference}:pack:{version}"


def accepted(reference: str, by: str, on: dt.date) -> Event:
    """A named person accepted the referral (where the service's profile says a person
    accepts): written once per person, when a pack is first made with their name."""
    return Event(reference, EventKind.ACCEPTED, on, f"accepted:{reference}:{by}", {"by": by})


def acceptances(ledger) -> dict[str, tuple[str, dt.date]]:
    """reference -> (who accepted it, the day), from the latest ACCEPTED event of each case."""
    from pipeline.cases import cases_of

    out = {}
    for ref, case in cases_of(ledger, kinds=(EventKind.ACCEPTED,)).items():
        latest = case.latest(EventKind.ACCEPTED)
        if latest is not None:
            out[ref] = (str(latest.detail.get("by") or ""), latest.on)
    return out


def allocated(
    reference: str, version: int, allocation: dict[str, Any], supervisor_role: str, on: dt.date
) -> Event:
    """Allocation `version` (a snapshot: ISO first_date, plain text for the rest)."""
    detail = {k: allocation.get(k) or "" for k in ALLOCATION_FIELDS}
    detail.update(version=version, supervisor_role=supervisor_role)
    return Event(reference, EventKind.ALLOCATED, on, allocated_key(reference, version), detail)


def pack_made(
    reference: str,
    version: int,
    *,
    allocation_version: int,
    item_id: int,
    documents: list[str],
    changed: list[str],
    change: dict[str, Any] | None,
    short_notice: bool,
    on: dt.date,
    mail_to: list[str] | None = None,
) -> Event:
    """Pack `version`; `changed`: the allocation's fields that differ from the previous
    version's ("referral": made again for an updated referral, the arrangements the same);
    `change`: the move in plain facts (from, was, now, off), None when nothing moved;
    `mail_to`: the roles its email is addressed to ([] when no email could be made)."""
    detail = {
        "version": version,
        "allocation_version": allocation_version,
        "item": item_id,
        "documents": [str(d) for d in documents],
        "changed": list(changed),
        "change": change,
        "short_notice": bool(short_notice),
        "mail_to": list(mail_to or []),
    }
    return Event(reference, EventKind.PACK_MADE, on, pack_made_key(reference, version), detail)


def pack_mailed(reference: str, version: int, to: list[str], how: MailHow, on: dt.date) -> Event:
    """Pack `version`'s email: `to` by role ("supervisor", "social worker"), and how."""
    return Event(
        reference,
        EventKind.PACK_MAILED,
        on,
        pack_mailed_key(reference, version, how),
        {"version": version, "to": list(to), "how": str(how)},
    )


# ---------------------------------------------------------------- reading


def allocations(case: Case | None, by: dt.date | None = None) -> list[Event]:
    return case.of(EventKind.ALLOCATED, by=by) if case else []


def current_allocation(case: Case | None) -> dict[str, Any] | None:
    """The latest allocation version's fields, or None when nothing was allocated."""
    latest = case.latest(EventKind.ALLOCATED) if case else None
    return dict(latest.detail) if latest else None


def allocated_on(case: Case | None, by: dt.date | None = None) -> dt.date | None:
    """The day the referral was first allocated (its first allocation or pack, whichever
    the timeline has first), up to `by`: what "allocated on time" is measured by."""
    first = case.first(EventKind.ALLOCATED, EventKind.PACK_MADE, by=by) if case else None
    return first.on if first else None


def latest_pack(case: Case | None) -> Event | None:
    return case.latest(EventKind.PACK_MADE) if case else None


def pack_mails(case: Case | None, version: int) -> list[Event]:
    return [
        e
        for e in (case.of(EventKind.PACK_MAILED) if case else [])
        if e.detail.get("version") == version
    ]


def mailed_how(case: Case | None, version: int) -> MailHow | None:
    """SENT once any event says sent, else WRITTEN when it was only written, else None."""
    hows = {e.detail.get("how") for e in pack_mails(case, version)}
    if str(MailHow.SENT) in hows:
        return MailHow.SENT
    return MailHow.WRITTEN if str(MailHow.WRITTEN) in hows else None


# ---------------------------------------------------------------- ledgers from before the timeline


def backfill(ledger, supervisor_role: str) -> int:
    """Packs a ledger recorded before the timeline existed, written as their events once: a
    PACK_MADE per pack row (on the day it was made) and an ALLOCATED per allocation it was
    made from, for referrals whose timeline has no pack at all (so nothing is ever written
    twice or beside the effect's own events). Their emails are not guessed at: a pack row
    says when it was mailed, not whether it went or was only written. The events written."""
    from pipeline.ledger.paperwork import _pack

    packed = {e.reference for e in ledger.events(kinds=[EventKind.PACK_MADE])}
    rows = [_pack(r) for r in ledger._query("SELECT * FROM packs ORDER BY reference, version")]
    out: list[Event] = []
    last: dict[str, dict] = {}
    versions: dict[str, int] = {}
    for pack in rows:
        ref = pack["reference"]
        if ref in packed:
            continue
        on = pack["made_at"].date()
        allocation = {k: pack["allocation"].get(k) or "" for k in ALLOCATION_FIELDS}
        if last.get(ref) != allocation:
            versions[ref] = versions.get(ref, 0) + 1
            out.append(allocated(ref, versions[ref], allocation, supervisor_role, on))
            last[ref] = allocation
        made = pack_made(
            ref,
            pack["version"],
            allocation_version=versions[ref],
            item_id=pack["item_id"],
            documents=[str(d).replace("\\", "/").rsplit("/", 1)[-1] for d in pack["documents"]],
            changed=[],
            change=None,
            short_notice=pack["short_notice"],
            on=on,
        )
        made.detail["backfilled"] = True
        made.detail["changed_words"] = pack["changed"]
        out.append(made)
    return ledger.record_events(out) if out else 0
