"""Items as the ledger would hand them over to the tracker: accepted referrals, returned forms,
and files that need a person's attention. Fictional throughout (bench/ uses them too)."""

from __future__ import annotations

import datetime as dt

from pipeline.models import Item, Problem, Verdict


def accepted(
    n: int,
    *,
    received: dt.datetime | None = None,
    reference: str | None = None,
    first: str = "Test",
    last: str | None = None,
    **values,
) -> Item:
    received = received or dt.datetime(2026, 11, 2, 9, 30) + dt.timedelta(minutes=n)
    vals = {
        "child.first_name": first,
        "child.last_name": last or f"Child Example {n}",
        "child.dob": dt.date(2019, 5, 4),
        "child.case_id": f"{100000 + n}",
        "legal.status": "Interim Care Order",
        "referral.type": "Within county",
        "social_worker.name": "Jo Sample-Worker",
        "social_worker.team": "Children in Care 2",
        "request.supervision": "Supervised",
        "request.frequency": "Once a week",
        "request.days": ["Tuesday", "Thursday"],
        "request.venue": "Penfold Centre",
    }
    vals.update(values)
    verdict = Verdict(
        verdict="complete",
        kind="referral",
        form_id="family-time-referral",
        form_version="2025.1",
        values=vals,
        warnings=[
            Problem(
                key="consent.agreement_signed",
                label="Agreement",
                message="The Family Time Agreement was not attached",
                severity="warning",
            )
        ],
        received=received,
        due={
            "contact": received.date() + dt.timedelta(days=2),
            "allocation": received.date() + dt.timedelta(days=14),
        },
    )
    return Item(
        id=n,
        file_sha256=f"{n:064x}",
        original_name=f"referral-{n}.docx",
        received_at=received,
        outcome="accepted",
        reason="Complete",
        reference=reference or f"FT-{received.year}-{n:05d}",
        case_id=vals["child.case_id"],
        verdict=verdict,
    )


def returned(
    n: int, reference: str, *, outcome: str = "incomplete", received: dt.datetime | None = None
) -> Item:
    received = received or dt.datetime(2026, 11, 2, 9, 0) + dt.timedelta(minutes=n)
    problems = [
        Problem(
            key="child.dob",
            label="Date of birth",
            message="Date of birth is missing: give the child's date of birth",
        )
    ]
    verdict = Verdict(
        verdict="incomplete" if outcome == "incomplete" else "old",
        values={"child.case_id": "555123"},
        problems=problems if outcome == "incomplete" else [],
    )
    return Item(
        id=n,
        file_sha256=f"{n:064x}",
        original_name=f"form-{n}.docx",
        received_at=received,
        outcome=outcome,
        reason="This is an old version of the form: please use the current one"
        if outcome == "old_form"
        else "Information missing",
        reference=reference,
        case_id="555123",
        verdict=verdict,
    )


def attention(n: int, *, outcome: str = "not_referral") -> Item:
    return Item(
        id=n,
        file_sha256=f"{n:064x}",
        original_name=f"holiday-photo-{n}.pdf",
        received_at=dt.datetime(2026, 11, 3, 11, 0),
        outcome=outcome,
        reason="This is not a referral form",
        sender="someone@example.org",
    )
