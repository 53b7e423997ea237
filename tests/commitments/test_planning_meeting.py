"""Blackpool promises a planning meeting within 2 working days (and no separate contact);
Milton Keynes promises neither. The co-ordinator's workbook goes through LibreOffice Calc, as
it would on a desk without Excel."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from pipeline.commitments import label
from pipeline.reports.month import month_figures

from tests.helpers.allocation_kit import libreoffice_round_trip

D = dt.date
MEETING = "Planning meeting on"


def _headers(team) -> list[str]:
    return [c.value for c in openpyxl.load_workbook(team.workbook)["Referrals"][1]]


@pytest.mark.libreoffice
def test_blackpool_planning_meetings_typed_in_libreoffice(make_team):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    team = make_team("blackpool")
    a = team.referral(dt.datetime(2026, 11, 2, 9))  # Mon: meeting due Wed 4 Nov
    b = team.referral(dt.datetime(2026, 11, 3, 9))  # Tue: due Thu 5 Nov
    assert team.row(a)["Planning meeting by"] == dt.datetime(2026, 11, 4)
    assert team.row(b)["Planning meeting by"] == dt.datetime(2026, 11, 5)
    headers = _headers(team)
    assert MEETING in headers and "Contact made on" not in headers
    meeting = label("planning_meeting", team.profile)
    assert f"{b}: {meeting} due tomorrow (05/11/2026)" in team.reminder_texts(D(2026, 11, 4))

    # Fri 6 Nov, in Calc: A's meeting was on the 4th (a date); B's typed as "31/11/2026"
    team.on(D(2026, 11, 6))
    libreoffice_round_trip(team.workbook)
    team.type_in(a, **{MEETING: D(2026, 11, 4)})
    team.type_in(b, **{MEETING: "31/11/2026"})
    libreoffice_round_trip(team.workbook)
    team.effects()
    assert team.ledger.commitments_met() == {a: {"planning_meeting": D(2026, 11, 4)}}
    assert team.row(b)["Dates to correct"] == (
        "To correct: 'Planning meeting on' says \"31/11/2026\", which is not a date: type it "
        "as dd/mm/yyyy"
    )
    assert (
        f"{b}: {meeting} overdue: it was due 05/11/2026 and no date is in the tracker's "
        f"'Planning meeting on'"
    ) in team.reminder_texts(D(2026, 11, 6))

    # corrected in Calc, as text this time: the meeting was on Friday 6 November (late)
    team.type_in(b, **{MEETING: "06/11/2026"})
    libreoffice_round_trip(team.workbook)
    team.effects()
    assert team.ledger.commitments_met() == {
        a: {"planning_meeting": D(2026, 11, 4)},
        b: {"planning_meeting": D(2026, 11, 6)},
    }
    assert team.row(b)["Dates to correct"] in (None, "")

    # November by hand: A met (4 <= 4), B late (6 > 5): 1 of 2 = 50%
    f = month_figures(team.ledger, team.profile, D(2026, 11, 1), made=D(2026, 12, 1))
    assert f.value("commitments", "Planning meeting held") == "50% (1 of 2)"
    assert f.section("commitments").lists["Late, by reference: Planning meeting held"] == [b]
    assert f.value("commitments", "Discussed with the social worker") == (
        f"not promised: {team.profile.name}'s documents make no such promise"
    )


def test_milton_keynes_has_no_such_column_and_says_so(make_team):
    team = make_team("milton-keynes")
    team.referral(dt.datetime(2026, 11, 2, 9))
    headers = _headers(team)
    assert not {MEETING, "Contact made on", "Dates to correct"} & set(headers)
    f = month_figures(team.ledger, team.profile, D(2026, 11, 1), made=D(2026, 12, 1))
    no = f"not promised: {team.profile.name}'s documents make no such promise"
    assert f.value("commitments", "Discussed with the social worker") == no
    assert f.value("commitments", "Planning meeting held") == no
