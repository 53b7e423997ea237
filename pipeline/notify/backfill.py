"""Ledgers from before the case timeline: each acknowledgement's event worked out once, from
the ledger's mail effects and what the outbox says became of the message (sent, or only
written). Here, beside the outbox it asks, so the timeline's room never reaches up to mail."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from pipeline.cases.acknowledgement import (
    ACKNOWLEDGED_OUTCOME,
    acknowledged_event,
    acknowledged_key,
)
from pipeline.ledger.names import EffectName, EffectStatus, MailHow
from pipeline.ledger.timeline import Event
from pipeline.notify.compose import KIND_BY_OUTCOME, key_for
from pipeline.notify.outbox import MailOutbox

if TYPE_CHECKING:
    from pipeline.ledger import Ledger

log = logging.getLogger("pipeline.notify")


def backfill_acknowledgements(ledger: Ledger, config, profile) -> int:
    """Ledgers from before the event: write `acknowledged` for every accepted submission whose
    mail effect is done or withheld and has none, with what the outbox says became of the
    message (sent, or only written) and the day the effect was done. A done effect whose
    message the outbox does not know is left without one (nothing is claimed). The tracker
    is owed again for the rows whose cell changes. Returns how many were written."""
    rows = _mail_rows(ledger)
    candidates = [
        (item, rows[item.id])
        for item in ledger.items(outcome=ACKNOWLEDGED_OUTCOME)
        if item.reference and item.id in rows and not ledger.has_event(acknowledged_key(item.id))
    ]
    if not candidates:
        return 0
    outbox = MailOutbox(config, profile)
    events: list[Event] = []
    try:
        for item, row in candidates:
            day = _day(row["done_at"]) or item.received_at.date()
            if row["status"] == EffectStatus.WITHHELD:
                events.append(
                    acknowledged_event(
                        item.reference, item.id, MailHow.WITHHELD, day, why=row["last_error"] or ""
                    )
                )
                continue
            key = key_for(item, KIND_BY_OUTCOME[item.outcome])
            how = outbox.how(key)
            if how is None:
                log.info("item %s: acknowledgement done but not in the outbox; no event", item.id)
                continue
            events.append(acknowledged_event(item.reference, item.id, how, day, message=key))
    finally:
        outbox.close()
    written = ledger.record_events(events)
    for e in events:
        ledger.reopen_effect(e.detail["item"], EffectName.TRACKER)
    if written:
        log.info("timeline: %d acknowledgement(s) from before the timeline written", written)
    return written


def _mail_rows(ledger: Ledger) -> dict[int, dict]:
    """item id -> {status, done_at, last_error} of its mail effect, done or withheld."""
    done = ledger.done_effects(EffectName.MAIL)
    withheld = ledger.withheld_effects(EffectName.MAIL)
    out = {
        i: {"status": EffectStatus.DONE, "done_at": at, "last_error": None}
        for i, at in done.items()
    }
    out.update(
        {
            i: {"status": EffectStatus.WITHHELD, "done_at": None, "last_error": why}
            for i, why in withheld.items()
        }
    )
    return out


def _day(stamp: str | None) -> dt.date | None:
    if not stamp:
        return None
    try:
        return dt.datetime.fromisoformat(stamp).date()
    except ValueError:
        return None
