"""Blackpool's policy has the service send the carer a photo of the worker and agree transport
with the carer before the first session (seed 003): once the pack is made, the co-ordinator's
digest (and `status`) lists both, naming the worker, until the first session. Northamptonshire
and Milton Keynes state neither: no such line."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers.allocation_kit import SUPERVISOR
from tests.helpers.commitments_kit import Team

D = dt.date


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


def allocated(team: Team) -> str:
    ref = team.referral(dt.datetime(2026, 11, 2, 9))
    team.on(D(2026, 11, 4))
    allocate(team, ref, First_session=D(2026, 11, 10))  # a Tuesday
    team.effects()
    return ref


def to_do(team: Team, day: dt.date) -> list[str]:
    from pipeline.notify.digest import reminders

    team.on(day)
    lines = reminders(team.ledger, team.config, team.profile, day)
    return [r.text for r in lines if r.kind == "to_do"]


def test_blackpool_co_ordinator_is_told_to_send_the_photo_and_agree_transport(make_team):
    team = make_team("blackpool")
    assert to_do(team, D(2026, 11, 3)) == []  # nothing allocated: nothing to do yet
    ref = allocated(team)
    said = (
        f"{ref}: before the first session on 10/11/2026: send the carer a photo of "
        f"{SUPERVISOR} to show the child who they will meet; agree transport with the carer"
    )
    assert to_do(team, D(2026, 11, 4)) == [said]  # the day the pack is made
    assert to_do(team, D(2026, 11, 10)) == [said]  # the day itself
    assert to_do(team, D(2026, 11, 11)) == []  # the first session is past


@pytest.mark.parametrize("service", ["northamptonshire", "milton-keynes"])
def test_services_stating_neither_list_nothing(make_team, service):
    team = make_team(service)
    allocated(team)
    assert to_do(team, D(2026, 11, 4)) == []
    assert not any("photo" in t or "transport" in t for t in team.reminder_texts(D(2026, 11, 4)))
