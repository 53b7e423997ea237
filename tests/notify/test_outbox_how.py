"""The outbox says what became of a message: sent, only written (no mail server), or owed."""

from __future__ import annotations

from pipeline.ledger import MailHow


def test_without_a_mail_server_a_message_is_written_not_sent(work):
    from email.message import EmailMessage

    from pipeline.notify.message import OutgoingMessage
    from pipeline.notify.outbox import MailOutbox

    outbox = MailOutbox(work.config, work.profile)
    msg = EmailMessage()
    msg["Subject"], msg["To"], msg["From"] = "Test", "sw@example.gov.uk", "ft@example.gov.uk"
    msg.set_content("body")
    key = "FT-2026-00001_test"
    assert outbox.how(key) is None
    assert outbox.deliver(
        OutgoingMessage(key=key, to=("sw@example.gov.uk",), cc=(), subject="Test", message=msg)
    )
    assert outbox.how(key) == MailHow.WRITTEN
