"""One outgoing email and the names derived from its key (Message-ID, .eml file name).

The key (e.g. "FT-2026-00001:accepted:17") is what makes every send idempotent: the same key
always gives the same Message-ID and the same file, so a resend is recognisable and a second
write is a no-op.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from pipeline import clock

# How a message is written out: SMTP line ends, and a header folded only past 998 characters.
# At the usual 78 a subject of 70-odd characters was moved whole onto a second line, and mail
# programs then showed it starting with a space.
WIRE_POLICY = email.policy.SMTP.clone(max_line_length=998)

# not left to the operating system's MIME table, which Windows fills from the registry
KNOWN_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".eml": "message/rfc822",
}


@dataclass(frozen=True)
class OutgoingMessage:
    key: str  # unique and stable: "<reference>:<kind>:<item id>"
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    message: EmailMessage = field(compare=False, repr=False)
    kind: str = ""  # accepted, incomplete, old_form, attention
    note: str = ""  # why the recipients differ from the usual, for the log
    # addresses this message (documents or personal data) was NOT sent to, being outside the
    # service's allowed domains: a person sends it to them securely (notify/domains.py)
    held: tuple[str, ...] = ()

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"] or "")

    @property
    def recipients(self) -> list[str]:
        """Envelope recipients: To then Cc, each once."""
        seen: list[str] = []
        for a in (*self.to, *self.cc):
            if a.lower() not in (s.lower() for s in seen):
                seen.append(a)
        return seen


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def message_id(key: str, from_address: str) -> str:
    """ "<hash-of-key.family-time@domain>": the same key always gives the same id."""
    domain = from_address.rpartition("@")[2] or "family-time.invalid"
    return f"<{_digest(key)[:32]}.family-time@{domain}>"


def eml_name(key: str) -> str:
    """A file name safe on Windows and Linux, readable, and unique per key."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", key).strip("._")[:80] or "message"
    return f"{safe}-{_digest(key)[:10]}.eml"


def build_email(
    *,
    key: str,
    subject: str,
    sender: str,
    sender_name: str,
    to,
    cc,
    reply_to: str,
    auto_submitted: str,
    text: str,
    html: str,
    files: list[Path] = (),
    now: dt.datetime | None = None,
) -> EmailMessage:
    """The message every kind of email shares: headers that stop auto-reply loops (RFC 3834,
    Exchange), a stable Message-ID from the key, plain text and HTML, files attached."""
    msg = EmailMessage()
    msg["From"] = Address(display_name=" ".join(sender_name.split()), addr_spec=sender)
    msg["To"] = tuple(Address(addr_spec=a) for a in to)
    if cc:
        msg["Cc"] = tuple(Address(addr_spec=a) for a in cc)
    msg["Reply-To"] = Address(addr_spec=reply_to)
    msg["Subject"] = subject
    msg["Date"] = format_datetime((now or clock.now()).astimezone())  # the pipeline's day
    msg["Message-ID"] = message_id(key, sender)
    msg["Auto-Submitted"] = auto_submitted  # robots must not answer this
    msg["X-Auto-Response-Suppress"] = "All"  # nor Exchange's out-of-office replies
    msg["X-Family-Time-Key"] = key
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    for path in files:
        ctype = KNOWN_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        main, _, sub = (ctype or "application/octet-stream").partition("/")
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    return msg
