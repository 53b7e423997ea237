"""Each rule a shipped profile states carries the seed line it comes from (000-002
Northamptonshire, 003 Blackpool, 004 Milton Keynes) or says it is a team setting, so anyone
can check it against the service's own words (docs/service-rules.md)."""

from __future__ import annotations

import pytest

from pipeline.doctor import _settings
from pipeline.paths import PROFILES

SEEDS = {
    "northamptonshire": ("000", "001", "002"),
    "blackpool": ("003",),
    "milton-keynes": ("004",),
}
RULE_PARTS = ("timescales.", "referrals.", "limits.", "decisions.", "recording.", "venue_kinds")


@pytest.mark.parametrize("service", sorted(SEEDS))
def test_every_stated_rule_cites_its_seed_or_is_a_team_setting(service):
    lines = (PROFILES / f"{service}.toml").read_text(encoding="utf-8").splitlines()
    uncited = []
    for key, value, comment in _settings(lines):
        if not key.startswith(RULE_PARTS):
            continue
        if value.strip("\"'").lower() == "not stated" or value == "false":
            continue  # silent: nothing is applied
        if not (any(seed in comment for seed in SEEDS[service]) or "team setting" in comment):
            uncited.append(f"{key} = {value}")
    assert uncited == []
