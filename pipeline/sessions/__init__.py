"""Session records back in: a completed Family Time Record becomes a SessionRecord, and the
missed-session rule decides, from the records sorted by session date, what must happen.

    session_record(verdict, item_id, reference, profile) -> SessionRecord   (record.py)
    rule_actions(records, previous, profile, today, court_directed) -> list[RuleAction]  (rule.py)
    planned_sessions(item, allocation, profile), rule_plan(...)   (plan.py: the one session plan)
    rule_due(ledger, reference, profile, today), proposal_rows(...)  (actions.py; the effect is
                                                  pipeline/effects/rule.py)
"""

from pipeline.sessions.record import late_minutes, recording_due, session_record
from pipeline.sessions.rule import RuleState, rule_actions, rule_state

__all__ = [
    "session_record",
    "late_minutes",
    "recording_due",
    "rule_actions",
    "rule_state",
    "RuleState",
]
