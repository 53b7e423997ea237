"""The missed-session rule's effect: when a session record arrives, decide (once per run of
missed sessions) and carry the decision out: the letters, the re-signed agreement after a
suspension, and the notice to the social worker and the team.

The decision is stored before any letter is made, so the tracker shows "Suspended until" in
the same pass even when the letters have to wait for a retry.
"""

from __future__ import annotations

import datetime as dt
import logging

import pipeline.notify as notify
import pipeline.render as render
from pipeline.effect import Effect, EffectName, EffectPass, Waiting
from pipeline.intake import log_fault
from pipeline.ledger import Ledger
from pipeline.models import Allocation, is_court_directed
from pipeline.sessions.plan import rule_plan
from pipeline.sessions.rule import RuleState, rule_state
from pipeline.tracker import allocations_or_none

log = logging.getLogger("pipeline.effects")


def rule_due(ledger: Ledger, reference: str, profile, today: dt.date,
             allocation: Allocation | None = None) -> RuleState:
    """The rule's state for a referral from the ledger (also what `sessions` shows)."""
    referral = ledger.item_by_reference(reference)
    planned, first = rule_plan(referral, allocation, profile) if referral else (None, None)
    previous = [sa.action for sa in ledger.rule_actions(reference)]
    return rule_state(ledger.sessions_of(reference), previous, profile.missed_sessions, today,
                      is_court_directed(referral), reference, planned, first)


def follow_up(action, referral, allocation, config, profile):
    """Letters (and the re-signed agreement) made, the notice mailed; None: mail not yet taken."""
    allocation = allocation or Allocation(reference=action.reference)
    out_dir = config.outbox_dir / action.reference
    files = list(render.render_suspension_letters(referral, allocation, profile, out_dir, action))
    if action.kind == "suspension":
        files.append(render.render_agreement(referral, allocation, profile, out_dir,
                                             resigned_after=action))
    msg = notify.rule_notice_message(action, referral, profile, files)
    if not notify.MailOutbox(config, profile).deliver(msg):
        return None
    return files


class RuleEffect(Effect):
    name = EffectName.RULE

    def run(self, due, p: EffectPass) -> None:
        ledger = p.ledger
        allocations = allocations_or_none(p.config, p.profile)
        for e in due:
            item = ledger.item(e.item_id)
            record = ledger.session_of_item(e.item_id) if item else None
            if record is None:
                ledger.mark_effect(e.item_id, self.name, "done")
                continue
            allocation = allocations.get(record.reference)
            state = rule_due(ledger, record.reference, p.profile, item.received_at.date(),
                             allocation)
            for action in state.new:
                ledger.add_rule_action(action, item.id)
            undone = ledger.rule_actions(item_id=item.id, undone=True)
            if not undone:
                ledger.mark_effect(e.item_id, self.name, "done")
                continue
            ledger.reopen_effect(e.item_id, EffectName.TRACKER)   # "Suspended until" in Status
            self._carry_out(undone, record.reference, allocation, e.item_id, p)

    def _carry_out(self, undone, reference: str, allocation, item_id: int,
                   p: EffectPass) -> None:
        referral = p.ledger.item_by_reference(reference)
        problem = None
        for sa in undone:
            try:
                files = follow_up(sa.action, referral, allocation, p.config, p.profile)
            except Exception as exc:
                log_fault(log, "effects: missed-session letters for %s failed", reference)
                problem = self.error_text(exc)
                continue
            if files is None:
                problem = "The mail server has not accepted the notice yet."
                continue
            p.ledger.mark_rule_action_done(sa.id, [str(f) for f in files])
            p.report.count(self.name)
        if problem:
            p.ledger.mark_effect(item_id, self.name, "failed", problem, waiting=Waiting.ERROR)
            p.report.waiting[self.name] = ("missed-session letters could not all be made or "
                                           "sent; they will be tried again")
        else:
            p.ledger.mark_effect(item_id, self.name, "done")
