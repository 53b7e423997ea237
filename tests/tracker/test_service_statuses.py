"""The Status drop-down offers a service's own words only to that service: "Bridging" is
Northamptonshire's (its bridging supervisors), never Blackpool's or Milton Keynes'."""

from __future__ import annotations

import pytest

from pipeline.profile import load_profile
from pipeline.tracker.columns import load_spec


def _status_choices(service: str) -> list[str]:
    spec = load_spec(profile=load_profile(service))
    return spec.sheet("Referrals").column("status").choices


def test_northamptonshire_offers_bridging():
    assert _status_choices("northamptonshire") == [
        "Waiting",
        "Allocated",
        "Bridging",
        "Suspended",
        "Closed",
    ]


@pytest.mark.parametrize("service", ["blackpool", "milton-keynes"])
def test_other_services_never_see_bridging(service):
    assert _status_choices(service) == ["Waiting", "Allocated", "Suspended", "Closed"]
