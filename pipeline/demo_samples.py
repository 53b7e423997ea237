"""The demo's sample files, as they would arrive on the demo's day.

The samples are made once by the fixture generators (tests/fixtures/make_fixtures.py,
make_email_fixtures.py) with fixed dates. An email carries its own Date header, which the
pipeline takes as when the referral was received: copied as made, the demo's forwarded email
would arrive months before the demo's "today" and be returned as if it had. So each email is
re-dated to the demo's clock (pipeline.clock) as it is put in the inbox, forwarded message
included; other files arrive as they are (their date is when they land in the inbox).
Used only by the demo.
"""

from __future__ import annotations

import datetime as dt
import shutil
from email import message_from_bytes, policy
from email.utils import format_datetime
from pathlib import Path


def redated_email(data: bytes, when: dt.datetime) -> bytes:
    """The message with every Date header (its own and any forwarded message's) set to
    `when`, the forwarded one a few minutes earlier, as a forward is."""
    msg = message_from_bytes(data, policy=policy.compat32)
    stamp = when.astimezone() if when.tzinfo is None else when
    for depth, part in enumerate(_messages(msg)):
        if part["Date"] is not None:
            part.replace_header("Date", format_datetime(stamp - dt.timedelta(minutes=5 * depth)))
    return msg.as_bytes()


def _messages(msg):
    """The message and every message forwarded inside it, outermost first."""
    yield msg
    for part in msg.walk():
        if part.get_content_type() == "message/rfc822":
            for inner in part.get_payload():
                yield from _messages(inner)


def put_in_inbox(samples: list[Path], inbox: Path, when: dt.datetime) -> None:
    for src in samples:
        target = inbox / src.name
        if src.suffix.lower() == ".eml":
            target.write_bytes(redated_email(src.read_bytes(), when))
        else:
            shutil.copyfile(src, target)
