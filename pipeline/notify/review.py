"""The review report's email: to the IRO, copy to the social worker and the team, the report
attached. Like every outside email it carries the reference and the child's initials only;
the names are in the attached report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline import paths
from pipeline.models import Item
from pipeline.notify.addresses import clean_address
from pipeline.notify.compose import our_addresses, service_context
from pipeline.notify.message import OutgoingMessage, build_email
from pipeline.notify.templates import templates_for
from pipeline.profile import Profile


def initials(values: dict) -> str:
    """"J.S." from the child's first and last names ("" when the form gives neither)."""
    parts = [str(values.get(k) or "").strip() for k in ("child.first_name", "child.last_name")]
    return "".join(f"{p[0].upper()}." for p in parts if p)


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
    context = {"kind": kind, "reference": referral.reference, "initials": initials(values),
               "review_date": review_date, "to_iro": bool(iro),
               "service": service_context(profile), "fallback": {"sw": None, "used": None}}
    subject = templates.subject(kind, context)
    msg = build_email(key=key, subject=subject, sender=sender,
                      sender_name=profile.mail.from_name, to=to, cc=cc, reply_to=team,
                      auto_submitted="auto-generated", text=templates.body(kind, "txt", context),
                      html=templates.body(kind, "html", context),
                      files=[report] if Path(report).is_file() else [], now=now)
    return OutgoingMessage(key=key, to=to, cc=cc, subject=subject, message=msg, kind=kind)
