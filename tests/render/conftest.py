"""The paperwork tests' service profiles: each of the three, or one chosen; their shared data
is tests/helpers/render_kit.py."""

import pytest

from pipeline.profile import load_profile

PROFILES = ["northamptonshire", "blackpool", "milton-keynes"]


@pytest.fixture(params=PROFILES)
def profile(request):
    return load_profile(request.param)


@pytest.fixture
def nct():
    return load_profile("northamptonshire")


@pytest.fixture
def mk():
    return load_profile("milton-keynes")
