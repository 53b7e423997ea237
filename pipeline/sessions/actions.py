"""The missed-session rule's actions, worked out from the ledger: the rule's state for a
referral (also what `sessions` shows), the proposals still to decide, each proposal's row of
the Decisions sheet, and the letters and notice made for an approved one. The effect that
runs them on every pass is pipeline/effects/rule.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pipeline.notify as notify
import pipeline.render as render
from pipeline.models import Allocation, is_court_directed
from pipeline.sessions import proposals as P
from pipeline.sessions.plan import rule_plan
from pipeline.sessions.rule import RuleState, rule_state

if TYPE_CHECKING:
    from pipeline.ledger import Ledger


def rule_due(ledger: "Ledger", reference: str, profile, today: dt.date,
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


def open_proposals(ledger: "Ledger") -> list:
    """Proposals a person still has to decide, and approved suspensions with no meeting date."""
    return [sa for sa in ledger.rule_actions()
            if sa.done_at is None or (sa.action.kind == "suspension"
                                      and sa.action.decision == "Approved"
                                      and sa.action.meeting_on is None)]


def referral_year(ledger: "Ledger", reference: str, fallback: dt.date) -> int:
    """The year a referral was received. No longer where its rows are: there is one workbook
    for every year (the rule effect still asks, for read_decisions, which does not use it)."""
    referral = ledger.item_by_reference(reference)
    return referral.received_at.year if referral else fallback.year


def made_text(documents: list[str], decision: str | None) -> str:
    if decision == "Declined":
        return P.words()["made"]["declined"]
    return "; ".join(Path(d).stem for d in documents)


def proposal_rows(ledger: "Ledger", profile) -> list:
    """Every proposal's row of the Decisions sheet, as the ledger knows it."""
    from pipeline.tracker.decisions import ProposalRow, proposal_key
    rows = []
    for sa in ledger.rule_actions():
        a = sa.action
        referral = ledger.item_by_reference(a.reference)
        created = sa.created_at.date()
        rows.append(ProposalRow(key=proposal_key(sa.id), values={
            "proposal": proposal_key(sa.id), "reference": a.reference, "what": P.what(a),
            "why": P.why(a, referral, profile), "who_decides": P.who_decides(referral, profile),
            "decide_by": P.decide_by(created, profile),
            "done": made_text(sa.documents, a.decision) if sa.done_at else ""}))
    return rows
