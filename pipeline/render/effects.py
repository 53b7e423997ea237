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


class ReviewReportEffect(Effect):
    """Not owed by items: found by date. The look is cheap but not free, so it is made at most
    once an hour per working folder (the last look is kept on this object)."""
    name = EffectName.LAC_REPORT

    def __init__(self, today: Callable[[], dt.date] = clock.today,
                 every: float = REVIEW_CHECK_EVERY):
        self.today = today
        self.every = every
        self._looked: dict[str, float] = {}     # working folder -> when reviews were last looked for

    def due(self, p: EffectPass) -> list:
        key = str(p.config.state_dir)
        if p.now - self._looked.get(key, 0.0) < self.every:
            return []
        self._looked[key] = p.now
        return self.near(p.ledger, self.today())

    @staticmethod
    def near(ledger, today: dt.date) -> list[tuple[str, object, dt.date]]:
        """(reference, latest accepted item, review date) for reviews coming up with no report."""
        latest: dict[str, object] = {}
        for item in ledger.items(outcome="accepted"):
            latest[item.reference] = item
        out = []
        horizon = today + dt.timedelta(days=REVIEW_LOOKAHEAD_DAYS)
        for ref, item in latest.items():
            review = item.verdict.values.get("review.next_date") if item.verdict else None
            if isinstance(review, dt.date) and today <= review <= horizon \
                    and not ledger.report_made(ref, review):
                out.append((ref, item, review))
        return out

    def run(self, due, p: EffectPass) -> None:
        self.make(due, p, self.today())

    def make_due(self, p: EffectPass, today: dt.date) -> None:
        """Look now, whatever the hour (for a test or a command that names the day)."""
        due = self.near(p.ledger, today)
        if due:
            self.make(due, p, today)

    def make(self, due, p: EffectPass, today: dt.date) -> None:
        calendar = ServiceCalendar(p.profile)
        allocations = None
        for ref, item, review in due:
            if calendar.add_working_days(review, -p.profile.timescales.review_report) > today:
                continue
            if allocations is None:
                allocations = allocations_or_none(p.config, p.profile)
            sessions = p.ledger.sessions_of(ref)
            allocation = allocations.get(ref)
            start = (allocation.first_date if allocation and allocation.first_date else None) \
                or min((s.date for s in sessions), default=item.received_at.date())
            if start > today:
                continue                           # no session yet: nothing to report
            try:
                path = render.render_lac_report(item, allocation, p.profile,
                                                p.config.outbox_dir / ref, sessions, start, today,
                                                [s for s in sessions if s.significant_event],
                                                today=today)
            except Exception as exc:
                log_fault(log, "effects: review report for %s failed", ref)
                p.report.waiting[self.name] = f"a review report could not be made: {exc}"[:300]
                continue
            p.ledger.add_report(ref, review, path)
            p.report.count(self.name)
