"""The Decisions sheet's rows, from the ledger and the case timeline: each proposal the
missed-session rule made, worded for the person who decides (what, why, who, by when) and,
once decided, what was made. The tracker writes them; `tracker sync` and the rule effect ask
here, so the sheet is worded one way."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.cases import cases_of
from pipeline.cases import suspension as S
from pipeline.sessions import proposals as P
from pipeline.sessions.proposals import proposal_key
from pipeline.tracker.decisions import ProposalRow

if TYPE_CHECKING:
    from pipeline.ledger import Ledger


def made_text(documents: list[str], decision: str | None) -> str:
    """What was made: the documents (a decision changed to Declined after its letters keeps
    them: they went), or that a declined proposal made nothing."""
    if decision == "Declined" and not documents:
        return P.words()["made"]["declined"]
    return "; ".join(Path(d).stem for d in documents)


def proposal_rows(ledger: Ledger, profile) -> list:
    """Every proposal's row of the Decisions sheet, as the ledger knows it: a decision typed
    that cannot be applied says why in "What was made"; a row deleted after its decision comes
    back with that decision in its person cells (seeds: written only with a new row)."""
    from pipeline.initials import child_initials
    from pipeline.tracker.rows import SEED

    cases = cases_of(ledger, kinds=S.KINDS)
    rows = []
    for sa in ledger.rule_actions():
        a = sa.action
        told = S.of_action(cases.get(a.reference), sa.id)
        notes = [S.note_text(n) for n in told.notes] if told is not None else []
        referral = ledger.item_by_reference(a.reference)
        values = referral.verdict.values if referral is not None and referral.verdict else {}
        created = sa.created_at.date()
        who = P.who_decides(referral, profile)
        done = " ".join([made_text(sa.documents, a.decision)] + notes) if sa.done_at else ""
        if told is not None and S.withdrawn(told):
            done = S.withdrawn_row_text(told)
        refused = S.refused_text(told, who) if told is not None else ""
        row = {
            "proposal": proposal_key(sa.id),
            "reference": a.reference,
            "child": child_initials(values) or "",
            "what": P.what(a),
            "why": P.why(a, referral, profile),
            "who_decides": who,
            "decide_by": P.decide_by(created, profile),
            "done": " ".join(t for t in (refused, done) if t),
        }
        if a.decision and told is not None and told.decision:
            row.update(
                {
                    SEED + "decision": told.decision,
                    SEED + "decided_by": told.decided_by or "",
                    SEED + "decided_on": told.decided_on,
                    SEED + "meeting_on": a.meeting_on,
                }
            )
        rows.append(ProposalRow(key=proposal_key(sa.id), values=row))
    return rows
