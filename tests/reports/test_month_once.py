"""A referral counts once however often it is sent: the month's figures and `status` count
referrals by reference, say updates apart, and a late list never repeats a reference.

The month below, worked out by hand (Northamptonshire; nothing else in the ledger):
  FT-2026-00001  accepted Mon 2 Nov 10:00; a copy with the same answers 2 Nov 10:05 (a
                 duplicate); an update with changed answers Wed 4 Nov, acknowledged that day
                 (its first submission was never acknowledged: due 2 Nov, so late).
  FT-2026-00002  returned Tue 3 Nov (date of birth), acknowledged that day; sent again still
                 incomplete Thu 5 Nov (date of birth, social worker's email); accepted Mon 9 Nov.
  FT-2026-00003  accepted Mon 26 Oct; an update Mon 2 Nov (not received in November).
November: received 2 (00001, 00002); accepted 2 (00001, 00002: 00003 was accepted in
October); returned for missing information 1 (00002, once, with both its reasons once);
updates 4 (2, 4, 5 and 9 Nov). Acknowledgements, due from each referral's first submission:
00002 on time, 00001 late: 50% (1 of 2), late list FT-2026-00001 once.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from pipeline.commands.status import describe, gather
from pipeline.effects.contract import EffectName
from pipeline.ledger import ItemDraft
from pipeline.models import Problem, Verdict
from pipeline.reports.month import month_figures

from tests.helpers.season_kit import _done, referral_values

NOVEMBER = dt.date(2026, 11, 1)
DOB = Problem(key="child.dob", label="Date of birth", message="m")
EMAIL = Problem(key="social_worker.email", label="Social worker's email", message="m")


def _send(
    ledger,
    root,
    n: int,
    when: dt.datetime,
    outcome: str,
    first: str,
    case: str,
    problems=(),
    update_of: str | None = None,
    linked_to: int | None = None,
):
    verdict = None
    if outcome != "duplicate":
        verdict = Verdict(
            verdict={"accepted": "complete", "incomplete": "incomplete"}[outcome],
            kind="referral",
            form_id="family-time-referral",
            values=referral_values(first, f"Example{n}" if update_of else "Example"),
            problems=list(problems),
        )
    draft = ItemDraft(
        original_name=f"referral-{n}.docx",
        outcome=outcome,
        reason="",
        verdict=verdict,
        case_id=case,
        update_of=update_of,
        linked_to=linked_to,
    )
    _, [item] = ledger.record_file(
        sha256=hashlib.sha256(f"once-{n}".encode()).hexdigest(),
        original_name=draft.original_name,
        size=1,
        received_at=when,
        source_path=root / f"in-{n}",
        archive_root=root / "archive",
        drafts=[draft],
    )
    return item


def _month(ledger, root):
    a = _send(ledger, root, 1, dt.datetime(2026, 11, 2, 10), "accepted", "Ava", "C1")
    _send(
        ledger, root, 2, dt.datetime(2026, 11, 2, 10, 5), "duplicate", "Ava", "C1", linked_to=a.id
    )
    a2 = _send(
        ledger,
        root,
        3,
        dt.datetime(2026, 11, 4, 10),
        "accepted",
        "Ava",
        "C1",
        update_of=a.reference,
    )
    b = _send(ledger, root, 4, dt.datetime(2026, 11, 3, 10), "incomplete", "Ben", "C2", [DOB])
    b2 = _send(
        ledger, root, 5, dt.datetime(2026, 11, 5, 10), "incomplete", "Ben", "C2", [DOB, EMAIL]
    )
    b3 = _send(ledger, root, 6, dt.datetime(2026, 11, 9, 10), "accepted", "Ben", "C2")
    c = _send(ledger, root, 7, dt.datetime(2026, 10, 26, 10), "accepted", "Cal", "C3")
    c2 = _send(
        ledger,
        root,
        8,
        dt.datetime(2026, 11, 2, 11),
        "accepted",
        "Cal",
        "C3",
        update_of=c.reference,
    )
    assert [x.reference for x in (a, a2, b, b2, b3, c, c2)] == ["FT-2026-00001"] * 2 + [
        "FT-2026-00002"
    ] * 3 + ["FT-2026-00003"] * 2
    _done(ledger, a2.id, EffectName.MAIL, dt.datetime(2026, 11, 4, 10, 5))
    _done(ledger, b.id, EffectName.MAIL, dt.datetime(2026, 11, 3, 10, 5))


def test_the_month_counts_each_referral_once(season_free):
    config, profile, ledger, root = season_free
    _month(ledger, root)
    f = month_figures(ledger, profile, NOVEMBER, made=dt.date(2026, 12, 15))
    v = f.value
    assert v("referrals", "Referrals received") == 2
    assert v("referrals", "Accepted") == 2
    assert v("referrals", "Returned: information missing") == 1
    assert v("referrals", "Updates received (a referral sent again with changed answers)") == 4
    assert f.section("referrals").lists["Most common reasons for returning a referral"] == [
        "Date of birth (1)",
        "Social worker's email (1)",
    ]
    assert v("commitments", "Acknowledgement sent") == "50% (1 of 2)"
    lists = f.section("commitments").lists
    assert lists["Late, by reference: Acknowledgement sent"] == ["FT-2026-00001"]
    for refs in lists.values():
        assert len(refs) == len(set(refs)), refs


def test_status_counts_referrals_and_says_updates_apart(season_free):
    config, profile, ledger, root = season_free
    _month(ledger, root)
    facts = gather(ledger)
    assert facts["counts"]["accepted"] == 3 and facts["counts"].get("incomplete", 0) == 0
    assert facts["counts"]["duplicate"] == 1 and facts["updates"] == 4
    lines = describe(facts)
    assert "  Accepted referrals         3" in lines
    assert "  Referral updates received  4" in lines


def test_the_title_names_the_council(season_free):
    config, profile, ledger, root = season_free
    f = month_figures(ledger, profile, NOVEMBER, made=dt.date(2026, 12, 15))
    assert f.title == (
        "Northamptonshire Children's Trust, Family Time Service: figures for November 2026"
    )
