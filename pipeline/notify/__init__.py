"""Automatic emails to social workers and the team: built from templates, delivered once.

messages_for(item, profile, config) -> list[OutgoingMessage]   (compose.py)
plan_mail(item, profile, config) -> MailPlan (messages, or why withheld)
MailOutbox(config, profile).deliver(msg) -> bool                (outbox.py)
significant_event_message(...), rule_notice_message(...)        (sessions.py)
pack_message(...)                                               (pack.py)
"""

from pipeline.notify.compose import MailNotReady, MailPlan, messages_for, plan_mail
from pipeline.notify.message import OutgoingMessage
from pipeline.notify.outbox import MailOutbox, PendingMail
from pipeline.notify.pack import pack_message
from pipeline.notify.sessions import rule_notice_message, significant_event_message

__all__ = [
    "messages_for",
    "plan_mail",
    "MailPlan",
    "MailOutbox",
    "OutgoingMessage",
    "PendingMail",
    "MailNotReady",
    "significant_event_message",
    "rule_notice_message",
    "pack_message",
]
