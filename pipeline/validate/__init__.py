"""Validation: one extracted form, the service profile and the time it arrived in; a Verdict out.

A pure function: no files, no clock (the caller passes `received`), so the same form always
gets the same verdict. Rules live in rules.py, parsers in values.py, the calendar in calendar.py.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.catalogue import catalogue
from pipeline.extract.models import Extraction
from pipeline.models import Problem, Verdict
from pipeline.profile import Profile
from pipeline.validate.messages import say

AGREEMENT = re.compile(r"agreement|contract", re.IGNORECASE)


def agreement_in_email(email: Extraction, attachment: Extraction) -> bool:
    """Whether another attachment of the same email looks like the Family Time Agreement."""
    for other in email.attachments:
        if other is attachment:
            continue
        text = " ".join(
            [
                other.file,
                other.form.reason,
                " ".join(str(v) for v in list(other.fields.values())[:20]),
            ]
        )
        if AGREEMENT.search(text) and (other.form.kind != "referral"):
            return True
    return False


def _form_label(extraction: Extraction) -> str:
    try:
        return catalogue().form(extraction.form.id).title
    except (KeyError, TypeError):
        return "form"


def promises_start(received: dt.datetime, read_on: dt.date | None) -> dt.datetime:
    """When the service's promises start counting: when the referral was received, unless
    the pipeline read it on a later day (an email saved into the inbox days late), then from
    that day, so no email promises a date already past (issue 27)."""
    if read_on is not None and read_on > received.date():
        return dt.datetime.combine(read_on, dt.time(0, 0))
    return received


def validate_extraction(
    extraction: Extraction,
    profile: Profile,
    received: dt.datetime,
    agreement_attached: bool | None = None,
    email: Extraction | None = None,
    read_on: dt.date | None = None,
) -> Verdict:
    """The verdict on one form. For an email, validate each attachment (see validate_email).
    read_on: the day it is read (the pipeline's today); a date after it is "in the future"."""
    from pipeline.validate.calendar import ServiceCalendar, due_dates, is_unborn
    from pipeline.validate.rules import check_form

    match = extraction.form
    base = dict(form_id=match.id, form_version=match.version, kind=match.kind, received=received)
    key = f"{match.id} {match.version}"
    if match.status == "current" and key in profile.forms.old:
        match = match.model_copy(update={"status": "old"})
    if match.status in ("not_referral", "unreadable"):
        return Verdict(verdict=match.status, reason=match.reason, **base)
    try:
        form = catalogue().form(match.id or "")
    except KeyError:
        return Verdict(verdict="not_referral", reason=say("verdict", "not_ours"), **base)
    base["kind"] = form.kind
    if match.status == "old":
        return _old_form_verdict(form, match, base)

    if agreement_attached is None:
        agreement_attached = bool(email and agreement_in_email(email, extraction))
    values, findings = check_form(
        form, extraction.fields, profile, received, agreement_attached, read_on
    )
    problems, warnings, flags = _sorted_findings(form, findings, profile)
    counted = due = None
    if form.kind == "referral":
        # an email's date is the sender's clock: one saved into the inbox days later is
        # promised from the day it was read (a file's own time is when it reached us)
        start = promises_start(received, read_on) if email is not None else received
        counted = ServiceCalendar(profile).counted_from(start)
        due = due_dates(start, profile, values.get("review.next_date"), unborn=is_unborn(values))
    return Verdict(
        verdict="incomplete" if problems else "complete",
        reason=_verdict_reason(problems, warnings),
        values=values,
        problems=problems,
        warnings=warnings,
        flags=flags,
        counted_from=counted,
        due=due or {},
        **base,
    )


def _old_form_verdict(form, match, base: dict) -> Verdict:
    """An old version of a form we know: say which versions are current."""
    current = ", ".join(v.version for v in form.current_versions) or "current"
    message = (
        say("verdict", "old", title=form.title, version=match.version, current=current)
        if match.version
        else say("verdict", "old_unknown", title=form.title, current=current)
    )
    return Verdict(
        verdict="old",
        reason=message,
        problems=[Problem(key="form", label=form.title, message=message)],
        **base,
    )


def _sorted_findings(form, findings, profile: Profile) -> tuple[list, list, list]:
    """The checks' findings as problems and warnings in the form's field order, and flags."""
    problems, warnings, flags = [], [], []
    for f in findings:
        if f.flag and f.flag not in flags:
            flags.append(f.flag)
        if f.severity == "flag" or f.key is None:
            continue
        spec = form.field(f.key)
        label = spec.display_label(**profile.words) if spec else f.key
        target = problems if f.severity == "error" else warnings
        target.append(
            Problem(
                key=f.key,
                label=label,
                message=f.message,
                severity="error" if f.severity == "error" else "warning",
            )
        )
    order = {spec.key: i for i, spec in enumerate(form.expanded_fields())}
    problems.sort(key=lambda p: order.get(p.key, len(order)))
    warnings.sort(key=lambda p: order.get(p.key, len(order)))
    return problems, warnings, flags


def _verdict_reason(problems: list, warnings: list) -> str:
    """The one-line reason: the first problem, else how many warnings, else complete."""
    if problems:
        return say("verdict", "incomplete", count=len(problems), first=problems[0].message)
    if warnings:
        return say("verdict", "complete_warnings", count=len(warnings))
    return say("verdict", "complete")


def validate_email(
    email: Extraction, profile: Profile, received: dt.datetime
) -> list[tuple[Extraction, Verdict]]:
    """Each attachment of a forwarded email, with the agreement looked for among its siblings."""
    parts = email.attachments or [email]
    return [(a, validate_extraction(a, profile, received, email=email)) for a in parts]
