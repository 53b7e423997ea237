"""The pack against the referral's request, as the co-ordinator sees it (issue 26): fewer or
shorter sessions than asked, and a requested start already past, said plainly in the Paperwork
cell and on the digest (`status`); the pack itself starts on the first session allocated, and
the referral's safety answers go to the supervisor's sheet, never into an email.

The fixture referral asks for twice a week, 1.5 hours, from 16/03/2026; it is read on
02/11/2026, long after that start."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import Allocation, Item, Verdict
from pipeline.tracker.allocation import against_request, read_late, request_notes

from tests.helpers.allocation_kit import Desk

REF = "FT-2026-00001"
TODAY = "2026-12-01"
READ_LATE = (
    "the requested start (16/03/2026) had already passed when the referral was read (02/11/2026)"
)


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    d = Desk(tmp_path / "work")
    d.receive()
    return d


def _status(desk, capsys) -> str:
    from pipeline.cli import main

    capsys.readouterr()
    assert main(["status", "--config", str(desk.config.base / "family-time.toml")]) == 0
    return capsys.readouterr().out


def test_fewer_and_shorter_sessions_than_asked_are_said_where_the_coordinator_looks(desk, capsys):
    desk.allocate(REF, Time="10:00-11:00")  # Tuesdays only, an hour: asked twice a week, 1.5 h
    desk.effects()
    cell = desk.row(REF)["Paperwork"]
    assert cell == (
        "Pack made 01/12/2026; 1 session a week allocated; the referral asked for 2; "
        "sessions of 1 hour allocated; the referral asked for 1 hour 30 minutes; "
        f"{READ_LATE}: the pack starts on the first session, 08/12/2026; "
        "tell the social worker"
    ), cell
    out = _status(desk, capsys)
    assert (
        f"{REF}: pack made 01/12/2026: 1 session a week allocated; the referral asked for 2" in out
    )
    # the documents say what was allocated, never that the request was met
    from tests.helpers.render_kit import docx_text

    agreement = docx_text(next(p for p in desk.pack(REF) if "Agreement" in p.name))
    lines = agreement.splitlines()
    assert lines[lines.index("How often") + 1] == "Once a week"
    assert lines[lines.index("Length of each session") + 1] == "1 hour"
    assert lines[lines.index("First session") + 1] == "Tuesday 8 December 2026"
    assert "Twice a week" not in agreement and "16 March 2026" not in agreement


def test_an_allocation_giving_what_was_asked_says_only_the_late_start(desk):
    desk.allocate(REF, Day="Tuesday and Thursday")
    desk.effects()
    cell = desk.row(REF)["Paperwork"]
    assert cell.startswith(f"Pack made 01/12/2026; {READ_LATE}"), cell
    assert "allocated; the referral asked" not in cell


def test_a_referral_read_after_its_requested_start_is_on_the_digest_before_any_pack(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-04")
    desk = Desk(tmp_path / "work")
    desk.receive()  # read on 02/11/2026
    assert (
        f"{REF}: {READ_LATE}: agree a start date with the social worker before allocating"
        in _status(desk, capsys)
    )
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-20")  # a week on: off the digest
    assert READ_LATE not in _status(desk, capsys)


def test_the_safety_answers_go_to_the_supervisors_sheet_and_never_into_the_email(desk):
    desk.allocate(REF)
    desk.effects()
    names = [p.name for p in desk.pack(REF)]
    assert "Safety notes for the Family Time Supervisor (not for the family).docx" in names
    [mail] = desk.mails("pack")
    body = "\n".join(
        part.get_content() for part in mail.walk() if part.get_content_type() == "text/plain"
    )
    for answer in (
        "Mother has at times spoken to the child about the court case",
        "No whispering or mobile phones",
        "Mild asthma",
    ):
        assert answer not in body and answer not in mail["Subject"]


# ---------------------------------------------------------------- the facts, one by one


def _item(received: dt.datetime, **values) -> Item:
    verdict = Verdict(
        verdict="complete",
        kind="referral",
        form_id="family-time-referral",
        form_version="2025.1",
        values=values,
    )
    return Item(
        id=1,
        file_sha256="1" * 64,
        original_name="referral.docx",
        received_at=received,
        outcome="accepted",
        reason="Complete",
        reference=REF,
        verdict=verdict,
    )


def _plain(**kw) -> Allocation:
    data = dict(reference=REF, status="Allocated", day="Tuesday", time="10:00-11:30")
    data.update(kw)
    return Allocation(first_date=dt.date(2026, 12, 8), **data)


def test_a_requested_start_that_passes_while_waiting_for_allocation():
    item = _item(dt.datetime(2026, 11, 2, 9), **{"request.start_date": dt.date(2026, 11, 16)})
    assert read_late(item) is None  # read in time
    facts = against_request(item, _plain(), dt.date(2026, 12, 1))
    assert request_notes(facts) == [
        "the requested start (16/11/2026) had passed when the pack was made: the pack starts "
        "on the first session, 08/12/2026; tell the social worker"
    ]
    # a pack made again for a changed time is not told it again
    assert against_request(item, _plain(), dt.date(2026, 12, 1), first_pack=False) == {}


@pytest.mark.parametrize(
    "asked, day, said",
    [
        (
            "Three times a week",
            "Monday and Wednesday",
            "2 sessions a week allocated; the referral asked for 3",
        ),
        ("Twice a week", "Tuesday", "1 session a week allocated; the referral asked for 2"),
        ("Twice a week", "Tuesday and Thursday", None),
        ("Fortnightly", "Tuesday", None),  # not compared with days a week
        ("Other", "Tuesday", None),
    ],
)
def test_sessions_a_week_against_how_often_the_referral_asked(asked, day, said):
    item = _item(dt.datetime(2026, 11, 2, 9), **{"request.frequency": asked})
    notes = request_notes(against_request(item, _plain(day=day), dt.date(2026, 12, 1)))
    assert notes == ([said] if said else [])


def test_a_longer_session_than_asked_is_not_flagged():
    item = _item(dt.datetime(2026, 11, 2, 9), **{"request.duration": 60})
    assert against_request(item, _plain(time="10:00-11:30"), dt.date(2026, 12, 1)) == {}


def test_milton_keynes_letters_say_the_planning_meeting_will_be_arranged(tmp_path, monkeypatch):
    """Milton Keynes' tracker has no "Planning meeting on" date: its letters never read as if
    a meeting were fixed."""
    from tests.helpers.commitments_kit import Team
    from tests.helpers.render_kit import docx_text

    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    team = Team(tmp_path / "work", "milton-keynes")
    team.receive()
    team.allocate(
        REF,
        Allocated_Family_Time_Supervisor=None,
        Allocated_Family_Time_Worker="Robin Supervisor-Example",
    )
    team.effects()
    assert team.row(REF)["Paperwork"].startswith("Pack made 01/12/2026")
    letter = docx_text(next(p for p in team.pack(REF) if p.name == "Letter to parent 1.docx"))
    assert "A planning meeting will be arranged, and you will be invited to it" in letter
    assert "held on" not in letter
