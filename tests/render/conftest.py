import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pipeline.profile import load_profile  # noqa: E402

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
