"""The tracker effect: one sync of the whole ledger per pass, for every row owed.

The ledger is the truth, so the sync reconciles every item, filling the pipeline's columns
from what the other effects have done (the cells are worked out in pipeline/tracker/cells.py).
"""

from __future__ import annotations

import pipeline.tracker as tracker
from pipeline import clock, words
from pipeline.effects.contract import Due, Effect, EffectName, EffectPass, EffectStatus, Waiting
from pipeline.tracker import rota_sheet
from pipeline.tracker.cells import acknowledged, more_cells, packs, statuses
from pipeline.tracker.saves import workbook_stamps

WORDING = "effects.toml"  # under form_templates/: what the effects say about themselves


class TrackerEffect(Effect):
    name = EffectName.TRACKER

    def due(self, p: EffectPass) -> Due:
        """The rows the ledger owes, and a workbook a person saved since the last look: a
        sort of one column is found (and put right, or held and said) at once, not when the
        ledger next has news (pipeline/tracker/rowcheck.py)."""
        owed = list(p.ledger.pending_effects(p.now, self.name))
        stamps = workbook_stamps(p.config, p.profile)
        saved = any(stamps) and p.memory.saved_since(self.name, p.config.state_dir, stamps)
        return Due(owed=owed, found=[stamps] if saved else [])

    def run(self, due: Due, p: EffectPass) -> None:
        ledger = p.ledger
        items = ledger.items()
        status, status_ids = statuses(ledger)
        result = tracker.sync(
            items,
            p.config,
            p.profile,
            paperwork=packs(ledger, items, p.profile) or None,
            acknowledged=acknowledged(ledger, items),
            extras=more_cells(ledger, items, p.profile, status),
        )
        if (result.waiting or result.problems) and not due.owed:
            return  # only a person's save to look at: looked at again next pass
        if result.waiting:
            why = words.entry(WORDING, "tracker", "workbook_open")
            for e in due.owed:
                self.wait_for_workbook(p, e.item_id, why)
            p.report.waiting[self.name] = why
            return
        if result.problems:
            why = words.entry(WORDING, "tracker", "separator").join(result.problems)[:500]
            for e in due.owed:
                ledger.mark_effect(
                    e.item_id, self.name, EffectStatus.FAILED, why, waiting=Waiting.ERROR
                )
            p.report.waiting[self.name] = why
            return
        p.memory.seen(self.name, p.config.state_dir, workbook_stamps(p.config, p.profile))
        for e in due.owed:
            ledger.mark_effect(e.item_id, self.name, EffectStatus.DONE)
        if status_ids:
            ledger.mark_status_written(status_ids)  # the cell is the co-ordinator's again
        rota_sheet.refresh(ledger, p.config, p.profile, clock.today())  # a view; never raises
        p.report.count(self.name, len(due.owed))
