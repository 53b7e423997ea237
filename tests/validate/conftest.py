"""Service profiles for the validation tests; the form builders are in builders.py.

builders.py is registered here as the module `tests_validate_builders` (pytest runs with
--import-mode=importlib, so test files cannot import a sibling by name)."""

import importlib.util
import sys
from pathlib import Path

import pytest

from pipeline.profile import load_profile

_NAME = "tests_validate_builders"
if _NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_NAME, Path(__file__).with_name("builders.py"))
    sys.modules[_NAME] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[_NAME])


@pytest.fixture(scope="session")
def nct():
    return load_profile("northamptonshire")


@pytest.fixture(scope="session")
def blackpool():
    return load_profile("blackpool")


@pytest.fixture(scope="session")
def mk():
    return load_profile("milton-keynes")
