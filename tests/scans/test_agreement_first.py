"""The agreement before the first session: where the service's policy asks for it
(Northamptonshire, Milton Keynes), a first session that has come with no signed agreement on
file is flagged in the Paperwork cell and the digest, never blocked; a signed agreement
scanned back, or one that came with the referral, clears it; Blackpool's policy asks nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.cases import case_of
from pipeline.profile import load_profile
from pipeline.scans.code import PageCode, png

from tests.helpers import bundle_kit as K
from tests.scans.make_scans import drawn_page, image_pdf, scanned


@pytest.fixture
def work(tmp_path, monkeypatch):
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.ledger import Ledger

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-25")
    config = load_config(init_folder(tmp_path / "work"))
    profile = config.load_profile()
    ledger = Ledger(config.ledger_path)
    K.build(ledger, config.outbox_dir, profile, records=0)  # first session Tue 01/12/2026
    yield config, profile, ledger, monkeypatch
    ledger.close()


def _cell(ledger, profile) -> str:
    from pipeline.tracker.cells import packs

    return packs(ledger, ledger.items(), profile)[K.REF]


def _digest(config, ledger, profile, today) -> list[str]:
    from pipeline.notify.digest import reminders

    return [r.text for r in reminders(ledger, config, profile, today=today, allocations={})]


def test_before_the_first_session_nothing_is_flagged(work):
    config, profile, ledger, _ = work
    assert "agreement" not in _cell(ledger, profile).lower()
    assert not [
        t for t in _digest(config, ledger, profile, dt.date(2026, 11, 25)) if "agreement" in t
    ]


def test_from_the_first_session_with_no_agreement_the_cell_and_digest_say_so(work):
    config, profile, ledger, monkeypatch = work
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    cell = _cell(ledger, profile)
    assert cell.endswith("; No signed agreement on file before the first session (01/12/2026)")
    assert cell.startswith("Pack made")  # flagged, not blocked: the pack stands
    lines = _digest(config, ledger, profile, dt.date(2026, 12, 1))
    assert "FT-2026-00001: first session 01/12/2026 with no signed agreement on file." in lines


def test_a_signed_agreement_scanned_back_clears_the_flag(tmp_path, work):
    import os
    import shutil

    from pipeline.intake.process import process_file

    config, profile, ledger, monkeypatch = work
    scan = image_pdf(
        [scanned(drawn_page(png(PageCode(K.REF, "agreement", 1, "1")), 200), 2, 1, 200)],
        tmp_path / "s.pdf",
        200,
    )
    dest = config.inbox_dir / "SCAN0001.pdf"
    shutil.copyfile(scan, dest)
    when = dt.datetime(2026, 11, 24, 9).timestamp()
    os.utime(dest, (when, when))
    process_file(dest, config, profile, ledger)
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-02")
    assert _cell(ledger, profile).endswith("; Agreement signed 24/11/2026 (scan)")
    assert not [
        t for t in _digest(config, ledger, profile, dt.date(2026, 12, 2)) if "agreement" in t
    ]


@pytest.mark.parametrize(
    "service, flagged", [("northamptonshire", True), ("milton-keynes", True), ("blackpool", False)]
)
def test_only_where_the_services_policy_asks(work, service, flagged):
    from pipeline.scans.agreement import missing_before_first

    _, _, ledger, _ = work
    case = case_of(ledger, K.REF)
    got = missing_before_first(case, load_profile(service), False, today=dt.date(2026, 12, 1))
    assert (got == dt.date(2026, 12, 1)) is flagged
    # one that came signed with the referral is on file
    assert (
        missing_before_first(case, load_profile(service), True, today=dt.date(2026, 12, 1)) is None
    )


def test_a_scanned_record_counts_as_received_and_is_asked_to_be_typed(tmp_path, work):
    from pipeline.ledger.names import EventKind
    from pipeline.ledger.timeline import Event

    config, profile, ledger, _ = work
    ledger.record_event(
        Event(
            K.REF,
            EventKind.SCAN_FILED,
            dt.date(2026, 12, 1),
            "scan_filed:test:0",
            {
                "document": "record",
                "session_date": "2026-12-01",
                "version": 1,
                "pages": [1],
                "uncoded": [],
                "file": "x.pdf",
            },
        )
    )
    from pipeline.models import Allocation

    allocation = Allocation(
        reference=K.REF,
        status="Allocated",
        supervisor="S",
        venue="V",
        day="Tuesday",
        time="10:00-11:30",
        first_date=K.FIRST,
    )
    from pipeline.notify.digest import reminders

    lines = [
        r.text
        for r in reminders(
            ledger, config, profile, today=dt.date(2026, 12, 9), allocations={K.REF: allocation}
        )
    ]
    assert not [t for t in lines if "no session record for 01/12/2026" in t]
    assert (
        "FT-2026-00001: scanned session record for 01/12/2026 — type it into the record form."
        in lines
    )


def test_the_digest_asks_for_a_fortnight_and_the_cell_keeps_saying_it(work):
    config, profile, ledger, monkeypatch = work
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-15")
    day14 = _digest(config, ledger, profile, dt.date(2026, 12, 14))
    day15 = _digest(config, ledger, profile, dt.date(2026, 12, 15))
    assert [t for t in day14 if "no signed agreement" in t]
    assert not [t for t in day15 if "no signed agreement" in t]
    assert "No signed agreement on file" in _cell(ledger, profile)
