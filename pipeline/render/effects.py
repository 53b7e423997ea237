"""The paperwork effects: the pack for each referral once a co-ordinator has allocated it in
the tracker, and the Looked After Child review report when a review comes near.

A pack waits (without counting as a failure) until the tracker row says everything the
documents need. A review report is made once per referral and review date, when the date is
within the profile's review-report timescale (working days before the review).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pipeline.render as render
from pipeline import clock
from pipeline.effect import Effect, EffectName, EffectPass, Waiting
import pipeline.tracker.allocation as A
from pipeline.tracker.sync import read_staff
from pipeline.files import file_stamp, private_dir
from pipeline.server.logs import log_fault
from pipeline.tracker import allocations_or_none
from pipeline.validate.calendar import ServiceCalendar

log = logging.getLogger("pipeline.effects")

ALLOCATION_RETRY = 300.0         # seconds: paperwork waits for a co-ordinator to allocate the row
REVIEW_LOOKAHEAD_DAYS = 60       # reviews further off than this are not looked at yet
REVIEW_CHECK_EVERY = 3600.0      # seconds: reviews are looked for at most once an hour
HOLD_RECHECK = 60.0              # seconds: a report waiting for people is looked at again


class PaperworkEffect(Effect):
    """Packs that follow the allocation.

    The pack is made from the allocation as checked (pipeline/tracker/allocation.py) and the
    ledger keeps the allocation it was made from. Whenever the workbook is saved, rows whose
    allocation differs from what was last acted on owe their paperwork again: a changed
    allocation remakes the pack (the old documents move to superseded/<date>/), a mistake is
    said back in the Paperwork cell, and each new version is mailed once.
    """
    name = EffectName.PAPERWORK

    def __init__(self) -> None:
        self._stamps: dict[str, tuple] = {}           # working folder -> workbook stamps
        self._acted: dict[str, dict[str, dict]] = {}  # working folder -> ref -> typed row

    # ---- noticing a saved workbook
    def due(self, p: EffectPass):
        try:
            self._follow_workbook(p)
        except Exception:                     # the allocations are read again next pass
            log_fault(log, "effects: could not look at the workbook for changed allocations")
        return p.ledger.pending_effects(p.now, self.name)

    def _follow_workbook(self, p: EffectPass) -> None:
        from pipeline.tracker import workbook_path
        key = str(p.config.state_dir)
        this = clock.today().year
        stamps = tuple(file_stamp(workbook_path(p.config, p.profile, y)) for y in (this - 1, this))
        if self._stamps.get(key) == stamps:
            return
        self._stamps[key] = stamps
        allocations = allocations_or_none(p.config, p.profile)
        acted = self._acted.setdefault(key, {})
        newest: dict[str, int] = {}
        for item in p.ledger.items(outcome="accepted"):
            if item.reference:
                newest[item.reference] = item.id
        for ref, a in allocations.items():
            typed = a.model_dump(mode="json")
            if ref in newest and acted.get(ref) != typed:
                p.ledger.reopen_effect(newest[ref], self.name)

    # ---- making (or remaking) packs
    def run(self, due, p: EffectPass) -> None:
        ledger = p.ledger
        allocations = allocations_or_none(p.config, p.profile)
        staff = None
        today = clock.today()
        acted = self._acted.setdefault(str(p.config.state_dir), {})
        newest_of: dict[str, int] = {}          # reference -> its newest accepted submission
        for accepted in ledger.items(outcome="accepted"):
            if accepted.reference:
                newest_of[accepted.reference] = accepted.id
        for e in due:
            item = ledger.item(e.item_id)
            if item is None or not item.reference:
                ledger.mark_effect(e.item_id, self.name, "done")
                continue
            ref = item.reference
            allocation = allocations.get(ref)
            if allocation is not None:
                acted[ref] = allocation.model_dump(mode="json")
            if newest_of.get(ref, item.id) != item.id:            # an update of the referral owes it now
                ledger.mark_effect(e.item_id, self.name, "done")
                continue
            previous = ledger.latest_pack(ref)
            if not A.is_allocated(allocation):
                if ledger.set_allocation_problem(ref, None):
                    ledger.reopen_effect(e.item_id, EffectName.TRACKER)
                if previous is not None:          # no longer "Allocated": the pack stands
                    ledger.mark_effect(e.item_id, self.name, "done")
                    continue
                self._wait(ledger, e.item_id, WAITING_WORDS)
                continue
            if staff is None:
                staff = read_staff(p.config, p.profile)
            checked = A.check_allocation(allocation, p.profile, staff, today, item,
                                         previous["allocation"] if previous else None)
            if checked.problems:
                if ledger.set_allocation_problem(ref, checked.text):
                    ledger.reopen_effect(e.item_id, EffectName.TRACKER)
                log.info("effects: %s allocation to correct (%d problem(s))", ref,
                         len(checked.problems))
                self._wait(ledger, e.item_id, checked.text)
                continue
            plain = checked.allocation
            changed = A.changes(previous["allocation"], plain) if previous else []
            if previous and previous["item_id"] != item.id:
                changed.append("referral")
            if previous and not changed:
                if ledger.set_allocation_problem(ref, None):
                    ledger.reopen_effect(e.item_id, EffectName.TRACKER)
                ledger.mark_effect(e.item_id, self.name, "done")
                continue
            try:
                self._make(p, item, plain, previous, changed, staff, today)
            except Exception as exc:
                log_fault(log, "effects: paperwork for %s failed", ref)
                ledger.mark_effect(e.item_id, self.name, "failed", self.error_text(exc),
                                   waiting=Waiting.ERROR)
                p.report.waiting[self.name] = "a pack could not be made; it will be tried again"
                continue
            ledger.mark_effect(e.item_id, self.name, "done")
            ledger.reopen_effect(e.item_id, EffectName.TRACKER)   # the Paperwork column changes
            p.report.count(self.name)

    def _wait(self, ledger, item_id: int, why: str) -> None:
        ledger.mark_effect(item_id, self.name, "pending", why, retry_in=ALLOCATION_RETRY,
                           waiting=Waiting.ALLOCATION, count_attempt=False)

    def _make(self, p: EffectPass, item, plain, previous, changed, staff, today) -> None:
        ref = item.reference
        out_dir = p.config.outbox_dir / ref
        for_pack = plain
        short = False
        if previous is not None:
            upcoming = _next_sessions(item, plain, p.profile, today)
            if upcoming and plain.first_date and plain.first_date < upcoming:
                # already running: the remade pack starts from the next session, so every
                # session record it re-issues is for a session still to come
                for_pack = plain.model_copy(update={"first_date": upcoming})
            days = notice_days(p.profile)
            short = bool(days and upcoming and (upcoming - today).days < days)
            _supersede(out_dir, previous, today)
        documents = render.render_pack(item, for_pack, p.profile, out_dir) or []
        version = p.ledger.add_pack(ref, item.id, A.snapshot(plain),
                                    [str(d) for d in documents], A.changed_words(changed),
                                    short)
        log.info("effects: pack %s version %d made", ref, version)
        self._mail(p, item, version, documents, plain, staff or [], A.changed_words(changed),
                   notice_days(p.profile) if short else None, for_pack.first_date)

    @staticmethod
    def _mail(p, item, version, documents, plain, staff, changed, short_days, first) -> None:
        import pipeline.notify as notify
        email = next((s.get("email") for s in staff
                      if A.same_name(s.get("name"), plain.supervisor)), None)
        try:
            msg = notify.pack_message(item, p.profile, version, [Path(d) for d in documents],
                                      email, changed, short_days, first)
        except notify.MailNotReady as exc:
            p.report.waiting["pack mail"] = str(exc)
            return
        if notify.MailOutbox(p.config, p.profile).deliver(msg):
            p.ledger.mark_pack_mailed(item.reference, version)


WAITING_WORDS = ("Waiting for a co-ordinator to allocate the referral in the tracker (status, "
                 "supervisor, venue, day, time, first date).")


def notice_days(profile) -> int | None:
    """Days' notice the service asks before a change, when its profile says (a week in
    Northamptonshire)."""
    return getattr(profile.timescales, "change_notice_days", None)



def _next_sessions(item, allocation, profile, today: dt.date) -> dt.date | None:
    """The first planned session on or after today under `allocation`."""
    from pipeline.sessions.plan import planned_sessions
    try:
        planned = planned_sessions(item, allocation, profile, until=today + dt.timedelta(days=400))
    except ValueError:
        return None
    return next((s.date for s in planned if s.date >= today), None)


def _supersede(out_dir: Path, previous: dict, today: dt.date) -> None:
    """The last pack's documents move to superseded/<date>/ (kept, never deleted)."""
    folder = out_dir / "superseded" / today.isoformat()
    for name in previous.get("documents", []):
        old = Path(name)
        if not old.is_file():
            continue
        private_dir(folder)
        target = folder / old.name
        n = 2
        while target.exists():
            target = folder / f"{old.stem} ({n}){old.suffix}"
            n += 1
        shutil.move(str(old), str(target))


@dataclass(frozen=True)
class Unsent:
    """A review report made whose email has not gone (no IRO email yet, mail server down)."""
    reference: str
    review_date: dt.date
    path: str


def _newest_accepted(ledger, reference: str):
    items = [i for i in ledger.items(outcome="accepted") if i.reference == reference]
    return items[-1] if items else None


def reports_automatically(profile) -> bool:
    """Only a service that promises review reports gets them made unasked (profile.review.
    report, issue 14: "promised" | "on request" | "not stated"); a profile without the
    setting keeps the old behaviour (made automatically)."""
    review = getattr(profile, "review", None)
    return review is None or getattr(review, "report", "promised") == "promised"


class ReviewReportEffect(Effect):
    """Not owed by items: found by date. The review dates are the tracker's `Next review`
    (else the referral form's); a report is made the profile's working days before each
    review; the team is told it is ready for the supervisor's recommendation, and it is mailed
    to the IRO, copy to the social worker, once the recommendation is written in the saved
    file and someone's name is in "Review report checked (name)", typed after this report was
    made (the name the cell held at its making, kept in the ledger, is the last report's and
    does not count until the cell has been seen holding something else). The look is cheap but not free,
    so it is made at most once an hour per working folder. Making and mailing are recorded
    apart: a report whose email did not go (no IRO email yet, mail server down) is mailed
    again on later passes, the same report, until it goes; the ledger's report_mail says
    which, and why not (the tracker's "Review report" cell, `status`)."""
    name = EffectName.LAC_REPORT

    def __init__(self, today: Callable[[], dt.date] = clock.today,
                 every: float = REVIEW_CHECK_EVERY):
        self.today = today
        self.every = every
        self._looked: dict[str, float] = {}     # working folder -> when reviews were last looked for

    def due(self, p: EffectPass) -> list:
        # reports made whose email has not gone yet: tried again every pass (with back-off)
        unsent = [Unsent(ref, day, path) for ref, day, path, _ in
                  p.ledger.reports_unsent(now=p.now)]
        if not reports_automatically(p.profile):
            return unsent
        key = str(p.config.state_dir)
        if p.now - self._looked.get(key, 0.0) < self.every:
            return unsent
        self._looked[key] = p.now
        return unsent + self.near(p, self.today())

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
        unsent = [d for d in due if isinstance(d, Unsent)]
        if unsent:
            self.resend(unsent, p)
        due = [d for d in due if not isinstance(d, Unsent)]
        if due:
            self.make(due, p, self.today())

    def resend(self, unsent: list["Unsent"], p: EffectPass) -> None:
        """The same report, mailed again: never a second, different one."""
        from pipeline.tracker.reviews import reviews
        known = reviews(p.ledger, p.config, p.profile)
        for u in unsent:
            item = _newest_accepted(p.ledger, u.reference)
            review = known.get(u.reference)
            if item is None:
                continue
            self.send(p, item, u.review_date, review.iro_email if review else "", Path(u.path),
                      review.checked_by if review else "")

    @staticmethod
    def send(p: EffectPass, item, review_date: dt.date, iro_email: str, path: Path,
             checked_by: str = "") -> bool:
        """Mail a report made, as saved, once people have let it go (the recommendation
        written, a name in "Review report checked (name)"); the ledger says whether it went, and
        why not (looked at again)."""
        from pipeline.notify.review import hold, same_name, send_review_report
        left = p.ledger.report_name_left(item.reference, review_date)
        if left and not same_name(checked_by, left):     # seen changed (or cleared) since
            p.ledger.forget_report_name_left(item.reference, review_date)
            left = ""
        held = hold(item.reference, checked_by, path, p.profile, left=left)
        if held is not None:
            before = p.ledger.report_mail(item.reference, review_date)
            p.ledger.hold_report_mail(item.reference, review_date, held, p.now, HOLD_RECHECK)
            if before is None or before.get("last_error") != held:
                p.ledger.reopen_effect(item.id, EffectName.TRACKER)   # the Review report cell
            p.report.waiting[EffectName.LAC_REPORT] = (
                f"the review report for {item.reference} is made but not sent: {held}")[:300]
            return False
        try:
            why = send_review_report(p.config, p.profile, item, review_date, iro_email, path,
                                     checked_by)
        except Exception as exc:              # e.g. the service's addresses are not set up
            log_fault(log, "effects: review report mail for %s failed", item.reference)
            why = str(exc)[:300] or type(exc).__name__
        before = p.ledger.report_mail(item.reference, review_date)
        p.ledger.mark_report_mail(item.reference, review_date, why is None, why, now=p.now)
        if why is None:
            p.ledger.add_report_mailed(item.reference, review_date, path, checked_by)
        if before is None or before.get("last_error") != why or why is None:
            p.ledger.reopen_effect(item.id, EffectName.TRACKER)   # the Review report cell
        if why is not None:
            p.report.waiting[EffectName.LAC_REPORT] = (
                f"the review report for {item.reference} is made but not sent: {why}")[:300]
        return why is None

    def make_due(self, p: EffectPass, today: dt.date) -> None:
        """Look now, whatever the hour (for a test or a command that names the day)."""
        if not reports_automatically(p.profile):
            return
        due = self.near(p, today)
        if due:
            self.make(due, p, today)

    def make(self, due, p: EffectPass, today: dt.date) -> None:
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
            # a name in "Review report checked (name)" now was typed for an earlier report
            p.ledger.note_report_name_left(ref, review.date, review.checked_by)
            p.report.count(self.name)
            self.send(p, plan.item, review.date, review.iro_email, Path(path),
                      review.checked_by)
