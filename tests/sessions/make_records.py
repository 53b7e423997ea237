"""Generate the completed Family Time Records the session tests use (committed outputs).

Filled from the real blank record form (the current 2026.1 version, which asks "Reason
accepted as valid?" as Yes / No; RECORDS_2025 on the 2025.1 form still in circulation) by tests/fixtures/make_fixtures.fill_form, for one
referral (FT-2026-00001: the first reference a fresh ledger gives) with sessions on Mondays
and Wednesdays in November 2026. Run: python3 tests/sessions/make_records.py
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository root is importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fixtures.make_fixtures import (  # noqa: E402
    RECORD,
    RECORD_2026_T,
    RECORD_T,
    REFERRAL,
    REFERRAL_T,
    TEMPLATES,
    _merge,
    _without,
    fill_form,
)

HERE = Path(__file__).resolve().parent

OUT = HERE / "records"
REF = "FT-2026-00001"
NOT_HELD = (
    "session.actual_start",
    "session.actual_end",
    "session.arrival",
    "session.summary",
    "session.child_views",
    "session.parenting",
)


def took_place(day: str, written: str, **changes) -> dict:
    return _merge(
        RECORD,
        {"session.reference": REF, "session.date": day, "session.written_on": written, **changes},
    )


def missed(
    day: str,
    written: str,
    outcome: str = "Parent did not attend",
    valid: bool | None = False,
    reason: str = "None given",
) -> dict:
    return _merge(
        _without(RECORD, *NOT_HELD),
        {
            "session.reference": REF,
            "session.date": day,
            "session.written_on": written,
            "session.family_present": "None",
            "session.outcome": outcome,
            "session.reason": reason,
            "session.valid_reason": valid,
        },
    )


RECORDS: dict[str, dict] = {
    # Monday 2 November: took place, family 20 minutes late, written a week later (late)
    "2026-11-02-took-place-late-written": took_place(
        "02/11/2026",
        "09/11/2026",
        **{
            "session.arrival": "Mother arrived 20 minutes late; the child waited with the "
            "supervisor and then greeted her warmly."
        },
    ),
    # Wednesday 4 and Monday 9: missed without a valid reason -> suspension
    "2026-11-04-did-not-attend": missed("04/11/2026", "04/11/2026"),
    "2026-11-09-late-cancelled": missed(
        "09/11/2026",
        "10/11/2026",
        outcome="Parent late, session cancelled",
        reason="Arrived 40 minutes after the start",
    ),
    # Monday 16: took place after the suspension, with a significant event
    "2026-11-16-significant-event": took_place(
        "16/11/2026",
        "16/11/2026",
        **{
            "session.significant_event": True,
            "session.significant_details": "A disclosure by the child during play; the "
            "social worker was phoned the same afternoon.",
        },
    ),
    # Wednesday 18 and Monday 23 (morning): missed again -> legal advice
    "2026-11-18-cancelled-by-parent": missed(
        "18/11/2026",
        "18/11/2026",
        outcome="Cancelled by parent (reason given)",
        reason="Said the bus was late",
    ),
    "2026-11-23-did-not-attend": missed("23/11/2026", "23/11/2026"),
    # a correction of 4 November: the parent did come after all
    "2026-11-04-corrected-took-place": took_place("04/11/2026", "05/11/2026"),
    # misses with a valid reason, and cancellations for other reasons
    "2026-11-11-valid-reason": missed(
        "11/11/2026",
        "11/11/2026",
        outcome="Cancelled by parent (reason given)",
        valid=True,
        reason="Hospital appointment, letter seen",
    ),
    "2026-11-11-child-unwell": _merge(
        missed("11/11/2026", "11/11/2026"),
        {
            "session.outcome": "Child unwell",
            "session.reason": "Temperature",
            "session.valid_reason": None,
        },
    ),
    # a record for a referral the service never received
    "unknown-reference": took_place(
        "02/11/2026", "02/11/2026", **{"session.reference": "FT-2026-09999"}
    ),
    # a record with its outcome left blank
    "incomplete-no-outcome": _without(took_place("02/11/2026", "02/11/2026"), "session.outcome"),
}


# records on the 2026.1 form whose "Reason accepted as valid?" is left blank
RECORDS_2026_ONLY: dict[str, dict] = {
    "2026-11-04-valid-reason-blank": missed(
        "04/11/2026", "04/11/2026", valid=None, reason="Mother taken into hospital"
    ),
}

# records on the 2025.1 form (one "valid" box): unticked with a reason written is "not
# answered"; unticked with none written is "No"
RECORDS_2025: dict[str, dict] = {
    "2025-form-unticked-reason-written": missed(
        "04/11/2026", "04/11/2026", reason="Mother taken into hospital"
    ),
    "2025-form-unticked-none-given": missed("04/11/2026", "04/11/2026"),
    "2025-form-ticked-valid": missed(
        "04/11/2026", "04/11/2026", valid=True, reason="Mother taken into hospital"
    ),
}

# the referral again, with its next Looked After Child review on Friday 27 November 2026
REFERRALS: dict[str, dict] = {
    "referral-review-soon": _merge(REFERRAL, {"review.next_date": "27/11/2026"}),
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    tables = (
        (TEMPLATES / RECORD_2026_T, RECORDS),
        (TEMPLATES / RECORD_2026_T, RECORDS_2026_ONLY),
        (TEMPLATES / RECORD_T, RECORDS_2025),
        (TEMPLATES / REFERRAL_T, REFERRALS),
    )
    count = 0
    for template, table in tables:
        for name, values in table.items():
            values = {k: v for k, v in values.items() if v is not None}
            (OUT / f"{name}.docx").write_bytes(fill_form(template, values))
            count += 1
    print(f"{count} forms written to {OUT}")


if __name__ == "__main__":
    main()
