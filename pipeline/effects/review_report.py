"""The review-report effect: the Looked After Child review report when a review comes near,
made once per referral and review date, when the date is within the profile's review-report
timescale (working days before the review), and mailed once people have let it go.

When its mail is done, the case's timeline gets `review_report_sent` (how: sent, or only
written to outbox/mail when no mail server is set up; who checked it), on the pipeline's today:
the tracker's "Review report" cell says "sent to the IRO" only from that. Reports mailed before
the event are brought up to date once per process (`backfill_sent`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline import clock, words
from pipeline.cases import acknowledgement
from pipeline.effects.contract import Due, Effect, EffectName, EffectPass
from pipeline.server.logs import log_fault
from pipeline.tracker import allocations_or_none
from pipeline.validate.calendar import ServiceCalendar

log = logging.getLogger("pipeline.effects")
WORDING = "effects.toml"  # under form_templates/: what the effects say about themselves

REVIEW_LOOKAHEAD_DAYS = 60  # reviews further off than this are not looked at yet
REVIEW_CHECK_EVERY = 3600.0  # seconds: reviews are looked for at most once an hour
HOLD_RECHECK = 60.0  # seconds: a report waiting for people is looked at again


@dataclass(frozen=True)
class Unsent:
    """A review report made whose email has not gone (no IRO email yet, mail server down)."""

    reference: str
    review_date: dt.date
    path: str


def _newest_accepted(ledger, reference: str):
    items = [i for i in ledger.items(outcome="accepted") if i.reference == reference]
    return items[-1] if items else None


class ReviewReportEffect(Effect):
    """Not owed by items: found by date. The review dates are the tracker's `Next review`
    (else the referral form's); a report is made the profile's working days before each
    review; the team is told it is ready for the supervisor's recommendation, and it is mailed
    to the IRO, copy to the social worker, once the recommendation is written in the saved
    file and someone's name is in "Review report checked (name)", typed after this report was
    made (the name the cell held at its making, kept in the ledger, is the last report's and
    does not count until the cell has been seen holding something else). The look is cheap
    but not free, so it is made at most once an hour per working folder. Making and mailing
    are recorded apart: a report whose email did not go (no IRO email yet, mail server down)
    is mailed again on later passes, the same report, until it goes; the ledger's report_mail says
    which, and why not (the tracker's "Review report" cell, `status`)."""

    name = EffectName.LAC_REPORT

    def __init__(
        self, today: Callable[[], dt.date] = clock.today, every: float = REVIEW_CHECK_EVERY
    ):
        self.today = today
        self.every = every

    def due(self, p: EffectPass) -> Due:
        self.backfill_once(p)
        # reports made whose email has not gone yet: tried again every pass (with back-off)
        unsent = [
            Unsent(ref, day, path) for ref, day, path, _ in p.ledger.reports_unsent(now=p.now)
        ]
        if not p.profile.reports_automatically():
            return Due(found=unsent)
        key = str(p.config.state_dir)
        if p.now - p.memory.reviews_looked.get(key, 0.0) < self.every:
            return Due(found=unsent)
        p.memory.reviews_looked[key] = p.now
        return Due(found=unsent + self.near(p, self.today()))

    @staticmethod
    def near(p: EffectPass, today: dt.date) -> list:
        """Reviews (pipeline.tracker.reviews.Review) coming up with no report made yet."""
        from pipeline.tracker.reviews import reviews

        ahead = (
            getattr(getattr(p.profile, "oversight", None), "review_report_lookahead_days", None)
            or REVIEW_LOOKAHEAD_DAYS
        )
        horizon = today + dt.timedelta(days=ahead)
        return [
            r
            for r in reviews(p.ledger, p.config, p.profile).values()
            if r.date is not None
            and today <= r.date <= horizon
            and not p.ledger.report_made(r.reference, r.date)
        ]

    def run(self, due: Due, p: EffectPass) -> None:
        unsent = [d for d in due.found if isinstance(d, Unsent)]
        if unsent:
            self.resend(unsent, p)
        near = [d for d in due.found if not isinstance(d, Unsent)]
        if near:
            self.make(near, p, self.today())

    def resend(self, unsent: list[Unsent], p: EffectPass) -> None:
        """The same report, mailed again: never a second, different one."""
        from pipeline.tracker.reviews import reviews

        known = reviews(p.ledger, p.config, p.profile)
        for u in unsent:
            item = _newest_accepted(p.ledger, u.reference)
            review = known.get(u.reference)
            if item is None:
                continue
            self.send(
                p,
                item,
                u.review_date,
                review.iro_email if review else "",
                Path(u.path),
                review.checked_by if review else "",
            )

    @staticmethod
    def send(
        p: EffectPass, item, review_date: dt.date, iro_email: str, path: Path, checked_by: str = ""
    ) -> bool:
        """Mail a report made, as saved, once people have let it go (the recommendation
        written, a name in "Review report checked (name)"); the ledger says whether it went, and
        why not (looked at again)."""
        from pipeline.notify.review import hold, same_name, send_review_report

        left = p.ledger.report_name_left(item.reference, review_date)
        if left and not same_name(checked_by, left):  # seen changed (or cleared) since
            p.ledger.forget_report_name_left(item.reference, review_date)
            left = ""
        held = None
        if " ".join(checked_by.split()) and not (left and same_name(checked_by, left)):
            checked_by, held = release_problem(p, item.reference, review_date, path, checked_by)
        else:
            release_problem(p, item.reference, review_date, path, "")  # a name cleared
        held = held or hold(item.reference, checked_by, path, p.profile, left=left)
        if held is not None:
            before = p.ledger.report_mail(item.reference, review_date)
            p.ledger.hold_report_mail(item.reference, review_date, held, p.now, HOLD_RECHECK)
            if before is None or before.get("last_error") != held:
                p.ledger.reopen_effect(item.id, EffectName.TRACKER)  # the Review report cell
            p.report.waiting[EffectName.LAC_REPORT] = words.entry(
                WORDING, "review_report", "not_sent", reference=item.reference, why=held
            )[:300]
            return False
        try:
            why = send_review_report(
                p.config, p.profile, item, review_date, iro_email, path, checked_by
            )
        except Exception as exc:  # e.g. the service's addresses are not set up
            log_fault(log, "effects: review report mail for %s failed", item.reference)
            why = str(exc)[:300] or type(exc).__name__
        before = p.ledger.report_mail(item.reference, review_date)
        if why is None:
            ReviewReportEffect.mailed(p, item.reference, review_date, checked_by)
        p.ledger.mark_report_mail(item.reference, review_date, why is None, why, now=p.now)
        if why is None:
            p.ledger.add_report_mailed(item.reference, review_date, path, checked_by)
        if before is None or before.get("last_error") != why or why is None:
            p.ledger.reopen_effect(item.id, EffectName.TRACKER)  # the Review report cell
        if why is not None:
            p.report.waiting[EffectName.LAC_REPORT] = words.entry(
                WORDING, "review_report", "not_sent", reference=item.reference, why=why
            )[:300]
        return why is None

    @staticmethod
    def mailed(p: EffectPass, reference: str, review_date: dt.date, checked_by: str) -> None:
        """The case's timeline: the report's email sent to the IRO, or only written to
        outbox/mail (no mail server), today; once per report."""
        import pipeline.notify as notify
        from pipeline.notify.review import report_key

        key = report_key(reference, review_date)
        outbox = notify.MailOutbox(p.config, p.profile)
        try:
            how = outbox.how(key)
        finally:
            outbox.close()
        if how is None:  # not expected once delivered: then nothing is claimed
            return
        p.ledger.record_event(
            acknowledgement.report_sent_event(
                reference,
                review_date,
                how,
                clock.today(),
                checked_by=" ".join(checked_by.split()),
                message=key,
            )
        )

    @staticmethod
    def backfill_once(p: EffectPass) -> None:
        """Once per process and working folder: the reports mailed before the timeline."""
        folder = ("review_report_sent", str(p.config.state_dir))
        if folder in p.memory.backfilled:
            return
        try:
            backfill_sent(p)
            p.memory.backfilled.add(folder)
        except Exception:  # tried again by the next pass
            log_fault(log, "effects: review report emails from before the timeline not written")

    def make_due(self, p: EffectPass, today: dt.date) -> None:
        """Look now, whatever the hour (for a test or a command that names the day)."""
        if not p.profile.reports_automatically():
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
            if allocation is None or allocation.first_date is None or allocation.first_date > today:
                continue  # no family time yet: nothing to report
            ref = review.reference
            try:
                plan = lac.plan(
                    p.ledger, ref, review, allocation, today=today, period_to=review.date
                )
                path = lac.make(p.ledger, p.profile, plan, p.config.outbox_dir / ref, today=today)
            except lac.ReportRefused as exc:
                p.report.waiting[self.name] = str(exc)[:300]
                continue
            except Exception as exc:
                log_fault(log, "effects: review report for %s failed", ref)
                p.report.waiting[self.name] = words.entry(
                    WORDING, "review_report", "not_made", problem=exc
                )[:300]
                continue
            p.ledger.add_report(ref, review.date, path, made_on=today)
            from pipeline.cases.review import report_made  # the timeline: made, once

            p.ledger.record_event(report_made(ref, review.date, path, today))
            # a name in "Review report checked (name)" now was typed for an earlier report
            p.ledger.note_report_name_left(ref, review.date, review.checked_by)
            p.report.count(self.name)
            self.send(p, plan.item, review.date, review.iro_email, Path(path), review.checked_by)


def release_problem(
    p: EffectPass, reference: str, review_date: dt.date, path: Path, typed: str
) -> tuple[str, str | None]:
    """(the checker's name as the Staff sheet spells it, why the report may not go yet or
    None). Released only by one person on the Staff sheet ("no", "n/a", "?", initials or two
    names are nobody), only while the file is closed (no owner file beside it) and unchanged
    since that person's name was first seen (its hash is kept on the timeline)."""
    import hashlib

    from pipeline.cases import case_of
    from pipeline.cases.review import last_check, report_checked
    from pipeline.intake.owners import owner_of
    from pipeline.tracker.columns import load_spec
    from pipeline.tracker.sync import read_staff

    w = words.load("cases/review.toml")["release"]
    column = next(
        (
            c.header
            for s in load_spec().enabled_sheets
            for c in s.columns
            if c.key == "review_checked_by"
        ),
        "Review report checked (name)",
    )
    where = "cases/review.toml [release] "
    typed = " ".join(typed.split())
    case = case_of(p.ledger, reference)
    name = ""
    if typed:
        name = next(
            (
                str(s["name"]).strip()
                for s in read_staff(p.config, p.profile)
                if s.get("name") and " ".join(str(s["name"]).split()).casefold() == typed.casefold()
            ),
            "",
        )
        if not name or len(name.split()) < 2:
            why = words.fill(
                w["not_a_person"], where + "not_a_person", text=typed, column=column, file=path.name
            )
            return typed, why
    try:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        sha = ""
    event = report_checked(case, reference, review_date, name, sha, clock.today())
    if event is not None:
        p.ledger.record_event(event)
        case = case_of(p.ledger, reference)
    if not name:
        return typed, None
    owner = owner_of(path)
    lock = path.with_name(f".~lock.{path.name}#")
    if owner is not None or lock.exists():
        shown = (owner or lock).name
        why = words.fill(w["open"], where + "open", file=path.name, owner=shown, name=name)
        return name, why
    check = last_check(case, review_date) or {}
    if check.get("sha256") != sha:
        from pipeline.dates import numeric_date

        why = words.fill(
            w["changed"],
            where + "changed",
            file=path.name,
            name=name,
            on=numeric_date(check.get("on")),
            column=column,
        )
        return name, why
    return name, None


def backfill_sent(p: EffectPass) -> int:
    """Reports mailed before the timeline: `review_report_sent` with what the outbox says
    became of the email (sent, or only written) and the day it was marked mailed; the tracker
    is owed again for their rows. A report the outbox does not know gets none."""
    import pipeline.notify as notify
    from pipeline.cases.acknowledgement import report_sent_key
    from pipeline.notify.review import report_key

    todo = [
        r
        for r in p.ledger.report_states()
        if r["sent_at"]
        and not p.ledger.has_event(
            report_sent_key(r["reference"], dt.date.fromisoformat(r["review_date"]))
        )
    ]
    if not todo:
        return 0
    outbox = notify.MailOutbox(p.config, p.profile)
    events = []
    try:
        for r in todo:
            review_date = dt.date.fromisoformat(r["review_date"])
            key = report_key(r["reference"], review_date)
            how = outbox.how(key)
            if how is None:
                continue
            mailed = p.ledger.report_mailed(r["reference"], review_date) or {}
            events.append(
                acknowledgement.report_sent_event(
                    r["reference"],
                    review_date,
                    how,
                    dt.datetime.fromisoformat(r["sent_at"]).date(),
                    checked_by=mailed.get("checked_by") or "",
                    message=key,
                )
            )
    finally:
        outbox.close()
    written = p.ledger.record_events(events)
    for e in events:
        item = _newest_accepted(p.ledger, e.reference)
        if item is not None:
            p.ledger.reopen_effect(item.id, EffectName.TRACKER)  # the Review report cell
    return written
