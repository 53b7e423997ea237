"""A fourth council without Python (issue 26): `init --new-service` writes a profile in which
every rule is "not stated", doctor says what is still to fill in and what each team setting
means, and a profile name is never read as a path."""

from __future__ import annotations

import tomllib

import pytest

from pipeline.cli import main
from pipeline.profile import PROFILES, load_profile


def test_new_service_profile_has_every_rule_not_stated(tmp_path, capsys):
    folder = tmp_path / "lincs"
    assert main(["init", str(folder), "--new-service", "Lincolnshire County Council"]) == 0
    own = folder / "service-profile.toml"
    profile = load_profile(own)
    assert profile.id == "lincolnshire-county-council"
    assert profile.name == "Lincolnshire County Council"
    assert profile.timescales.due_keys() == []
    assert profile.lateness is None and profile.missed_sessions is None
    assert profile.limits.child_protection_supported is None
    assert not profile.referrals.saturday_reason and profile.venues == []
    # every setting line says what it means
    for line in own.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            assert "#" in line, line


def test_doctor_on_a_new_service_lists_what_letters_need(tmp_path, capsys):
    folder = tmp_path / "lincs"
    assert main(["init", str(folder), "--new-service", "Lincolnshire County Council"]) == 0
    capsys.readouterr()
    assert main(["doctor", "--config", str(folder / "family-time.toml")]) == 1
    out = capsys.readouterr().out
    assert 'supervisor role is "not stated"' in out
    assert "no venue and no kind of place" in out
    assert 'Who accepts a referral is "not stated"' in out
    assert "Team setting [hours] closing_time = 17:00:00: a form arriving later counts" in out
    assert 'rules are "not stated"' in out and "timescales.first_session" in out
    assert "Traceback" not in out


def test_a_new_service_filled_in_is_clean_but_for_the_machine(tmp_path, capsys):
    """The officer's walk: fill in the details letters need; doctor's fixes are then gone
    (the folder permissions and mail server are checks, not fixes)."""
    folder = tmp_path / "lincs"
    assert main(["init", str(folder), "--new-service", "Lincolnshire County Council"]) == 0
    own = folder / "service-profile.toml"
    text = own.read_text(encoding="utf-8")
    for key, value in {
        "address": "Family Time Service, County Offices, Newland, Lincoln LN1 1YL",
        "phone": "01522 552222",
        "contact_email": "familytime@lincs.test",
        "team_inbox": "familytime@lincs.test",
        "supervisor_role": "Family Time Practitioner",
        "coordinator_role": "Family Time Co-ordinator",
    }.items():
        text = text.replace(f'{key} = "not stated"', f'{key} = "{value}"', 1)
    text = text.replace('from_address = "not stated"', 'from_address = "familytime@lincs.test"')
    text = text.replace("venue_kinds = []", 'venue_kinds = ["community"]')
    text = text.replace('by = "not stated"', 'by = "a Senior Family Time Worker"')
    text = text.replace('planning_meeting = "not stated"', "planning_meeting = 5", 1)
    own.write_text(text, encoding="utf-8")
    assert tomllib.loads(text)["timescales"]["planning_meeting"] == 5
    capsys.readouterr()
    code = main(["doctor", "--config", str(folder / "family-time.toml")])
    out = capsys.readouterr().out
    assert "✗ fix" not in out, out
    assert code == 0


def test_doctor_on_a_folder_reading_the_shipped_profile(tmp_path, capsys):
    folder = tmp_path / "old"
    assert main(["init", str(folder), "--profile", "milton-keynes"]) == 0
    config = folder / "family-time.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'profile = "service-profile.toml"', 'profile = "milton-keynes"'
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["doctor", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "no copy of its own" in out and "--profile milton-keynes --force" in out
    # MK's postcodes are not stated: said, never a placeholder printed
    assert "Venue 'Coffee Hall' has no postcode" in out
    assert "MK6 0AA" not in out


def test_doctor_lists_every_placeholder_postcode(capsys):
    """Northamptonshire's shipped venues carry invented postcodes: each is listed."""
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    for postcode in ("NN3 0AA", "NN1 0AB", "NN15 0AA", "NN18 0AA", "NN11 0AA"):
        assert f"placeholder postcode {postcode}" in out


@pytest.mark.parametrize("name", ["blackpool", "milton-keynes", "northamptonshire"])
def test_a_folder_named_like_the_profile_is_never_read_as_it(name, tmp_path, monkeypatch, capsys):
    """`cd X; family-time doctor --config X/blackpool/family-time.toml` with X/blackpool a
    folder: every command reads the profile, not the folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FAMILY_TIME_CONFIG", raising=False)
    (tmp_path / name).mkdir()
    assert main(["init", name, "--profile", name]) == 0
    config = f"{name}/family-time.toml"
    # a folder set up before the own copy, naming the shipped profile
    text = (tmp_path / config).read_text(encoding="utf-8")
    (tmp_path / config).write_text(
        text.replace('profile = "service-profile.toml"', f'profile = "{name}"'), encoding="utf-8"
    )
    capsys.readouterr()
    for argv in (
        ["doctor", "--config", config],
        ["calendar", "--config", config],
        ["calendar", "--profile", name],
        ["status", "--config", config],
        ["watch", "--once", "--config", config],
    ):
        main(argv)
        captured = capsys.readouterr()
        assert "IsADirectoryError" not in captured.err + captured.out, argv
        assert f"service profile {name}" in captured.out.splitlines()[0], argv
    assert load_profile(name).id == name
    assert (PROFILES / f"{name}.toml").is_file()


def test_init_refuses_new_service_and_profile_together(tmp_path, capsys):
    argv = ["init", str(tmp_path / "z"), "--profile", "blackpool", "--new-service", "X Council"]
    assert main(argv) == 2
    assert "not both" in capsys.readouterr().err
