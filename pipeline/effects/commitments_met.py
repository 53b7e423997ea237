"""The commitments-kept effect: whenever the workbook is saved, the dates co-ordinators typed
for the promises they keep ("Contact made on", "Planning meeting on") are checked and read into
the ledger (pipeline/tracker/met.py), with when they were read; a date that cannot be accepted
goes back to the row's "Dates to correct" cell instead. The date of the child's next review
("Next review", or the form's while it is blank) is checked at the same time and said in the
same cell (pipeline/tracker/reviews.py): it is looked at again each new day too, since a
review can go by with no report made for it. Not owed by items: found by the
workbook changing (pipeline/tracker/saves.py), like a changed allocation. After the tracker
(it reads the rows just reconciled); the tracker's second run in the same pass writes what
is to correct.
"""

from __future__ import annotations

import logging

from pipeline import clock
from pipeline.effects.contract import Due, Effect, EffectName, EffectPass
from pipeline.tracker.saves import workbook_stamps

log = logging.getLogger("pipeline.effects")


class MetEffect(Effect):
    name = EffectName.COMMITMENTS_MET

    @staticmethod
    def _now_stamps(p: EffectPass) -> tuple:
        """The workbooks' stamps, and the day: a new day looks at the review dates again."""
        stamps = workbook_stamps(p.config, p.profile)
        return stamps + (clock.today(),) if any(stamps) else stamps

    def due(self, p: EffectPass) -> Due[tuple]:
        from pipeline.tracker.met import checks_anything

        if not checks_anything(p.profile):
            return Due()
        stamps = self._now_stamps(p)
        if not any(stamps) or not p.memory.saved_since(self.name, p.config.state_dir, stamps):
            return Due()
        return Due(found=[stamps])

    def run(self, due: Due[tuple], p: EffectPass) -> None:
        from pipeline.tracker.met import REVIEW_COLUMNS, check_met, checks_reviews, read_met

        ledger = p.ledger
        review_check = checks_reviews(p.profile)
        typed, headers = read_met(p.config, p.profile, also=REVIEW_COLUMNS if review_check else ())
        today = clock.today()
        read_at = clock.now()
        first: dict[str, object] = {}
        latest: dict[str, object] = {}
        for item in ledger.items(outcome="accepted"):
            if item.reference:
                first.setdefault(item.reference, item)
                latest[item.reference] = item
        changed = 0
        for ref, values in typed.items():  # rows found in the workbook only: a row not
            item = first.get(ref)  # read leaves the ledger as it was
            if item is None:
                continue
            row = {k: values.pop(k, None) for k in REVIEW_COLUMNS}
            checked = check_met(values, headers, item.received_at.date(), today)
            if review_check:
                checked.problems += _review_problems(
                    p, ledger, latest[ref], row, headers, item.received_at.date(), today
                )
            for key, day in checked.dates.items():
                changed += ledger.record_met(ref, key, day, read_at)
            if ledger.set_met_problem(ref, checked.text):
                ledger.reopen_effect(latest[ref].id, EffectName.TRACKER)
                if checked.text:
                    log.info("effects: %s a commitment date to correct", ref)
        p.memory.seen(self.name, p.config.state_dir, due.found[-1])
        if changed:
            p.report.count(self.name, changed)


def _review_problems(
    p: EffectPass, ledger, item, row: dict, headers: dict, received, today
) -> list[str]:
    """What is wrong with the row's next review date (pipeline/tracker/reviews.py). A review
    gone by with no report is said only where reports are made unasked, and not once the
    referral is closed."""
    from pipeline.tracker.reviews import form_review_date, review_date_problems

    closed = " ".join(str(row.get("status") or "").split()).casefold() == "closed"
    return review_date_problems(
        row.get("next_review"),
        headers.get("next_review", "Next review"),
        form_review_date(item),
        received,
        today,
        made=lambda day: ledger.report_made(item.reference, day) is not None,
        past_matters=p.profile.reports_automatically() and not closed,
    )
