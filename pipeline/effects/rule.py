"""The missed-session rule's effect: the pipeline proposes, a person decides.

When a session record arrives, the rule is applied (once per run of missed sessions) and what
it finds is stored as a PROPOSAL and written to the tracker's Decisions sheet; nothing else is
made. On every pass the Decisions sheet is read back (only when a workbook has been saved
since the last look, or the proposals changed):
- Approved, with Decided by filled in: the dates are set from the decision (and the meeting),
  the letters, the re-signed agreement and the notice to the social worker are made and the
  notice is mailed; the tracker's Status then says "Suspended until".
- Declined: the proposal is closed; nothing is made.
- A Meeting on date typed later for an approved suspension: family time resumes from it (never
  before the service's minimum; a meeting after the proposed end is flagged).
Each step is written to the case timeline (pipeline/cases/suspension.py): the proposal, the
decision as read, the letters with the suspension they start, a change of its end, and its end
once the last day has passed; every view of a suspension is drawn from those events.
What is worked out from the ledger (the rule's state, the rows, the letters) is in
pipeline/sessions/actions.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import pipeline.notify as notify
import pipeline.render as render
from pipeline import clock, words
from pipeline.cases import Case, case_of, cases_of
from pipeline.cases import suspension as S
from pipeline.effects.contract import Due, Effect, EffectName, EffectPass, EffectStatus, Waiting
from pipeline.models import Allocation
from pipeline.server.logs import log_fault
from pipeline.sessions import proposals as P
from pipeline.sessions.actions import open_proposals, rule_due
from pipeline.tracker import allocations_or_none
from pipeline.tracker.proposal_rows import proposal_rows
from pipeline.tracker.saves import every_workbook_stamps

log = logging.getLogger("pipeline.effects")
WORDING = "effects.toml"  # under form_templates/: what the effects say about themselves

DECISIONS = "decisions"  # found: read the Decisions sheet this pass
# what is still read once an approval was applied: the row, and a meeting date typed since
MEETING_PROBLEMS = ("moved", "moved_before", "shuffled", "meeting_before", "meeting_not_a_date")


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
            self.name, p.config.state_dir, self._stamps(p)
        )
        look = look or bool(self._ends_due(p))
        return Due(owed=owed, found=[DECISIONS] if look else [])

    @staticmethod
    def _ends_due(p: EffectPass) -> list:
        """Suspensions whose last day has passed with no end written yet."""
        today = clock.today()
        return [
            pr
            for c in cases_of(p.ledger, kinds=S.KINDS).values()
            for pr in S.proposals(c)
            if S.end_due(pr, today)
        ]

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
            state = rule_due(
                ledger,
                record.reference,
                p.profile,
                item.received_at.date(),
                allocations.get(record.reference),
            )
            for action in state.new:
                ledger.add_rule_action(action, item.id)  # a proposal, nothing more
        self.raised(p)
        self.decide(p, run)
        self.end(p)
        waiting = self.publish(p)
        for e in owed:
            if e.item_id in run.failing:
                continue  # still failing: left as _failed marked it
            if waiting:
                self.wait_for_workbook(p, e.item_id, waiting)
            else:
                ledger.mark_effect(e.item_id, self.name, EffectStatus.DONE)
        if not run.retry:  # a failure: look again next pass, saved or not
            p.memory.seen(self.name, p.config.state_dir, self._stamps(p))

    def publish(self, p: EffectPass) -> str:
        """Write the proposals' rows; the reason they wait ('' when written)."""
        from pipeline.tracker.decisions import write_proposals

        rows = proposal_rows(p.ledger, p.profile)
        if not rows:
            return ""
        report = write_proposals(rows, p.config, p.profile)
        if report.waiting or report.problems:
            p.report.waiting[self.name] = words.entry(
                WORDING, "rule", "proposals_waiting", message=report.message
            )
            return report.message or words.entry(WORDING, "rule", "workbook_open")
        return ""

    def decide(self, p: EffectPass, run: _Run) -> None:
        """Carry out what people decided in the Decisions sheet: only a decision that is whole
        and belongs to its row (pipeline/tracker/decisions.py decision_problems); what cannot
        be applied is written to the timeline, and so said in the row and the digest."""
        from pipeline.sessions.proposals import proposal_key
        from pipeline.tracker.decisions import decider, read_decisions
        from pipeline.tracker.sync import read_staff

        ledger, today = p.ledger, clock.today()
        pending = open_proposals(ledger)
        if not pending:
            return
        decisions = read_decisions(p.config, p.profile)
        staff = read_staff(p.config, p.profile) if decisions else []
        allocations = None
        for sa in pending:
            d = decisions.get(proposal_key(sa.id))
            if d is None:
                continue  # no row (deleted): the sync puts it back, with its decision
            case = case_of(ledger, sa.action.reference)
            kept = sa.done_at is not None and d.decision == "Approved"
            if self._refused(sa, d, case, staff, p, today, meeting_only=kept):
                continue
            if d.decision is None:
                continue  # an empty cell is not an answer
            d.decided_by, _ = decider(d.decided_by, staff, p.profile, _social_worker(p, sa))
            if sa.done_at is not None:  # approved earlier: a meeting date now, or a reversal?
                if d.decision == "Declined":
                    self._withdrawn(sa, d, case, p, today)
                elif d.meeting_on is not None and d.meeting_on != sa.action.meeting_on:
                    self._meeting(sa, d.meeting_on, case, p, today, run)
                continue
            if d.decision == "Declined":
                action = P.settle(
                    sa.action,
                    "Declined",
                    d.decided_by,
                    d.decided_on or self._read_on(case, sa.id, d),
                    None,
                    p.profile,
                    today,
                )
                self._decided(ledger, case, sa.id, action)
                ledger.update_rule_action(sa.id, action)
                ledger.mark_rule_action_done(sa.id, [])
                ledger.mark_status_written([sa.id])  # nothing to say in the Status cell
                log.info("%s: proposal %s declined", sa.action.reference, sa.id)
                continue
            action = P.settle(
                sa.action,
                "Approved",
                d.decided_by,
                d.decided_on or self._read_on(case, sa.id, d),
                d.meeting_on,
                p.profile,
                today,
            )
            ledger.update_rule_action(sa.id, action)
            self._decided(ledger, case, sa.id, action)
            if allocations is None:
                allocations = allocations_or_none(p.config, p.profile)
            self._carry_out(sa.id, action, allocations.get(action.reference), sa.item_id, p, run)

    @staticmethod
    def _refused(sa, d, case, staff, p: EffectPass, today, meeting_only: bool = False) -> bool:
        """Whether what is typed in the row may not be applied; the timeline is told why (or
        that nothing is refused any more), once per change of the cells. `meeting_only`: the
        approval was applied already, only a meeting date typed since is new."""
        from pipeline.initials import child_initials
        from pipeline.tracker.decisions import Belongs, decision_problems

        a = sa.action
        referral = p.ledger.item_by_reference(a.reference)
        values = referral.verdict.values if referral is not None and referral.verdict else {}
        belongs = Belongs(
            proposal=S.proposal_id(sa.id),
            reference=a.reference,
            child=child_initials(values) or "",
            last_miss=max(a.session_dates) if a.session_dates else None,
            social_worker=_social_worker(p, sa),
            guardian=_guardian(values, p.profile),
        )
        problems = decision_problems(d, belongs, staff, p.profile, today) if d.written else []
        if meeting_only:
            problems = [(k, v) for k, v in problems if k in MEETING_PROBLEMS]
        pr = S.of_action(case, sa.id)
        if (
            pr is not None
            and d.written
            and d.digest in pr.moved_digests
            and not any(k == "moved" for k, _ in problems)
        ):
            problems.insert(0, ("moved_before", {"reference": a.reference}))
        event = S.decision_refused(case, sa.id, d.digest, problems, today)
        if event is not None:
            p.ledger.record_event(event)
            if problems:
                log.info("%s: the decision typed for %s is not applied", a.reference, sa.id)
        return bool(problems)

    @staticmethod
    def _read_on(case, action_id: int, d):
        """With no Decided on typed: the day the same decision was first read (None: today),
        so reading it again on a later day is not a new decision."""
        pr = S.of_action(case, action_id)
        if pr is not None and pr.decision == d.decision and pr.decided_by == d.decided_by:
            return pr.decided_on
        return None

    @staticmethod
    def _decided(ledger, case, action_id: int, action) -> None:
        """The decision as read from the sheet, once (a changed one is a new event)."""
        event = S.decided(case, action_id, action.decision, action.decided_by, action.decided_on)
        if event is not None:
            ledger.record_event(event)

    def raised(self, p: EffectPass) -> None:
        """Every proposal on the timeline once (those made before the timeline included, with
        what was decided and made for them then)."""
        ledger = p.ledger
        cases = cases_of(ledger, kinds=S.KINDS)
        for sa in ledger.rule_actions():
            a = sa.action
            case = cases.get(a.reference) or Case(a.reference)
            if S.of_action(case, sa.id) is not None:
                continue
            events = [S.proposal_raised(sa.id, a, sa.created_at.date())]
            if a.decision and (a.decision == "Declined" or sa.done_at is not None):
                events.append(
                    S.decided(
                        Case(a.reference),
                        sa.id,
                        a.decision,
                        a.decided_by,
                        a.decided_on or sa.created_at.date(),
                    )
                )
            if a.decision == "Approved" and sa.done_at is not None:
                on = sa.done_at.date()
                events.append(S.letters_made(a.reference, sa.id, sa.documents, on))
                if a.kind == "suspension" and a.suspended_from and a.suspended_until:
                    events.append(
                        S.suspension_started(
                            a.reference,
                            sa.id,
                            S.Span(
                                a.suspended_from,
                                a.suspended_until,
                                meeting_on=a.meeting_on,
                                why="meeting" if a.meeting_on else "end_date",
                            ),
                            a.decided_by,
                            a.decided_on or on,
                        )
                    )
                    if a.suspended_until < clock.today():  # over before the timeline began:
                        events.append(
                            S.suspension_ended(  # its Status was written then
                                a.reference,
                                sa.id,
                                a.suspended_until,
                                "meeting" if a.meeting_on else "end_date",
                            )
                        )
            ledger.record_events(events)

    def _meeting(self, sa, meeting_on, case, p: EffectPass, today, run: _Run) -> None:
        """A meeting date typed for a suspension already under way: its end moves (never
        below the service's minimum, never past a stated maximum or the court's limit). A
        meeting that makes it longer than the letters said makes new letters saying so."""
        a = sa.action
        rules = p.profile.missed_sessions
        if rules is None or a.decided_on is None:
            return
        s = S.span(a.session_dates, a.decided_on, meeting_on, rules, a.court_directed)
        s.start = a.suspended_from or s.start
        s.until = max(s.start, s.until)
        settled = a.model_copy(
            update={"meeting_on": meeting_on, "suspended_from": s.start, "suspended_until": s.until}
        )
        pr = S.of_action(case, sa.id)
        longer = (
            pr is not None
            and pr.state == "suspended"
            and not pr.to_meeting
            and pr.letters_until is not None
            and s.until > pr.letters_until
        )
        if longer and not self._longer_letters(sa, settled, p, run):
            return  # tried again next pass: the end does not move without its letters
        if pr is not None and pr.start is not None and pr.state == "suspended":
            p.ledger.record_event(S.suspension_changed(a.reference, sa.id, s, today))
        p.ledger.update_rule_action(sa.id, settled)
        p.ledger.clear_status_written(sa.id)
        self._retrack(sa, p)

    def _longer_letters(self, sa, settled, p: EffectPass, run: _Run) -> bool:
        """New letters and notice for a suspension made longer, in their own folder (the first
        letters stay as they were sent)."""
        allocation = (allocations_or_none(p.config, p.profile) or {}).get(settled.reference)
        referral = p.ledger.item_by_reference(settled.reference)
        folder = f"{S.proposal_id(sa.id)} until {settled.suspended_until.isoformat()}"
        out_dir = p.config.outbox_dir / settled.reference / folder
        try:
            files = follow_up(settled, referral, allocation, p.config, p.profile, out_dir)
        except Exception as exc:
            log_fault(log, "effects: longer suspension letters for %s failed", settled.reference)
            run.retry = True
            self._failed(sa.item_id, self.error_text(exc), p, run)
            return False
        if files is None:
            run.retry = True
            self._failed(sa.item_id, words.entry(WORDING, "rule", "notice_not_taken"), p, run)
            return False
        p.ledger.record_event(
            S.letters_made(
                settled.reference,
                sa.id,
                [str(f) for f in files],
                clock.today(),
                until=settled.suspended_until,
            )
        )
        return True

    def _withdrawn(self, sa, d, case, p: EffectPass, today) -> None:
        """Approved, then changed to Declined by a named person: a new decision, and the
        suspension under way ends that day (the letters already made stay on the timeline)."""
        action = P.settle(
            sa.action, "Declined", d.decided_by, d.decided_on or today, None, p.profile, today
        )
        self._decided(p.ledger, case, sa.id, action)
        pr = S.of_action(case, sa.id)
        if pr is not None and pr.state == "suspended":
            last = max(pr.start, action.decided_on) - dt.timedelta(days=1)
            p.ledger.record_event(
                S.suspension_ended(sa.action.reference, sa.id, last, "withdrawn", d.decided_by)
            )
        p.ledger.update_rule_action(
            sa.id,
            action.model_copy(
                update={
                    "suspended_from": sa.action.suspended_from,
                    "suspended_until": sa.action.suspended_until,
                }
            ),
        )
        p.ledger.clear_status_written(sa.id)
        self._retrack(sa, p)

    def end(self, p: EffectPass) -> None:
        """Suspensions whose last day has passed end (the Status cell then changes)."""
        ends = self._ends_due(p)
        if not ends:
            return
        by_id = {S.proposal_id(sa.id): sa for sa in p.ledger.rule_actions()}
        for pr in ends:
            p.ledger.record_event(
                S.suspension_ended(pr.reference, int(pr.id[1:]), pr.until, pr.why_end or "end_date")
            )
            sa = by_id.get(pr.id)
            if sa is not None:
                p.ledger.clear_status_written(sa.id)
                self._retrack(sa, p)

    def _failed(self, item_id, why: str, p: EffectPass, run: _Run) -> None:
        """Said on `status`; the item owes the effect again, so the next pass retries."""
        p.report.waiting[self.name] = words.entry(WORDING, "rule", "letters_failed")
        if item_id is not None:
            run.failing.add(item_id)
            p.ledger.mark_effect(
                item_id, self.name, EffectStatus.FAILED, why, waiting=Waiting.ERROR
            )

    def _retrack(self, sa, p: EffectPass) -> None:
        if sa.item_id is not None:
            p.ledger.reopen_effect(sa.item_id, EffectName.TRACKER)

    def _carry_out(
        self, action_id: int, action, allocation, item_id, p: EffectPass, run: _Run
    ) -> None:
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
            self._failed(item_id, words.entry(WORDING, "rule", "notice_not_taken"), p, run)
            return
        documents = [str(f) for f in files]
        events = [S.letters_made(action.reference, action_id, documents, clock.today())]
        rules = p.profile.missed_sessions
        if action.kind == "suspension" and rules is not None:
            events.append(
                S.suspension_started(
                    action.reference,
                    action_id,
                    S.span(
                        action.session_dates,
                        action.decided_on,
                        action.meeting_on,
                        rules,
                        action.court_directed,
                    ),
                    action.decided_by,
                    action.decided_on,
                )
            )
        p.ledger.record_events(events)
        p.ledger.mark_rule_action_done(action_id, documents)
        if item_id is not None:
            p.ledger.reopen_effect(item_id, EffectName.TRACKER)  # "Suspended until" in Status
        p.report.count(self.name)


def _social_worker(p: EffectPass, sa) -> str:
    """The referral's allocated social worker, as its form names them."""
    referral = p.ledger.item_by_reference(sa.action.reference)
    values = referral.verdict.values if referral is not None and referral.verdict else {}
    return " ".join(str(values.get("social_worker.name") or "").split())


def follow_up(action, referral, allocation, config, profile, out_dir=None):
    """Letters (and the re-signed agreement) made, the notice mailed; None: mail not yet taken."""
    allocation = allocation or Allocation(reference=action.reference)
    out_dir = out_dir or config.outbox_dir / action.reference
    written = render.render_suspension_letters(referral, allocation, profile, out_dir, action)
    files = list(written)
    msg = notify.rule_notice_message(
        action, referral, profile, files, made=getattr(written, "made", None)
    )
    if not notify.MailOutbox(config, profile).deliver(msg):
        return None
    return files


def _guardian(values: dict, profile) -> str:
    """The carer the referral names, where the service says the adoptive parent or special
    guardian decides and the child's legal status is one of those orders ("" otherwise)."""
    from pipeline.sessions.proposals import words as proposal_words

    if not profile.decisions.adoption_or_special_guardianship:
        return ""
    if values.get("legal.status") not in proposal_words()["who"]["adoption_statuses"]:
        return ""
    return " ".join(str(values.get("carer.name") or "").split())
