"""The tracker effect: one sync of the whole ledger per pass, for every row owed.

The ledger is the truth, so the sync reconciles every item, filling the pipeline's columns
from what the other effects have done: the date the acknowledgement went, "Pack made", and
"Suspended until" written once into Status (then the cell is the co-ordinator's again).
"""

from __future__ import annotations

import datetime as dt

import pipeline.tracker as tracker
from pipeline.dates import short_date
from pipeline.effect import Effect, EffectName, EffectPass, Waiting
from pipeline.ledger import Ledger
from pipeline.tracker.allocation import paperwork_text

WORKBOOK_OPEN_RETRY = 30.0       # seconds: someone has the workbook open


def acknowledged(ledger: Ledger, items) -> dict:
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


def notice_days(profile) -> int | None:
    """Days' notice the service asks before a change (Northamptonshire: a week), if it says."""
    return getattr(profile.timescales, "change_notice_days", None)


def packs(ledger: Ledger, items, profile=None) -> dict:
    """reference -> the Paperwork cell: "Pack made dd/mm/yyyy", "Pack remade dd/mm/yyyy (time
    changed)", or what to correct before a pack can be made."""
    made = ledger.done_effects(EffectName.PAPERWORK)
    out = {i.reference: f"Pack made {short_date(dt.datetime.fromisoformat(made[i.id]))}"
           for i in items if i.reference and made.get(i.id)}
    days = notice_days(profile) if profile is not None else None
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


def statuses(ledger: Ledger) -> tuple[dict, list[int]]:
    """reference -> "Suspended until dd/mm/yyyy", for suspensions not yet written (once each)."""
    out: dict[str, str] = {}
    ids: list[int] = []
    for sa in ledger.rule_actions():
        a = sa.action
        if a.kind == "suspension" and a.suspended_until and sa.status_written_at is None \
                and sa.done_at is not None and a.decision == "Approved":   # decided and made
            out[a.reference] = f"Suspended until {short_date(a.suspended_until)}"
            ids.append(sa.id)
    return out, ids


def _more(ledger: Ledger, items, profile, status: dict) -> dict:
    """The other `extra.` cells: Status once, dates to correct, the review report's mail."""
    from pipeline.notify.review import report_cells
    from pipeline.tracker.met import dates_to_correct
    return {"status": status, "dates_to_correct": dates_to_correct(ledger, items, profile),
            "review_report": report_cells(ledger)}


class TrackerEffect(Effect):
    name = EffectName.TRACKER

    def run(self, due, p: EffectPass) -> None:
        ledger = p.ledger
        items = ledger.items()
        status, status_ids = statuses(ledger)
        result = tracker.sync(items, p.config, p.profile, paperwork=packs(ledger, items, p.profile) or None,
                              acknowledged=acknowledged(ledger, items),
                              extras=_more(ledger, items, p.profile, status))
        if result.waiting:
            why = ("The tracking workbook is open in Excel; its rows will be written when it "
                   "is closed.")
            for e in due:
                ledger.mark_effect(e.item_id, self.name, "pending", why,
                                   retry_in=WORKBOOK_OPEN_RETRY, waiting=Waiting.WORKBOOK_OPEN,
                                   count_attempt=False)
            p.report.waiting[self.name] = why
            return
        if result.problems:
            why = "; ".join(result.problems)[:500]
            for e in due:
                ledger.mark_effect(e.item_id, self.name, "failed", why, waiting=Waiting.ERROR)
            p.report.waiting[self.name] = why
            return
        for e in due:
            ledger.mark_effect(e.item_id, self.name, "done")
        if status_ids:
            ledger.mark_status_written(status_ids)     # the cell is the co-ordinator's again
        p.report.count(self.name, len(due))
