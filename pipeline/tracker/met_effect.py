"""The commitments-kept effect: whenever the workbook is saved, the dates co-ordinators typed
for the promises they keep ("Contact made on", "Planning meeting on") are checked and read into
the ledger (pipeline/tracker/met.py), with when they were read; a date that cannot be accepted
goes back to the row's "Dates to correct" cell instead. Not owed by items: found by the
workbook changing, like a changed allocation. After the tracker (it reads the rows just
reconciled); the tracker's second run in the same pass writes what is to correct.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline import clock
from pipeline.effect import Effect, EffectName, EffectPass

log = logging.getLogger("pipeline.effects")


def _stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return None


class MetEffect(Effect):
    name = EffectName.COMMITMENTS_MET

    def __init__(self) -> None:
        self._stamps: dict[str, tuple] = {}          # working folder -> workbook stamps read

    def _now_stamps(self, p: EffectPass) -> tuple:
        from pipeline.tracker import workbook_path
        this = clock.today().year
        return tuple(_stamp(workbook_path(p.config, p.profile, y)) for y in (this - 1, this))

    def due(self, p: EffectPass) -> list:
        from pipeline.tracker.met import promised_met
        if not promised_met(p.profile):
            return []
        stamps = self._now_stamps(p)
        if not any(stamps) or self._stamps.get(str(p.config.state_dir)) == stamps:
            return []
        return [stamps]

    def run(self, due, p: EffectPass) -> None:
        from pipeline.tracker.met import check_met, read_met
        ledger = p.ledger
        typed, headers = read_met(p.config, p.profile)
        today = clock.today()
        read_at = clock.now()
        first: dict[str, object] = {}
        newest: dict[str, int] = {}
        for item in ledger.items(outcome="accepted"):
            if item.reference:
                first.setdefault(item.reference, item)
                newest[item.reference] = item.id
        changed = 0
        for ref, values in typed.items():        # rows found in the workbook only: a row not
            item = first.get(ref)                # read leaves the ledger as it was
            if item is None:
                continue
            checked = check_met(values, headers, item.received_at.date(), today)
            for key, day in checked.dates.items():
                changed += ledger.record_met(ref, key, day, read_at)
            if ledger.set_met_problem(ref, checked.text):
                ledger.reopen_effect(newest[ref], EffectName.TRACKER)
                if checked.text:
                    log.info("effects: %s a commitment date to correct", ref)
        self._stamps[str(p.config.state_dir)] = due[-1]
        if changed:
            p.report.count(self.name, changed)
