"""A month's report asked for at the month's end and again weeks later (the clock moved on,
more records and decisions since) gives the same figures: a report is a record of the month,
not of the day it was printed."""

from __future__ import annotations

import pytest

from tests.helpers.season_script import SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_the_month_report_asked_again_later_gives_the_same_figures(season_of, service):
    season = season_of(service)
    runs = [
        (d.day, figures)
        for d in season.days
        for kind, month, figures in d.reports
        if kind == "month" and month == "2026-11"
    ]
    assert len(runs) == 2, runs
    (first_day, first), (later_day, later) = runs
    assert first.get("Figures"), "the November report was not made"
    changed = [
        f"{a[0]}: {a[1]!r} on {first_day}, {b[1]!r} on {later_day}"
        for a, b in zip(first["Figures"], later["Figures"])
        if a != b
    ]
    assert changed == [] and len(first["Figures"]) == len(later["Figures"])
