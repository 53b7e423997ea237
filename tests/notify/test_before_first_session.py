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


def allocated(team: Team) -> str:
    ref = team.referral(dt.datetime(2026, 11, 2, 9))
    team.on(D(2026, 11, 4))
    team.allocate_in_service(ref, First_session=D(2026, 11, 10))  # a Tuesday
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
