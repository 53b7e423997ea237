"""Every side effect, in one room: run what the ledger says is owed (and what a saved
workbook, a date or the clock makes due), after the file's transaction has committed.

One module per effect (mail, significant_event, tracker, commitments_met, paperwork,
review_report, rule, digest) keeps the contract in contract.py; this module holds their
ORDER, which is a rule (tests/sessions/test_effect_order.py pins it):
- the missed-session rule before the tracker, so "Suspended until" goes in the same sync as
  the session's row; then the significant-event email (the social worker hears at once);
- mail before the tracker, so the tracker's "acknowledged" column is filled in the same sync;
- the dates typed for commitments kept (Contact made on) after the tracker: what is to
  correct reaches the workbook in the tracker's second run of the same pass;
- paperwork after them: the "Pack made" it causes reaches the tracker in the next pass;
- review reports, then the team's digest, last: found by date, not owed by an item.
Nothing here raises into intake: an effect's bug is logged and reported, and the next pass
tries again.

Memory: effects are made fresh each pass and remember nothing themselves; what must outlive a
pass is in an EffectMemory. The watcher owns one; a call without one (a command, a test,
`process`) uses this module's DEFAULT_MEMORY, so repeated calls in one process remember what
they always did (the workbook seen, reviews looked for within the hour, the digest sent).

The registry is read lazily (EFFECTS, below): the ledger and the domain modules import the
contract, and the effects import them, so importing this package must not import the effects.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from pipeline.effects.contract import Effect, EffectMemory, EffectName, EffectPass, EffectsReport
from pipeline.server.logs import log_fault

if TYPE_CHECKING:
    from pipeline.ledger import Ledger

log = logging.getLogger("pipeline.effects")

DEFAULT_MEMORY = EffectMemory()  # for callers that keep none (see the module's docstring)

__all__ = ["EFFECTS", "DEFAULT_MEMORY", "EffectMemory", "EffectsReport", "ordered", "run_effects"]


def ordered() -> list[type[Effect]]:
    """The effect classes, in the order they run (the rule in the module's docstring)."""
    from pipeline.effects.commitments_met import MetEffect
    from pipeline.effects.digest import DigestEffect
    from pipeline.effects.mail import MailEffect
    from pipeline.effects.paperwork import PaperworkEffect
    from pipeline.effects.review_report import ReviewReportEffect
    from pipeline.effects.rule import RuleEffect
    from pipeline.effects.significant_event import SignificantEventEffect
    from pipeline.effects.tracker import TrackerEffect

    return [
        RuleEffect,
        SignificantEventEffect,
        MailEffect,
        TrackerEffect,
        MetEffect,
        PaperworkEffect,
        ReviewReportEffect,
        DigestEffect,
    ]


def __getattr__(name: str):
    if name == "EFFECTS":  # pipeline.effects.EFFECTS: the ordered classes
        return ordered()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run_effects(
    ledger: Ledger, config, profile, now: float | None = None, memory: EffectMemory | None = None
) -> EffectsReport:
    """Run every effect that is due, in the registry's order; never raises."""
    report = EffectsReport()
    p = EffectPass(
        ledger,
        config,
        profile,
        time.time() if now is None else now,
        report,
        DEFAULT_MEMORY if memory is None else memory,
    )
    effects = [cls() for cls in ordered()]
    for effect in effects:
        _run_one(effect, p)
    # A pack made or a decision acted on in this pass changes the tracker's cells (Paperwork,
    # Status): the tracker runs once more now, so the workbook says so without waiting for
    # the next pass (or the next scheduled `watch --once`).
    for effect in effects:
        if effect.name == EffectName.TRACKER:
            _run_one(effect, p)
    return report


def _run_one(effect: Effect, p: EffectPass) -> None:
    try:
        due = effect.due(p)
        if due:
            effect.run(due, p)
    except Exception as exc:  # an effect's bug must not stop intake
        log_fault(log, "effects: %s failed", effect.name)
        p.report.waiting[effect.name] = f"unexpected problem: {exc}"
