"""The missed-session rule's actions, worked out from the ledger: the rule's state for a
referral (also what `sessions` shows), the proposals still to decide, each proposal's row of
the Decisions sheet, and the letters and notice made for an approved one. The effect that
runs them on every pass is pipeline/effects/rule.py.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pipeline.models import Allocation, is_court_directed
from pipeline.sessions.plan import rule_plan
from pipeline.sessions.rule import RuleState, rule_state

if TYPE_CHECKING:
    from pipeline.ledger import Ledger


def rule_due(
    ledger: Ledger, reference: str, profile, today: dt.date, allocation: Allocation | None = None
) -> RuleState:
    """The rule's state for a referral from the ledger (also what `sessions` shows)."""
    referral = ledger.item_by_reference(reference)
    planned, first = rule_plan(referral, allocation, profile) if referral else (None, None)
    from pipeline.cases import case_of
    from pipeline.cases.suspension import cancelled_spans

    previous = [sa.action for sa in ledger.rule_actions(reference)]
    case = case_of(ledger, reference)
    return rule_state(
        ledger.sessions_of(reference),
        previous,
        profile.missed_sessions,
        today,
        is_court_directed(referral),
        reference,
        planned,
        first,
        cancelled=cancelled_spans(case),
        named=cancelled_spans(case, dated=True),
    )


def open_proposals(ledger: Ledger) -> list:
    """Proposals a person still has to decide, and approved suspensions (a meeting date may be
    typed or changed, or the decision changed to Declined, after the letters)."""
    return [
        sa
        for sa in ledger.rule_actions()
        if sa.done_at is None
        or (sa.action.kind == "suspension" and sa.action.decision == "Approved")
    ]
