"""Mail that needs a person, in plain words, for `status` and the daily digest (one function
makes both): documents held from an address outside the service's allowed domains, a delivery
left unknown by a mail server that took the data and never answered, a message that bounced,
and an out-of-office reply filed with its referral (status only: nobody is mailed about it).
Drawn from the outbox's own table and the case timeline (issue 27)."""

from __future__ import annotations

import datetime as dt

from pipeline import clock
from pipeline import words as house
from pipeline.ledger.names import EventKind
from pipeline.ledger.timeline import Event

WORDS = "mail/followup.toml"
RECENT_DAYS = 14  # a bounce or automatic reply stays on `status` this long
DIGEST_DAYS = 7  # held and unknown mail stays on the digest this long


def _w(table: str) -> dict:
    return house.load(WORDS)[table]


def what(key: str) -> str:
    """What a message is called, from its key ("FT-2026-00001:pack:2" -> "the pack")."""
    kinds = _w("what")
    parts = key.split(":")
    return kinds.get(parts[1] if len(parts) > 1 else "", kinds["other"])


def _reference(key: str) -> str:
    return key.split(":", 1)[0]


def _day(stamp: str | None) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(stamp).date() if stamp else None
    except ValueError:
        return None


def lines(ledger, config, profile, *, today: dt.date | None = None, digest: bool = False):
    """The lines, oldest first within each kind: held, unknown, bounced, then (status only)
    automatic replies. `digest`: only what happened in the last DIGEST_DAYS."""
    from pipeline.notify.outbox import MailOutbox

    today = today or clock.today()
    w = _w("status")
    out: list[str] = []
    outbox = MailOutbox(config, profile)
    try:
        held, unknown = outbox.held(), outbox.unknown()
        # the digest also names what the mail server refused (`status` lists it already)
        refused = [m for m in outbox.pending_report() if m.last_error] if digest else []
    finally:
        outbox.close()
    since = today - dt.timedelta(days=DIGEST_DAYS if digest else 10_000)
    for m in held:
        if (_day(m["written_at"]) or today) < since:
            continue
        domains = ", ".join(sorted({a.rpartition("@")[2] for a in m["held"]}))
        out.append(
            house.fill(
                w["held"],
                f"{WORDS} [status] held",
                reference=_reference(m["key"]),
                what=what(m["key"]),
                count=len(m["held"]),
                domains=domains,
                file=m["file"],
            )
        )
    for m in unknown:
        if (_day(m["at"]) or today) < since:
            continue
        out.append(
            house.fill(
                w["unknown"],
                f"{WORDS} [status] unknown",
                reference=_reference(m["key"]),
                what=what(m["key"]),
                message_id=m["message_id"] or "(not recorded)",
                file=m["file"],
            )
        )
    for m in refused:
        out.append(
            house.fill(
                w["not_sent"],
                f"{WORDS} [status] not_sent",
                reference=_reference(m.key),
                what=what(m.key),
                error=m.last_error,
                attempts=m.attempts,
            )
        )
    recent = today - dt.timedelta(days=DIGEST_DAYS if digest else RECENT_DAYS)
    kinds = (
        [EventKind.MAIL_BOUNCED] if digest else [EventKind.MAIL_BOUNCED, EventKind.MAIL_AUTO_REPLY]
    )
    for e in ledger.events(kinds=kinds):
        if e.on < recent:
            continue
        key = str(e.detail.get("message") or "")
        if e.kind == EventKind.MAIL_AUTO_REPLY:
            entry = "delivery_notice" if e.detail.get("notice") else "auto_reply"
            out.append(
                house.fill(
                    w[entry],
                    f"{WORDS} [status] {entry}",
                    reference=e.reference,
                    on=e.on.strftime("%d/%m/%Y"),
                    action=e.detail.get("notice") or "",
                )
            )
            continue
        entry = (
            "bounced"
            if e.detail.get("kind") in ("accepted", "incomplete", "old_form")
            else "bounced_other"
        )
        out.append(
            house.fill(
                w[entry],
                f"{WORDS} [status] {entry}",
                reference=e.reference,
                what=what(key),
                on=e.on.strftime("%d/%m/%Y"),
                code=e.detail.get("code") or "",
            )
        )
    return out


def unknown_why() -> str:
    """The acknowledgement's reason on the timeline when its delivery is unknown."""
    return _w("acknowledgement")["unknown"]


def heading() -> str:
    return _w("status")["heading"]


def ignored_documents_heading() -> str:
    return _w("inbox")["heading"]


def ignored_document_line(name: str) -> str:
    """A file the inbox skips for its name but which is a document, and what to do."""
    return house.fill(_w("inbox")["document"], f"{WORDS} [inbox] document", name=name)


def held_event(reference: str, msg, on: dt.date) -> Event | None:
    """The timeline's record that `msg` (documents) was held from some recipients, once per
    message; None when it went to everyone. Written by the effect that delivered it."""
    if not msg.held:
        return None
    domains = sorted({a.rpartition("@")[2] for a in msg.held})
    detail = {"message": msg.key, "count": len(msg.held), "domains": domains}
    return Event(reference, EventKind.MAIL_HELD, on, f"mail_held:{msg.key}", detail)


def held_note(event: Event) -> str:
    """What the tracker row adds for a held message."""
    return house.fill(
        _w("row")["held"],
        f"{WORDS} [row] held",
        count=event.detail.get("count", 1),
        domains=", ".join(event.detail.get("domains") or []),
        what=what(str(event.detail.get("message") or "")),
    )


def held_notes(ledger, kind: str) -> dict[str, str]:
    """reference -> the note for its latest held message of `kind` (pack, review_report)."""
    out: dict[str, str] = {}
    for e in ledger.events(kinds=[EventKind.MAIL_HELD]):
        key = str(e.detail.get("message") or "")
        if key.split(":")[1:2] == [kind]:
            out[e.reference] = held_note(e)
    return out
