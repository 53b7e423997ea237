"""The digest (and `status`) says when something is due as people would: "today", "tomorrow",
and on a Friday or a Saturday, when the next working day is Monday, the day by name: never
"due tomorrow" for a date two or three days off."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.commitments import label

from tests.helpers.commitments_kit import Team


@pytest.fixture
def team(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-03")
    t = Team(tmp_path / "work")
    yield t
    t.ledger.close()


def test_a_friday_or_saturday_list_names_monday(team):
    ref = team.referral(dt.datetime(2026, 12, 3, 9))  # Thu: contact due Mon 7 Dec
    assert team.row(ref)["Discuss with social worker by"] == dt.datetime(2026, 12, 7)
    contact = label("contact", team.profile)
    said = f"{ref}: {contact} due Monday 7 December (07/12/2026)"
    assert said in team.reminder_texts(dt.date(2026, 12, 4))  # Friday
    assert said in team.reminder_texts(dt.date(2026, 12, 5))  # Saturday
    assert not any("tomorrow" in line for line in team.reminder_texts(dt.date(2026, 12, 5)))
    assert f"{ref}: {contact} due tomorrow (07/12/2026)" in team.reminder_texts(
        dt.date(2026, 12, 6)
    )  # Sunday: it is tomorrow
    assert f"{ref}: {contact} due today (07/12/2026)" in team.reminder_texts(dt.date(2026, 12, 7))
