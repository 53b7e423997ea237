import pytest

from tests.helpers.commitments_kit import Team


@pytest.fixture
def team(tmp_path, monkeypatch):
    """Northamptonshire: contact with the social worker within 2 working days."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-02")  # restored after the test
    t = Team(tmp_path / "work")
    yield t
    t.ledger.close()


@pytest.fixture
def make_team(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-02")
    made = []

    def make(profile: str) -> Team:
        made.append(Team(tmp_path / profile, profile))
        return made[-1]

    yield make
    for t in made:
        t.ledger.close()
