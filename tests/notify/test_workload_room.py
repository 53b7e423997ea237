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


def two_siblings_allocated(team: Team) -> None:
    """Two referrals given the same worker, day, time and venue (one session for both), and
    a worker of the service's own role on the Staff sheet with nothing booked."""
    a = team.referral(dt.datetime(2026, 11, 2, 9))
    b = team.referral(dt.datetime(2026, 11, 2, 10))
    team.on(D(2026, 11, 4))
    team.allocate_in_service(a)
    team.allocate_in_service(b)
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
