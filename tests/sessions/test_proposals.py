"""The pipeline proposes, a person decides: the whole loop for each service profile."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.profile import Decisions, load_profile

from tests.helpers.sessions_kit import FORMS, REF, Session, decide

# What each service's policy says (the profiles carry it as [decisions]).
ROLES = {
    "northamptonshire": "the Family Time team manager, with the social worker",
    "blackpool": "the allocated social worker",
    "milton-keynes": "the Family Time team manager",
}


@pytest.fixture(autouse=True)
def _during_the_suspension(monkeypatch):
    """The pipeline's today: 12 November 2026, after the misses of 4 and 9 November and inside
    the suspension they lead to (not the machine's date)."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-12")


def _docx_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    lines += [" | ".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    return "\n".join(lines)


def _referred(tmp_path, service: str, form: str = "referral-complete.docx") -> Session:
    s = Session(tmp_path / "work")
    s.profile = load_profile(service).model_copy(
        update={
            "decisions": Decisions(
                suspend_or_cease=ROLES[service],
                adoption_or_special_guardianship="the adoptive parent or special guardian",
                section_20_warning=True,
                decision_overdue_working_days=2,
            )
        }
    )
    [item], _ = s.process(FORMS / form, dt.datetime(2026, 10, 26, 10))
    assert item.reference == REF
    s.allocate()
    return s


def _two_misses(s: Session) -> None:
    s.record("2026-11-02-took-place-late-written")
    s.record("2026-11-04-did-not-attend")
    s.record("2026-11-09-late-cancelled", dt.datetime(2026, 11, 10, 18))


@pytest.mark.parametrize("service", sorted(ROLES))
def test_two_misses_propose_and_only_an_approval_makes_letters(tmp_path, service):
    s = _referred(tmp_path, service)
    _two_misses(s)
    [proposal] = s.ledger.rule_actions(REF)
    assert proposal.done_at is None and proposal.documents == []
    assert not list((s.config.outbox_dir / REF).glob("Suspension letter*"))
    assert not [p for p in s.mail() if "suspension" in p.name]
    [row] = s.rows("Decisions")
    assert row["Reference"] == REF and row["Proposal"] == "Suspend family time"
    assert row["Who decides"] == ROLES[service]
    assert (
        "04/11/2026, 09/11/2026" in row["Why"] and "Legal status: Interim Care Order" in row["Why"]
    )
    assert row["Decision"] is None and isinstance(row["Decide by"], dt.datetime)
    [referral] = s.rows("Referrals")
    assert not str(referral["Status"] or "").startswith("Suspended")
    # an empty answer is not a decision, nor is Approved without a name
    decide(s, "Approved", by=None)
    assert s.ledger.rule_actions(REF)[0].done_at is None
    decide(
        s, "Approved", by="Pat Decider", on=dt.datetime(2026, 11, 11), proposal=row["Proposal no."]
    )
    [done] = s.ledger.rule_actions(REF)
    assert done.action.decision == "Approved" and done.action.decided_by == "Pat Decider"
    names = sorted(Path(p).name for p in done.documents)
    assert "Suspension letter to parent 1 2026-11-12.docx" in names
    assert any(n.startswith("Notice to social worker suspension") for n in names)
    assert [p for p in s.mail() if "suspension" in p.name]
    notice = _docx_text(next(p for p in done.documents if "Notice" in p))
    assert "has gone to each parent" not in notice and "has not posted" in notice
    [referral] = s.rows("Referrals")
    # Northamptonshire holds family time until the review meeting (7 days at least)
    assert referral["Status"] == (
        "Suspended until the review meeting (at least 18/11/2026)"
        if service == "northamptonshire"
        else "Suspended until 18/11/2026"
    )
    [row] = s.rows("Decisions")
    assert "Suspension letter to parent 1" in row["What was made"]


@pytest.mark.parametrize("service", sorted(ROLES))
def test_declined_closes_the_proposal_with_nothing_made(tmp_path, service):
    s = _referred(tmp_path, service)
    _two_misses(s)
    decide(s, "Declined", by="Pat Decider")
    [closed] = s.ledger.rule_actions(REF)
    assert closed.done_at is not None and closed.documents == []
    assert closed.action.decision == "Declined"
    assert not list((s.config.outbox_dir / REF).glob("Suspension letter*"))
    assert not [p for p in s.mail() if "suspension" in p.name]
    [referral] = s.rows("Referrals")
    assert not str(referral["Status"] or "").startswith("Suspended")
    [row] = s.rows("Decisions")
    assert row["What was made"] == "Declined: nothing was made."


def test_a_meeting_date_ends_the_suspension_and_status_lists_one_without(tmp_path):
    from pipeline.commands.status import gather

    s = _referred(tmp_path, "northamptonshire")
    _two_misses(s)
    facts = gather(s.ledger, s.config, s.profile)
    assert any(
        "waits for a decision by the Family Time team manager" in line
        for line in facts["proposals"]
    )
    decide(s, "Approved", by="Pat Decider", on=dt.datetime(2026, 11, 10))
    facts = gather(s.ledger, s.config, s.profile)
    assert any("no meeting date yet" in line for line in facts["proposals"])
    decide(s, "Approved", by="Pat Decider", meeting=dt.datetime(2026, 11, 16), proposal="P1")
    [done] = s.ledger.rule_actions(REF)
    assert done.action.meeting_on == dt.date(2026, 11, 16)
    # the service's agreement: "on hold for a minimum of 7 days" (11 to 17 November), so a
    # meeting on the 16th does not cut it shorter
    assert done.action.suspended_until == dt.date(2026, 11, 17)
    [referral] = s.rows("Referrals")
    assert referral["Status"] == "Suspended until 17/11/2026"


def test_an_overdue_proposal_is_said_on_status(tmp_path, monkeypatch):
    from pipeline.commands.status import describe, gather

    s = _referred(tmp_path, "blackpool")
    _two_misses(s)
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2030-01-01")
    text = "\n".join(describe(gather(s.ledger, s.config, s.profile)))
    assert "OVERDUE" in text and "the allocated social worker" in text


def test_a_court_directed_suspension_says_seven_days_at_most_with_its_end(tmp_path):
    s = _referred(tmp_path, "northamptonshire", "referral-court-directed.docx")
    _two_misses(s)
    [row] = s.rows("Decisions")
    assert "at most 7 days (until 17/11/2026) unless the court agrees" in row["Why"]
    decide(
        s,
        "Approved",
        by="Pat Decider",
        on=dt.datetime(2026, 11, 10),
        meeting=dt.datetime(2026, 12, 1),
    )
    [done] = s.ledger.rule_actions(REF)
    assert done.action.suspended_until == dt.date(2026, 11, 17)  # the court limit wins
    letter = _docx_text(next(p for p in done.documents if "Suspension letter" in p))
    # the Trust's own rule says the court's limit (once), and the letter says the pause's end
    assert "more than 7 days without the matter going back to court" in letter
    assert "until Tuesday 17 November 2026" in letter
    assert "stays paused until it does" not in letter
    notice = _docx_text(next(p for p in done.documents if "Notice" in p))
    assert "without the matter going back to court" in notice


def test_section_20_and_adoption_cases_say_so_in_the_proposal(tmp_path):
    from pipeline.sessions import proposals as P

    s = _referred(tmp_path, "blackpool")
    _two_misses(s)
    [sa] = s.ledger.rule_actions(REF)
    referral = s.ledger.item_by_reference(REF)
    values = dict(referral.verdict.values, **{"legal.status": "Section 20 (accommodated)"})
    s20 = referral.model_copy(
        update={"verdict": referral.verdict.model_copy(update={"values": values})}
    )
    assert "incompatible with Section 20" in P.why(sa.action, s20, s.profile)
    assert "incompatible" not in P.why(sa.action, referral, s.profile)
    values["legal.status"] = "Special Guardianship Order"
    assert P.who_decides(s20, s.profile) == "the adoptive parent or special guardian"
