"""Fault-test fixtures; the helpers live in faults_kit.py (importable from here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from faults_kit import Work, make_workdir  # noqa: E402


@pytest.fixture
def make_work(tmp_path):
    made = []

    def make(**settings):
        w = Work(make_workdir(tmp_path / f"work{len(made)}", **settings))
        made.append(w)
        return w
    yield make
    for w in made:
        w.ledger.close()


@pytest.fixture
def work(make_work):
    return make_work()
