"""Service profiles for the validation tests; the form builders are in
tests/helpers/validate_kit.py."""

import pytest

from pipeline.profile import load_profile


@pytest.fixture(scope="session")
def nct():
    return load_profile("northamptonshire")


@pytest.fixture(scope="session")
def blackpool():
    return load_profile("blackpool")


@pytest.fixture(scope="session")
def mk():
    return load_profile("milton-keynes")
