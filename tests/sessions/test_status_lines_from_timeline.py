"""What `status` and the digest say about proposals comes from the case timeline: "waits for a
decision" only while nobody decided, "suspended" only once the suspension started (its letters
made), and nothing at all for a declined proposal."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.cases import suspension as S
from pipeline.cases.case import case_of
from pipeline.ledger import Ledger
from pipeline.models import RuleAction
from pipeline.profile import load_profile
from pipeline.sessions.proposals import status_lines

D = dt.date
RAISED = D(2026, 11, 10)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-12")


def _action(ref: str) -> RuleAction:
    return RuleAction(
        reference=ref,
        kind="suspension",
        session_dates=[D(2026, 11, 4), D(2026, 11, 9)],
        suspended_from=D(2026, 11, 11),
        suspended_until=D(2026, 11, 17),
    )


def _raise(ledger: Ledger, ref: str) -> int:
    action = _action(ref)
    ledger.add_rule_action(action)
    sa = next(x for x in ledger.rule_actions() if x.action.reference == ref)
    ledger.record_event(S.proposal_raised(sa.id, action, RAISED))
    return sa.id


def _decide(ledger: Ledger, ref: str, pid: int, decision: str) -> None:
    case = case_of(ledger, ref)
    ledger.record_event(S.decided(case, pid, decision, "Pat Manager", D(2026, 11, 11)))


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(tmp_path / "ledger.sqlite")
    yield led
    led.close()


def test_each_line_says_only_what_happened(ledger):
    profile = load_profile("northamptonshire")
    waiting = _raise(ledger, "FT-2026-00001")
    declined = _raise(ledger, "FT-2026-00002")
    _decide(ledger, "FT-2026-00002", declined, "Declined")
    approved = _raise(ledger, "FT-2026-00003")
    _decide(ledger, "FT-2026-00003", approved, "Approved")
    held = _raise(ledger, "FT-2026-00004")
    _decide(ledger, "FT-2026-00004", held, "Approved")
    span = S.Span(D(2026, 11, 12), D(2026, 11, 18), why="meeting", to_meeting=True)
    ledger.record_event(S.suspension_started("FT-2026-00004", held, span, "Pat Manager", RAISED))

    lines = status_lines(ledger, profile, resuming=True)

    assert any(
        line.startswith(f"P{waiting} FT-2026-00001: 'Suspend family time' waits for a decision")
        for line in lines
    )
    # a declined proposal waits for nobody and nothing was suspended
    assert not [line for line in lines if "FT-2026-00002" in line]
    # approved but no letters yet: never "suspended"
    assert not [line for line in lines if "FT-2026-00003" in line and "suspended" in line]
    assert f"P{held} FT-2026-00004: suspended with no meeting date yet" in " ".join(lines)


def test_family_time_resumes_the_day_after_the_suspension(ledger):
    profile = load_profile("northamptonshire")
    pid = _raise(ledger, "FT-2026-00005")
    _decide(ledger, "FT-2026-00005", pid, "Approved")
    span = S.Span(D(2026, 11, 12), D(2026, 11, 18))
    ledger.record_event(S.suspension_started("FT-2026-00005", pid, span, "Pat Manager", RAISED))

    assert f"P{pid} FT-2026-00005: family time resumes on 19/11/2026." in status_lines(
        ledger, profile, resuming=True
    )
    assert status_lines(ledger, profile) == []  # the digest: nothing waits for a person
