"""Making one Looked After Child review report: which period, which review, which records.

Shared by the automatic effect (pipeline/effects/review_report.py) and `family-time report lac`, so
both say the same thing: the period runs from the day the last report was made (or the first
session) to the next review (or today, when that is sooner for the effect); a referral with no
review date, or one never accepted, gets no report and the refusal names the fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import FamilyTimeError
from pipeline.tracker.reviews import Review


class ReportRefused(FamilyTimeError):
    """No report can be made; the message names what to fix."""


@dataclass
class ReportPlan:
    item: object
    allocation: object
    review: Review
    period_from: dt.date
    period_to: dt.date


def plan(
    ledger,
    reference: str,
    review: Review | None,
    allocation,
    *,
    today: dt.date,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
) -> ReportPlan:
    """The report's period and review, or ReportRefused saying why not."""
    item = ledger.item_by_reference(reference)
    if item is None:
        raise ReportRefused(f"{reference}: no referral with this reference in the ledger.")
    if item.outcome != "accepted":
        raise ReportRefused(
            f"{reference}: the referral was returned ({item.outcome}) and has "
            "not been accepted, so there is no family time to report on. A "
            "report can be made once a complete referral is accepted."
        )
    review = review or Review(reference=reference, date=None)
    if review.date is None and period_to is None:
        raise ReportRefused(
            f"{reference}: no review date is known. Type the date of the next "
            "Looked After Child review into the 'Next review' column of the "
            "tracker's Referrals sheet (or give --to)."
        )
    sessions = ledger.sessions_of(reference)
    made = [m for r, m, _ in ledger.reports_of(reference) if r != review.date]
    made = [m for m in made if m <= (period_to or review.date)]
    start = (
        period_from
        or (max(made) if made else None)
        or (allocation.first_date if allocation is not None and allocation.first_date else None)
        or min((s.date for s in sessions), default=None)
        or item.received_at.date()
    )
    end = period_to or review.date
    if end < start:
        raise ReportRefused(
            f"{reference}: the period would end ({end:%d/%m/%Y}) before it "
            f"starts ({start:%d/%m/%Y}): the next review date in the tracker "
            "looks out of date. Type the next review's date into 'Next review' "
            "(or give --from and --to)."
        )
    return ReportPlan(item, allocation, review, start, end)


def make(ledger, profile, p: ReportPlan, out_dir: Path, *, today: dt.date) -> Path:
    """Render the planned report with the records' words and the referral's suspensions: the
    case timeline's (pipeline/cases/review.py), else, before the timeline held any, those a
    person approved."""
    from pipeline.cases import case_of
    from pipeline.cases.review import suspensions_of
    from pipeline.render import render_lac_report

    ref = p.item.reference
    sessions = ledger.sessions_of(ref)
    words = {}
    for s in sessions:
        if p.period_from <= s.date <= p.period_to:
            rec = ledger.item(s.item_id)
            words[s.item_id] = rec.verdict.values if rec is not None and rec.verdict else {}
    actions = [a.action for a in ledger.rule_actions(ref)]
    suspended = suspensions_of(case_of(ledger, ref), by=today)
    return render_lac_report(
        p.item,
        p.allocation,
        profile,
        out_dir,
        sessions,
        p.period_from,
        p.period_to,
        today=today,
        review=p.review.date,
        actions=actions,
        words=words,
        iro_name=p.review.iro_name or None,
        suspensions=suspended,
    )
