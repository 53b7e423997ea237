"""A ledger holding one accepted referral (FT-2026-00001) and its weekly session records, with
a pack (its agreement rendered for real) on the case timeline: what the bundle tests and the
bundle benchmark read. Written through the ledger's own item writer (as season_kit does), so
sixty records take a moment, not sixty intakes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.cases import paperwork as PW
from pipeline.ledger import ItemDraft
from pipeline.models import SessionRecord, Verdict

from tests.helpers.render_kit import CARER_ADDRESS, make_allocation, make_item, referral_values

REF = "FT-2026-00001"
SCHOOL = "Brookfield Example Primary"
POSTCODE = "NN9 9ZZ"
NOT_TO_KNOW = "Uncle Rory Example-Person must not know the placement address"
FIRST = dt.date(2026, 12, 1)  # a Tuesday


def values() -> dict:
    return referral_values(
        **{"child.school": SCHOOL, "carer.postcode": POSTCODE, "family.not_to_attend": NOT_TO_KNOW}
    )


def record_values(day: dt.date, n: int, significant: bool) -> dict:
    v = {
        "session.reference": REF,
        "session.date": day,
        "session.child_names": "Test Child Example",
        "session.planned_start": dt.time(10, 0),
        "session.planned_end": dt.time(11, 30),
        "session.actual_start": dt.time(10, 5),
        "session.actual_end": dt.time(11, 30),
        "session.venue": "Family Centre, Room 2",
        "session.supervisor": "Sam Supervisor-Example",
        "session.family_present": "Jo Sample-Parent (mother)",
        "session.outcome": "Took place",
        "session.arrival": "On time",
        "session.summary": (
            f"Session {n}. Mother arrived on time and greeted the child warmly. They played "
            "with the farm set, then read two books together. The child was collected by the "
            f"carer from {CARER_ADDRESS} at the end, as planned. " * 3
        ),
        "session.child_views": "The child said they liked the story and wanted to come again.",
        "session.parenting": "Mother followed the child's lead and managed the ending well. " * 2,
        "session.significant_event": significant,
        "session.author": "Sam Supervisor-Example",
        "session.written_on": day,
    }
    if significant:
        v["session.significant_details"] = (
            f"The child said a friend at {SCHOOL} had upset them; the social worker was told."
        )
    return v


def build(ledger, outbox: Path, profile, records: int = 60, skip: tuple[int, ...] = ()):
    """The referral, `records` weekly sessions from FIRST (the n-th left out for each n in
    `skip`: planned with no record), every tenth a significant event, and pack 1 with its
    agreement written for real under outbox/FT-2026-00001/. Returns the allocation."""
    from pipeline.render import render_agreement

    item = make_item(values())
    allocation = make_allocation(profile, first_date=FIRST, day="Tuesday")
    with ledger._tx() as db:
        cur = db.execute(
            "INSERT INTO files (sha256, original_name, size, received_at, recorded_at, outcome, "
            "reason, source_path, keep_source, archive_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?)",
            (
                "kit",
                "kit",
                1,
                "2026-11-02T10:00:00",
                "2026-11-02T10:00:00",
                "accepted",
                "",
                str(outbox / "kit"),
                0,
                str(outbox / "kit-archive"),
            ),
        )
        file_id = cur.lastrowid
        ledger._insert_item(
            db,
            file_id,
            "kit",
            dt.datetime(2026, 11, 2, 10),
            ItemDraft(
                original_name="r.docx",
                outcome="accepted",
                reason="",
                verdict=item.verdict,
                case_id="123456",
            ),
        )
        for n in range(records):
            if n in skip:
                continue
            day = FIRST + dt.timedelta(weeks=n)
            significant = n % 10 == 3
            rec = SessionRecord(
                item_id=0,
                reference=REF,
                date=day,
                outcome="Took place",
                written_on=day,
                significant_event=significant,
            )
            ledger._insert_item(
                db,
                file_id,
                "kit",
                dt.datetime.combine(day, dt.time(18)),
                ItemDraft(
                    original_name="s.docx",
                    outcome="session_record",
                    reason="",
                    session=rec,
                    verdict=Verdict(
                        verdict="complete",
                        kind="session_record",
                        form_id="family-time-record",
                        values=record_values(day, n + 1, significant),
                    ),
                ),
            )
    stored = ledger.item_by_reference(REF)
    agreement = render_agreement(stored, allocation, profile, outbox / REF, today=FIRST)
    snapshot = {
        "supervisor": allocation.supervisor,
        "venue": allocation.venue,
        "room": "",
        "day": allocation.day,
        "time": allocation.time,
        "first_date": FIRST.isoformat(),
    }
    ledger.record_event(PW.allocated(REF, 1, snapshot, "Supervisor", dt.date(2026, 11, 20)))
    ledger.record_event(
        PW.pack_made(
            REF,
            1,
            allocation_version=1,
            item_id=stored.id,
            documents=[str(agreement)],
            changed=[],
            change=None,
            short_notice=False,
            on=dt.date(2026, 11, 20),
        )
    )
    return allocation
