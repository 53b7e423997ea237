"""Emails about sessions: a significant event (at once), and the missed-session rule's notice.

Both go to the referral's social worker (the address on the referral form; else the address
the referral came from; else the team, with a note), copy to the team inbox. They carry the
reference and dates only: the names are in the attached record or letter, which the social
worker's secure mail may hold but a subject line must not.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline import paths
from pipeline.models import Item, RuleAction, SessionRecord
from pipeline.notify.compose import (
    our_addresses,
    outside_recipients,
    service_context,
    service_message,
)
from pipeline.notify.message import OutgoingMessage
from pipeline.notify.templates import templates_for
from pipeline.profile import Profile


def significant_event_message(
    record: SessionRecord,
    referral: Item,
    profile: Profile,
    attachment: Path | None = None,
    now: dt.datetime | None = None,
) -> OutgoingMessage:
    """The at-once email about a significant event, with the completed record attached."""
    key = f"{record.reference}:significant_event:{record.item_id}"
    attached = attachment is not None and Path(attachment).is_file()
    extra = {"session_date": record.date, "written_on": record.written_on, "attached": attached}
    return _message(
        "significant_event", key, referral, profile, [attachment] if attached else [], extra, now
    )


def rule_notice_message(
    action: RuleAction,
    referral: Item,
    profile: Profile,
    attachments: list[Path] = (),
    now: dt.datetime | None = None,
    made: list | None = None,
) -> OutgoingMessage:
    """The notice of a suspension or of a request to take legal advice, letters attached.
    made: what the paperwork made (render: Written.made), listed in the email as the attached
    notice lists it: each document's name and how it reaches its reader, never whose name."""
    dates = ",".join(d.isoformat() for d in sorted(action.session_dates))
    key = f"{action.reference}:{action.kind}:{dates}"
    days = None
    if action.suspended_from and action.suspended_until:
        days = (action.suspended_until - action.suspended_from).days + 1
    files = [Path(p) for p in attachments if Path(p).is_file()]
    return _message(
        action.kind,
        key,
        referral,
        profile,
        files,
        {
            "action": action,
            "days": days,
            "made": [{"document": m.document, "how": m.how} for m in made or []],
        },
        now,
    )


def _message(
    kind: str,
    key: str,
    referral: Item,
    profile: Profile,
    files: list[Path],
    extra: dict,
    now: dt.datetime | None,
) -> OutgoingMessage:
    templates = templates_for(profile.id, paths.MAIL_TEMPLATES)
    team, sender_address = our_addresses(profile)
    values = dict(referral.verdict.values) if referral.verdict else {}
    to, cc, fallback = outside_recipients(referral, values, profile, templates, team)
    context = {
        "kind": kind,
        "reference": referral.reference,
        "item_id": referral.id,
        "fallback": fallback,
        "service": service_context(profile),
        **extra,
    }
    return service_message(kind, key, profile, templates, to, cc, context, files, now)
