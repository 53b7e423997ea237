"""The mail effect: the acknowledgement (or the team's "attention" email) for each item; and
what the two mail effects share (significant_event.py is the other).

The outbox writes and sends each message once by its key, so a retry never doubles a message;
a message the mail server has not taken yet stays owed until it has. A message deliberately
not sent (an automatic sender and no social worker to write to) is recorded as withheld, with
the reason, never as done.

The acknowledgement of an accepted referral is also written to the case's timeline, once, when
its mail is done (how: sent, or only written to outbox/mail when no mail server is set up) or
withheld (why), on the pipeline's today: the tracker, `status` and the demo say only that
(pipeline/cases/acknowledgement.py). A message still waiting for the mail server is not
acknowledged. Ledgers from before the event are brought up to date once per process.
"""

from __future__ import annotations

import logging

import pipeline.notify as notify
from pipeline import clock, words
from pipeline.cases import acknowledgement
from pipeline.effects.contract import Due, Effect, EffectName, EffectPass, EffectStatus, Waiting
from pipeline.ledger.names import MailHow
from pipeline.notify import followup
from pipeline.notify.backfill import backfill_acknowledgements
from pipeline.server.logs import log_fault

log = logging.getLogger("pipeline.effects")
WORDING = "effects.toml"  # under form_templates/: what the effects say about themselves


class _MailEffect(Effect):
    """What the two mail effects share: how a send, a failure and a wait are recorded."""

    def failed(self, p: EffectPass, item_id: int, exc: Exception) -> None:
        """A message that could not be made or handed over: failed, retried with backoff."""
        log_fault(log, "effects: %s for item %s failed", self.name, item_id)
        p.ledger.mark_effect(
            item_id, self.name, EffectStatus.FAILED, self.error_text(exc), waiting=Waiting.ERROR
        )
        p.report.waiting[self.name] = words.entry(WORDING, "mail", "failed")

    def outcome(self, p: EffectPass, item_id: int, sent: bool) -> None:
        """Done, or waiting for the mail server (the outbox retries it; never sent twice)."""
        if sent:
            p.ledger.mark_effect(item_id, self.name, EffectStatus.DONE)
            p.report.count(self.name)
        else:
            p.ledger.mark_effect(
                item_id,
                self.name,
                EffectStatus.FAILED,
                words.entry(WORDING, "mail", "not_taken"),
                waiting=Waiting.SMTP,
            )
            p.report.waiting[self.name] = words.entry(WORDING, "mail", "waiting")


class MailEffect(_MailEffect):
    name = EffectName.MAIL

    def due(self, p: EffectPass) -> Due:
        """What is owed; first, once per process and working folder, the acknowledgements of
        a ledger from before the timeline are written to it (a backfill)."""
        folder = ("acknowledged", str(p.config.state_dir))
        if folder not in p.memory.backfilled:
            try:
                backfill_acknowledgements(p.ledger, p.config, p.profile)
                p.memory.backfilled.add(folder)
            except Exception:  # tried again by the next pass
                log_fault(log, "effects: acknowledgements from before the timeline not written")
        return super().due(p)

    def run(self, due: Due, p: EffectPass) -> None:
        outbox = notify.MailOutbox(p.config, p.profile)
        for e in due.owed:
            item = p.ledger.item(e.item_id)
            if item is None:
                continue
            try:
                messages = notify.messages_for(item, p.profile, p.config)
                withheld = (
                    None if messages else notify.plan_mail(item, p.profile, p.config).withheld
                )
                delivered = all([outbox.deliver(m) for m in messages])
            except notify.MailNotReady as exc:  # the service's set-up needs fixing
                p.ledger.mark_effect(
                    e.item_id, self.name, EffectStatus.FAILED, str(exc)[:500], waiting=Waiting.SETUP
                )
                p.report.waiting[self.name] = str(exc)
                continue
            except Exception as exc:
                self.failed(p, e.item_id, exc)
                continue
            if withheld:
                self.acknowledged(p, item, MailHow.WITHHELD, why=withheld)
                self.withheld(p, e.item_id, withheld)
                continue
            if not delivered and outbox.problem:  # the disk or folder, not the mail server
                log.warning("effects: mail for item %s not written: %s", e.item_id, outbox.problem)
                p.ledger.mark_effect(
                    e.item_id,
                    self.name,
                    EffectStatus.FAILED,
                    outbox.problem[:500],
                    waiting=Waiting.ERROR,
                )
                p.report.waiting[self.name] = outbox.problem
                continue
            if delivered:
                for m in messages:
                    how = outbox.how(m.key)
                    if how is not None:
                        why = followup.unknown_why() if how == MailHow.UNKNOWN else None
                        self.acknowledged(p, item, how, why=why, message=m.key)
            self.outcome(p, e.item_id, delivered)

    @staticmethod
    def acknowledged(
        p: EffectPass, item, how: MailHow, *, why: str | None = None, message: str | None = None
    ) -> None:
        """The case's timeline: the email answering a referral (accepted, or returned to be
        put right), sent, only written, or withheld, today (written once: a retried pass adds
        nothing)."""
        if item.outcome not in acknowledgement.ANSWERED_OUTCOMES or not item.reference:
            return
        p.ledger.record_event(
            acknowledgement.acknowledged_event(
                item.reference, item.id, how, clock.today(), why=why, message=message
            )
        )

    def withheld(self, p: EffectPass, item_id: int, why: str) -> None:
        """Deliberately not sent: recorded as withheld with the reason, never as done."""
        p.ledger.mark_effect(
            item_id, self.name, EffectStatus.WITHHELD, why[:500], waiting=Waiting.WITHHELD
        )
        p.report.waiting[self.name] = why
