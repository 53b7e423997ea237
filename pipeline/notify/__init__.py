"""Automatic emails to social workers and the team: built from templates, delivered once.

    messages_for(item, profile, config) -> list[OutgoingMessage]   (compose.py)
    MailOutbox(config, profile).deliver(msg) -> bool                (outbox.py)
"""

from pipeline.notify.compose import MailNotReady, messages_for
from pipeline.notify.message import OutgoingMessage
from pipeline.notify.outbox import MailOutbox, PendingMail

__all__ = ["messages_for", "MailOutbox", "OutgoingMessage", "PendingMail", "MailNotReady"]
