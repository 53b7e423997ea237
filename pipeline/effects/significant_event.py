"""The significant-event effect: the social worker's email, at once, when a session record
reports a significant event (with the record attached). Sent once by its key, like all mail.
"""

from __future__ import annotations

from pathlib import Path

import pipeline.notify as notify
from pipeline.effects.contract import Due, EffectName, EffectPass, EffectStatus
from pipeline.effects.mail import _MailEffect


class SignificantEventEffect(_MailEffect):
    name = EffectName.SIGNIFICANT_EVENT

    def run(self, due: Due, p: EffectPass) -> None:
        ledger = p.ledger
        outbox = notify.MailOutbox(p.config, p.profile)
        for e in due.owed:
            record = ledger.session_of_item(e.item_id)
            item = ledger.item(e.item_id)
            referral = ledger.item_by_reference(record.reference) if record else None
            if record is None or referral is None:
                ledger.mark_effect(e.item_id, self.name, EffectStatus.DONE)
                continue
            attachment = Path(item.archive_path) if item and item.archive_path else None
            try:
                msg = notify.significant_event_message(record, referral, p.profile, attachment)
                sent = outbox.deliver(msg)
            except Exception as exc:
                self.failed(p, e.item_id, exc)
                continue
            self.outcome(p, e.item_id, sent)
