"""Blackpool: "Family Time to take place within 3 working days from request. Manager to alert
Service Manager immediately if there is a delay" (seed 003). A first session allocated after
the promised day says so beside the warning, in the Paperwork cell and the digest; a service
that names nobody says nothing of an alert."""

from __future__ import annotations

import datetime as dt

from pipeline.commitments import alert, describe_timescales
from pipeline.profile import load_profile
from pipeline.tracker.allocation import late_first_session, paperwork_text


def test_blackpool_names_the_service_manager():
    bp = load_profile("blackpool")
    late = late_first_session(
        {"first_date": "2026-12-10"}, dt.date(2026, 12, 7), alert("first_session", bp)
    )
    assert late.startswith("first session 10/12/2026 is later than the service promises")
    assert "tell the Service Manager at once, with the reason for the delay" in late
    line = next(x for x in describe_timescales(bp) if x.startswith("First family time session"))
    assert line.endswith(
        "if not, tell the Service Manager at once, with the reason for the delay and the next steps"
    )


def test_services_naming_nobody_say_no_alert():
    for name in ("northamptonshire", "milton-keynes"):
        profile = load_profile(name)
        assert alert("first_session", profile) is None
        assert not any("at once" in x for x in describe_timescales(profile))


def test_the_paperwork_cell_carries_the_alert():
    class Made:
        on = dt.date(2026, 12, 2)
        detail = {}

    bp = load_profile("blackpool")
    allocation = {"first_date": "2026-12-10"}
    text = paperwork_text(
        Made(), allocation, None, dt.date(2026, 12, 7), alert("first_session", bp)
    )
    assert text.startswith("Pack made 02/12/2026; first session 10/12/2026 is later")
    assert text.endswith(
        "tell the Service Manager at once, with the reason for the delay and the next steps"
    )
