"""Blackpool: "If no response to request for planning meeting within 1 working day, Manager to
call and chase, if no response relevant team manager to be made aware" (seed 003). The digest
(and `status`) says to chase the social worker from a working day after the acknowledgement
that asked for the meeting, until a planning meeting date is typed in the tracker, the pack is
made or the referral is closed. Northamptonshire and Milton Keynes state no chase: no line."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date
MEETING = "Planning meeting on"


def chases(team, day: dt.date) -> list[str]:
    return [t for t in team.reminder_texts(day) if "call the social worker to chase" in t]


def test_blackpool_chases_the_social_worker_until_a_meeting_date_is_typed(make_team):
    team = make_team("blackpool")
    a = team.referral(dt.datetime(2026, 11, 2, 9))  # Monday: acknowledged the same day
    b = team.referral(dt.datetime(2026, 11, 2, 10))
    assert chases(team, D(2026, 11, 2)) == []  # the day it was asked for: nothing to chase yet
    said = (
        "no date in the tracker's 'Planning meeting on' 1 working day after the planning "
        "meeting was asked for (02/11/2026): call the social worker to chase it; if there is "
        "still no answer, tell their team manager"
    )
    assert chases(team, D(2026, 11, 3)) == [f"{a}: {said}", f"{b}: {said}"]

    # Wednesday: A's meeting typed; B's referral closed; neither is chased again
    team.type_on(D(2026, 11, 4), a, **{MEETING: D(2026, 11, 4)})
    assert chases(team, D(2026, 11, 4)) == [f"{b}: {said}"]
    team.type_on(D(2026, 11, 4), b, Status="Closed")
    assert chases(team, D(2026, 11, 5)) == []


def test_the_chase_waits_for_the_services_working_day(make_team):
    team = make_team("blackpool")
    ref = team.referral(dt.datetime(2026, 11, 6, 9))  # a Friday
    assert chases(team, D(2026, 11, 7)) == []  # Saturday: not a working day
    assert chases(team, D(2026, 11, 8)) == []
    [line] = chases(team, D(2026, 11, 9))  # Monday
    assert line.startswith(f"{ref}: no date in the tracker's 'Planning meeting on'")
    assert "(06/11/2026)" in line


@pytest.mark.parametrize("service", ["northamptonshire", "milton-keynes"])
def test_services_stating_no_chase_never_say_chase(make_team, service):
    team = make_team(service)
    team.referral(dt.datetime(2026, 11, 2, 9))
    for day in (D(2026, 11, 3), D(2026, 11, 4), D(2026, 11, 10)):
        assert chases(team, day) == []
