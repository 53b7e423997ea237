"""The mail a test is about: what the pipeline wrote about referrals and records.

The team's daily digest (tests/notify/test_digest*.py test it) is left out: it is written
whenever the wall clock has passed the service's digest time on a working day and anything is
to be seen to (a fixture form's review date before the referral is), so counting it would make
a test about acknowledgements depend on the hour it runs.
"""

from __future__ import annotations

from pathlib import Path

DIGEST_PREFIX = "digest_"


def referral_mail(mail_dir: Path) -> list[Path]:
    """The .eml files in the outbox's mail folder, the team's daily digest left out."""
    return sorted(p for p in Path(mail_dir).glob("*.eml") if not p.name.startswith(DIGEST_PREFIX))


def is_digest(raw: bytes) -> bool:
    """Whether a message (as a mail server received it) is the team's daily digest."""
    return b"X-Family-Time-Key: digest:" in raw
