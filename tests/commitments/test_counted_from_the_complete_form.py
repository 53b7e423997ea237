"""Blackpool's mail to the social worker says "Our timescales start from the day we receive
the completed form". A referral first sent incomplete on Monday 2 November 2026 and completed
on Wednesday 4 November is due a planning meeting by Friday 6 November and an allocation by
Thursday 5 November (what the tracker's due-date cells show): the digest, the planning-meeting
chase and the month's figures count from 4 November too, never from the incomplete form."""

from __future__ import annotations

import datetime as dt

from pipeline.models import Problem
from pipeline.reports.month import month_figures

from tests.helpers.commitments_kit import arrives, digest_lines
from tests.helpers.season_kit import _packed

D = dt.date
MONDAY = dt.datetime(2026, 11, 2, 10)  # the form arrives incomplete
WEDNESDAY = dt.datetime(2026, 11, 4, 10)  # the completed form arrives
DOB = Problem(key="child.dob", label="Date of birth", message="Date of birth is missing")


def _referral(ledger, profile, root):
    first = arrives(ledger, profile, root, 1, MONDAY, "incomplete", problems=[DOB])
    return arrives(ledger, profile, root, 2, WEDNESDAY, "accepted", update_of=first.reference)


def test_the_tracker_digest_and_chase_count_from_the_completed_form(blackpool_ledger):
    config, profile, ledger, root = blackpool_ledger
    complete = _referral(ledger, profile, root)
    ref = complete.reference
    # the tracker's cells (the completed form's verdict): meeting by 06/11, allocate by 05/11
    assert complete.verdict.due["planning_meeting"] == D(2026, 11, 6)
    assert complete.verdict.due["allocation"] == D(2026, 11, 5)

    # Wednesday, the day the completed form came: nothing to chase yet
    on_4th = digest_lines(ledger, config, profile, D(2026, 11, 4))
    assert not [t for t in on_4th if "chase" in t], on_4th
    assert f"{ref}: Allocated to a Together Worker due tomorrow (05/11/2026)" in on_4th
    assert not [t for t in on_4th if "Planning meeting due" in t]

    # Thursday: one working day after the completed form's acknowledgement asked for it
    on_5th = digest_lines(ledger, config, profile, D(2026, 11, 5))
    [chase] = [t for t in on_5th if "chase" in t]
    assert "1 working day after the planning meeting was asked for (04/11/2026)" in chase
    assert "02/11/2026" not in " ".join(on_5th)
    assert f"{ref}: Planning meeting due tomorrow (06/11/2026)" in on_5th


def test_the_month_does_not_count_it_late(blackpool_ledger):
    config, profile, ledger, root = blackpool_ledger
    complete = _referral(ledger, profile, root)
    ref = complete.reference
    _packed(ledger, complete, D(2026, 11, 5))  # allocated on its due day
    ledger.record_met(ref, "planning_meeting", D(2026, 11, 6), dt.datetime(2026, 11, 6, 12))

    f = month_figures(ledger, profile, D(2026, 11, 1), made=D(2026, 12, 1))
    late = f.section("commitments").lists
    for what in ("Planning meeting held", "Allocated (pack made)"):
        assert ref not in late.get(f"Late, by reference: {what}", []), late
    assert f.value("commitments", "Planning meeting held") == "100% (1 of 1)"
    assert f.value("commitments", "Allocated (pack made)") == "100% (1 of 1)"
