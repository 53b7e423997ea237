"""Run the side effects the ledger says are owed, after the file's transaction has committed.

Each effect is idempotent by its key and retried with backoff until done: the tracker (one
sync per batch, not per item), mail (the outbox writes and sends each key once) and paperwork
(for allocated tracker rows without a pack). Session records owe two more: "rule" (the
missed-session rule for their referral; its letters and notice, once per action) and
"significant_event" (the social worker is emailed at once). Review reports are made once per
referral and review date, when the date comes within the profile's timescale. A module not
installed yet leaves its effects pending, and `status` says so. Nothing here raises into
intake.
"""

from __future__ import annotations

import importlib
import logging
import time
from dataclasses import dataclass, field

from pipeline.intake import log_fault
from pipeline.ledger import Ledger

log = logging.getLogger("pipeline.effects")

WORKBOOK_OPEN_RETRY = 30.0       # seconds: someone has the workbook open
NOT_INSTALLED_RETRY = 600.0
ALLOCATION_RETRY = 300.0         # paperwork waits for a co-ordinator to allocate the row


@dataclass
class EffectsReport:
    done: dict[str, int] = field(default_factory=dict)
    waiting: dict[str, str] = field(default_factory=dict)   # effect -> why (plain English)

    def count(self, effect: str, n: int = 1) -> None:
        self.done[effect] = self.done.get(effect, 0) + n


def _module(name: str):
    """The module, or None when another engineer's module is not there yet."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise


def _not_installed(ledger: Ledger, due, effect: str, what: str, report: EffectsReport) -> None:
    """Owed effects wait (without counting as failures) for a module not installed yet."""
    why = f"The {what} module is not installed yet."
    for e in due:
        ledger.mark_effect(e.item_id, effect, "pending", why, retry_in=NOT_INSTALLED_RETRY,
                           waiting="not_installed", count_attempt=False)
    report.waiting[effect] = why


def run_effects(ledger: Ledger, config, profile, now: float | None = None) -> EffectsReport:
    """Run every effect that is due; never raises."""
    report = EffectsReport()
    now = time.time() if now is None else now
    # mail first, so the tracker's "acknowledged" column is filled in the same sync; the rule
    # before the tracker, so "Suspended until" goes in the same sync as the session's row
    for step in (_rule, _significant_event, _mail, _tracker, _paperwork, _lac_report):
        try:
            step(ledger, config, profile, now, report)
        except Exception as exc:           # an effect's bug must not stop intake
            log_fault(log, "effects: %s failed", step.__name__.strip("_"))
            report.waiting[step.__name__.strip("_")] = f"unexpected problem: {exc}"
    return report


# ---------------------------------------------------------------- tracker

def _tracker(ledger: Ledger, config, profile, now: float, report: EffectsReport) -> None:
    due = ledger.pending_effects(now, "tracker")
    if not due:
        return
    tracker = _module("pipeline.tracker")
    if tracker is None or not hasattr(tracker, "sync"):
        _not_installed(ledger, due, "tracker", "tracker", report)
        return
    items = ledger.items()                   # the ledger is the truth: reconcile every row
    acknowledged = _acknowledged(ledger, items)
    packs = _packs(ledger, items)
    statuses, status_ids = _statuses(ledger)
    try:
        result = tracker.sync(items, config, profile, paperwork=packs or None,
                              acknowledged=acknowledged,
                              extras={"status": statuses} if statuses else None)
    except TypeError:
        result = tracker.sync(items, config, profile)
        status_ids = []
    if getattr(result, "waiting", False):
        why = ("The tracking workbook is open in Excel; its rows will be written when it is "
               "closed.")
        for e in due:
            ledger.mark_effect(e.item_id, "tracker", "pending", why, retry_in=WORKBOOK_OPEN_RETRY,
                               waiting="workbook_open", count_attempt=False)
        report.waiting["tracker"] = why
        return
    problems = getattr(result, "problems", [])
    if problems:
        why = "; ".join(problems)[:500]
        for e in due:
            ledger.mark_effect(e.item_id, "tracker", "failed", why, waiting="error")
        report.waiting["tracker"] = why
        return
    for e in due:
        ledger.mark_effect(e.item_id, "tracker", "done")
    if status_ids:
        ledger.mark_status_written(status_ids)     # the cell is the co-ordinator's again
    report.count("tracker", len(due))


def _statuses(ledger: Ledger) -> tuple[dict, list[int]]:
    """reference -> "Suspended until dd/mm/yyyy", for suspensions not yet written (once each)."""
    out: dict[str, str] = {}
    ids: list[int] = []
    for sa in ledger.rule_actions():
        a = sa.action
        if a.kind == "suspension" and a.suspended_until and sa.status_written_at is None:
            out[a.reference] = f"Suspended until {a.suspended_until:%d/%m/%Y}"
            ids.append(sa.id)
    return out, ids


def _acknowledged(ledger: Ledger, items) -> dict:
    """reference -> the date its acknowledgement went (for the tracker's column)."""
    import datetime as dt
    sent = ledger.done_effects("mail")
    out: dict = {}
    for item in items:
        if item.reference and item.id in sent and item.outcome == "accepted" and sent[item.id]:
            out[item.reference] = dt.datetime.fromisoformat(sent[item.id]).date()
    return out


def _packs(ledger: Ledger, items) -> dict:
    """reference -> "Pack made dd/mm/yyyy" for the tracker's Paperwork column."""
    import datetime as dt
    made = ledger.done_effects("paperwork")
    return {i.reference: f"Pack made {dt.datetime.fromisoformat(made[i.id]):%d/%m/%Y}"
            for i in items if i.reference and made.get(i.id)}


# ---------------------------------------------------------------- mail

def _mail(ledger: Ledger, config, profile, now: float, report: EffectsReport) -> None:
    due = ledger.pending_effects(now, "mail")
    if not due:
        return
    notify = _module("pipeline.notify")
    if notify is None:
        _not_installed(ledger, due, "mail", "mail", report)
        return
    outbox = notify.MailOutbox(config, profile)
    not_ready = getattr(notify, "MailNotReady", ())
    for e in due:
        item = ledger.item(e.item_id)
        if item is None:
            continue
        try:
            messages = notify.messages_for(item, profile, config)
            delivered = all([outbox.deliver(m) for m in messages])
        except not_ready as exc:                  # the service's set-up needs fixing
            ledger.mark_effect(e.item_id, "mail", "failed", str(exc)[:500], waiting="setup")
            report.waiting["mail"] = str(exc)
            continue
        except Exception as exc:
            _mail_error(ledger, e.item_id, "mail", exc, report)
            continue
        _mail_outcome(ledger, e.item_id, "mail", delivered, report)


def _mail_error(ledger: Ledger, item_id: int, effect: str, exc: Exception,
                report: EffectsReport) -> None:
    """A message that could not be made or handed over: failed, retried with backoff."""
    log_fault(log, "effects: %s for item %s failed", effect, item_id)
    ledger.mark_effect(item_id, effect, "failed", f"{type(exc).__name__}: {exc}"[:500],
                       waiting="error")
    report.waiting[effect] = "a message could not be sent; it will be tried again"


def _mail_outcome(ledger: Ledger, item_id: int, effect: str, sent: bool,
                  report: EffectsReport) -> None:
    """Done, or waiting for the mail server (the outbox retries it; never sent twice)."""
    if sent:
        ledger.mark_effect(item_id, effect, "done")
        report.count(effect)
    else:
        ledger.mark_effect(item_id, effect, "failed",
                           "The mail server has not accepted the message yet.", waiting="smtp")
        report.waiting[effect] = "waiting for the mail server"


# ---------------------------------------------------------------- paperwork

def _paperwork(ledger: Ledger, config, profile, now: float, report: EffectsReport) -> None:
    due = ledger.pending_effects(now, "paperwork")
    if not due:
        return
    render = _module("pipeline.render")
    if render is None or not hasattr(render, "render_pack"):
        _not_installed(ledger, due, "paperwork", "paperwork", report)
        return
    tracker = _module("pipeline.tracker")
    try:
        allocations = {a.reference: a for a in tracker.read_allocations(config, profile)} \
            if tracker is not None else {}
    except Exception as exc:
        log.warning("effects: could not read allocations: %s", type(exc).__name__)
        allocations = {}
    for e in due:
        item = ledger.item(e.item_id)
        if item is None or not item.reference:
            ledger.mark_effect(e.item_id, "paperwork", "done")
            continue
        allocation = allocations.get(item.reference)
        if allocation is None or not allocation.complete:
            ledger.mark_effect(e.item_id, "paperwork", "pending",
                               "Waiting for a co-ordinator to allocate the referral in the "
                               "tracker (status, supervisor, venue, day, time, first date).",
                               retry_in=ALLOCATION_RETRY, waiting="allocation",
                               count_attempt=False)
            continue
        out_dir = config.outbox_dir / item.reference
        try:
            render.render_pack(item, allocation, profile, out_dir)
        except Exception as exc:
            log_fault(log, "effects: paperwork for %s failed", item.reference)
            ledger.mark_effect(e.item_id, "paperwork", "failed",
                               f"{type(exc).__name__}: {exc}"[:500], waiting="error")
            report.waiting["paperwork"] = "a pack could not be made; it will be tried again"
            continue
        ledger.mark_effect(e.item_id, "paperwork", "done")
        ledger.reopen_effect(e.item_id, "tracker")       # the Paperwork column changes
        report.count("paperwork")


# ---------------------------------------------------------------- session records

def _allocations(config, profile) -> dict:
    tracker = _module("pipeline.tracker")
    if tracker is None:
        return {}
    try:
        return {a.reference: a for a in tracker.read_allocations(config, profile)}
    except Exception as exc:
        log.warning("effects: could not read allocations: %s", type(exc).__name__)
        return {}


def _court_directed(referral) -> bool:
    v = referral.verdict
    return bool(v and ("court_directed" in v.flags or v.values.get("referral.court_directed")
                       is True))


def _plan(referral, allocation, profile):
    """The allocated session dates (a callable for the rule) and the first one, when known."""
    if allocation is None or not allocation.day or not allocation.first_date:
        return None, None
    from pipeline.sessions.rule import weekly_plan
    from pipeline.validate.calendar import ServiceCalendar
    calendar = ServiceCalendar(profile)
    schedule = _module("pipeline.render.schedule")
    if schedule is None or not hasattr(schedule, "session_dates"):
        return weekly_plan(allocation.day, calendar.is_session_day), allocation.first_date
    frequency = referral.verdict.values.get("request.frequency") if referral.verdict else None
    if isinstance(frequency, list):
        frequency = " ".join(frequency)

    def planned(a, b):
        try:
            dates = schedule.session_dates(allocation.first_date, allocation.day, frequency,
                                           calendar, until=b)
        except ValueError:                     # days a person typed that cannot be read
            return []
        return [s.date for s in dates if a < s.date < b]
    return planned, allocation.first_date


def rule_due(ledger: Ledger, reference: str, profile, today, allocation=None):
    """The rule's state for a referral from the ledger (also what `sessions` shows)."""
    from pipeline.sessions.rule import rule_state
    referral = ledger.item_by_reference(reference)
    planned, first = _plan(referral, allocation, profile) if referral else (None, None)
    previous = [sa.action for sa in ledger.rule_actions(reference)]
    return rule_state(ledger.sessions_of(reference), previous, profile.missed_sessions, today,
                      _court_directed(referral) if referral else False, reference, planned,
                      first)


def _rule(ledger: Ledger, config, profile, now: float, report: EffectsReport) -> None:
    due = ledger.pending_effects(now, "rule")
    if not due:
        return
    render = _module("pipeline.render")
    notify = _module("pipeline.notify")
    ready = (render is not None and notify is not None
             and all(_has(render, n) for n in ("render_suspension_letters", "render_agreement")))
    allocations = _allocations(config, profile)
    for e in due:
        item = ledger.item(e.item_id)
        record = ledger.session_of_item(e.item_id) if item else None
        if record is None:
            ledger.mark_effect(e.item_id, "rule", "done")
            continue
        allocation = allocations.get(record.reference)
        state = rule_due(ledger, record.reference, profile, item.received_at.date(), allocation)
        for action in state.new:
            ledger.add_rule_action(action, item.id)
        undone = ledger.rule_actions(item_id=item.id, undone=True)
        if not undone:
            ledger.mark_effect(e.item_id, "rule", "done")
            continue
        ledger.reopen_effect(e.item_id, "tracker")        # "Suspended until" in Status
        if not ready:
            why = "The paperwork or mail module is not installed yet."
            ledger.mark_effect(e.item_id, "rule", "pending", why, retry_in=NOT_INSTALLED_RETRY,
                               waiting="not_installed", count_attempt=False)
            report.waiting["rule"] = why
            continue
        referral = ledger.item_by_reference(record.reference)
        problem = None
        for sa in undone:
            try:
                files = _follow_up(sa.action, referral, allocation, config, profile, render,
                                   notify)
            except Exception as exc:
                log_fault(log, "effects: missed-session letters for %s failed", record.reference)
                problem = f"{type(exc).__name__}: {exc}"[:500]
                continue
            if files is None:
                problem = "The mail server has not accepted the notice yet."
                continue
            ledger.mark_rule_action_done(sa.id, [str(p) for p in files])
            report.count("rule")
        if problem:
            ledger.mark_effect(e.item_id, "rule", "failed", problem, waiting="error")
            report.waiting["rule"] = "missed-session letters could not all be made or sent; " \
                                     "they will be tried again"
        else:
            ledger.mark_effect(e.item_id, "rule", "done")


def _has(module, name: str) -> bool:
    try:
        return getattr(module, name, None) is not None
    except Exception:                          # a lazy export whose module is missing
        return False


def _follow_up(action, referral, allocation, config, profile, render, notify):
    """Letters (and the re-signed agreement) made, the notice mailed; None: mail not yet taken."""
    from pipeline.models import Allocation
    allocation = allocation or Allocation(reference=action.reference)
    out_dir = config.outbox_dir / action.reference
    files = list(render.render_suspension_letters(referral, allocation, profile, out_dir, action))
    if action.kind == "suspension":
        files.append(render.render_agreement(referral, allocation, profile, out_dir,
                                             resigned_after=action))
    msg = notify.rule_notice_message(action, referral, profile, files)
    if not notify.MailOutbox(config, profile).deliver(msg):
        return None
    return files


def _significant_event(ledger: Ledger, config, profile, now: float,
                       report: EffectsReport) -> None:
    due = ledger.pending_effects(now, "significant_event")
    if not due:
        return
    notify = _module("pipeline.notify")
    if notify is None or not _has(notify, "significant_event_message"):
        _not_installed(ledger, due, "significant_event", "mail", report)
        return
    outbox = notify.MailOutbox(config, profile)
    for e in due:
        record = ledger.session_of_item(e.item_id)
        item = ledger.item(e.item_id)
        referral = ledger.item_by_reference(record.reference) if record else None
        if record is None or referral is None:
            ledger.mark_effect(e.item_id, "significant_event", "done")
            continue
        from pathlib import Path
        attachment = Path(item.archive_path) if item and item.archive_path else None
        try:
            msg = notify.significant_event_message(record, referral, profile, attachment)
            sent = outbox.deliver(msg)
        except Exception as exc:
            _mail_error(ledger, e.item_id, "significant_event", exc, report)
            continue
        _mail_outcome(ledger, e.item_id, "significant_event", sent, report)


# ---------------------------------------------------------------- review reports

LAC_CHECK_EVERY = 3600.0
_lac_checked: dict[str, float] = {}


def _today():
    import datetime as dt
    return dt.date.today()


def _lac_report(ledger: Ledger, config, profile, now: float, report: EffectsReport,
                today=None) -> None:
    """Review reports falling due: made once per referral and review date (then noted)."""
    import datetime as dt
    key = str(config.state_dir)
    if today is None and now - _lac_checked.get(key, 0.0) < LAC_CHECK_EVERY:
        return                                 # a cheap pass: at most once an hour
    _lac_checked[key] = now
    today = today or _today()
    latest: dict[str, object] = {}
    for item in ledger.items(outcome="accepted"):
        latest[item.reference] = item
    due = []
    for ref, item in latest.items():
        review = item.verdict.values.get("review.next_date") if item.verdict else None
        if isinstance(review, dt.date) and today <= review <= today + dt.timedelta(days=60) \
                and not ledger.report_made(ref, review):
            due.append((ref, item, review))
    if not due:
        return                                 # nothing near: no paperwork module loaded
    render = _module("pipeline.render")
    if render is None or not _has(render, "render_lac_report"):
        return
    from pipeline.validate.calendar import ServiceCalendar
    calendar = ServiceCalendar(profile)
    allocations = None
    for ref, item, review in due:
        if calendar.add_working_days(review, -profile.timescales.review_report) > today:
            continue
        if allocations is None:
            allocations = _allocations(config, profile)
        sessions = ledger.sessions_of(ref)
        allocation = allocations.get(ref)
        start = (allocation.first_date if allocation and allocation.first_date else None) \
            or min((s.date for s in sessions), default=item.received_at.date())
        if start > today:
            continue                           # no session yet: nothing to report
        try:
            path = render.render_lac_report(item, allocation, profile, config.outbox_dir / ref,
                                            sessions, start, today,
                                            [s for s in sessions if s.significant_event],
                                            today=today)
        except Exception as exc:
            log_fault(log, "effects: review report for %s failed", ref)
            report.waiting["lac_report"] = f"a review report could not be made: {exc}"[:300]
            continue
        ledger.add_report(ref, review, path)
        report.count("lac_report")
