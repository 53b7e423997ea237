"""The review report's email: to the IRO, copy to the social worker and the team, the report
attached. Like every outside email it carries the reference and the child's initials only;
the names are in the attached report.

A report made is mailed apart from its making: with no IRO email yet, or the mail server
down, the same report waits and is tried again (`send_review_report`); the tracker's "Review
report" cell and `status` say whether it went and why not (form_templates/reports/
review_mail.toml)."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
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


# ---------------------------------------------------------------- sending, and saying so

@lru_cache(maxsize=1)
def _words() -> dict:
    with open(paths.FORM_TEMPLATES / "reports" / "review_mail.toml", "rb") as fh:
        return tomllib.load(fh)


def send_review_report(config, profile: Profile, referral: Item, review_date: dt.date,
                       iro_email: str, report: Path) -> str | None:
    """Mail the report already made to the IRO (copy to the social worker). None when the
    message is written, and sent where SMTP is set; otherwise why not (it is tried again)."""
    from pipeline.notify import MailOutbox          # (one name, so a test can stand in)
    w = _words()
    if not clean_address(iro_email or ""):
        return w["no_iro"]
    msg = review_report_message(referral, review_date, iro_email, report, profile)
    outbox = MailOutbox(config, profile)
    if outbox.deliver(msg):
        return None
    pending = next((m for m in outbox.pending_report() if m.key == msg.key), None)
    if pending is None:
        return w["not_written"]
    return w["server"].format(error=pending.last_error or "not tried yet")


def report_cells(ledger) -> dict[str, str]:
    """reference -> the tracker's "Review report" cell, for its latest report: made, and sent
    to the IRO on a date, or not sent yet and why."""
    from pipeline.dates import short_date
    w = _words()
    out: dict[str, str] = {}
    for r in ledger.report_states():
        made = w["made"].format(made=short_date(dt.datetime.fromisoformat(r["made_at"])),
                                review=short_date(dt.date.fromisoformat(r["review_date"])))
        if r["sent_at"]:
            out[r["reference"]] = w["sent"].format(
                made_text=made, sent=short_date(dt.datetime.fromisoformat(r["sent_at"])))
        else:
            out[r["reference"]] = w["not_sent"].format(
                made_text=made, why=r["last_error"] or "not tried yet")
    return out


def unsent_lines(ledger) -> list[str]:
    """One line per report made and not mailed, for `status` and the digest."""
    from pipeline.dates import short_date
    w = _words()
    return [w["status"].format(reference=ref, review=short_date(day), why=why or "not tried yet")
            for ref, day, _, why in ledger.reports_unsent()]
