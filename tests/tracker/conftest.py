"""The tracker tests' profile and configuration (in a temporary folder); the items they sync
are built by tests/helpers/tracker_kit.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.profile import load_profile


@pytest.fixture
def profile():
    return load_profile("northamptonshire")


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(base=tmp_path)
