"""Commands run inside a service's working folder use its profile, say so on their first line
(not in --json), and `init` guards the profile a folder was set up for."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main

from tests.helpers.paths import FIXTURES


@pytest.fixture
def blackpool_folder(tmp_path, monkeypatch):
    folder = tmp_path / "bp"
    assert main(["init", str(folder), "--profile", "blackpool"]) == 0
    monkeypatch.chdir(folder)
    monkeypatch.delenv("FAMILY_TIME_CONFIG", raising=False)
    return folder


def test_calendar_inside_a_folder_uses_its_profile(blackpool_folder, capsys):
    capsys.readouterr()
    assert main(["calendar", "--year", "2026"]) == 0
    first, *rest = capsys.readouterr().out.splitlines()
    assert (
        first
        == f"Working folder {blackpool_folder}, service profile blackpool (Blackpool Council)."
    )
    assert "Planning meeting: within 2 working days" in "\n".join(rest)


def test_validate_json_has_the_services_due_keys_and_no_banner(blackpool_folder, capsys):
    form = FIXTURES / "forms" / "referral-complete.docx"
    capsys.readouterr()
    main(["validate", "--json", "--received", "2026-04-02T10:00", str(form)])
    out = capsys.readouterr().out
    row = json.loads(out.splitlines()[0])  # the first line is JSON, no banner
    assert set(row["due"]) == {"acknowledgement", "planning_meeting", "allocation", "first_session"}
    assert row["due"]["planning_meeting"] == "2026-04-08"


def test_config_option_names_the_folder(blackpool_folder, tmp_path, capsys, monkeypatch):
    other = tmp_path / "mk"
    assert main(["init", str(other), "--profile", "milton-keynes"]) == 0
    capsys.readouterr()
    assert main(["calendar", "--config", str(other / "family-time.toml")]) == 0
    assert "service profile milton-keynes" in capsys.readouterr().out.splitlines()[0]


def test_the_clock_is_said_when_it_is_set(blackpool_folder, capsys, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2027-02-01")
    capsys.readouterr()
    assert main(["calendar"]) == 0
    out = capsys.readouterr()
    assert "today is set to 2027-02-01 by FAMILY_TIME_TODAY" in out.err
    assert "calendar for 2027" in out.out.splitlines()[1]


def test_init_refuses_an_unknown_profile_and_a_silent_change(tmp_path, capsys):
    assert main(["init", str(tmp_path / "x"), "--profile", "nowhere"]) == 2
    err = capsys.readouterr().err
    assert "no service profile called 'nowhere'" in err
    assert "blackpool, milton-keynes, northamptonshire" in err
    assert main(["init", str(tmp_path / "y"), "--profile", "blackpool"]) == 0
    assert main(["init", str(tmp_path / "y"), "--profile", "milton-keynes"]) == 2
    assert "--force" in capsys.readouterr().err
    own = tmp_path / "y" / "service-profile.toml"
    assert 'id = "blackpool"' in own.read_text(encoding="utf-8")
    assert main(["init", str(tmp_path / "y"), "--profile", "milton-keynes", "--force"]) == 0
    assert 'id = "milton-keynes"' in own.read_text(encoding="utf-8")
    # the copy the team may have edited is set aside, never overwritten
    kept = tmp_path / "y" / "service-profile.blackpool.toml"
    assert 'id = "blackpool"' in kept.read_text(encoding="utf-8")


def test_doctor_lists_what_must_be_fixed(blackpool_folder, capsys):
    capsys.readouterr()
    assert main(["doctor"]) == 1  # placeholders must be fixed
    out = capsys.readouterr().out
    assert "service profile blackpool" in out.splitlines()[0]
    assert "placeholder (familytimerequests@blackpool.example.org)" in out
    assert "Family Time Centre" not in out  # 003 names no centre: none is invented
    assert f"rules are in {blackpool_folder / 'service-profile.toml'}" in out
    assert "installed program" not in out
    assert "No training days are listed" in out
    assert "No mail server is set" in out
    assert "to fix" in out.splitlines()[-1]


def test_doctor_refuses_a_ledger_on_a_share(blackpool_folder, capsys, monkeypatch):
    import pipeline.server.startup as startup

    monkeypatch.setattr(
        startup,
        "state_on_network",
        lambda config: "The state folder is on a network share; use a local one.",
    )
    capsys.readouterr()
    assert main(["doctor"]) == 1
    assert "state folder is on a network share" in capsys.readouterr().out
