"""Folder access on Windows (icacls, the Windows branch run by patching the platform check),
a UNC state path, and tracker backups that cannot block a write."""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path

import pytest

import pipeline.server.access as access
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.server.startup import state_on_network
from pipeline.tracker import sync, workbook_path

from tests.helpers.tracker_kit import accepted


def test_a_unc_state_path_is_a_network_path(work):
    text = work.config_path.read_text(encoding="utf-8")
    work.config_path.write_text(
        text.replace('state = "state"', "state = '\\\\fileserver\\ft\\state'"), encoding="utf-8"
    )
    config = load_config(work.config_path)
    assert str(config.state) == "\\\\fileserver\\ft\\state"
    assert "is on a network share" in state_on_network(config)


def test_init_sets_folder_acls_on_windows(tmp_path, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(access, "on_windows", lambda: True)
    monkeypatch.setattr(
        access.subprocess,
        "run",
        lambda cmd, **k: calls.append(cmd) or subprocess.CompletedProcess(cmd, 0, "", ""),
    )
    monkeypatch.setenv("USERDOMAIN", "COUNCIL")
    monkeypatch.setenv("USERNAME", "svc-familytime")
    folder = tmp_path / "work"
    config = folder / "family-time.toml"
    folder.mkdir()
    config.write_text(
        "profile = \"northamptonshire\"\n[access]\ngroups = ['COUNCIL\\Family Time support']\n",
        encoding="utf-8",
    )
    assert main(["init", str(folder)]) == 0
    by_folder = {Path(c[1]).name: c for c in calls}
    assert set(by_folder) == {"inbox", "outbox", "archive", "state"}
    for cmd in calls:
        assert cmd[0] == "icacls" and "/inheritance:r" in cmd
        assert "COUNCIL\\svc-familytime:(OI)(CI)F" in cmd
    assert "COUNCIL\\Family Time support:(OI)(CI)M" in by_folder["inbox"]
    assert not any("Family Time support" in part for part in by_folder["state"])


def test_init_says_so_when_icacls_refuses(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(access, "on_windows", lambda: True)
    monkeypatch.setattr(
        access.subprocess,
        "run",
        lambda cmd, **k: subprocess.CompletedProcess(cmd, 5, "", "Access is denied."),
    )
    assert main(["init", str(tmp_path / "work")]) == 0
    err = capsys.readouterr().err
    assert "icacls refused" in err and "Access is denied." in err and "README" in err


def test_init_runs_no_icacls_off_windows(tmp_path, monkeypatch):
    monkeypatch.setattr(access.subprocess, "run", lambda *a, **k: pytest.fail("icacls ran"))
    assert main(["init", str(tmp_path / "work")]) == 0


@pytest.fixture
def config(tmp_path):
    from pipeline.config import Config

    return Config(base=tmp_path)


@pytest.fixture
def profile():
    from pipeline.profile import load_profile

    return load_profile("northamptonshire")


def test_a_backup_open_in_excel_does_not_stop_the_write(config, profile, monkeypatch):
    import sys

    sync_module = sys.modules["pipeline.tracker.sync"]
    sync_module._written.clear()
    for n in range(1, 12):  # fill the backups to the limit
        sync([accepted(i) for i in range(1, n + 1)], config, profile)
    path = workbook_path(config, profile)
    oldest = sorted((path.parent / "backups").glob("*.xlsx"))[0]
    real_unlink = Path.unlink

    def open_in_excel(self, *a, **k):
        if self == oldest:
            exc = PermissionError(errno.EACCES, "sharing violation")
            exc.winerror = 32
            raise exc
        return real_unlink(self, *a, **k)

    monkeypatch.setattr(Path, "unlink", open_in_excel)
    report = sync([accepted(i) for i in range(1, 13)], config, profile)
    assert report.writes == 1 and not report.waiting and not report.problems
    assert oldest.exists()
    sync_module._written.clear()
