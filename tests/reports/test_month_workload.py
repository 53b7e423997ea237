"""Workload in the month report: a session siblings share is one session of the worker's
(each child's record arrives on its own), each worker's hours of sessions stand against the
hours a week on the Staff sheet, and the rooms each venue used are counted."""

from __future__ import annotations

import datetime as dt

from pipeline.cases import paperwork as PW
from pipeline.reports.month import month_figures

from tests.helpers.season_kit import _Writer, referral_values

MONTH = dt.date(2026, 11, 1)


def _value(fig, key: str, label: str):
    section = next(s for s in fig.sections if s.key == key)
    return dict(section.rows)[label]


def test_siblings_sharing_a_session_count_once_and_hours_stand_against_the_staff_sheet(
    season_free,
):
    config, profile, ledger, root = season_free
    w = _Writer(ledger, root)
    when = dt.datetime(2026, 10, 1, 9)
    refs = [
        w.referral(when, referral_values(first, "Example"), f"C{n}").reference
        for n, first in enumerate(["Ash", "Bay", "Cole"])
    ]
    for ref, room in zip(refs, ["Room 1", "Room 1", "Room 2"], strict=True):
        allocation = {
            "supervisor": "Dee Example",
            "venue": "Penfold Centre",
            "room": room,
            "day": "Tuesday",
            "time": "10:00-11:30",
            "first_date": "2026-11-03",
        }
        ledger.record_event(PW.allocated(ref, 1, allocation, "Supervisor", dt.date(2026, 10, 20)))
    start, end = dt.time(10), dt.time(11, 30)
    for day in (dt.date(2026, 11, 3), dt.date(2026, 11, 10)):
        # Ash and Bay are siblings seen together; Cole at another hour in another room
        for ref in refs[:2]:
            w.record(ref, day, "Took place", "Dee Example", planned_start=start, planned_end=end)
        w.record(
            refs[2],
            day,
            "Took place",
            "Dee Example",
            planned_start=dt.time(14),
            planned_end=dt.time(15, 30),
        )
    staff = [{"name": "Dee Example", "hours": "22.5"}]
    fig = month_figures(ledger, profile, MONTH, made=dt.date(2026, 12, 1), staff=staff)
    text = _value(fig, "workload", "Dee Example")
    assert text.startswith("4 (busiest week 2)"), text  # not 6: the shared session once
    assert "6 h of sessions, 22.5 h a week on the Staff sheet" in text
    rooms = _value(fig, "rooms", "Penfold Centre")
    assert rooms == "Room 1: 2, Room 2: 2"
    # without the Staff sheet the count stands alone
    plain = month_figures(ledger, profile, MONTH, made=dt.date(2026, 12, 1))
    assert _value(plain, "workload", "Dee Example") == "4 (busiest week 2)"


def test_the_services_weekly_sessions_stand_beside_the_workers(season_free):
    """Blackpool plans 20 to 24 sessions a week for a full-time worker (003), Northamptonshire
    15 to 25 (002 §4.5): the workload section says so; Milton Keynes states nothing, and its
    section has no such row."""
    from pipeline.profile import load_profile

    _config, _profile, ledger, _root = season_free
    label = "Sessions a week the service plans for a full-time worker"
    for service, said in (
        ("blackpool", "20 to 24"),
        ("northamptonshire", "15 to 25"),
        ("milton-keynes", None),
    ):
        fig = month_figures(ledger, load_profile(service), MONTH, made=dt.date(2026, 12, 1))
        rows = dict(next(s for s in fig.sections if s.key == "workload").rows)
        assert rows.get(label) == said, service
