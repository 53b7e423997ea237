"""The digest effect: found by the clock, once a working day at or after the profile's digest
time, one email to the team inbox of what to see to today (the lines are made by
pipeline/notify/digest.py, the same ones `status` shows). Idempotent by the day: its key is
digest:<date>, and the memory keeps the days sent so the lines are not worked out again.
"""

from __future__ import annotations

import datetime as dt

from pipeline import clock
from pipeline.effects.contract import Due, Effect, EffectName, EffectPass
from pipeline.notify import digest as lines_of


class DigestEffect(Effect):
    name = EffectName.DIGEST

    def due(self, p: EffectPass) -> Due[dt.date]:
        from pipeline.validate.calendar import ServiceCalendar

        today = clock.today()
        key = (str(p.config.state_dir), today)
        at = lines_of._setting(p.profile, "digest_time", lines_of.DIGEST_TIME)
        # The pipeline's clock: its day (today, above) and the real time of day, which is the
        # pass's own (p.now is the moment the pass was made; a test gives it to pin the hour).
        now = dt.datetime.fromtimestamp(p.now).time() if p.now else dt.time(0)
        if (
            key in p.memory.digest_sent
            or now < at
            or not ServiceCalendar(p.profile).is_working_day(today)
        ):
            return Due()
        return Due(found=[today])

    def run(self, due: Due[dt.date], p: EffectPass) -> None:
        from pipeline.notify import MailOutbox

        for today in due.found:
            p.memory.digest_sent.add((str(p.config.state_dir), today))
            lines = lines_of.reminders(p.ledger, p.config, p.profile, today)
            if all(line.kind in lines_of.ALONE_NO_MAIL for line in lines):
                continue  # nothing to do today: who has room travels only with work
            if MailOutbox(p.config, p.profile).deliver(
                lines_of.digest_message(lines, p.profile, today)
            ):
                p.report.count(self.name)
