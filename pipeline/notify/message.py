"""One outgoing email and the names derived from its key (Message-ID, .eml file name).

The key (e.g. "FT-2026-00001:accepted:17") is what makes every send idempotent: the same key
always gives the same Message-ID and the same file, so a resend is recognisable and a second
write is a no-op.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage


@dataclass(frozen=True)
class OutgoingMessage:
    key: str                       # unique and stable: "<reference>:<kind>:<item id>"
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    message: EmailMessage = field(compare=False, repr=False)
    kind: str = ""                 # accepted, incomplete, old_form, attention
    note: str = ""                 # why the recipients differ from the usual, for the log

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
    """"<hash-of-key.family-time@domain>": the same key always gives the same id."""
    domain = from_address.rpartition("@")[2] or "family-time.invalid"
    return f"<{_digest(key)[:32]}.family-time@{domain}>"


def eml_name(key: str) -> str:
    """A file name safe on Windows and Linux, readable, and unique per key."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", key).strip("._")[:80] or "message"
    return f"{safe}-{_digest(key)[:10]}.eml"
