"""What a fourth council's officer met setting up from their own procedure (issue 26, the
walk-through recorded in docs/new-service.md): a blank profile promises nothing, so it refuses
no day the form offers, claims no acceptance nobody makes, and every message names the file
and the things the officer actually has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.notify import messages_for
from pipeline.profile import load_profile
from pipeline.tracker.columns import load_spec
from pipeline.validate import validate_extraction

from tests.helpers.validate_kit import RECEIVED, referral, referral_fields

DETAILS = {
    "address": "Family Time Service, Civic Centre, Anytown AT1 1ZZ",
    "phone": "01632 960123",
    "contact_email": "familytime@anytown.test",
    "team_inbox": "familytime@anytown.test",
    "supervisor_role": "Family Time Worker",
    "coordinator_role": "Family Time Co-ordinator",
}


@pytest.fixture
def newcomer(tmp_path, capsys) -> Path:
    """A new council's folder with only the details letters need filled in, as the guide's
    step 3 says; who accepts referrals is left "not stated"."""
    folder = tmp_path / "anytown"
    assert main(["init", str(folder), "--new-service", "Anytown Council"]) == 0
    own = folder / "service-profile.toml"
    text = own.read_text(encoding="utf-8")
    for key, value in DETAILS.items():
        text = text.replace(f'{key} = "not stated"', f'{key} = "{value}"', 1)
    text = text.replace('from_address = "not stated"', 'from_address = "familytime@anytown.test"')
    text = text.replace("venue_kinds = []", 'venue_kinds = ["community"]')
    text += '\n[[venues]]\nname = "Anytown Family Centre"\naddress = "Mill Lane, Anytown"\npostcode = "not stated"\n'
    own.write_text(text, encoding="utf-8")
    capsys.readouterr()
    return folder


def _doctor(folder: Path, capsys) -> tuple[int, str]:
    code = main(["doctor", "--config", str(folder / "family-time.toml")])
    return code, capsys.readouterr().out


def test_a_saturday_request_is_not_refused_by_a_blank_profile(newcomer):
    """The referral form offers Monday to Saturday; a council that has not said otherwise
    does not return a Saturday request as incomplete."""
    profile = load_profile(newcomer / "service-profile.toml")
    v = validate_extraction(
        referral(referral_fields(request__days=["Saturday"])), profile, RECEIVED
    )
    assert v.verdict.startswith("complete"), [p.message for p in v.problems]
    assert "Saturday" in profile.hours.session_days


def test_nobody_named_to_accept_means_nothing_claims_acceptance(newcomer, make_item, capsys):
    """Who accepts is not stated: doctor checks rather than demands a made-up name; the
    acknowledgement says the referral arrived and was logged, with no acceptance step; the
    tracker calls it received and has no "Accepted by" column."""
    code, out = _doctor(newcomer, capsys)
    assert "✗ fix" not in out, out
    assert code == 0
    assert 'Who accepts a referral is "not stated"' in out
    profile = load_profile(newcomer / "service-profile.toml")
    [msg] = messages_for(make_item("accepted"), profile)
    body = msg.message.get_body(("plain",)).get_content()
    assert "arrived safely and has been logged." in body
    assert "accepted" not in body.split("logged.")[0]
    assert "before it is accepted" not in body and "the team will look" not in body.lower()
    spec = load_spec(profile=profile)
    assert spec.words["accepted"] == "Received"
    headers = [c.header for s in spec.sheets for c in s.columns]
    assert not any(h.startswith("Accepted by") for h in headers)


def test_where_a_person_accepts_the_name_is_still_asked_for(newcomer, make_item):
    own = newcomer / "service-profile.toml"
    own.write_text(
        own.read_text(encoding="utf-8").replace(
            'by = "not stated"', 'by = "a Senior Family Time Worker"', 1
        ),
        encoding="utf-8",
    )
    profile = load_profile(own)
    [msg] = messages_for(make_item("accepted"), profile)
    body = msg.message.get_body(("plain",)).get_content()
    assert "A Senior Family Time Worker will look at it before it is accepted." in body
    assert "Senior Family Time Worker" in load_spec(profile=profile).words["accepted"]


def test_doctor_names_venues_once_and_says_when_no_mail_domain_is_known(tmp_path, capsys):
    folder = tmp_path / "bare"
    assert main(["init", str(folder), "--new-service", "Bare Council"]) == 0
    own = folder / "service-profile.toml"
    own.write_text(
        own.read_text(encoding="utf-8")
        + "".join(
            f'\n[[venues]]\nname = "Centre {n}"\naddress = "{n} Sample Street"\npostcode = "not stated"\n'
            for n in (1, 2, 3)
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    _, out = _doctor(folder, capsys)
    assert "venues.postcode" not in out  # each venue is named in its own line instead
    for n in (1, 2, 3):
        assert f"Venue 'Centre {n}' has no postcode" in out
    assert "No email domain is set for documents yet" in out
    assert not re.search(r"domains and their sub-domains: \.", out)


def test_calendar_names_the_file_the_officer_edits(newcomer, capsys):
    assert main(["calendar", "--config", str(newcomer / "family-time.toml"), "--year", "2031"]) == 0
    out = capsys.readouterr().out
    assert "service-profile.toml" in out
    assert "anytown-council.toml" not in out


def test_the_example_venue_is_not_a_real_place():
    text = (
        Path(__file__).parents[2] / "form_templates/profiles/new-service/profile.toml"
    ).read_text(encoding="utf-8")
    assert "Example Family Centre" in text and "Lincoln" not in text


def test_status_counts_complete_referrals_where_nobody_accepts_on_arrival(newcomer, capsys):
    assert main(["status", "--config", str(newcomer / "family-time.toml")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Complete referrals\s+0\n", out)
    assert "Accepted referrals" not in out


def test_doctor_says_only_what_letters_say_of_training_days(newcomer, capsys, monkeypatch):
    """A profile with no training days at all: letters say nothing of them, so doctor does
    not claim they say the days will be told separately (it does where other years are
    listed, as Northamptonshire's letters do)."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2031-06-01")
    _, out = _doctor(newcomer, capsys)
    assert "No training days are listed for 2031 and 2032: sessions would be booked" in out
    assert "told separately" not in out
    main(["doctor"])
    assert "letters say the days will be told separately" in capsys.readouterr().out


def test_a_venues_team_setting_names_the_venue(newcomer, capsys):
    own = newcomer / "service-profile.toml"
    own.write_text(
        own.read_text(encoding="utf-8").replace(
            'address = "Mill Lane, Anytown"',
            'address = "Mill Lane, Anytown"   # team setting: until the centre confirms it',
        ),
        encoding="utf-8",
    )
    _, out = _doctor(newcomer, capsys)
    assert "[venues 'Anytown Family Centre'] address" in out
