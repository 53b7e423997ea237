"""Each service's season is played once per test run and shared by the tests that read it
(the audit and the month-report check), so the default suite plays three seasons, not six."""

from __future__ import annotations

import pytest

from tests.helpers.season_script import Season

_PLAYED: dict[str, Season] = {}


@pytest.fixture(scope="session")
def season_of(tmp_path_factory):
    def play(service: str) -> Season:
        if service not in _PLAYED:
            with pytest.MonkeyPatch.context() as mp:
                _PLAYED[service] = Season(tmp_path_factory.mktemp(service), service).run(mp)
        return _PLAYED[service]

    return play
