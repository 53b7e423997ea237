"""The review report's email: to the IRO, copy to the social worker and the team, the report
attached. Like every outside email it carries the reference and the child's initials only;
the names are in the attached report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline import paths
from pipeline.initials import child_initials
from pipeline.models import Item
from pipeline.notify.addresses import clean_address
from pipeline.notify.compose import our_addresses, service_context, service_message
from pipeline.notify.message import OutgoingMessage
from pipeline.notify.templates import templates_for
from pipeline.profile import Profile


def review_report_message(referral: Item, review_date: dt.date, iro_email: str,
                          report: Path, profile: Profile,
                          now: dt.datetime | None = None) -> OutgoingMessage:
    """The report for the review on `review_date`, mailed once (keyed by reference and date)."""
    kind = "review_report"
    key = f"{referral.reference}:{kind}:{review_date.isoformat()}"
    templates = templates_for(profile.id, paths.MAIL_TEMPLATES)
    team, sender = our_addresses(profile)
    values = dict(referral.verdict.values) if referral.verdict else {}
    iro = clean_address(iro_email)
    social_worker = clean_address(str(values.get("social_worker.email") or ""))
    to = (iro,) if iro else (team,)
    cc = tuple(a for a in (social_worker, team) if a and a not in to)
    context = {"kind": kind, "reference": referral.reference, "initials": child_initials(values),
               "review_date": review_date, "to_iro": bool(iro),
               "service": service_context(profile), "fallback": {"sw": None, "used": None}}
    return service_message(kind, key, profile, templates, to, cc, context,
                           [report] if Path(report).is_file() else [], now)
