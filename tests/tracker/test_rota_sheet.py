"""The Rota sheet and the printed rota: who is where, this week and the next four, by
supervisor and by venue and room, with suspended, ended and closure-cancelled sessions said
as such; drawn from the allocations and the case timeline, so a suspension shows at once."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from pipeline.cases import suspension as S
from pipeline.ledger.names import EventKind
from pipeline.ledger.timeline import Event

from tests.helpers.allocation_kit import SUPERVISOR, libreoffice_round_trip
from tests.tracker.test_rota_clashes import FIRST, OTHER, TODAY, TwoDesk


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    d = TwoDesk(tmp_path / "work")
    d.allocate(d.first_ref, Time="10:00-11:30", Room="Room 1")
    d.allocate(
        d.second_ref,
        Day="Monday",
        Time="14:00-15:00",
        First_session=dt.date(2026, 12, 7),
        Room="Room 2",
        Allocated_Family_Time_Supervisor=OTHER,
        Venue=d.profile.venues[1].name,
    )
    d.effects()
    return d


def _rota(desk) -> list[tuple]:
    ws = openpyxl.load_workbook(desk.workbook)["Rota"]
    return [tuple(c for c in r if c is not None) for r in ws.iter_rows(values_only=True)]


def _lines(rows, ref: str) -> list[tuple]:
    return [r for r in rows if ref in r]


def test_the_rota_sheet_shows_five_weeks_by_supervisor_and_by_venue(desk):
    wb = openpyxl.load_workbook(desk.workbook)
    assert "Rota" in wb.sheetnames
    assert wb["Rota"].protection.sheet  # read-only in Excel and Calc
    rows = _rota(desk)
    assert rows[0][0].startswith("Who is where, when: 30/11/2026 to 03/01/2027")
    first = _lines(rows, desk.first_ref)
    # Tuesdays 8, 15, 22, 29 December, each once by supervisor and once by venue
    assert [r[1] for r in first] == ["08/12/2026", "15/12/2026", "22/12/2026", "29/12/2026"] * 2
    assert first[0][3:7] == ("10:00-11:30", SUPERVISOR, desk.profile.venues[0].name, "Room 1")
    assert first[0][-1] == "Planned"
    names = {c for r in rows for c in r}
    assert "Taylor" not in " ".join(map(str, names))  # references and initials, no names


def test_a_bank_holiday_shows_as_cancelled(desk):
    second = _lines(_rota(desk), desk.second_ref)
    dates = {r[1]: r[-1] for r in second}
    assert dates["07/12/2026"] == "Planned"
    assert dates["28/12/2026"].startswith("Cancelled: ")  # the Boxing Day substitute day


def test_a_suspension_and_an_ended_referral_show_at_once(desk):
    ref = desk.first_ref
    raised = Event(
        ref,
        EventKind.PROPOSAL_RAISED,
        dt.date(2026, 12, 9),
        f"proposal_raised:{ref}:P1:test",
        {"proposal": "P1", "kind": "suspension", "sessions": ["2026-12-08"]},
    )
    desk.ledger.record_event(raised)
    span = S.Span(dt.date(2026, 12, 14), dt.date(2026, 12, 20))
    desk.ledger.record_event(
        S.suspension_started(ref, 1, span, "Team Manager", dt.date(2026, 12, 10))
    )
    desk.ledger.record_event(
        Event(
            desk.second_ref,
            EventKind.CLOSED,
            dt.date(2026, 12, 16),
            f"closed:{desk.second_ref}",
            {},
        )
    )
    from pipeline.tracker import rota_sheet

    assert rota_sheet.refresh(desk.ledger, desk.config, desk.profile, dt.date(2026, 12, 1))
    rows = _rota(desk)
    first = {r[1]: r[-1] for r in _lines(rows, ref)}
    assert first["15/12/2026"] == "Suspended" and first["22/12/2026"] == "Planned"
    second = {r[1]: r[-1] for r in _lines(rows, desk.second_ref)}
    assert second["14/12/2026"] == "Planned"
    assert second["21/12/2026"] == "Cancelled: family time ended"
    # nothing changed: the workbook is not written again
    assert not rota_sheet.refresh(desk.ledger, desk.config, desk.profile, dt.date(2026, 12, 1))


@pytest.mark.libreoffice
def test_the_rota_sheet_survives_a_calc_save_and_is_rewritten(desk):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    libreoffice_round_trip(desk.workbook)
    assert len(_lines(_rota(desk), desk.first_ref)) == 8
    from pipeline.tracker import rota_sheet

    assert rota_sheet.refresh(desk.ledger, desk.config, desk.profile, dt.date(2026, 12, 8))
    wb = openpyxl.load_workbook(desk.workbook)
    assert wb.sheetnames.count("Rota") == 1
    assert _rota(desk)[0][0].startswith("Who is where, when: 07/12/2026")
    libreoffice_round_trip(desk.workbook)  # still a workbook Calc opens and saves


def test_the_rota_command_writes_one_per_venue_and_one_per_supervisor(desk, capsys):
    from docx import Document

    from pipeline.cli import main

    config = desk.config.state_dir.parent / "family-time.toml"
    assert main(["rota", "--week", "2026-W51", "--config", str(config)]) == 0
    folder = desk.config.outbox_dir / "rota" / "2026-W51"
    names = sorted(p.name for p in folder.glob("*.docx"))
    venue0, venue1 = desk.profile.venues[0].name, desk.profile.venues[1].name
    assert f"2026-W51 {venue0}.docx" in names and f"2026-W51 {SUPERVISOR}.docx" in names
    assert f"2026-W51 {OTHER}.docx" in names and f"2026-W51 {venue1}.docx" in names
    text = "\n".join(
        c.text
        for t in Document(folder / f"2026-W51 {venue0}.docx").tables
        for r in t.rows
        for c in r.cells
    )
    assert desk.first_ref in text and "15/12/2026" in text and "Room 1" in text
    assert "2026-W51" in capsys.readouterr().out
    assert main(["rota", "--week", "51", "--config", str(config)]) == 2
    assert main(["rota", "--venue", "The Moon", "--config", str(config)]) == 2


def test_the_rota_of_one_venue_only(desk):
    from pipeline.cli import main

    config = desk.config.state_dir.parent / "family-time.toml"
    venue = desk.profile.venues[0].name
    assert (
        main(["rota", "--week", "2026-W50", "--venue", venue.upper(), "--config", str(config)]) == 0
    )
    folder = desk.config.outbox_dir / "rota" / "2026-W50"
    assert FIRST.isocalendar()[1] == 50
    assert sorted(p.name for p in folder.glob("*.docx")) == sorted(
        [f"2026-W50 {venue}.docx", f"2026-W50 {SUPERVISOR}.docx"]
    )
