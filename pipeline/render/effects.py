"""The paperwork effects: the pack for each referral once a co-ordinator has allocated it in
the tracker, and the Looked After Child review report when a review comes near.

A pack waits (without counting as a failure) until the tracker row says everything the
documents need. A review report is made once per referral and review date, when the date is
within the profile's review-report timescale (working days before the review).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Callable

import pipeline.render as render
from pipeline import clock
from pipeline.effect import Effect, EffectName, EffectPass, Waiting
from pipeline.intake import log_fault
from pipeline.tracker import allocations_or_none
from pipeline.validate.calendar import ServiceCalendar

log = logging.getLogger("pipeline.effects")

ALLOCATION_RETRY = 300.0         # seconds: paperwork waits for a co-ordinator to allocate the row
REVIEW_LOOKAHEAD_DAYS = 60       # reviews further off than this are not looked at yet
REVIEW_CHECK_EVERY = 3600.0      # seconds: reviews are looked for at most once an hour


class PaperworkEffect(Effect):
    name = EffectName.PAPERWORK

    def run(self, due, p: EffectPass) -> None:
        ledger = p.ledger
        allocations = allocations_or_none(p.config, p.profile)
        for e in due:
            item = ledger.item(e.item_id)
            if item is None or not item.reference:
                ledger.mark_effect(e.item_id, self.name, "done")
                continue
            allocation = allocations.get(item.reference)
            if allocation is None or not allocation.complete:
                ledger.mark_effect(e.item_id, self.name, "pending",
                                   "Waiting for a co-ordinator to allocate the referral in the "
                                   "tracker (status, supervisor, venue, day, time, first date).",
                                   retry_in=ALLOCATION_RETRY, waiting=Waiting.ALLOCATION,
                                   count_attempt=False)
                continue
            try:
                render.render_pack(item, allocation, p.profile,
                                   p.config.outbox_dir / item.reference)
            except Exception as exc:
                log_fault(log, "effects: paperwork for %s failed", item.reference)
                ledger.mark_effect(e.item_id, self.name, "failed", self.error_text(exc),
                                   waiting=Waiting.ERROR)
                p.report.waiting[self.name] = "a pack could not be made; it will be tried again"
                continue
            ledger.mark_effect(e.item_id, self.name, "done")
            ledger.reopen_effect(e.item_id, EffectName.TRACKER)   # the Paperwork column changes
            p.report.count(self.name)


def reports_automatically(profile) -> bool:
    """Only a service that promises review reports gets them made unasked (profile.review.
    report, issue 14: "promised" | "on request" | "not stated"); a profile without the
    setting keeps the old behaviour (made automatically)."""
    review = getattr(profile, "review", None)
    return review is None or getattr(review, "report", "promised") == "promised"


class ReviewReportEffect(Effect):
    """Not owed by items: found by date. The review dates are the tracker's `Next review`
    (else the referral form's); a report is made the profile's working days before each
    review and mailed to the IRO, copy to the social worker. The look is cheap but not free,
    so it is made at most once an hour per working folder."""
    name = EffectName.LAC_REPORT

    def __init__(self, today: Callable[[], dt.date] = clock.today,
                 every: float = REVIEW_CHECK_EVERY):
        self.today = today
        self.every = every
        self._looked: dict[str, float] = {}     # working folder -> when reviews were last looked for

    def due(self, p: EffectPass) -> list:
        if not reports_automatically(p.profile):
            return []
        key = str(p.config.state_dir)
        if p.now - self._looked.get(key, 0.0) < self.every:
            return []
        self._looked[key] = p.now
        return self.near(p, self.today())

    @staticmethod
    def near(p: EffectPass, today: dt.date) -> list:
        """Reviews (pipeline.tracker.reviews.Review) coming up with no report made yet."""
        from pipeline.tracker.reviews import reviews
        ahead = getattr(getattr(p.profile, "oversight", None), "review_report_lookahead_days",
                        None) or REVIEW_LOOKAHEAD_DAYS
        horizon = today + dt.timedelta(days=ahead)
        return [r for r in reviews(p.ledger, p.config, p.profile).values()
                if r.date is not None and today <= r.date <= horizon
                and not p.ledger.report_made(r.reference, r.date)]

    def run(self, due, p: EffectPass) -> None:
        self.make(due, p, self.today())

    def make_due(self, p: EffectPass, today: dt.date) -> None:
        """Look now, whatever the hour (for a test or a command that names the day)."""
        if not reports_automatically(p.profile):
            return
        due = self.near(p, today)
        if due:
            self.make(due, p, today)

    def make(self, due, p: EffectPass, today: dt.date) -> None:
        from pipeline.notify import MailOutbox
        from pipeline.notify.review import review_report_message
        from pipeline.reports import lac
        calendar = ServiceCalendar(p.profile)
        allocations = None
        for review in due:
            if calendar.add_working_days(review.date, -p.profile.timescales.review_report) > today:
                continue
            if allocations is None:
                allocations = allocations_or_none(p.config, p.profile)
            allocation = allocations.get(review.reference)
            if allocation is None or allocation.first_date is None \
                    or allocation.first_date > today:
                continue                           # no family time yet: nothing to report
            ref = review.reference
            try:
                plan = lac.plan(p.ledger, ref, review, allocation, today=today,
                                period_to=review.date)
                path = lac.make(p.ledger, p.profile, plan, p.config.outbox_dir / ref,
                                today=today)
            except lac.ReportRefused as exc:
                p.report.waiting[self.name] = str(exc)[:300]
                continue
            except Exception as exc:
                log_fault(log, "effects: review report for %s failed", ref)
                p.report.waiting[self.name] = f"a review report could not be made: {exc}"[:300]
                continue
            p.ledger.add_report(ref, review.date, path, made_on=today)
            p.report.count(self.name)
            try:
                msg = review_report_message(plan.item, review.date, review.iro_email, path,
                                            p.profile)
                MailOutbox(p.config, p.profile).deliver(msg)
            except Exception as exc:           # the report is made; the mail is retried by hand
                log_fault(log, "effects: review report mail for %s failed", ref)
                p.report.waiting[self.name] = f"a review report was not mailed: {exc}"[:300]
