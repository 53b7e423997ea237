"""Shared test set-up: where the committed fixtures are, and working folders made with `init`
(short settle and poll times so tests stay fast) for every area that runs the pipeline."""

import re
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


def make_workdir(root: Path, settle: float = 0.2, poll: float = 0.2, rescan: float = 300,
                 mode: str = "auto") -> Path:
    from pipeline.commands.init import init_folder
    config = init_folder(root)
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^mode = .*$", f'mode = "{mode}"', text)
    text = re.sub(r"(?m)^settle_seconds = .*$", f"settle_seconds = {settle}", text)
    text = re.sub(r"(?m)^poll_seconds = .*$", f"poll_seconds = {poll}", text)
    text = re.sub(r"(?m)^rescan_seconds = .*$", f"rescan_seconds = {rescan}", text)
    config.write_text(text, encoding="utf-8")
    return config


class Work:
    def __init__(self, config_path: Path):
        from pipeline.config import load_config
        from pipeline.ledger import Ledger
        self.config_path = config_path
        self.config = load_config(config_path)
        self.profile = self.config.load_profile()
        self.ledger = Ledger(self.config.ledger_path)
        self.inbox = self.config.inbox_dir
        self.archive = self.config.archive_dir

    def drop(self, fixture: str, name: str | None = None) -> Path:
        src = FIXTURES / fixture
        dest = self.inbox / (name or src.name)
        shutil.copyfile(src, dest)
        return dest

    def archived(self) -> list[Path]:
        return sorted(p for p in self.archive.rglob("*")
                      if p.is_file() and not p.name.endswith(".reason.txt"))


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
