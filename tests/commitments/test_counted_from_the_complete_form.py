"""Blackpool's mail to the social worker says "Our timescales start from the day we receive
the completed form". A referral first sent incomplete on Monday 2 November 2026 and completed
on Wednesday 4 November is due a planning meeting by Friday 6 November and an allocation by
Thursday 5 November (what the tracker's due-date cells show): the digest, the planning-meeting
chase and the month's figures count from 4 November too, never from the incomplete form."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from pipeline.cases import acknowledgement
from pipeline.ledger import ItemDraft
from pipeline.ledger.names import MailHow
from pipeline.models import Problem, Verdict
from pipeline.notify.digest import reminders
from pipeline.reports.month import month_figures
from pipeline.validate.calendar import ServiceCalendar, due_dates

from tests.helpers.season_kit import _packed, referral_values

D = dt.date
MONDAY = dt.datetime(2026, 11, 2, 10)  # the form arrives incomplete
WEDNESDAY = dt.datetime(2026, 11, 4, 10)  # the completed form arrives
DOB = Problem(key="child.dob", label="Date of birth", message="Date of birth is missing")


@pytest.fixture
def blackpool(tmp_path, monkeypatch):
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.ledger import Ledger

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-02")
    config = load_config(init_folder(tmp_path / "work", "blackpool"))
    ledger = Ledger(config.ledger_path)
    yield config, config.load_profile(), ledger, tmp_path
    ledger.close()


def _arrives(ledger, profile, root, n, when, outcome, problems=(), update_of=None):
    """A submission as intake records it: the verdict's own clock start and due dates (what
    the tracker's due-date cells show), and the reply the mail effect sends that day."""
    verdict = Verdict(
        verdict="complete" if outcome == "accepted" else "incomplete",
        kind="referral",
        form_id="family-time-referral",
        values=referral_values("Kit", "Example"),
        problems=list(problems),
        received=when,
        counted_from=ServiceCalendar(profile).counted_from(when),
        due=due_dates(when, profile),
    )
    draft = ItemDraft(
        original_name=f"referral-{n}.docx",
        outcome=outcome,
        reason="",
        verdict=verdict,
        case_id="C9",
        update_of=update_of,
    )
    _, [item] = ledger.record_file(
        sha256=hashlib.sha256(f"complete-form-{n}".encode()).hexdigest(),
        original_name=draft.original_name,
        size=1,
        received_at=when,
        source_path=root / f"in-{n}",
        archive_root=root / "archive",
        drafts=[draft],
    )
    ledger.record_event(
        acknowledgement.acknowledged_event(item.reference, item.id, MailHow.SENT, when.date())
    )
    return item


def _referral(ledger, profile, root):
    first = _arrives(ledger, profile, root, 1, MONDAY, "incomplete", [DOB])
    return _arrives(ledger, profile, root, 2, WEDNESDAY, "accepted", update_of=first.reference)


def _lines(ledger, config, profile, day):
    return [r.text for r in reminders(ledger, config, profile, day, allocations={})]


def test_the_tracker_digest_and_chase_count_from_the_completed_form(blackpool):
    config, profile, ledger, root = blackpool
    complete = _referral(ledger, profile, root)
    ref = complete.reference
    # the tracker's cells (the completed form's verdict): meeting by 06/11, allocate by 05/11
    assert complete.verdict.due["planning_meeting"] == D(2026, 11, 6)
    assert complete.verdict.due["allocation"] == D(2026, 11, 5)

    # Wednesday, the day the completed form came: nothing to chase yet
    on_4th = _lines(ledger, config, profile, D(2026, 11, 4))
    assert not [t for t in on_4th if "chase" in t], on_4th
    assert f"{ref}: Allocated to a Together Worker due tomorrow (05/11/2026)" in on_4th
    assert not [t for t in on_4th if "Planning meeting due" in t]

    # Thursday: one working day after the completed form's acknowledgement asked for it
    on_5th = _lines(ledger, config, profile, D(2026, 11, 5))
    [chase] = [t for t in on_5th if "chase" in t]
    assert "1 working day after the planning meeting was asked for (04/11/2026)" in chase
    assert "02/11/2026" not in " ".join(on_5th)
    assert f"{ref}: Planning meeting due tomorrow (06/11/2026)" in on_5th


def test_the_month_does_not_count_it_late(blackpool):
    config, profile, ledger, root = blackpool
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
