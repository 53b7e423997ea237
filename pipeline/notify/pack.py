"""The pack email: when a pack is made or remade, the allocated supervisor and the social
worker get one email with the documents attached (reference and initials only in the subject
and body: the names are in the documents). One email per pack version: the key says which.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline import paths
from pipeline.initials import child_initials
from pipeline.models import Item
from pipeline.notify.addresses import clean_address
from pipeline.notify.compose import (
    our_addresses,
    outside_recipients,
    service_context,
    service_message,
)
from pipeline.notify.message import OutgoingMessage
from pipeline.notify.templates import templates_for
from pipeline.profile import Profile


def pack_message(
    item: Item,
    profile: Profile,
    version: int,
    documents: list[Path],
    supervisor_email: str | None = None,
    changed: str = "",
    short_notice_days: int | None = None,
    first_date: dt.date | None = None,
    now: dt.datetime | None = None,
    change_text: str = "",
    moved: bool | None = None,
) -> OutgoingMessage:
    """The email carrying pack `version` of `item`'s referral. `change_text`: what changed,
    from when and which sessions are off, in the service's words (pipeline/render/change.py);
    `moved`: whether the arrangements changed (False: made again for an updated referral,
    so never worded as changed arrangements)."""
    kind = "pack"
    key = f"{item.reference}:pack:{version}"
    templates = templates_for(profile.id, paths.MAIL_TEMPLATES)
    team, sender_address = our_addresses(profile)
    values = dict(item.verdict.values) if item.verdict else {}
    to, cc, fallback = outside_recipients(item, values, profile, templates, team)
    supervisor = clean_address(supervisor_email) if supervisor_email else None
    if supervisor and supervisor.lower() not in (a.lower() for a in to):
        to = (*[a for a in to if a.lower() != team.lower()], supervisor)
        if team.lower() not in (a.lower() for a in (*to, *cc)):
            cc = (*cc, team)
    files = [Path(p) for p in documents if Path(p).is_file()]
    context = {
        "kind": kind,
        "reference": item.reference,
        "item_id": item.id,
        "initials": child_initials(values),
        "version": version,
        "remade": version > 1,
        "moved": (version > 1) if moved is None else bool(moved),
        "change_text": change_text,
        "changed": changed,
        "short_notice_days": short_notice_days,
        "first_date": first_date,
        "documents": [p.name for p in files],
        "supervisor_told": bool(supervisor),
        "fallback": fallback,
        "service": service_context(profile),
    }
    return service_message(kind, key, profile, templates, to, cc, context, files, now)
