"""The cells the tracker effect fills from what the other effects have done: the date the
acknowledgement went, the Paperwork cell ("Pack made"), "Suspended until" written once into
Status, and the other `extra.` cells. Worked out from the ledger here, beside the tracker,
so the effect only syncs and records the outcome.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pipeline.dates import numeric_date
from pipeline.effects.contract import EffectName
from pipeline.tracker.allocation import paperwork_text

if TYPE_CHECKING:
    from pipeline.ledger import Ledger


def acknowledged(ledger: "Ledger", items) -> dict:
    """reference -> the date its acknowledgement went, or "Not sent: <why>" when it was
    withheld (for the tracker's column: it never shows a date for a message not sent)."""
    sent = ledger.done_effects(EffectName.MAIL)
    withheld = ledger.withheld_effects(EffectName.MAIL)
    out: dict = {}
    for item in items:
        if not item.reference or item.outcome != "accepted":
            continue
        if sent.get(item.id):
            out[item.reference] = dt.datetime.fromisoformat(sent[item.id]).date()
        elif item.id in withheld:
            out[item.reference] = withheld[item.id]
    return out


def packs(ledger: "Ledger", items, profile=None) -> dict:
    """reference -> the Paperwork cell: "Pack made dd/mm/yyyy", "Pack remade dd/mm/yyyy (time
    changed)", or what to correct before a pack can be made."""
    made = ledger.done_effects(EffectName.PAPERWORK)
    out = {i.reference: f"Pack made {numeric_date(dt.datetime.fromisoformat(made[i.id]))}"
           for i in items if i.reference and made.get(i.id)}
    days = profile.notice_days() if profile is not None else None
    promised = first_session_promised(items)
    for ref, pack in ledger.latest_packs().items():
        out[ref] = paperwork_text(pack, days, promised.get(ref))
    out.update(ledger.allocation_problems())
    return out


def first_session_promised(items) -> dict:
    """reference -> the date the service promised a first session by, counted from when the
    referral was first received (an update does not move the promise)."""
    out: dict = {}
    for item in sorted(items, key=lambda i: i.id):
        due = item.verdict.due.get("first_session") if item.verdict else None
        if item.reference and item.outcome == "accepted" and due and item.reference not in out:
            out[item.reference] = due
    return out


def statuses(ledger: "Ledger") -> tuple[dict, list[int]]:
    """reference -> what the Status cell says of a suspension's latest step not yet written:
    "Suspended until dd/mm/yyyy" once its letters started it, the new end when a meeting moves
    it, and family time running again once it ended. Drawn from the case timeline (nothing
    before a person approved and the letters were made); each step written once, so the cell
    is the co-ordinator's in between. Returns the proposals' ids to mark written."""
    from pipeline.cases import cases_of
    from pipeline.cases import suspension as S
    from pipeline.ledger.names import EventKind
    cases = cases_of(ledger, kinds=S.KINDS + (EventKind.CLOSED,))
    out: dict[str, str] = {}
    ids: list[int] = []
    for sa in sorted(ledger.rule_actions(), key=lambda x: x.id):
        if sa.status_written_at is not None:
            continue
        case = cases.get(sa.action.reference)
        proposal = S.of_action(case, sa.id)
        text = S.status_text(proposal) if proposal is not None else None
        if text is None or (proposal.state == "ended" and case.has(EventKind.CLOSED)):
            continue                     # nothing started; or closed: the person's word stands
        out[sa.action.reference] = text
        ids.append(sa.id)
    return out, ids


def more_cells(ledger: "Ledger", items, profile, status: dict) -> dict:
    """The other `extra.` cells: Status once, dates to correct, the review report's mail."""
    from pipeline.notify.review import report_cells
    from pipeline.tracker.met import dates_to_correct
    return {"status": status, "dates_to_correct": dates_to_correct(ledger, items, profile),
            "review_report": report_cells(ledger)}
