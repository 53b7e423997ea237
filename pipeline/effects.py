"""Run the side effects the ledger says are owed, after the file's transaction has committed.

Each effect lives beside its domain and keeps the contract in pipeline/effect.py; this module
holds only their ORDER, which is a rule:
- the missed-session rule before the tracker, so "Suspended until" goes in the same sync as
  the session's row; then the significant-event email (the social worker hears at once);
- mail before the tracker, so the tracker's "acknowledged" column is filled in the same sync;
- the dates typed for commitments kept (Contact made on) after the tracker: what is to
  correct reaches the workbook in the tracker's second run of the same pass;
- paperwork after them: the "Pack made" it causes reaches the tracker in the next pass;
- review reports, then the team's digest, last: found by date, not owed by an item.
Nothing here raises into intake: an effect's bug is logged and reported, and the next pass
tries again.
"""

from __future__ import annotations

import logging
import time

from pipeline.effect import Effect, EffectName, EffectPass, EffectsReport
from pipeline.server.logs import log_fault
from pipeline.ledger import Ledger
from pipeline.notify.digest import DigestEffect
from pipeline.notify.effects import MailEffect, SignificantEventEffect
from pipeline.render.effects import PaperworkEffect, ReviewReportEffect
from pipeline.sessions.effect import RuleEffect
from pipeline.tracker.effect import TrackerEffect
from pipeline.tracker.met_effect import MetEffect

log = logging.getLogger("pipeline.effects")

EFFECTS: list[Effect] = [RuleEffect(), SignificantEventEffect(), MailEffect(), TrackerEffect(),
                         MetEffect(), PaperworkEffect(), ReviewReportEffect(), DigestEffect()]

__all__ = ["EFFECTS", "EffectsReport", "run_effects"]


def run_effects(ledger: Ledger, config, profile, now: float | None = None) -> EffectsReport:
    """Run every effect that is due, in the registry's order; never raises."""
    report = EffectsReport()
    p = EffectPass(ledger, config, profile, time.time() if now is None else now, report)
    for effect in EFFECTS:
        _run_one(effect, p)
    # A pack made or a decision acted on in this pass changes the tracker's cells (Paperwork,
    # Status): the tracker runs once more now, so the workbook says so without waiting for
    # the next pass (or the next scheduled `watch --once`).
    for effect in EFFECTS:
        if effect.name == EffectName.TRACKER:
            _run_one(effect, p)
    return report


def _run_one(effect: Effect, p: EffectPass) -> None:
    try:
        due = effect.due(p)
        if due:
            effect.run(due, p)
    except Exception as exc:               # an effect's bug must not stop intake
        log_fault(log, "effects: %s failed", effect.name)
        p.report.waiting[effect.name] = f"unexpected problem: {exc}"
