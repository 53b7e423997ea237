"""Build the automatic emails an item owes, from the templates in form_templates/mail/.

Pure apart from reading templates and the blank form: no sending, no files written. Each
message is keyed "<reference or 'item'>:<kind>:<item id>" so the outbox can send it once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import paths
from pipeline import words as house
from pipeline.catalogue import VersionSpec, catalogue
from pipeline.config import Config
from pipeline.errors import FamilyTimeError
from pipeline.initials import child_initials
from pipeline.models import Item
from pipeline.notify import domains
from pipeline.notify.addresses import clean_address
from pipeline.notify.guard import recipient_block, source_block
from pipeline.notify.message import OutgoingMessage, build_email
from pipeline.notify.privacy import Protected, safe_problems, safe_text, without_label
from pipeline.notify.templates import MailTemplates, templates_for
from pipeline.profile import Profile

log = logging.getLogger("pipeline.notify")

# Which message each outcome owes. Duplicates owe nothing; linked session records have their
# own emails (notify/sessions.py); "attention" goes to the team inbox only.
KIND_BY_OUTCOME = {
    "accepted": "accepted",
    "incomplete": "incomplete",
    "old_form": "old_form",
    "not_referral": "attention",
    "unreadable": "attention",
    "session_attention": "attention",
}
EXTERNAL = {"accepted", "incomplete", "old_form"}


class MailNotReady(FamilyTimeError):
    """The service must fix something before this message can go (the message says what).

    The item's mail stays owed: call messages_for again later.
    """


def key_for(item: Item, kind: str) -> str:
    return f"{item.reference or 'item'}:{kind}:{item.id}"


@dataclass
class MailPlan:
    """What an item's mail comes to: the messages to deliver, or why none goes.

    `withheld` is the plain reason ("Not sent: ...") a person reads on `status` and in the
    tracker, so the ledger never records as sent a message that was never written."""

    messages: list[OutgoingMessage] = field(default_factory=list)
    withheld: str | None = None


def messages_for(
    item: Item, profile: Profile, config: Config | None = None, now: dt.datetime | None = None
) -> list[OutgoingMessage]:
    """The emails `item` owes (none, or one), built but not sent (see plan_mail)."""
    return plan_mail(item, profile, config, now).messages


def plan_mail(
    item: Item, profile: Profile, config: Config | None = None, now: dt.datetime | None = None
) -> MailPlan:
    """The emails `item` owes, built but not sent, or why they are withheld.

    Raises MailNotReady when the service's set-up stops the mail (a missing blank form, a
    profile address that is not an email address); bad data in the item never raises.
    """
    kind = KIND_BY_OUTCOME.get(item.outcome)
    if kind is None:
        return MailPlan()
    templates = templates_for(profile.id, paths.MAIL_TEMPLATES)
    values = dict(item.verdict.values) if item.verdict else {}
    blocked = source_block(item, profile, templates)
    form_sw = _form_social_worker(values, profile, templates) if kind in EXTERNAL else None
    if blocked and form_sw is None:
        entry = "external" if kind in EXTERNAL else "team"
        why = house.fill(
            templates.settings["withheld"][entry], f"mail/mail.toml [withheld] {entry}", why=blocked
        )
        log.info(
            "item %s (%s): no automatic email (%s)", item.id, item.reference or "no reference", why
        )
        return MailPlan(withheld=why)
    team, sender_address = our_addresses(profile)

    if blocked:  # never back to an automatic sender: only the person on the form
        to, cc = (form_sw,), ((team,) if form_sw != team else ())
        fallback = {"sw": None, "used": "sw"}
    elif kind in EXTERNAL:
        to, cc, fallback = outside_recipients(item, values, profile, templates, team)
    else:
        to, cc, fallback = (team,), (), {"sw": None, "used": "team"}

    context = _context(item, kind, profile, templates, values, fallback)
    attachment: tuple[Path, VersionSpec] | None = None
    if kind == "old_form":
        attachment = _blank_form(profile)
        context["form"]["file_name"] = attachment[0].name

    key = key_for(item, kind)
    subject = templates.subject(kind, context)
    msg = build_email(
        key=key,
        subject=subject,
        sender=sender_address,
        sender_name=profile.mail.from_name,
        to=to,
        cc=cc,
        reply_to=team,
        auto_submitted="auto-replied",
        text=templates.body(kind, "txt", context),
        html=templates.body(kind, "html", context),
        files=[attachment[0]] if attachment else [],
        now=now,
    )

    note = (
        ""
        if not fallback["sw"]
        else f"social worker's address {fallback['sw']}: sent to the {fallback['used']} instead"
    )
    if note:
        log.info("item %s (%s): %s", item.id, item.reference or "no reference", note)
    return MailPlan(
        [
            OutgoingMessage(
                key=key,
                to=tuple(to),
                cc=tuple(cc),
                subject=subject,
                message=msg,
                kind=kind,
                note=note,
            )
        ]
    )


def _form_social_worker(values: dict, profile: Profile, templates: MailTemplates) -> str | None:
    """The social worker's address on the form, when it is one we may write to."""
    address = clean_address(values.get("social_worker.email"))
    if address and recipient_block(address, profile, templates) is None:
        return address
    return None


def our_addresses(profile: Profile) -> tuple[str, str]:
    """The team inbox and the address mail comes from; MailNotReady unless both are real."""
    team = clean_address(profile.team_inbox)
    sender_address = clean_address(profile.mail.from_address)
    if not team or not sender_address:
        raise MailNotReady(
            f"The service profile '{profile.id}' needs a real email address in "
            "team_inbox and in [mail] from_address before any email can be sent."
        )
    return team, sender_address


def outside_recipients(
    item: Item, values: dict, profile: Profile, templates: MailTemplates, team: str
) -> tuple[tuple[str, ...], tuple[str, ...], dict]:
    """To, Cc and what happened (see _recipient) for a message to someone outside the team:
    the outside address with the team copied in, else the team alone."""
    to_address, fallback = _recipient(item, values, profile, templates)
    to = (to_address,) if to_address else (team,)
    cc = (team,) if to_address and to_address.lower() != team else ()
    return to, cc, fallback


def service_context(profile: Profile) -> dict:
    """The service's own details every template may quote."""
    return {
        "name": profile.name,
        "service_name": profile.service_name,
        "phone": profile.phone,
        "team_inbox": profile.team_inbox,
        "supervisor_role": profile.supervisor_role,
        "coordinator_role": profile.coordinator_role,
        "out_of_hours_phone": profile.out_of_hours_phone,
        "out_of_hours_name": profile.out_of_hours_name,
        "contact_email": profile.contact_email,
        "agreement_name": profile.agreement.name,
    }


def _recipient(
    item: Item, values: dict, profile: Profile, templates: MailTemplates
) -> tuple[str | None, dict]:
    """Who an outside message goes to: the form's social worker, else the sender, else nobody.

    The returned dict says what happened, so the message can tell the team why.
    """
    raw = values.get("social_worker.email")
    if raw in (None, ""):
        problem = "missing"
    else:
        address = clean_address(raw)
        if address is None:
            problem = "unusable"
        else:
            problem = recipient_block(address, profile, templates)
            if problem is None:
                return address, {"sw": None, "used": "sw"}
    sender = clean_address(item.sender) if item.sender else None
    if sender and recipient_block(sender, profile, templates) is None:
        return sender, {"sw": problem, "used": "sender"}
    return None, {"sw": problem, "used": "team"}


UPDATED_FLAG = "updated_referral"  # set by process.py on a referral that updates another


def _context(
    item: Item, kind: str, profile: Profile, templates: MailTemplates, values: dict, fallback: dict
) -> dict:
    """Everything a template may use; nothing here names a child or a family member."""
    verdict = item.verdict
    protected = Protected(values, templates)
    reason = item.reason or (verdict.reason if verdict else "")
    form = catalogue().by_kind("referral")
    used = form.version(verdict.form_version) if verdict and verdict.form_version else None
    current = _current_version(profile)
    outcome_words = templates.words("outcome_words", item.outcome, item.outcome)
    newer = _newer_form(item, profile, templates)
    if newer:  # read, but a version we do not know yet: never "could not be read"
        outcome_words, reason = newer
    reason = without_label(outcome_words, reason) if reason else reason
    return {
        "kind": kind,
        "outcome": item.outcome,
        "item_id": item.id,
        "reference": item.reference,
        "initials": child_initials(values),
        "received": item.received_at,
        "counted_from": verdict.counted_from if verdict else None,
        # read days after it was sent (an email saved late): the promises count from then
        "read_late": _read_late(item, profile),
        "due": dict(verdict.due) if verdict else {},
        # a child not yet born: no first session is promised from the referral (after the birth)
        "unborn": bool(verdict and verdict.values.get("child.unborn") is True),
        "timescales": profile.timescales.model_dump(),
        "acceptance": profile.acceptance.model_dump(),
        "agreement": profile.agreement.model_dump(),
        "service": service_context(profile),
        "problems": safe_problems(
            verdict.problems if verdict else [], protected, templates, values
        ),
        "warnings": safe_problems(
            verdict.warnings if verdict else [], protected, templates, values
        ),
        "fallback": fallback,
        "reason": safe_text(reason, protected, templates) if reason else None,
        "file_name": item.original_name,
        "sender": clean_address(item.sender) if item.sender else None,
        "archive_path": item.archive_path,
        "scanned": "scanned" in reason.lower() or "image" in reason.lower(),
        "outcome_words": outcome_words,
        "newer_form": bool(newer),
        # the reader's reason may say the outcome itself ("The file could not be read ..."):
        # then the template gives the reason alone, so the label is said once
        "reason_says_outcome": bool(reason) and outcome_words.lower() in reason.lower(),
        "form": {"title": form.title, "version": current.version, "file_name": current.template},
        "used_form": {
            "version": used.version if used else None,
            "title": (used.title or form.title) if used else None,
        },
        # one child, one open referral: a new form for a child already referred updates it
        "updated": bool(verdict and UPDATED_FLAG in verdict.flags),
    }


def _newer_form(item: Item, profile: Profile, templates: MailTemplates) -> tuple[str, str] | None:
    """(outcome words, what to do) for a form in a newer version than any the catalogue
    knows (2027.1): the team is told it was read and what to do, in plain words (issue 27)."""
    from pipeline.catalogue import version_number

    verdict = item.verdict
    if item.outcome != "unreadable" or not verdict or not verdict.form_id:
        return None
    version = verdict.form_version or ""
    try:
        form = catalogue().form(verdict.form_id)
    except KeyError:
        return None
    number = version_number(version) if version else None
    known = [n for n in (version_number(v.version) for v in form.versions) if n is not None]
    if number is None or form.version(version) is not None or not known or number <= max(known):
        return None
    words = templates.settings.get("newer_form", {})
    where = "mail/mail.toml [newer_form]"
    current = ", ".join(v.version for v in form.current_versions) or "none"
    return (
        house.fill(words["outcome_words"], f"{where} outcome_words"),
        house.fill(
            words["what_to_do"],
            f"{where} what_to_do",
            title=form.title,
            version=version,
            current=current,
        ),
    )


def _read_late(item: Item, profile: Profile) -> bool:
    """True when the timescales count from the day the pipeline read the form, later than
    the day it was received would give (validate.promises_start)."""
    from pipeline.validate.calendar import ServiceCalendar

    counted = item.verdict.counted_from if item.verdict else None
    if counted is None:
        return False
    return counted > ServiceCalendar(profile).counted_from(item.received_at)


def _current_version(profile: Profile) -> VersionSpec:
    """The referral form version this service issues now (profile first, then catalogue)."""
    form = catalogue().by_kind("referral")
    for entry in profile.forms.current:
        form_id, _, version = entry.partition(" ")
        spec = form.version(version.strip()) if form_id == form.id else None
        if spec:
            return spec
    if form.current_versions:
        return form.current_versions[0]
    raise MailNotReady("The catalogue names no current version of the referral form.")


def _blank_form(profile: Profile) -> tuple[Path, VersionSpec]:
    """The blank current form to attach to a request to re-submit on it: the service's own
    copy (documents/<profile id>/, its labels and rules), else the neutral one
    (documents/shared/: no council's rules or words), never another service's."""
    spec = _current_version(profile)
    documents = paths.FORM_TEMPLATES / "documents"
    own = documents / profile.id / spec.template
    path = own if own.is_file() else documents / "shared" / spec.template
    if not path.is_file():
        raise MailNotReady(
            f"The blank current referral form ({path.name}) is missing from "
            f"{path.parent}; build the forms, then the request to use the "
            "current form will be sent."
        )
    return path, spec


def service_message(
    kind: str,
    key: str,
    profile: Profile,
    templates: MailTemplates,
    to,
    cc,
    context: dict,
    files: list[Path] = (),
    now=None,
) -> OutgoingMessage:
    """An automatic message of the service (pack, review report, session notices): the
    template's subject and bodies, the loop-stopping headers, replies to the team, files
    attached. One way for every kind that is not an acknowledgement.

    Each of these carries documents or personal data, so it goes only to the profile's
    allowed domains (notify/domains.py): any other recipient is held, and the team, which
    always gets the message, is asked to send it securely (the outbox records the hold)."""
    team, sender = our_addresses(profile)
    (to, held_to), (cc, held_cc) = domains.split(to, profile), domains.split(cc, profile)
    held = held_to + held_cc
    if held and not to:
        to, cc = (team,), tuple(a for a in cc if a.lower() != team.lower())
    elif held and team.lower() not in (a.lower() for a in (*to, *cc)):
        cc = (*cc, team)
    context = {**context, "held": list(held)}
    subject = templates.subject(kind, context)
    msg = build_email(
        key=key,
        subject=subject,
        sender=sender,
        sender_name=profile.mail.from_name,
        to=to,
        cc=cc,
        reply_to=team,
        auto_submitted="auto-generated",
        text=templates.body(kind, "txt", context),
        html=templates.body(kind, "html", context),
        files=list(files),
        now=now,
    )
    return OutgoingMessage(
        key=key, to=tuple(to), cc=tuple(cc), subject=subject, message=msg, kind=kind, held=held
    )
