"""Email addresses we are willing to put in a header: exactly one, plain, no line breaks.

Addresses come from forms and forwarded emails, so they are untrusted text. Only a value that
passes here is ever used; everything else is refused (the caller falls back and says so), which
is what makes header injection impossible.
"""

from __future__ import annotations

import re

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDR = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")
_ANGLED = re.compile(r"[^<>]*<([^<>]*)>")


def clean_address(value: object) -> str | None:
    """The bare address in `value` ("a@b.org", "Name <a@b.org>", "mailto:a@b.org"), or None.

    None for anything else: several addresses, control characters (CR/LF), spaces inside the
    address, no domain, or more than 254 characters.
    """
    if not isinstance(value, str):
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    text = value.strip()
    angled = _ANGLED.fullmatch(text)
    if angled:
        text = angled.group(1).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if len(text) > 254 or not _ADDR.fullmatch(text):
        return None
    local, _, domain = text.rpartition("@")
    if len(local) > 64:
        return None
    return f"{local}@{domain.lower()}"


def same_address(a: str | None, b: str | None) -> bool:
    """True when two addresses are the same mailbox (case ignored)."""
    return bool(a and b and a.lower() == b.lower())
