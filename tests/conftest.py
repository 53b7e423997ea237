"""Shared test set-up: where the committed fixtures are."""

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
