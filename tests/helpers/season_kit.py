"""A season of fictional Family Time activity, written straight into a ledger (no inbox, no
tracker), for the oversight tests and the month-report benchmark.

`build_season(ledger, root)` writes the hand-checked season (September to November 2026,
Northamptonshire's rules; every name invented):
  FT-2026-00001  accepted Mon 7 Sep; Tuesdays from 15 Sep; review 1 Dec 2026.
                 15 Sep took place; 22 Sep took place, 20 minutes late; 29 Sep and 6 Oct not
                 attended -> suspended 7-13 Oct (13 Oct not offered); 20 Oct took place (the
                 child's words); 27 Oct cancelled by the service for a court hearing; 3 Nov
                 cancelled by the carer; 10 Nov took place with a significant event; 17 Nov
                 service closed.
  FT-2026-00002  accepted Mon 14 Sep; Thursdays from 1 Oct: 1, 8 Oct took place, 15 Oct
                 cancelled by the parent, 22 and 29 Oct took place.
  FT-2026-00003  returned incomplete Mon 21 Sep (date of birth, social worker's email).
  FT-2026-00004  returned on the old form Fri 2 Oct.
  FT-2026-00005  accepted Mon 5 Oct (acknowledged that day, pack made 12 Oct); 20 Oct took
                 place, 27 Oct not attended.
`build_bulk(ledger, root, referrals, records)` writes a large made-up year for the benchmark.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path

from pipeline.cases import acknowledgement
from pipeline.effects.contract import EffectName
from pipeline.ledger import ItemDraft, MailHow
from pipeline.models import Allocation, Problem, RuleAction, SessionRecord, Verdict

D = dt.date


def referral_values(first: str, last: str, review: dt.date | None = None) -> dict:
    v = {
        "child.first_name": first,
        "child.last_name": last,
        "social_worker.name": "Alex Example-Worker",
        "social_worker.email": "alex.worker@example.org",
        "iro.name": "Robin Reviewer-Example",
        "request.frequency": "Weekly",
        "request.duration": 90,
        "request.supervision": "Supervised",
        "request.purpose": "Keep the child's relationship with their family",
        "family[1].name": "Jo Sample-Parent",
        "family[1].relationship": "Mother",
        "family[1].parental_responsibility": True,
    }
    if review:
        v["review.next_date"] = review
    return v


RECORD_WORDS = {
    D(2026, 10, 20): {
        "session.child_views": "I like it when Mum reads to me.",
        "session.parenting": "Mother planned the session and brought a book.",
        "session.summary": "A warm session; they read together and laughed.",
    },
    D(2026, 11, 10): {
        "session.summary": "Started well; the child was settled.",
        "session.significant_details": "The child said something worrying "
        "during play; the social worker was told.",
    },
}

SEASON_RECORDS = {
    "FT-2026-00001": [
        (D(2026, 9, 15), "Took place", {}),
        (D(2026, 9, 22), "Took place", {"late_minutes": 20}),
        (D(2026, 9, 29), "Parent did not attend", {}),
        (D(2026, 10, 6), "Parent did not attend", {}),
        (D(2026, 10, 20), "Took place", {}),
        (D(2026, 10, 27), "Cancelled by service", {"reason": "Court hearing"}),
        (D(2026, 11, 3), "Cancelled by carer", {"reason": "Child at a party"}),
        (D(2026, 11, 10), "Took place", {"significant_event": True}),
        (D(2026, 11, 17), "Service closed", {"reason": "Flood at the venue"}),
    ],
    "FT-2026-00002": [
        (D(2026, 10, 1), "Took place", {}),
        (D(2026, 10, 8), "Took place", {}),
        (
            D(2026, 10, 15),
            "Cancelled by parent (reason given)",
            {"reason": "Parent unwell", "valid_reason": True},
        ),
        (D(2026, 10, 22), "Took place", {}),
        (D(2026, 10, 29), "Took place", {}),
    ],
    "FT-2026-00005": [
        (D(2026, 10, 20), "Took place", {}),
        (D(2026, 10, 27), "Parent did not attend", {}),
    ],
}
SUPERVISORS = {
    "FT-2026-00001": "Dee Example",
    "FT-2026-00002": "Sam Example",
    "FT-2026-00005": "Dee Example",
}
ALLOCATIONS = {
    "FT-2026-00001": Allocation(
        reference="FT-2026-00001",
        status="Allocated",
        supervisor="Dee Example",
        venue="x",
        day="Tuesday",
        time="16:00-17:30",
        first_date=D(2026, 9, 15),
    ),
}
SUSPENSION = RuleAction(
    reference="FT-2026-00001",
    kind="suspension",
    session_dates=[D(2026, 9, 29), D(2026, 10, 6)],
    suspended_from=D(2026, 10, 7),
    suspended_until=D(2026, 10, 13),
)


class _Writer:
    def __init__(self, ledger, root: Path):
        self.ledger, self.root, self.n = ledger, Path(root), 0

    def item(
        self,
        outcome: str,
        when: dt.datetime,
        verdict: Verdict | None,
        session: SessionRecord | None = None,
        case_id: str | None = None,
    ):
        self.n += 1
        sha = hashlib.sha256(f"season-{self.n}".encode()).hexdigest()
        draft = ItemDraft(
            original_name=f"file-{self.n}.docx",
            outcome=outcome,
            reason="",
            verdict=verdict,
            session=session,
            case_id=case_id,
        )
        _, [item] = self.ledger.record_file(
            sha256=sha,
            original_name=f"file-{self.n}.docx",
            size=1,
            received_at=when,
            source_path=self.root / f"inbox-{self.n}",
            archive_root=self.root / "archive",
            drafts=[draft],
        )
        return item

    def referral(self, when: dt.datetime, values: dict, case: str, outcome="accepted", problems=()):
        verdict = Verdict(
            verdict={"accepted": "complete", "incomplete": "incomplete", "old_form": "old"}[
                outcome
            ],
            kind="referral",
            form_id="family-time-referral",
            values=values,
            problems=list(problems),
        )
        return self.item(outcome, when, verdict, case_id=case)

    def record(self, ref: str, day: dt.date, outcome: str, supervisor: str, **kw):
        values = {
            "session.date": day,
            "session.outcome": outcome,
            "session.supervisor": supervisor,
            **RECORD_WORDS.get(day, {}),
        }
        verdict = Verdict(
            verdict="complete", kind="session_record", form_id="family-time-record", values=values
        )
        when = dt.datetime.combine(day, dt.time(18))
        rec = SessionRecord(
            item_id=0, reference=ref, date=day, outcome=outcome, written_on=day, **kw
        )
        return self.item("session_record", when, verdict, session=rec)


def _done(ledger, item_id: int, effect: str, when: dt.datetime) -> None:
    """The effect done on `when`; an email is sent then (this season has a mail server), and
    so on the case's timeline as the mail effect writes it."""
    ledger.add_effect(item_id, effect, f"{effect}:season:{item_id}")
    with ledger._tx() as db:  # a test kit may set the day an effect was done
        db.execute(
            "UPDATE effects SET status = 'done', done_at = ? WHERE item_id = ? AND effect = ?",
            (when.isoformat(timespec="seconds"), item_id, effect),
        )
    item = ledger.item(item_id)
    if (
        effect == EffectName.MAIL
        and item.reference
        and item.outcome in acknowledgement.ANSWERED_OUTCOMES
    ):
        ledger.record_event(
            acknowledgement.acknowledged_event(
                item.reference, item.id, MailHow.SENT, when.date(), message=f"season:{item_id}"
            )
        )


def _packed(ledger, item, day: dt.date) -> None:
    """The referral allocated and its pack made on `day`, as the paperwork effect records it
    on the case timeline (what the month report's allocation figure is drawn from)."""
    from pipeline.cases import paperwork as PW

    allocation = {
        "supervisor": "Sam Example",
        "venue": "Penfold Centre",
        "day": "Tuesday",
        "time": "10:00-11:30",
        "first_date": "2026-10-20",
    }
    ledger.record_event(PW.allocated(item.reference, 1, allocation, "Family Time Supervisor", day))
    ledger.record_event(
        PW.pack_made(
            item.reference,
            1,
            allocation_version=1,
            item_id=item.id,
            documents=[],
            changed=[],
            change=None,
            short_notice=False,
            on=day,
        )
    )


def build_season(ledger, root: Path) -> dict:
    """The season above; returns {reference: accepted Item}."""
    w = _Writer(ledger, root)
    out = {}
    r1 = w.referral(
        dt.datetime(2026, 9, 7, 10), referral_values("Ava", "Example", D(2026, 12, 1)), "C1"
    )
    r2 = w.referral(dt.datetime(2026, 9, 14, 10), referral_values("Ben", "Example"), "C2")
    w.referral(
        dt.datetime(2026, 9, 21, 10),
        referral_values("Cal", "Example"),
        "C3",
        "incomplete",
        [
            Problem(key="child.dob", label="Date of birth", message="m"),
            Problem(key="social_worker.email", label="Social worker's email", message="m"),
        ],
    )
    w.referral(dt.datetime(2026, 10, 2, 10), referral_values("Dan", "Example"), "C4", "old_form")
    r5 = w.referral(dt.datetime(2026, 10, 5, 10), referral_values("Eve", "Example"), "C5")
    for r in (r1, r2, r5):
        out[r.reference] = r
    _done(ledger, r5.id, EffectName.MAIL, dt.datetime(2026, 10, 5, 10, 5))
    _done(ledger, r5.id, EffectName.PAPERWORK, dt.datetime(2026, 10, 12, 9))
    _packed(ledger, r5, D(2026, 10, 12))
    _packed(ledger, r1, D(2026, 9, 14))  # Ava's sessions from 15/09 (ALLOCATIONS)
    for ref, rows in SEASON_RECORDS.items():
        for day, outcome, kw in rows:
            w.record(ref, day, outcome, SUPERVISORS[ref], **kw)
    ledger.add_rule_action(SUSPENSION)
    _raise_proposals(ledger)
    return out


def _raise_proposals(ledger) -> None:
    """The proposal on the case timeline, as the missed-session rule's effect writes it."""
    from pipeline.cases import suspension

    for sa in ledger.rule_actions():
        ledger.record_event(suspension.proposal_raised(sa.id, sa.action, sa.created_at.date()))


OUTCOMES = ["Took place"] * 14 + [
    "Ended early",
    "Parent did not attend",
    "Cancelled by parent (reason given)",
    "Cancelled by carer",
    "Cancelled by service",
    "Child unwell",
]


def build_bulk(
    ledger,
    root: Path,
    referrals: int = 1000,
    records: int = 20000,
    year: int = 2026,
    seed: int = 18,
) -> None:
    """A large made-up year: `referrals` referrals (one in eight returned) spread over the
    year and `records` session records shared among the accepted ones. Written in one
    transaction through the ledger's own item writer (a file each would take many minutes)."""
    rnd = random.Random(seed)
    workers = [f"Worker {k}" for k in range(12)]
    with ledger._tx() as db:
        cur = db.execute(
            "INSERT INTO files (sha256, original_name, size, received_at, recorded_at, outcome, "
            "reason, source_path, keep_source, archive_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?)",
            (
                "bulk",
                "bulk",
                1,
                f"{year}-01-01T00:00:00",
                f"{year}-01-01T00:00:00",
                "accepted",
                "",
                str(root / "bulk"),
                0,
                str(root / "bulk-archive"),
            ),
        )
        file_id = cur.lastrowid
        refs = []
        for i in range(referrals):
            when = dt.datetime(year, 1, 5, 10) + dt.timedelta(days=rnd.randrange(300))
            outcome = "incomplete" if i % 8 == 7 else "accepted"
            verdict = Verdict(
                verdict="complete" if outcome == "accepted" else "incomplete",
                kind="referral",
                form_id="family-time-referral",
                values=referral_values(f"C{i}", "Example"),
                problems=[Problem(key="child.dob", label="Date of birth", message="m")]
                if outcome != "accepted"
                else [],
            )
            item_id = ledger._insert_item(
                db,
                file_id,
                "bulk",
                when,
                ItemDraft(
                    original_name="r.docx",
                    outcome=outcome,
                    reason="",
                    verdict=verdict,
                    case_id=f"B{i}",
                ),
            )
            ref = db.execute("SELECT reference FROM items WHERE id = ?", (item_id,)).fetchone()[0]
            if outcome == "accepted":
                refs.append((ref, when.date()))
        for j in range(records):
            ref, start = refs[j % len(refs)]
            day = start + dt.timedelta(days=7 * (j // len(refs)) + 7)
            outcome = rnd.choice(OUTCOMES)
            values = {
                "session.date": day,
                "session.outcome": outcome,
                "session.supervisor": workers[int(ref[-5:]) % len(workers)],
            }
            rec = SessionRecord(
                item_id=0,
                reference=ref,
                date=day,
                outcome=outcome,
                written_on=day,
                late_minutes=rnd.choice([None, None, None, 10]),
            )
            ledger._insert_item(
                db,
                file_id,
                "bulk",
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
                        values=values,
                    ),
                ),
            )
