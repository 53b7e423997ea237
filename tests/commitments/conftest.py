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
def blackpool_ledger(tmp_path, monkeypatch):
    """A Blackpool working folder whose ledger a test fills itself (commitments_kit.arrives):
    (config, profile, ledger, root)."""
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.ledger import Ledger

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-02")
    config = load_config(init_folder(tmp_path / "work", "blackpool"))
    ledger = Ledger(config.ledger_path)
    yield config, config.load_profile(), ledger, tmp_path
    ledger.close()
