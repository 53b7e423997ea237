"""The missed-session rule's effect: the pipeline proposes, a person decides.

When a session record arrives, the rule is applied (once per run of missed sessions) and what
it finds is stored as a PROPOSAL and written to the tracker's Decisions sheet; nothing else is
made. On every pass the Decisions sheet is read back (only when a workbook has been saved
since the last look, or the proposals changed):
- Approved, with Decided by filled in: the dates are set from the decision (and the meeting),
  the letters, the re-signed agreement and the notice to the social worker are made and the
  notice is mailed; the tracker's Status then says "Suspended until".
- Declined: the proposal is closed; nothing is made.
- A Meeting on date typed later for an approved suspension: family time resumes from it.
What is worked out from the ledger (the rule's state, the rows, the letters) is in
pipeline/sessions/actions.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pipeline import clock
from pipeline.effects.contract import Due, Effect, EffectName, EffectPass, EffectStatus, Waiting
from pipeline.server.logs import log_fault
from pipeline.sessions import proposals as P
from pipeline.sessions.actions import (follow_up, open_proposals, proposal_rows,
                                      referral_year, rule_due)
from pipeline.tracker import allocations_or_none
from pipeline.tracker.saves import every_workbook_stamps

log = logging.getLogger("pipeline.effects")

WORKBOOK_OPEN_RETRY = 30.0       # seconds: the Decisions rows wait while the workbook is open
DECISIONS = "decisions"          # found: read the Decisions sheet this pass


@dataclass
class _Run:
    """One run's scratch (never kept): whether a letter failed, so the sheet is read again
    next pass, saved or not; and the items left as failed."""
    retry: bool = False
    failing: set[int] = field(default_factory=set)


class RuleEffect(Effect):
    name = EffectName.RULE

    def due(self, p: EffectPass) -> Due[str]:
        owed = list(p.ledger.pending_effects(p.now, self.name))
        look = open_proposals(p.ledger) and p.memory.saved_since(
            self.name, p.config.state_dir, self._stamps(p))
        return Due(owed=owed, found=[DECISIONS] if look else [])

    @staticmethod
    def _stamps(p: EffectPass) -> tuple:
        """Every workbook's stamps, and how many proposals there are (a new one is looked for
        in the sheet even before anyone saves)."""
        return every_workbook_stamps(p.config.tracker_dir) + (len(p.ledger.rule_actions()),)

    def run(self, due: Due[str], p: EffectPass) -> None:
        ledger = p.ledger
        run = _Run()
        owed = due.owed
        allocations = allocations_or_none(p.config, p.profile) if owed else {}
        for e in owed:
            item = ledger.item(e.item_id)
            record = ledger.session_of_item(e.item_id) if item else None
            if record is None:
                continue
            state = rule_due(ledger, record.reference, p.profile, item.received_at.date(),
                             allocations.get(record.reference))
            for action in state.new:
                ledger.add_rule_action(action, item.id)      # a proposal, nothing more
        self.decide(p, run)
        waiting = self.publish(p)
        for e in owed:
            if e.item_id in run.failing:
                continue                         # still failing: left as _failed marked it
            if waiting:
                ledger.mark_effect(e.item_id, self.name, EffectStatus.PENDING, waiting,
                                   retry_in=WORKBOOK_OPEN_RETRY, waiting=Waiting.WORKBOOK_OPEN,
                                   count_attempt=False)
            else:
                ledger.mark_effect(e.item_id, self.name, EffectStatus.DONE)
        if not run.retry:                # a failure: look again next pass, saved or not
            p.memory.seen(self.name, p.config.state_dir, self._stamps(p))

    def publish(self, p: EffectPass) -> str:
        """Write the proposals' rows; the reason they wait ('' when written)."""
        from pipeline.tracker.decisions import write_proposals
        rows = proposal_rows(p.ledger, p.profile)
        if not rows:
            return ""
        report = write_proposals(rows, p.config, p.profile)
        if report.waiting or report.problems:
            p.report.waiting[self.name] = ("proposals for the Decisions sheet are waiting: "
                                           + report.message)
            return report.message or "The tracking workbook is open."
        return ""

    def decide(self, p: EffectPass, run: _Run) -> None:
        """Carry out what people decided in the Decisions sheet."""
        from pipeline.tracker.decisions import proposal_key, read_decisions
        ledger, today = p.ledger, clock.today()
        pending = open_proposals(ledger)
        if not pending:
            return
        years = {referral_year(ledger, sa.action.reference, sa.created_at.date())
                 for sa in pending}
        decisions = read_decisions(p.config, p.profile, years)
        allocations = None
        for sa in pending:
            d = decisions.get(proposal_key(sa.id))
            if d is None or d.decision is None:
                continue                            # an empty cell is not an answer
            if sa.done_at is not None:               # approved earlier: a meeting date now?
                if d.meeting_on is not None:
                    settled = P.settle(sa.action, "Approved", sa.action.decided_by,
                                       sa.action.decided_on, d.meeting_on, p.profile, today)
                    settled = settled.model_copy(update={
                        "suspended_from": sa.action.suspended_from,
                        "suspended_until": max(sa.action.suspended_from or d.meeting_on,
                                               settled.suspended_until)})
                    ledger.update_rule_action(sa.id, settled)
                    ledger.clear_status_written(sa.id)
                    self._retrack(sa, p)
                continue
            if d.decision == "Declined":
                ledger.update_rule_action(sa.id, P.settle(sa.action, "Declined", d.decided_by,
                                                          d.decided_on, None, p.profile, today))
                ledger.mark_rule_action_done(sa.id, [])
                ledger.mark_status_written([sa.id])  # nothing to say in the Status cell
                log.info("%s: proposal %s declined", sa.action.reference, sa.id)
                continue
            if not d.decided_by:
                continue                            # Approved needs a name: who decided
            action = P.settle(sa.action, "Approved", d.decided_by, d.decided_on, d.meeting_on,
                              p.profile, today)
            ledger.update_rule_action(sa.id, action)
            if allocations is None:
                allocations = allocations_or_none(p.config, p.profile)
            self._carry_out(sa.id, action, allocations.get(action.reference), sa.item_id, p,
                            run)

    def _failed(self, item_id, why: str, p: EffectPass, run: _Run) -> None:
        """Said on `status`; the item owes the effect again, so the next pass retries."""
        p.report.waiting[self.name] = ("the letters for an approved proposal could not all be "
                                       "made or sent; they will be tried again")
        if item_id is not None:
            run.failing.add(item_id)
            p.ledger.mark_effect(item_id, self.name, EffectStatus.FAILED, why,
                                 waiting=Waiting.ERROR)

    def _retrack(self, sa, p: EffectPass) -> None:
        if sa.item_id is not None:
            p.ledger.reopen_effect(sa.item_id, EffectName.TRACKER)

    def _carry_out(self, action_id: int, action, allocation, item_id, p: EffectPass,
                   run: _Run) -> None:
        referral = p.ledger.item_by_reference(action.reference)
        try:
            files = follow_up(action, referral, allocation, p.config, p.profile)
        except Exception as exc:
            log_fault(log, "effects: letters for %s failed", action.reference)
            run.retry = True
            self._failed(item_id, self.error_text(exc), p, run)
            return
        if files is None:
            run.retry = True
            self._failed(item_id, "The mail server has not accepted the notice yet.", p, run)
            return
        p.ledger.mark_rule_action_done(action_id, [str(f) for f in files])
        if item_id is not None:
            p.ledger.reopen_effect(item_id, EffectName.TRACKER)   # "Suspended until" in Status
        p.report.count(self.name)
