"""Replies to our own mail that are saved into the inbox: delivery failures (DSN, RFC 3464,
and the plain-text bounces older servers write) and out-of-office replies (RFC 3834's
Auto-Submitted: auto-replied, Exchange's X-Auto-Response headers, the usual subjects).

Each is matched to the message it answers (its Message-ID in In-Reply-To or References, or in
the returned copy's headers; else the reference in the subject) and so to the referral, and
recorded once on the case timeline: a bounced acknowledgement makes the referral "not
acknowledged — address bounced" (a new ACKNOWLEDGED event, drawn by the tracker, `status` and
the digest); an out-of-office reply is filed with the referral and nobody is mailed. Hooked into
intake where a file's items are worked out (pipeline/intake/process.py, process_file), so a
bounce no longer goes to Attention as "no attachment to read" (issue 27).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
import re
import sqlite3
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from pipeline import clock
from pipeline import words as house
from pipeline.ledger.names import EffectName, EventKind, MailHow
from pipeline.ledger.timeline import Event
from pipeline.server.logs import log_fault

log = logging.getLogger("pipeline.notify")

WORDS = "mail/followup.toml"
ACK_KINDS = ("accepted", "incomplete", "old_form")  # messages that answer a referral
_OUR_ID = re.compile(rb"<?([0-9a-f]{32}\.family-time@[A-Za-z0-9.-]+)>?")
_KEY = re.compile(rb"X-Family-Time-Key:\s*(\S+)", re.IGNORECASE)
_REFERENCE = re.compile(r"\bFT-\d{4}-\d{5}\b")
_STATUS = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")
_BOUNCE_SENDER = re.compile(r"^(mailer[-_.]?daemon|postmaster)$", re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery status notification \(failure\)|delivery failure|mail delivery "
    r"(failed|failure|system)|returned mail|failure notice|could not be delivered",
    re.IGNORECASE,
)
_AUTO_SUBJECT = re.compile(
    r"^(automatic reply|auto[- ]?reply|out of (the )?office|autoreply|away from)",
    re.IGNORECASE,
)


@dataclass
class Reply:
    """What a saved email says about our mail: a bounce or an automatic reply, and the
    Message-IDs, keys and references it names."""

    kind: str  # "bounced" | "auto_reply" | "notice" (a delivery report: delayed, delivered)
    code: str = ""  # the enhanced status code of a failure ("5.1.1"), when given
    message_ids: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


def _header(msg, name: str) -> str:
    """A header as text, or "" when it is missing or malformed (hostile mail is common)."""
    try:
        return str(msg.get(name) or "")
    except Exception:
        return ""


def _ids(text: str | None) -> list[str]:
    return [f"<{m.decode()}>" for m in _OUR_ID.findall((text or "").encode("utf-8", "replace"))]


def read_reply(data: bytes, profile=None) -> Reply | None:
    """The bounce or automatic reply in `data` (a saved .eml), or None for anything else
    (our own message saved back into the inbox is not a reply: intake recognises it)."""
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except Exception:  # not an email we can read: intake says so its own way
        return None
    if profile is not None and _from_us(msg, profile):
        return None
    kind = _kind(msg)
    if kind is None:
        return None
    reply = Reply(kind=kind[0], code=kind[1])
    for header in ("In-Reply-To", "References"):
        reply.message_ids += _ids(_header(msg, header))
    # the returned copy (message/rfc822 or text/rfc822-headers) or a quoted one in the text
    reply.message_ids += [f"<{m.decode()}>" for m in _OUR_ID.findall(data)]
    reply.keys = list(dict.fromkeys(k.decode("utf-8", "replace") for k in _KEY.findall(data)))
    reply.message_ids = list(dict.fromkeys(reply.message_ids))
    reply.references = list(dict.fromkeys(_REFERENCE.findall(_header(msg, "Subject"))))
    return reply


def _from_us(msg, profile) -> bool:
    from pipeline.notify.addresses import clean_address, same_address

    sender = _header(msg, "From")
    address = clean_address(re.sub(r"^.*<([^<>]*)>.*$", r"\1", sender))
    return same_address(address, clean_address(profile.mail.from_address))


def _kind(msg: EmailMessage) -> tuple[str, str] | None:
    """("bounced", code) for a delivery failure, ("auto_reply", "") for an automatic reply."""
    ctype = msg.get_content_type()
    if ctype == "multipart/report" and msg.get_param("report-type") == "delivery-status":
        actions, codes = _dsn_fields(msg)
        if "failed" in actions or not actions:
            return "bounced", codes[0] if codes else ""
        # delayed / delivered / relayed: a notice from the mail server, not a failure, and
        # never an out-of-office reply
        return "notice", next((a for a in actions if a != "failed"), "")
    sender = _header(msg, "From")
    local = re.sub(r".*<", "", sender).rpartition("@")[0]
    subject = _header(msg, "Subject")
    if _BOUNCE_SENDER.match(local.strip()) or _BOUNCE_SUBJECT.search(subject):
        code = _STATUS.search(_text(msg))
        return "bounced", code.group(1) if code else ""
    auto = _header(msg, "Auto-Submitted").strip().lower()
    if (
        auto.startswith("auto-replied")
        or _header(msg, "X-Autoreply").lower() == "yes"
        or bool(_header(msg, "X-Autorespond"))
        or _header(msg, "Precedence").lower() == "auto_reply"
        or _AUTO_SUBJECT.match(subject.strip())
    ):
        return "auto_reply", ""
    return None


def _dsn_fields(msg: EmailMessage) -> tuple[list[str], list[str]]:
    """The Action and Status fields of the delivery-status part (RFC 3464)."""
    actions, codes = [], []
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        blocks = payload if isinstance(payload, list) else []
        text = "\n".join(str(b) for b in blocks) or str(part.get_payload(decode=False) or "")
        actions += [a.lower() for a in re.findall(r"(?im)^Action:\s*(\w+)", text)]
        codes += re.findall(r"(?im)^Status:\s*([245]\.\d{1,3}\.\d{1,3})", text)
    return actions, codes


def _text(msg: EmailMessage) -> str:
    out = []
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            try:
                out.append(part.get_content())
            except Exception:
                continue
    return "\n".join(out)


@dataclass(frozen=True)
class Answered:
    """The message of ours a reply answers: its outbox key, Message-ID and referral."""

    key: str
    message_id: str
    reference: str
    kind: str  # accepted, pack, review_report, ...
    item: int | None  # the submission an acknowledgement answered


def match(reply: Reply, outbox, ledger) -> Answered | None:
    """Our message that `reply` answers: by Message-ID, then by the key the returned copy
    carries (when the outbox knows it), then the latest acknowledgement of the reference in
    the subject. None when nothing of ours matches (then a person looks at it)."""
    key = None
    for mid in reply.message_ids:
        key = outbox.key_of_message_id(mid)
        if key:
            break
    if key is None:
        key = next((k for k in reply.keys if outbox.knows(k)), None)
    if key is None:
        for ref in reply.references:
            key = outbox.latest_key(ref, ACK_KINDS)
            if key:
                break
    if key is None:
        return None
    reference, kind, rest = (key.split(":", 2) + ["", ""])[:3]
    if not reference or reference == "item":
        return None
    item = int(rest) if kind in ACK_KINDS and rest.isdigit() else None
    return Answered(key, outbox.message_id_of(key) or "", reference, kind, item)


def events_for(reply: Reply, answered: Answered, on: dt.date, digest: str) -> list[Event]:
    """What the reply adds to the referral's timeline, once per saved file (`digest`)."""
    detail = {"message": answered.key, "message_id": answered.message_id, "kind": answered.kind}
    if reply.kind in ("auto_reply", "notice"):
        if reply.kind == "notice":
            detail = {**detail, "notice": reply.code or "delayed"}
        return [
            Event(
                answered.reference,
                EventKind.MAIL_AUTO_REPLY,
                on,
                f"mail_auto_reply:{digest[:16]}",
                detail,
            )
        ]
    code = reply.code or house.entry(WORDS, "reply", "unknown_code")
    out = [
        Event(
            answered.reference,
            EventKind.MAIL_BOUNCED,
            on,
            f"mail_bounced:{answered.key}:{digest[:16]}",
            {**detail, "code": code},
        )
    ]
    if answered.item is not None:  # the acknowledgement did not arrive: say so
        from pipeline.cases.acknowledgement import acknowledged_event

        why = house.entry(
            WORDS, "acknowledgement", "bounced", on=on.strftime("%d/%m/%Y"), code=code
        )
        ack = acknowledged_event(
            answered.reference, answered.item, MailHow.BOUNCED, on, why=why, message=answered.key
        )
        out.append(
            Event(ack.reference, ack.kind, ack.on, f"{ack.key}:bounced:{digest[:16]}", ack.detail)
        )
    return out


def file_replies(path: Path, digest: str, drafts: list, ledger, config, profile) -> list:
    """The hook: when the saved file `path` is a bounce or automatic reply to our own mail,
    record it on the referral's timeline and return one item that owes no email (filed, with
    the reason naming the referral); otherwise the drafts unchanged."""
    if Path(path).suffix.lower() != ".eml":
        return drafts
    try:
        reply = read_reply(Path(path).read_bytes(), profile)
    except Exception:  # never lose a file to a reply we cannot read: intake as before
        log_fault(log, "file %s: could not read it as a reply to our mail", digest[:12])
        return drafts
    if reply is None:
        return drafts
    from pipeline.ledger.referrals import ItemDraft
    from pipeline.notify.outbox import MailOutbox

    try:
        outbox = MailOutbox(config, profile)
        try:
            answered = match(reply, outbox, ledger)
        finally:
            outbox.close()
    except (OSError, sqlite3.Error):  # the outbox cannot be read now: intake as before
        log_fault(log, "file %s: could not match a reply to our mail", digest[:12])
        return drafts
    if answered is None:
        return drafts
    ledger.record_events(events_for(reply, answered, clock.today(), digest))
    log.info("file %s: %s of %s (%s)", digest[:12], reply.kind, answered.key, answered.reference)
    first = drafts[0] if drafts else None
    draft = ItemDraft(
        original_name=first.original_name if first else Path(path).name,
        outcome="not_referral",
        reason=house.entry(WORDS, "reply", reply.kind, reference=answered.reference),
        sender=first.sender if first else None,
        subject=first.subject if first else None,
        auto_submitted=True,
        received_at=first.received_at if first else None,
        effects=[EffectName.TRACKER],  # what owed_by gives an item owing no email
    )
    return [draft]
