"""Reads a whole email saved into the inbox (.eml, or Outlook .msg) and every form attached.

Business support often save the social worker's email rather than its attachment, sometimes a
forward of a forward. The email itself is only a wrapper: what matters is who sent it, whether
it is an automatic message (never answer those) and what each attachment is. Attachment names
come from strangers, so they are only ever shown, never used as paths: each attachment is
written under a generated name inside a private temporary folder and read from there.
"""

from __future__ import annotations

import contextvars
import logging
import re
import tempfile
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from pathlib import Path

from pipeline.extract import reasons
from pipeline.extract.models import Extraction, FormMatch
from pipeline.extract.results import part_name
from pipeline.files import private_dir, write_private

log = logging.getLogger(__name__)

MAX_DEPTH = 3  # forwards within forwards we follow
MAX_ATTACHMENTS = 20  # attachments read from one email
MAX_TOTAL_BYTES = 50 * 1024 * 1024  # all attachments of one email together
MAX_EMAIL_BYTES = 80 * 1024 * 1024  # the saved email file itself
MAX_NAME_CHARS = 120  # a display name longer than this is shortened

NO_ATTACHMENT_REASON = reasons.say("email.no_attachment")  # the shared wording
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_AUTO_SENDERS = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?"
    r"|auto[-_.]?reply|auto[-_.]?responder)(?:[-+_.].*)?$",
    re.IGNORECASE,
)
_SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,8}$")
_BAD_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')

_depth: contextvars.ContextVar[int] = contextvars.ContextVar("email_depth", default=0)


@dataclass
class _Attachment:
    name: str  # sanitised display name
    data: bytes


@dataclass
class _Mail:
    """One email's facts, the same whether it came as .eml or .msg."""

    sender: str | None = None
    subject: str | None = None
    date: str | None = None
    auto: bool = False
    attachments: list[_Attachment] = field(default_factory=list)
    total: int = 0  # attachments seen, read or not
    skipped_size: int = 0  # attachments left unread because of the size cap
    too_deep: bool = False
    unreadable_parts: list[str] = field(default_factory=list)

    def add(self, name: str, data: bytes) -> None:
        self.total += 1
        if len(self.attachments) >= MAX_ATTACHMENTS:
            return
        if sum(len(a.data) for a in self.attachments) + len(data) > MAX_TOTAL_BYTES:
            self.skipped_size += 1
            return
        self.attachments.append(_Attachment(name, data))


# ---------------------------------------------------------------------------------------------
# Names and automatic mail


def safe_display_name(name: str | None, index: int = 1) -> str:
    """An attachment's name fit to show and log: its last path part, no control or reserved
    characters, not too long. Never used as a path."""
    raw = str(name or "")
    raw = raw.replace("\x00", "").replace("\\", "/")
    base = raw.rsplit("/", 1)[-1]
    base = _BAD_NAME_CHARS.sub("_", base).strip().strip(".").strip()
    if base in {"", ".", ".."}:
        return f"attachment-{index}"
    if len(base) > MAX_NAME_CHARS:
        stem, dot, suffix = base.rpartition(".")
        if dot and _SAFE_SUFFIX.match("." + suffix):
            base = stem[: MAX_NAME_CHARS - len(suffix) - 2] + "~." + suffix
        else:
            base = base[: MAX_NAME_CHARS - 1] + "~"
    return base


def _safe_suffix(display: str) -> str:
    suffix = Path(display).suffix.lower()
    return suffix if _SAFE_SUFFIX.match(suffix) else ""


def is_automatic(headers, sender: str | None) -> bool:
    """True for an auto-reply, bounce, list or no-reply message: the pipeline must not reply."""

    def get(name: str) -> str:
        try:
            value = headers.get(name) if headers is not None else None
        except Exception:  # noqa: BLE001 - a malformed header is not a reason to fail
            return ""
        return str(value or "").strip().lower()

    auto = get("Auto-Submitted")
    if auto and not auto.startswith("no"):
        return True
    if get("Precedence") in {"bulk", "junk", "list", "auto_reply", "auto-reply"}:
        return True
    if get("List-Id") or get("X-Autoreply") or get("X-Autorespond"):
        return True
    address = parseaddr(sender or "")[1] or (sender or "")
    local = address.split("@", 1)[0].strip()
    return bool(local and _AUTO_SENDERS.match(local))


# ---------------------------------------------------------------------------------------------
# .eml


def _header(msg: EmailMessage, name: str) -> str | None:
    try:
        value = msg.get(name)
        text = " ".join(str(value).split()) if value is not None else ""
    except Exception:  # noqa: BLE001 - a malformed header is shown as missing
        return None
    return text or None


def _iso_date(msg: EmailMessage) -> str | None:
    try:
        value = msg.get("Date")
        when = getattr(value, "datetime", None)
        return when.isoformat() if when else None
    except Exception:  # noqa: BLE001 - an unparseable date is simply unknown
        return None


def _parse_eml_bytes(data: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(data)


def _mail_from_eml(msg: EmailMessage, mail: _Mail, depth: int) -> None:
    """Walk one message's parts, collecting attachments; forwarded messages are walked too."""
    for part in _leaf_parts(msg, mail, depth):
        _take_part(part, mail, depth)


def _leaf_parts(msg: EmailMessage, mail: _Mail, depth: int):
    ctype = msg.get_content_type()
    if ctype == "message/rfc822" and msg is not None:
        try:
            inner = msg.get_payload()[0]
        except Exception:  # noqa: BLE001
            mail.unreadable_parts.append("forwarded message")
            return
        _forwarded(inner, mail, depth)
        return
    if msg.is_multipart():
        try:
            subparts = list(msg.iter_parts())
        except Exception:  # noqa: BLE001
            subparts = []
        for sub in subparts:
            yield from _leaf_parts(sub, mail, depth)
        return
    yield msg


def _forwarded(inner, mail: _Mail, depth: int) -> None:
    if depth + 1 > MAX_DEPTH:
        mail.too_deep = True
        return
    _mail_from_eml(inner, mail, depth + 1)


def _take_part(part: EmailMessage, mail: _Mail, depth: int) -> None:
    try:
        disposition = part.get_content_disposition()
        filename = part.get_filename()
    except Exception:  # noqa: BLE001
        disposition, filename = None, None
    ctype = part.get_content_type()
    maintype = part.get_content_maintype()
    if (
        disposition != "attachment"
        and not filename
        and (maintype in ("text", "multipart") or disposition == "inline" or maintype == "image")
    ):
        return  # the message body, or a signature picture
    if disposition == "inline" and maintype == "image" and part.get("Content-ID"):
        return  # a logo in the signature, not something sent to us
    try:
        data = part.get_payload(decode=True) or b""
    except Exception:  # noqa: BLE001
        data = b""
    display = safe_display_name(filename, mail.total + 1)
    if ctype == "message/rfc822" or _safe_suffix(display) == ".eml":
        if depth + 1 > MAX_DEPTH:
            mail.too_deep = True
            return
        try:
            _mail_from_eml(_parse_eml_bytes(data), mail, depth + 1)
        except Exception:  # noqa: BLE001
            mail.unreadable_parts.append(display)
        return
    if (
        _safe_suffix(display) == ".msg"
        or data[:8] == OLE_MAGIC
        and ctype == "application/vnd.ms-outlook"
    ):
        if depth + 1 > MAX_DEPTH:
            mail.too_deep = True
            return
        if not _msg_bytes_into(data, mail, depth + 1):
            mail.add(display, data)  # not an Outlook message after all: read it as a file
        return
    mail.add(display, data)


def _read_eml(path: Path) -> _Mail:
    data = path.read_bytes()
    msg = _parse_eml_bytes(data)
    if not list(msg.keys()):
        raise _NotAnEmail()
    sender = _header(msg, "From")
    mail = _Mail(
        sender=sender,
        subject=_header(msg, "Subject"),
        date=_iso_date(msg),
        auto=is_automatic(msg, sender),
    )
    _mail_from_eml(msg, mail, 0)
    return mail


class _NotAnEmail(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Outlook .msg


def _msg_auto(msg, sender: str | None) -> bool:
    try:
        cls = str(getattr(msg, "classType", "") or "")
    except Exception:  # noqa: BLE001
        cls = ""
    if cls.lower().startswith(("ipm.note.rules", "report.")):
        return True  # Outlook out-of-office, delivery reports
    try:
        headers = msg.header
    except Exception:  # noqa: BLE001
        headers = None
    return is_automatic(headers, sender)


def _msg_walk(msg, mail: _Mail, depth: int) -> None:
    from extract_msg.msg_classes import MSGFile

    try:
        attachments = list(msg.attachments)
    except Exception:  # noqa: BLE001
        mail.unreadable_parts.append("attachments")
        return
    html: list[bytes] = []  # the message's HTML body, fetched once if needed
    for att in attachments:
        try:
            data = att.data
            name = (
                getattr(att, "longFilename", None)
                or getattr(att, "shortFilename", None)
                or getattr(att, "name", None)
            )
        except Exception:  # noqa: BLE001
            mail.unreadable_parts.append("attachment")
            continue
        if _msg_inline_picture(msg, att, name, html):
            continue  # a logo in the signature, not something sent to us
        if isinstance(data, MSGFile):
            if depth + 1 > MAX_DEPTH:
                mail.too_deep = True
                continue
            _msg_walk(data, mail, depth + 1)
            continue
        if not isinstance(data, (bytes, bytearray)):
            mail.unreadable_parts.append(safe_display_name(name, mail.total + 1))
            continue
        display = safe_display_name(name, mail.total + 1)
        suffix = _safe_suffix(display)
        if suffix == ".eml" and depth + 1 <= MAX_DEPTH:
            try:
                _mail_from_eml(_parse_eml_bytes(bytes(data)), mail, depth + 1)
                continue
            except Exception:  # noqa: BLE001
                pass
        if (
            suffix == ".msg"
            and depth + 1 <= MAX_DEPTH
            and _msg_bytes_into(bytes(data), mail, depth + 1)
        ):
            continue
        mail.add(display, bytes(data))


_PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf"}


def _msg_inline_picture(msg, att, name, html: list[bytes]) -> bool:
    """An Outlook picture shown in the message body (a signature logo), like an .eml's inline
    image with a Content-ID: Outlook marks it hidden, or the HTML body shows it by "cid:"."""
    try:
        mime = str(getattr(att, "mimetype", None) or "").lower()
        picture = (
            mime.startswith("image/") or _safe_suffix(safe_display_name(name)) in _PICTURE_SUFFIXES
        )
        if not picture:
            return False
        if getattr(att, "hidden", False) is True:
            return True
        cid = str(getattr(att, "contentId", None) or "").strip().strip("<>")
        if not cid:
            return False
        if not html:
            body = msg.htmlBody
            html.append(body if isinstance(body, bytes) else str(body or "").encode("utf-8"))
        return b"cid:" + cid.encode("utf-8", "ignore") in html[0]
    except Exception:  # noqa: BLE001 - when in doubt it is an attachment, and is read
        return False


def _msg_bytes_into(data: bytes, mail: _Mail, depth: int) -> bool:
    """Walk an .msg held in memory (an attached .msg file); False if it is not one."""
    import extract_msg

    if data[:8] != OLE_MAGIC:
        return False
    try:
        msg = extract_msg.openMsg(data, delayAttachments=False)
    except Exception:  # noqa: BLE001
        return False
    try:
        _msg_walk(msg, mail, depth)
    finally:
        _close(msg)
    return True


def _close(msg) -> None:
    try:
        msg.close()
    except Exception:  # noqa: BLE001
        pass


def _read_msg(path: Path) -> _Mail:
    import extract_msg

    with open(path, "rb") as fh:
        if fh.read(8) != OLE_MAGIC:
            raise _NotAnEmail()
    msg = extract_msg.openMsg(str(path), delayAttachments=False)
    try:
        sender = " ".join(str(msg.sender or "").split()) or None
        subject = " ".join(str(msg.subject or "").split()) or None
        try:
            when = msg.date
            date = when.isoformat() if when else None
        except Exception:  # noqa: BLE001
            date = None
        mail = _Mail(sender=sender, subject=subject, date=date, auto=_msg_auto(msg, sender))
        _msg_walk(msg, mail, 0)
    finally:
        _close(msg)
    return mail


# ---------------------------------------------------------------------------------------------
# The wrapper


def read_email(path: Path, profile=None, *, read_attachment) -> Extraction:
    """The email's sender, subject, date and automatic flag, and one Extraction per attachment
    (forwarded messages followed); the wrapper's `form` mirrors the first form attached.
    `profile` is passed on to the attachment readers (which form versions are current);
    `read_attachment(path, profile=...)` is the room's own reader of any file (given by the
    room's front door, so this reader never imports the door that calls it)."""
    path = Path(path)
    name = path.name
    depth = _depth.get()
    if depth >= MAX_DEPTH:
        return _wrapper(name, _Mail(), "unreadable", reasons.say("email.too_deep", profile))
    token = _depth.set(depth + 1)
    try:
        return _read(path, name, profile, read_attachment)
    except Exception:  # noqa: BLE001 - never let one hostile email stop the pipeline
        log.warning(
            "email: unexpected failure reading a message; treated as damaged", exc_info=True
        )
        return _wrapper(name, _Mail(), "unreadable", _damaged(path, profile))
    finally:
        _depth.reset(token)


def _damaged(path: Path, profile=None) -> str:
    kind = reasons.say(
        "email.kind_msg" if path.suffix.lower() == ".msg" else "email.kind_eml", profile
    )
    return reasons.say("email.damaged", profile, kind=kind)


def _read(path: Path, name: str, profile, read_attachment) -> Extraction:
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return _wrapper(name, _Mail(), "unreadable", reasons.say("email.cannot_open", profile))
    if size == 0:
        return _wrapper(name, _Mail(), "unreadable", reasons.say("email.empty", profile))
    if size > MAX_EMAIL_BYTES:
        return _wrapper(
            name,
            _Mail(),
            "unreadable",
            reasons.say("email.too_large", profile, megabytes=size // (1024 * 1024)),
        )
    try:
        if head == OLE_MAGIC or path.suffix.lower() == ".msg":
            mail = _read_msg(path)
        else:
            mail = _read_eml(path)
    except _NotAnEmail:
        named = path.suffix or reasons.say("email.not_email_no_suffix", profile)
        return _wrapper(
            name, _Mail(), "unreadable", reasons.say("email.not_email", profile, named=named)
        )
    except Exception:  # noqa: BLE001 - extract-msg and olefile raise many types
        log.info("email: message could not be parsed", exc_info=True)
        return _wrapper(name, _Mail(), "unreadable", _damaged(path, profile))

    results = _read_attachments(mail, profile, read_attachment)
    return _summarise(name, mail, results, profile)


def _read_attachments(mail: _Mail, profile, read_attachment) -> list[Extraction]:
    """Each attachment read by the ordinary reader, from a generated name in a private folder;
    an attachment holding several forms (two children's) gives one entry per form."""
    out: list[Extraction] = []
    if not mail.attachments:
        return out
    from pipeline.files import scratch_root  # state/scratch, never %TEMP% (cleared at start)

    with tempfile.TemporaryDirectory(
        prefix="ft-mail-", ignore_cleanup_errors=True, dir=scratch_root()
    ) as tmp:
        folder = private_dir(Path(tmp))
        for i, att in enumerate(mail.attachments, start=1):
            target = folder / f"attachment-{i:03d}{_safe_suffix(att.name)}"
            try:
                write_private(target, att.data)
                results = read_attachment(target, profile=profile)
            except Exception:  # noqa: BLE001 - one bad attachment must not hide the others
                log.warning("email: attachment %d could not be read", i, exc_info=True)
                results = [
                    Extraction(
                        file=att.name,
                        form=FormMatch(
                            status="unreadable",
                            reason=reasons.say("email.attachment_unreadable", profile),
                        ),
                    )
                ]
            for j, result in enumerate(results, start=1):
                out.append(result.model_copy(update={"file": part_name(att.name, j, len(results))}))
            target.unlink(missing_ok=True)
    return out


def _wrapper(
    name: str,
    mail: _Mail,
    status: str,
    reason: str,
    attachments: list[Extraction] | None = None,
    match: FormMatch | None = None,
) -> Extraction:
    form = match or FormMatch(status=status, reason=reason)
    return Extraction(
        file=name,
        form=form,
        sender=mail.sender,
        subject=mail.subject,
        date=mail.date,
        auto_submitted=mail.auto,
        attachments=attachments or [],
    )


def _summarise(name: str, mail: _Mail, results: list[Extraction], profile=None) -> Extraction:
    notes: list[str] = []
    unread = mail.total - len(mail.attachments)
    if mail.total > MAX_ATTACHMENTS:
        notes.append(
            reasons.say(
                "email.too_many_attachments", profile, total=mail.total, limit=MAX_ATTACHMENTS
            )
        )
    elif mail.skipped_size:
        notes.append(
            reasons.say(
                "email.attachments_too_large",
                profile,
                unread=unread,
                megabytes=MAX_TOTAL_BYTES // (1024 * 1024),
            )
        )
    if mail.too_deep:
        notes.append(reasons.say("email.attachments_too_deep", profile, depth=MAX_DEPTH))
    if mail.unreadable_parts:
        notes.append(reasons.say("email.part_unreadable", profile))
    if unread > 0 or mail.too_deep:
        results = results + [
            Extraction(
                file="(attachments not read)",
                form=FormMatch(status="unreadable", reason=" ".join(notes)),
            )
        ]

    if not results:
        return _wrapper(name, mail, "not_referral", reasons.say("email.no_attachment", profile))

    forms = [r for r in results if r.form.status in ("current", "old")]
    referral = next((r for r in forms if r.form.kind == "referral"), None)
    chosen = referral or (forms[0] if forms else None)
    if chosen is not None:
        return _wrapper(
            name,
            mail,
            chosen.form.status,
            chosen.form.reason,
            results,
            match=chosen.form.model_copy(),
        )
    if all(r.form.status == "unreadable" for r in results):
        reason = (
            reasons.say("email.none_readable", profile, count=len(results))
            if len(results) > 1
            else reasons.say("email.one_unreadable", profile, reason=results[0].form.reason)
        )
        return _wrapper(name, mail, "unreadable", (reason + " " + " ".join(notes)).strip(), results)
    reason = reasons.say("email.no_form", profile)
    return _wrapper(name, mail, "not_referral", (reason + " " + " ".join(notes)).strip(), results)
