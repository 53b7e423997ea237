"""A session's time as every document gives it: the start and the end (a time typed as a start
alone, "10am", ends the referral's session length later), and the time to arrive by where the
service asks people to arrive before the start."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import RuleAction
from pipeline.profile import load_profile
from pipeline.render import render_agreement, render_pack, render_suspension_letters

from tests.helpers.render_kit import docx_text, make_allocation, make_item

TODAY = dt.date(2026, 11, 23)
SUSPENSION = RuleAction(
    kind="suspension",
    reference="FT-2026-00001",
    session_dates=[dt.date(2026, 12, 8), dt.date(2026, 12, 15)],
    suspended_from=dt.date(2026, 12, 16),
    suspended_until=dt.date(2026, 12, 22),
)
# the arrival time each service's profile asks for ([lateness]); Blackpool states none
ARRIVE = {
    "northamptonshire": " (please arrive by 09:50)",
    "milton-keynes": " (please arrive by 09:45)",
    "blackpool": "",
}


@pytest.mark.parametrize("service", sorted(ARRIVE))
def test_the_re_signed_agreement_gives_start_end_and_arrival(tmp_path, service):
    profile = load_profile(service)
    path = render_agreement(
        make_item(),
        make_allocation(profile, time="10am"),
        profile,
        tmp_path,
        resigned_after=SUSPENSION,
        today=TODAY,
    )
    text = docx_text(path)
    assert "Tuesday, 10:00 to 11:30" in text and "10am" not in text
    assert (
        f"start again on Tuesday 29 December 2026, 10:00 to 11:30{ARRIVE[service]}, once"
        in " ".join(text.split())
    )


@pytest.mark.parametrize("service", sorted(ARRIVE))
def test_the_suspension_letter_gives_the_next_session_with_its_times(tmp_path, service):
    profile = load_profile(service)
    paths = render_suspension_letters(
        make_item(), make_allocation(profile, time="10am"), profile, tmp_path, SUSPENSION
    )
    letter = next(
        p for p in paths if p.name.startswith("Suspension letter") and "carer" not in p.name.lower()
    )
    text = " ".join(docx_text(letter).split())
    # "will be on" where the service's rule (a meeting, the agreement re-signed) says when
    # sessions start again; else only what the plan holds
    said = (
        "will be on"
        if profile.missed_sessions.resign_agreement
        else "in the plan after the pause is on"
    )
    assert f"next session {said} Tuesday 29 December 2026, 10:00 to 11:30{ARRIVE[service]}." in text


def test_a_start_alone_gives_the_carer_a_collection_time(tmp_path):
    profile = load_profile("northamptonshire")
    paths = render_pack(
        make_item(), make_allocation(profile, time="2pm"), profile, tmp_path / "out", today=TODAY
    )
    carer = docx_text(next(p for p in paths if p.name.startswith("Letter to carer")))
    assert "15:30" in carer and "Not given" not in carer
