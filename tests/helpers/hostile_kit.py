"""Checks for the hostile-input tests on what a person would read (mail and reasons in plain
English). The hostile case table is tests/fixtures/make_hostile.py."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

from tests.helpers.mailbox import referral_mail

# What a person must never be shown: traces, Python's own names, raw bytes, internals.
TECHNICAL = re.compile(
    r"Traceback|File \"|line \d+, in|\b[A-Z][A-Za-z]*(?:Error|Exception|Warning)\b|errno|"
    r"\bNone\b|object at 0x|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|zipfile|lxml|sqlite|pydantic|"
    r"pipeline\.|\.py\b|Errno"
)
ACTION = re.compile(
    r"\b(please|ask|send|resend|re-submit|save|check|put (?:these|it) right|"
    r"pass it|look)\b",
    re.I,
)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")


def assert_plain(text: str, where: str) -> None:
    """Text a non-programmer reads: no trace, no exception names, no control characters."""
    bad = TECHNICAL.search(text)
    assert bad is None, f"{where} shows technical text {bad.group(0)!r}: {text[:300]!r}"
    assert not CONTROL.search(text), f"{where} holds control characters: {text[:300]!r}"


def read_mail(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def mail_body(msg) -> str:
    part = msg.get_body(("plain",))
    return part.get_content() if part is not None else ""


def mails_by_item(mail_dir: Path) -> dict[int, list]:
    """Every message written, by the ledger item its key names."""
    out: dict[int, list] = {}
    for p in referral_mail(mail_dir):
        msg = read_mail(p)
        key = str(msg.get("X-Family-Time-Key", ""))
        tail = key.rsplit(":", 1)[-1]
        out.setdefault(int(tail) if tail.isdigit() else -1, []).append(msg)
    return out
