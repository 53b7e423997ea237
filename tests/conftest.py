"""Shared fixtures: where the committed fixtures are, and working folders for every area that
runs the pipeline (the folder itself is tests/helpers/intake_kit.py's Work)."""

from pathlib import Path

import pytest

from tests.helpers.commitments_kit import Team
from tests.helpers.intake_kit import Work, make_workdir
from tests.helpers.paths import FIXTURES


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def work(tmp_path) -> Work:
    w = Work(make_workdir(tmp_path / "work"))
    yield w
    w.ledger.close()


@pytest.fixture
def make_work(tmp_path):
    """A working folder with chosen watch settings (settle, poll, rescan, mode)."""
    made = []

    def make(**settings) -> Work:
        w = Work(make_workdir(tmp_path / f"work{len(made)}", **settings))
        made.append(w)
        return w

    yield make
    for w in made:
        w.ledger.close()


@pytest.fixture
def make_team(tmp_path, monkeypatch):
    """Working folders of chosen services' profiles (commitments_kit.Team), from 02/11/2026."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-02")
    made = []

    def make(profile: str) -> Team:
        made.append(Team(tmp_path / profile, profile))
        return made[-1]

    yield make
    for t in made:
        t.ledger.close()
