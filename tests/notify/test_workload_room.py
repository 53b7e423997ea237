"""A manager allocating work sees who has room: a worker with fewer sessions booked this week
than the service plans for a full-time worker (Blackpool 003: "between 20 and 24 Family Time
Sessions per week"; Northamptonshire 002 §4.5: "between 15 and 25 contacts per week") is on
the digest and `status`, a worker on the Staff sheet with nothing booked too. One session
for two siblings is one session. Milton Keynes states no figure: no line."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from tests.helpers.allocation_kit import SUPERVISOR
from tests.helpers.commitments_kit import Team

D = dt.date
MONDAY = D(2026, 12, 7)  # the week of the first sessions (Tuesday 8 December)
SPARE = "Kim Spare-Example"


def allocate(team: Team, ref: str, **changes) -> None:
    """The usual allocation, typed under this service's own header for the worker, with the
    worker on the Staff sheet at an address the service's packs may go to."""
    if not team.staff():
        team.add_staff(email_address=f"robin.supervisor@{team.profile.team_inbox.split('@')[1]}")
    worker = {"Allocated Family Time Supervisor": None}
    worker[f"Allocated {team.profile.supervisor_role}"] = SUPERVISOR
    team.allocate(ref, **{k.replace(" ", "_"): v for k, v in worker.items()}, **changes)


@pytest.fixture
def make_team(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-02")
    made = []

    def make(profile: str) -> Team:
        made.append(Team(tmp_path / profile, profile))
        return made[-1]

    yield make
    for t in made:
        t.ledger.close()


def two_siblings_allocated(team: Team) -> None:
    """Two referrals given the same worker, day, time and venue (one session for both), and
    a worker of the service's own role on the Staff sheet with nothing booked."""
    a = team.referral(dt.datetime(2026, 11, 2, 9))
    b = team.referral(dt.datetime(2026, 11, 2, 10))
    team.on(D(2026, 11, 4))
    allocate(team, a)
    allocate(team, b)
    wb = openpyxl.load_workbook(team.workbook)
    wb["Staff"].append([SPARE, team.profile.supervisor_role, "kim.spare@example.org", 30])
    wb.save(team.workbook)
    team.effects()


def room(team: Team, day: dt.date) -> list[str]:
    from pipeline.notify.digest import reminders

    team.on(day)
    return [
        r.text for r in reminders(team.ledger, team.config, team.profile, day) if r.kind == "room"
    ]


@pytest.mark.parametrize(
    ("service", "least", "most"), [("blackpool", 20, 24), ("northamptonshire", 15, 25)]
)
def test_a_worker_under_the_services_weekly_sessions_has_room(make_team, service, least, most):
    team = make_team(service)
    two_siblings_allocated(team)
    plans = f"the service plans {least} to {most} a week for a full-time worker"
    assert room(team, MONDAY) == [
        f"{SPARE}: no sessions booked this week; {plans}",
        f"{SUPERVISOR}: 1 session booked this week; {plans}",  # the siblings' one session
    ]


def test_milton_keynes_states_no_weekly_sessions_and_says_nothing(make_team):
    team = make_team("milton-keynes")
    two_siblings_allocated(team)
    assert team.profile.rota.weekly_sessions_min is None
    assert room(team, MONDAY) == []
    assert not any("sessions booked this week" in t for t in team.reminder_texts(MONDAY))
