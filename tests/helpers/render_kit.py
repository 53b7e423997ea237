"""Shared data for the paperwork tests: an accepted referral, its allocation, and readers
that turn a rendered .docx back into text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pipeline.models import Allocation, Item, Verdict

from tests.helpers.venues import a_venue

CHILD_FIRST = "Test Child"
CHILD_LAST = "Example"
PARENT_1 = "Jo Sample-Parent"
PARENT_2 = "Alex Sample-Parent"
CARER = "Pat Carer-Example"
CARER_ADDRESS = "14 Larkspur Close, Sampleton"
SUPERVISOR = "Sam Supervisor-Example"
SOCIAL_WORKER = "Chris Worker-Example"
IRO = "Robin Reviewer-Example"


def referral_values(**changes) -> dict:
    values = {
        "referral.date": dt.date(2026, 11, 2),
        "referral.type": "New referral",
        "referral.court_directed": True,
        "child.first_name": CHILD_FIRST,
        "child.last_name": CHILD_LAST,
        "child.known_as": "Testy",
        "child.dob": dt.date(2019, 3, 3),
        "child.case_id": "123456",
        "carer.name": CARER,
        "carer.address": CARER_ADDRESS,
        "carer.postcode": "NN9 9ZZ",
        "carer.phone": "07700 900001",
        "family[1].name": PARENT_1,
        "family[1].relationship": "Mother",
        "family[1].parental_responsibility": True,
        "family[1].phone": "07700 900002",
        "family[1].address": "7 Thistlewood Row, Sampleton",
        "family[2].name": PARENT_2,
        "family[2].relationship": "Father",
        "family[2].parental_responsibility": True,
        "family[2].phone": "07700 900003",
        "family[2].address": "9 Birchwood Lane, Sampleton",
        "family[3].name": "Lee Sample-Gran",
        "family[3].relationship": "Grandmother",
        "family[3].parental_responsibility": False,
        "family[3].phone": "07700 900004",
        "family[3].address": "2 Oak Road, Sampleton",
        "social_worker.name": SOCIAL_WORKER,
        "social_worker.team": "Children in Care 2",
        "social_worker.phone": "01604 000111",
        "social_worker.email": "chris@example.org",
        "team_manager.name": "Mo Manager-Example",
        "team_manager.email": "mo@example.org",
        "iro.name": IRO,
        "review.next_date": dt.date(2027, 1, 15),
        "request.supervision": "Supervised",
        "request.frequency": "Once a week",
        "request.duration": 90,
        "request.days": ["Tuesday"],
        "request.purpose": "Keep the relationship going and observe parenting",
        "request.transport": "Carer brings and collects",
        "consent.photos": True,
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def make_item(
    values: dict | None = None, reference: str = "FT-2026-00001", flags: list[str] | None = None
) -> Item:
    verdict = Verdict(
        verdict="complete",
        kind="referral",
        form_id="family-time-referral",
        form_version="2025.1",
        values=values or referral_values(),
        flags=flags if flags is not None else ["court_directed"],
    )
    return Item(
        id=1,
        file_sha256="1" * 64,
        original_name="referral.docx",
        received_at=dt.datetime(2026, 11, 2, 10, 0),
        outcome="accepted",
        reason="Complete",
        reference=reference,
        case_id="123456",
        verdict=verdict,
    )


def make_allocation(profile, reference: str = "FT-2026-00001", **changes) -> Allocation:
    data = dict(
        reference=reference,
        status="Allocated",
        supervisor=SUPERVISOR,
        venue=a_venue(profile),
        room="Room 2",
        day="Tuesday",
        time="10:00-11:30",
        first_date=dt.date(2026, 12, 1),
    )
    data.update(changes)
    return Allocation(**data)


def docx_text(path: Path) -> str:
    """All the text a reader sees: body, tables, headers and footers."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(path))
    parts = [doc.element.body]
    for s in doc.sections:
        parts += [s.header._element, s.footer._element]
    lines = []
    for part in parts:
        for p in part.iter(qn("w:p")):
            lines.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return "\n".join(lines)


def assert_clean(text: str) -> None:
    """No template tag survived and no missing value printed as None."""
    assert "{{" not in text and "{%" not in text and "}}" not in text and "%}" not in text
    assert not re.search(r"\bNone\b", text), [l for l in text.splitlines() if "None" in l]
