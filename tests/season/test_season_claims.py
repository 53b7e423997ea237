"""Three months of each service, played through the command as people would (referrals, an
update, allocations and a changed one, session records sent, missed and missing, proposals
approved, declined and left undecided, the mail server arriving late, the turn of the year, a
review report), and every claim of every output checked against the script: no cell, line,
mail, letter or report may say something happened that did not."""

from __future__ import annotations

import pytest

from tests.helpers.season_audit import audit
from tests.helpers.season_script import SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_every_act_of_the_script_could_be_done(season_of, service):
    """The audit means something only if the season really happened: every row typed into
    was there, every decision had its proposal waiting."""
    season = season_of(service)
    assert [
        f"{e.day} {e.who} could not {e.what} {e.child}: {why}" for e, why in season.not_done
    ] == []
    assert set(season.refs) == {"A", "B", "C", "D"}
    assert season.refs["D"].startswith("FT-2027-")  # the turn of the year


@pytest.mark.parametrize("service", SERVICES)
def test_a_season_makes_no_false_claim(season_of, service):
    false = audit(season_of(service))
    print(f"\n{len(false)} false claim(s) in {service}'s season:")
    for line in false:
        print("  " + line)
    assert false == []
