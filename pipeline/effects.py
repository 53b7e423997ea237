"""Run the side effects the ledger says are owed, after the file's transaction has committed.

Each effect is idempotent by its key and retried with backoff until done: the tracker (one
sync per batch, not per item), mail (the outbox writes and sends each key once) and paperwork
(for allocated tracker rows without a pack). A module not installed yet leaves its effects
pending, and `status` says so. Nothing here raises into intake.
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


def run_effects(ledger: Ledger, config, profile, now: float | None = None) -> EffectsReport:
    """Run every effect that is due; never raises."""
    report = EffectsReport()
    now = time.time() if now is None else now
    # mail first, so the tracker's "acknowledged" column is filled in the same sync
    for step in (_mail, _tracker, _paperwork):
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
        why = "The tracker module is not installed yet."
        for e in due:
            ledger.mark_effect(e.item_id, "tracker", "pending", why, retry_in=NOT_INSTALLED_RETRY,
                               waiting="not_installed", count_attempt=False)
        report.waiting["tracker"] = why
        return
    items = ledger.items()                   # the ledger is the truth: reconcile every row
    acknowledged = _acknowledged(ledger, items)
    packs = _packs(ledger, items)
    try:
        result = tracker.sync(items, config, profile, paperwork=packs or None,
                              acknowledged=acknowledged)
    except TypeError:
        result = tracker.sync(items, config, profile)
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
    report.count("tracker", len(due))


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
        why = "The mail module is not installed yet."
        for e in due:
            ledger.mark_effect(e.item_id, "mail", "pending", why, retry_in=NOT_INSTALLED_RETRY,
                               waiting="not_installed", count_attempt=False)
        report.waiting["mail"] = why
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
            log_fault(log, "effects: mail for item %s failed", e.item_id)
            ledger.mark_effect(e.item_id, "mail", "failed", f"{type(exc).__name__}: {exc}"[:500],
                               waiting="error")
            report.waiting["mail"] = "a message could not be sent; it will be tried again"
            continue
        if delivered:
            ledger.mark_effect(e.item_id, "mail", "done")
            report.count("mail")
        else:
            ledger.mark_effect(e.item_id, "mail", "failed",
                               "The mail server has not accepted the message yet.",
                               waiting="smtp")
            report.waiting["mail"] = "waiting for the mail server"


# ---------------------------------------------------------------- paperwork

def _paperwork(ledger: Ledger, config, profile, now: float, report: EffectsReport) -> None:
    due = ledger.pending_effects(now, "paperwork")
    if not due:
        return
    render = _module("pipeline.render")
    if render is None or not hasattr(render, "render_pack"):
        why = "The paperwork module is not installed yet."
        for e in due:
            ledger.mark_effect(e.item_id, "paperwork", "pending", why,
                               retry_in=NOT_INSTALLED_RETRY, waiting="not_installed",
                               count_attempt=False)
        report.waiting["paperwork"] = why
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
