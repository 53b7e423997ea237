"""Service profiles: every shipped one loads; a bad file says which setting is wrong."""

import datetime as dt

import pytest

from pipeline.paths import PROFILES
from pipeline.profile import ProfileError, load_profile

SHIPPED = sorted(p.stem for p in PROFILES.glob("*.toml"))


def test_three_profiles_are_shipped():
    assert SHIPPED == ["blackpool", "milton-keynes", "northamptonshire"]


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_profile_loads(name):
    p = load_profile(name)
    assert p.id == name
    assert "Sunday" not in p.hours.session_days
    assert p.venues or p.venue_kinds  # somewhere to hold family time


def test_service_differences_come_from_the_profile():
    nct, mk, bp = (load_profile(n) for n in ("northamptonshire", "milton-keynes", "blackpool"))
    assert nct.words["case_system"] == "CareFirst" and bp.case_system == "Mosaic"
    assert mk.case_system == "not stated" and mk.words["case_system"] == "Case record"
    assert dt.date(2025, 3, 4) in nct.closures.training_days
    assert bp.timescales.first_session == 3 and bp.recording.deadline_hours == 24
    assert mk.lateness.max_late_minutes == 0


GOOD = """
id = "test"
name = "Test Council"
address = "1 Example Road"
phone = "01632 960000"
team_inbox = "ft@example.org"
[mail]
from_address = "ft@example.org"
from_name = "Family Time"
[[venues]]
name = "Centre"
address = "Centre"
postcode = "NN1 1AA"
"""


def write(tmp_path, text):
    path = tmp_path / "service.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_profile_takes_no_rule_from_another_service(tmp_path):
    """A rule left out is refused, naming it, and saying how to mark a silent document."""
    with pytest.raises(ProfileError) as err:
        load_profile(write(tmp_path, GOOD))
    text = str(err.value)
    for setting in ("timescales", "lateness", "missed_sessions", "decisions", "review"):
        assert f"  - {setting}: missing" in text
    assert '"not stated"' in text and "another service" in text


def test_not_stated_is_kept_as_no_rule(tmp_path):
    text = (PROFILES / "milton-keynes.toml").read_text(encoding="utf-8")
    p = load_profile(write(tmp_path, text))
    assert p.recording.deadline_hours is None and p.timescales.allocation is None
    assert p.timescales.due_keys() == []


@pytest.mark.parametrize(
    "extra, named",
    [
        ('[timescales]\ncontact = "two"\n', "timescales.contact"),
        ('[closures]\ntraining_days = ["4th March"]\n', "closures.training_days"),
        ('[hours]\nworking_days = ["Funday"]\n', "hours.working_days"),
        ("[recording]\ndeadline_days = 2\n", "recording.deadline_days"),
    ],
)
def test_bad_setting_is_named(tmp_path, extra, named):
    with pytest.raises(ProfileError) as err:
        load_profile(write(tmp_path, GOOD + extra))
    assert named in str(err.value) and "service.toml" in str(err.value)


def test_missing_setting_is_named(tmp_path):
    with pytest.raises(ProfileError) as err:
        load_profile(write(tmp_path, GOOD.replace('team_inbox = "ft@example.org"\n', "")))
    assert "team_inbox" in str(err.value)


def test_not_toml(tmp_path):
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(write(tmp_path, "id = \n"))


def test_unknown_profile_lists_the_shipped_ones():
    with pytest.raises(ProfileError, match="blackpool, milton-keynes, northamptonshire"):
        load_profile("nowhere")
