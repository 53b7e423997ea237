"""Clashes caught where people type: a second allocation that would put a supervisor in two
places at once, or a room twice, is said back in its Paperwork cell with the other referral's
reference and makes no pack; opening hours, closed days and a supervisor's load are warnings
beside the pack. Every kind through a LibreOffice Calc save, as a co-ordinator on Calc types."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from pipeline.profile import Rota, Travel

from tests.helpers.allocation_kit import FORM, SUPERVISOR, Desk, libreoffice_round_trip
from tests.helpers.intake_kit import variant

TODAY = "2026-12-01"  # a Tuesday
FIRST = dt.date(2026, 12, 8)  # the Tuesday after
OTHER = "Sam Second-Example"


class TwoDesk(Desk):
    """A desk with two referrals received and two supervisors on the Staff sheet."""

    def __init__(self, root, profile: str | None = None):
        if profile:
            from pipeline.commands.init import init_folder

            init_folder(root, profile=profile)
        super().__init__(root)
        self.receive()
        variant(FORM, self.config.state_dir / "second.docx", 7)
        self.receive(self.config.state_dir / "second.docx")
        refs = sorted({i.reference for i in self.ledger.items(outcome="accepted")})
        self.first_ref, self.second_ref = refs
        self.add_staff()
        self.add_staff(OTHER, "sam.second@nct.example.org")

    def staff_hours(self, name: str, hours: float) -> None:
        wb = openpyxl.load_workbook(self.workbook)
        ws = wb["Staff"]
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, 1).value == name:
                ws.cell(r, 4, hours)
        wb.save(self.workbook)

    def saved_in_calc(self) -> None:
        libreoffice_round_trip(self.workbook)


def _calc():
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    return TwoDesk(tmp_path / "work")


def _first_allocated(desk: TwoDesk, **typed) -> None:
    values = {"Day": "Tuesday", "Time": "10:00-11:30", "First_session": FIRST, "Room": "Room 1"}
    values.update(typed)
    desk.allocate(desk.first_ref, **values)
    desk.saved_in_calc()
    desk.effects()
    assert desk.row(desk.first_ref)["Paperwork"].startswith("Pack made"), desk.row(desk.first_ref)


def _second(desk: TwoDesk, **typed) -> str:
    values = {"Day": "Tuesday", "First_session": FIRST}
    values.update(typed)
    desk.allocate(desk.second_ref, **values)
    desk.saved_in_calc()
    desk.effects()
    return desk.row(desk.second_ref)["Paperwork"]


@pytest.mark.libreoffice
def test_a_supervisor_in_two_places_at_once_makes_no_pack(desk):
    _calc()
    _first_allocated(desk)
    cell = _second(desk, Time="11:00-12:00", Venue=desk.profile.venues[1].name)
    assert cell.startswith("To correct: ")
    assert f"{SUPERVISOR} is already with {desk.first_ref}" in cell
    assert "10:00-11:30 on 08/12/2026" in cell
    assert desk.pack(desk.second_ref) == []
    # resolved: moved to the afternoon, the pack is made
    cell = _second(desk, Time="14:00-15:00", Venue=desk.profile.venues[1].name)
    assert cell.startswith("Pack made"), cell


@pytest.mark.libreoffice
def test_travel_time_between_venues_counts_as_a_clash(desk):
    _calc()
    a, b = desk.profile.venues[0].name, desk.profile.venues[1].name
    desk.profile = desk.profile.model_copy(
        update={"rota": Rota(travel=[Travel(between=[a, b], minutes=45)])}
    )
    _first_allocated(desk)
    cell = _second(desk, Time="12:00-13:00", Venue=b)
    assert "needs 45 minutes to travel to" in cell and desk.first_ref in cell
    assert desk.pack(desk.second_ref) == []


@pytest.mark.libreoffice
def test_a_room_booked_twice_makes_no_pack(desk):
    _calc()
    _first_allocated(desk)
    cell = _second(
        desk,
        Time="11:00-12:00",
        Room="room 1",
        Allocated_Family_Time_Supervisor=OTHER,
    )
    venue = desk.profile.venues[0].name
    assert f"{venue} room 1 is already booked for {desk.first_ref}" in cell
    assert desk.pack(desk.second_ref) == []


@pytest.mark.libreoffice
def test_siblings_sharing_one_session_are_not_a_clash(desk):
    _calc()
    _first_allocated(desk)
    cell = _second(desk, Time="10:00-11:30", Room="Room 1")
    assert cell.startswith("Pack made"), cell
    assert "check:" not in cell


@pytest.mark.libreoffice
def test_an_unrelated_child_in_the_same_slot_is_a_clash(tmp_path, monkeypatch):
    """Same supervisor, venue, room and time, but another family: two children at once,
    never "siblings sharing one session"."""
    from tests.helpers.mime_kit import docx_with

    _calc()
    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    desk = TwoDesk(tmp_path / "work")
    other = docx_with(
        FORM,
        desk.config.state_dir / "unrelated.docx",
        {
            "1234567": "7654321",
            "Jo Sample-Parent": "Robin Unrelated-Parent",
            "Chris Sample-Parent": "Sky Unrelated-Parent",
            "Test Child": "Other Child",
        },
    )
    desk.receive(other)
    third = max(i.reference for i in desk.ledger.items(outcome="accepted"))
    _first_allocated(desk)
    desk.allocate(third, Day="Tuesday", First_session=FIRST, Time="10:00-11:30", Room="Room 1")
    desk.saved_in_calc()
    desk.effects()
    cell = desk.row(third)["Paperwork"]
    assert cell.startswith("To correct: ") and desk.first_ref in cell, cell
    assert desk.pack(third) == []


@pytest.mark.libreoffice
def test_a_session_past_opening_hours_is_a_warning_beside_the_pack(tmp_path, monkeypatch):
    _calc()
    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    desk = TwoDesk(tmp_path / "mk", profile="milton-keynes")
    saturday = dt.date(2026, 12, 12)
    typed = {f"Allocated {desk.profile.supervisor_role}": SUPERVISOR}
    desk.allocate(
        desk.first_ref,
        Day="Saturday",
        Time="15:30-17:00",
        First_session=saturday,
        Allocated_Family_Time_Supervisor=None,
        **typed,
    )
    desk.saved_in_calc()
    desk.effects()
    cell = desk.row(desk.first_ref)["Paperwork"]
    assert cell.startswith("Pack made"), cell
    assert "Saturday sessions 15:30-17:00 run past the service's opening hours (09:30-16:30)" in (
        cell
    )
    assert desk.pack(desk.first_ref)


@pytest.mark.libreoffice
def test_a_day_the_service_is_closed_makes_no_pack(desk):
    _calc()
    desk.allocate(desk.first_ref, Day="Tuesday and Sunday", Time="10:00-11:00", First_session=FIRST)
    desk.saved_in_calc()
    desk.effects()
    cell = desk.row(desk.first_ref)["Paperwork"]
    assert cell.startswith("To correct: ") and "the service runs no sessions on Sunday" in cell
    assert desk.pack(desk.first_ref) == []


@pytest.mark.libreoffice
def test_over_the_weekly_sessions_is_a_warning(desk):
    _calc()
    desk.profile = desk.profile.model_copy(update={"rota": Rota(weekly_sessions_max=1)})
    _first_allocated(desk)
    cell = _second(desk, Day="Thursday", Time="10:00-11:00", First_session=dt.date(2026, 12, 10))
    assert cell.startswith("Pack made"), cell
    assert f"{SUPERVISOR} would have 2 sessions in the week of 07/12/2026" in cell
    assert "usual most is 1" in cell


@pytest.mark.libreoffice
def test_over_the_hours_on_the_staff_sheet_is_a_warning(desk):
    _calc()
    desk.staff_hours(SUPERVISOR, 2)
    _first_allocated(desk)
    cell = _second(desk, Day="Thursday", Time="10:00-11:30", First_session=dt.date(2026, 12, 10))
    assert cell.startswith("Pack made"), cell
    assert "would have 3 hours of sessions in the week of 07/12/2026 (Staff sheet: 2 hours" in cell


def test_the_blackpool_policy_is_the_weekly_most():
    from pipeline.profile import load_profile

    assert load_profile("blackpool").rota.weekly_sessions_max == 24
    assert load_profile("blackpool").rota.weekly_sessions_min == 20
