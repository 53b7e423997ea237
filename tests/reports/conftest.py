import pytest

from tests.helpers.season_kit import build_season


@pytest.fixture
def season(tmp_path):
    """A working folder whose ledger holds the hand-checked season (tests/helpers/season_kit)."""
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.ledger import Ledger

    config = load_config(init_folder(tmp_path / "work"))
    profile = config.load_profile()
    ledger = Ledger(config.ledger_path)
    referrals = build_season(ledger, tmp_path)
    yield config, profile, ledger, referrals
    ledger.close()


@pytest.fixture
def season_free(tmp_path):
    """A new working folder (Northamptonshire) with an empty ledger."""
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.ledger import Ledger

    config = load_config(init_folder(tmp_path / "work"))
    ledger = Ledger(config.ledger_path)
    yield config, config.load_profile(), ledger, tmp_path
    ledger.close()
