"""Who must never get an automatic reply: the loop guards (RFC 3834).

An automatic message must never answer another automatic message, a bulk mailing, a bounce,
a no-reply address, or our own mail coming back; otherwise two robots can write to each other
for ever. The patterns are data (form_templates/mail/mail.toml, [guard]).
"""

from __future__ import annotations

import re

from pipeline.models import Item
from pipeline.notify.addresses import clean_address, same_address
from pipeline.notify.templates import MailTemplates
from pipeline.profile import Profile


def is_automatic_address(address: str, templates: MailTemplates) -> bool:
    """True for no-reply, mailer-daemon, postmaster and bounce addresses."""
    local = address.rpartition("@")[0]
    return any(re.search(p, local, re.IGNORECASE) for p in templates.guard_patterns)


def is_our_address(address: str, profile: Profile) -> bool:
    """True for the team inbox and the address our own messages come from."""
    return same_address(address, clean_address(profile.team_inbox)) or same_address(
        address, clean_address(profile.mail.from_address)
    )


def source_block(item: Item, profile: Profile, templates: MailTemplates) -> str | None:
    """Why the message that brought this item must get no automatic reply, or None.

    RFC 3834 stops replies *to automatic senders*: nothing goes back to the sender, nor to the
    team about it (a notice to the team inbox could itself come back and start a loop). A
    message to the social worker named on the form is a message to a person, and still goes
    (compose.py decides that). The reasons are worded in mail.toml [withheld].
    """
    if item.auto_submitted:
        return templates.words("withheld", "automatic_message")
    if item.sender:
        sender = clean_address(item.sender)
        if sender and is_automatic_address(sender, templates):
            return templates.words("withheld", "automatic_address")
        if sender and is_our_address(sender, profile):
            return templates.words("withheld", "our_address")
    return None


def recipient_block(address: str, profile: Profile, templates: MailTemplates) -> str | None:
    """Why we must not write to this (already validated) address, or None."""
    if is_automatic_address(address, templates):
        return "automatic"
    if is_our_address(address, profile):
        return "ours"
    return None
