"""The missed-session rule's effect: the pipeline proposes, a person decides.

When a session record arrives, the rule is applied (once per run of missed sessions) and what
it finds is stored as a PROPOSAL and written to the tracker's Decisions sheet; nothing else is
made. On every pass the Decisions sheet is read back (only when the workbook has changed):
- Approved, with Decided by filled in: the dates are set from the decision (and the meeting),
  the letters, the re-signed agreement and the notice to the social worker are made and the
  notice is mailed; the tracker's Status then says "Suspended until".
- Declined: the proposal is closed; nothing is made.
- A Meeting on date typed later for an approved suspension: family time resumes from it.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pipeline.notify as notify
import pipeline.render as render
from pipeline import clock
from pipeline.effect import Effect, EffectName, EffectPass, Waiting
from pipeline.server.logs import log_fault
from pipeline.ledger import Ledger
from pipeline.models import Allocation, is_court_directed
from pipeline.sessions import proposals as P
from pipeline.sessions.plan import rule_plan
from pipeline.sessions.rule import RuleState, rule_state
from pipeline.tracker import allocations_or_none

log = logging.getLogger("pipeline.effects")

WORKBOOK_OPEN_RETRY = 30.0       # seconds: the Decisions rows wait while the workbook is open
_LOOK = "decisions"              # the due-list marker: read the Decisions sheet this pass


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
    written = render.render_suspension_letters(referral, allocation, profile, out_dir, action)
    files = list(written)
    msg = notify.rule_notice_message(action, referral, profile, files,
                                     made=getattr(written, "made", None))
    if not notify.MailOutbox(config, profile).deliver(msg):
        return None
    return files


def open_proposals(ledger: Ledger) -> list:
    """Proposals a person still has to decide, and approved suspensions with no meeting date."""
    return [sa for sa in ledger.rule_actions()
            if sa.done_at is None or (sa.action.kind == "suspension"
                                      and sa.action.decision == "Approved"
                                      and sa.action.meeting_on is None)]


def _year(ledger: Ledger, reference: str, fallback: dt.date) -> int:
    referral = ledger.item_by_reference(reference)
    return referral.received_at.year if referral else fallback.year


def made_text(documents: list[str], decision: str | None) -> str:
    if decision == "Declined":
        return P.words()["made"]["declined"]
    return "; ".join(Path(d).stem for d in documents)


def proposal_rows(ledger: Ledger, profile) -> list:
    """Every proposal's row of the Decisions sheet, as the ledger knows it."""
    from pipeline.tracker.decisions import ProposalRow, proposal_key
    rows = []
    for sa in ledger.rule_actions():
        a = sa.action
        referral = ledger.item_by_reference(a.reference)
        created = sa.created_at.date()
        rows.append(ProposalRow(key=proposal_key(sa.id),
                                year=_year(ledger, a.reference, created), values={
            "proposal": proposal_key(sa.id), "reference": a.reference, "what": P.what(a),
            "why": P.why(a, referral, profile), "who_decides": P.who_decides(referral, profile),
            "decide_by": P.decide_by(created, profile),
            "done": made_text(sa.documents, a.decision) if sa.done_at else ""}))
    return rows


class RuleEffect(Effect):
    name = EffectName.RULE

    def __init__(self):
        self._seen: dict[str, tuple] = {}    # working folder -> workbook stamps at the last look
        self._retry = False
        self._failing: set[int] = set()

    def due(self, p: EffectPass) -> list:
        owed = list(p.ledger.pending_effects(p.now, self.name))
        if open_proposals(p.ledger) and self._changed(p):
            owed.append(_LOOK)
        return owed

    def _stamps(self, p: EffectPass) -> tuple:
        folder = p.config.tracker_dir
        out = []
        for path in sorted(folder.glob("*.xlsx")) if folder.exists() else []:
            st = path.stat()
            out.append((path.name, st.st_mtime_ns, st.st_size))
        return tuple(out) + (len(p.ledger.rule_actions()),)

    def _changed(self, p: EffectPass) -> bool:
        return self._seen.get(str(p.config.state_dir)) != self._stamps(p)

    def run(self, due, p: EffectPass) -> None:
        ledger = p.ledger
        self._retry = False              # a failure: look again next pass, changed or not
        self._failing: set[int] = set()
        owed = [e for e in due if e != _LOOK]
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
        self.decide(p)
        waiting = self.publish(p)
        for e in owed:
            if e.item_id in self._failing:
                continue                         # still failing: left as _failed marked it
            if waiting:
                ledger.mark_effect(e.item_id, self.name, "pending", waiting,
                                   retry_in=WORKBOOK_OPEN_RETRY, waiting=Waiting.WORKBOOK_OPEN,
                                   count_attempt=False)
            else:
                ledger.mark_effect(e.item_id, self.name, "done")
        if not self._retry:
            self._seen[str(p.config.state_dir)] = self._stamps(p)

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

    def decide(self, p: EffectPass) -> None:
        """Carry out what people decided in the Decisions sheet."""
        from pipeline.tracker.decisions import proposal_key, read_decisions
        ledger, today = p.ledger, clock.today()
        pending = open_proposals(ledger)
        if not pending:
            return
        years = {_year(ledger, sa.action.reference, sa.created_at.date()) for sa in pending}
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
            self._carry_out(sa.id, action, allocations.get(action.reference), sa.item_id, p)

    def _failed(self, item_id, why: str, p: EffectPass) -> None:
        """Said on `status`; the item owes the effect again, so the next pass retries."""
        p.report.waiting[self.name] = ("the letters for an approved proposal could not all be "
                                       "made or sent; they will be tried again")
        if item_id is not None:
            self._failing.add(item_id)
            p.ledger.mark_effect(item_id, self.name, "failed", why, waiting=Waiting.ERROR)

    def _retrack(self, sa, p: EffectPass) -> None:
        if sa.item_id is not None:
            p.ledger.reopen_effect(sa.item_id, EffectName.TRACKER)

    def _carry_out(self, action_id: int, action, allocation, item_id, p: EffectPass) -> None:
        referral = p.ledger.item_by_reference(action.reference)
        try:
            files = follow_up(action, referral, allocation, p.config, p.profile)
        except Exception as exc:
            log_fault(log, "effects: letters for %s failed", action.reference)
            self._retry = True
            self._failed(item_id, self.error_text(exc), p)
            return
        if files is None:
            self._retry = True
            self._failed(item_id, "The mail server has not accepted the notice yet.", p)
            return
        p.ledger.mark_rule_action_done(action_id, [str(f) for f in files])
        if item_id is not None:
            p.ledger.reopen_effect(item_id, EffectName.TRACKER)   # "Suspended until" in Status
        p.report.count(self.name)
