"""Shared data and helpers for the mail tests (and the fault tests that send mail): fictional
form answers that are easy to spot if they leak, and an SMTP server that can be told to refuse."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket

from pipeline.profile import Smtp

# Obviously fictional, and distinctive, so a leak is easy to spot.
CHILD_FIRST = "Tamsin Rowan"
CHILD_LAST = "Quillfeather"
CHILD_DOB = dt.date(2019, 3, 3)
CARER_ADDRESS = "14 Larkspur Close, Sampleton"
CARER_POSTCODE = "NN9 9ZZ"
PARENT_NAME = "Jo Sample-Parent"
PARENT_ADDRESS = "7 Thistlewood Row, Sampleton"
SW_EMAIL = "sam.worker@council.example.org"
SENDER = "Business Support <bsupport@council.example.org>"
SENDER_ADDRESS = "bsupport@council.example.org"
LEAKS = [
    "Tamsin",
    "Rowan",
    "Quillfeather",
    "Larkspur",
    "NN9 9ZZ",
    "03/03/2019",
    "3 March 2019",
    "2019-03-03",
    "Sample-Parent",
    "Thistlewood",
]


def form_values(**changes) -> dict:
    values = {
        "referral.date": dt.date(2026, 11, 20),
        "referral.type": "New referral",
        "child.first_name": CHILD_FIRST,
        "child.last_name": CHILD_LAST,
        "child.dob": CHILD_DOB,
        "child.gender": "Female",
        "carer.name": "Pat Carer-Example",
        "carer.address": CARER_ADDRESS,
        "carer.postcode": CARER_POSTCODE,
        "family[1].name": PARENT_NAME,
        "family[1].address": PARENT_ADDRESS,
        "social_worker.name": "Sam Worker",
        "social_worker.email": SW_EMAIL,
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_smtp(profile, port: int, **smtp):
    settings = dict(host="127.0.0.1", port=port, starttls=False, timeout_seconds=2.0)
    settings.update(smtp)
    mail = profile.mail.model_copy(update={"smtp": Smtp(**settings)})  # its domains kept
    return profile.model_copy(update={"mail": mail})


class Clock:
    def __init__(self, t: float = 1_800_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


class Handler:
    """An SMTP server that can be told to refuse: mode "ok", "451" or "550"."""

    def __init__(self):
        self.mode = "ok"
        self.delay = 0.0
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "550":
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.mode == "451":
            return "451 4.3.0 Try again later"
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"
