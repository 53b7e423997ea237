"""The case timeline: each happening written once, with the day it happened on the pipeline's
clock, and never rewritten by a retry, a restart or a second pass."""

from __future__ import annotations

import datetime as dt

from pipeline.cases import case_of, cases_of
from pipeline.ledger import Event, EventKind, Ledger


def test_an_event_is_written_once_and_never_rewritten(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    first = Event(
        "FT-2026-00001",
        EventKind.DECIDED,
        dt.date(2026, 12, 1),
        "decided:1:1",
        {"decision": "Approved", "by": "Pat Manager"},
    )
    again = Event(
        "FT-2026-00001",
        EventKind.DECIDED,
        dt.date(2026, 12, 9),
        "decided:1:1",
        {"decision": "Declined", "by": "Someone Else"},
    )
    assert ledger.record_event(first) is True
    assert ledger.record_event(again) is False
    [kept] = ledger.events("FT-2026-00001")
    assert kept.on == dt.date(2026, 12, 1) and kept.detail["by"] == "Pat Manager"
    ledger.close()
    assert Ledger(tmp_path / "ledger.sqlite").events()[0].key == "decided:1:1"


def test_the_written_time_is_on_the_pipelines_clock(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2027-03-01")
    ledger = Ledger(tmp_path / "ledger.sqlite")
    ledger.record_event(Event("FT-2027-00001", EventKind.CLOSED, dt.date(2027, 3, 1), "closed:1"))
    assert ledger.events()[0].written_at.date() == dt.date(2027, 3, 1)


def test_a_case_reads_its_events_in_the_order_they_happened(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    ref = "FT-2026-00002"
    ledger.record_events(
        [
            Event(ref, EventKind.SUSPENSION_STARTED, dt.date(2026, 12, 10), "s:1"),
            Event(ref, EventKind.RECEIVED, dt.date(2026, 11, 2), "r:1"),
            Event(ref, EventKind.SUSPENSION_ENDED, dt.date(2026, 12, 17), "e:1"),
            Event("FT-2026-00003", EventKind.RECEIVED, dt.date(2026, 11, 3), "r:2"),
        ]
    )
    case = case_of(ledger, ref)
    assert [e.kind for e in case.events] == [
        EventKind.RECEIVED,
        EventKind.SUSPENSION_STARTED,
        EventKind.SUSPENSION_ENDED,
    ]
    assert (
        case.latest(
            EventKind.SUSPENSION_STARTED, EventKind.SUSPENSION_ENDED, by=dt.date(2026, 12, 12)
        ).kind
        == EventKind.SUSPENSION_STARTED
    )
    assert not case.has(EventKind.SUSPENSION_ENDED, by=dt.date(2026, 12, 16))
    assert set(cases_of(ledger)) == {ref, "FT-2026-00003"}


def test_a_referral_returned_then_sent_again_is_on_its_timeline(work, capsys):
    from pipeline.cli import main

    work.drop("forms/referral-incomplete.docx")
    assert main(["watch", "--once", "--config", str(work.config_path)]) == 0
    work.drop("forms/referral-complete.docx")
    assert main(["watch", "--once", "--config", str(work.config_path)]) == 0
    cases = cases_of(work.ledger)
    [returned] = [c for c in cases.values() if c.has(EventKind.RETURNED)]
    assert [e.kind for e in returned.of(EventKind.RECEIVED, EventKind.RETURNED)] == [
        EventKind.RECEIVED,
        EventKind.RETURNED,
    ]
    # the return email, only written to the folder (no mail server): on the timeline as such
    assert returned.latest(EventKind.ACKNOWLEDGED).detail["how"] == "written"
    assert returned.first(EventKind.RECEIVED).detail["outcome"] == "incomplete"
    assert {e.detail["outcome"] for c in cases.values() for e in c.of(EventKind.RECEIVED)} == {
        "incomplete",
        "accepted",
    }


def test_a_file_saved_while_the_day_is_set_arrives_on_that_day(work, monkeypatch):
    """One clock: with FAMILY_TIME_TODAY moved on, a form saved into the inbox now is received
    on the set day (not on the machine's date); a file dated to a day of the story keeps it."""
    import os

    from pipeline.cli import main

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2031-06-02")
    work.drop("forms/referral-complete.docx")
    dated = work.drop("forms/referral-incomplete.docx")
    story = dt.datetime(2031, 5, 20, 9, 30).timestamp()
    os.utime(dated, (story, story))
    assert main(["watch", "--once", "--config", str(work.config_path)]) == 0
    got = {i.outcome: i.received_at.date() for i in work.ledger.items()}
    assert got == {"accepted": dt.date(2031, 6, 2), "incomplete": dt.date(2031, 5, 20)}
