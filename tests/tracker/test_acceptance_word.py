"""Where a person accepts referrals (the profile's [acceptance]), the tracker does not call a
complete referral "Accepted" before they did: it says whose acceptance it awaits, as the
acknowledgement does. Where acceptance is automatic (Northamptonshire) it says Accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.profile import load_profile

from tests.helpers.sessions_kit import FORMS, REF, Session

EXPECTED = {
    "blackpool": "Received: awaiting acceptance by the Family Time Manager",
    "milton-keynes": "Received: awaiting acceptance by a Senior Family Time Worker",
    "northamptonshire": "Accepted",
}


@pytest.mark.parametrize("service", sorted(EXPECTED))
def test_the_checked_cell_says_what_the_acknowledgement_says(tmp_path, service):
    s = Session(tmp_path / "work")
    s.profile = load_profile(service)
    [item], _ = s.process(FORMS / "referral-complete.docx", dt.datetime(2026, 10, 26, 10))
    assert item.outcome == "accepted" and item.reference == REF
    [row] = s.rows("Referrals")
    assert row["Checked"] == EXPECTED[service]
    [mail] = [
        p
        for p in s.mail()
        if "will look at it" in p.read_text(errors="replace")
        or "has been accepted" in p.read_text(errors="replace")
    ]
    text = mail.read_text(errors="replace")
    assert ("has been accepted" in text) == (service == "northamptonshire")
