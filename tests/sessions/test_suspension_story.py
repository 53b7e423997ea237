"""Six weeks of one family's sessions, told through the pipeline as the team lives them: records
arrive, the missed-session rule proposes, a person types a decision (and a meeting) into the
Decisions sheet, and the co-ordinator asks `family-time sessions REF --json`, reads the Status
cell, the digest and the month report. Every view says only what the case timeline holds:
nothing is "Suspended" before an approval, nothing "sent" without letters, a declined proposal
is declined, and the sessions the letters cancelled are never asked for.

Northamptonshire: "on hold for a minimum of 7 days pending a review meeting" (its agreement),
then legal advice after two more misses. Blackpool: no minimum, no legal-advice step, the
allocated social worker decides.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.cli import main

from tests.fixtures.make_fixtures import RECORD_2026_T, TEMPLATES, fill_form
from tests.helpers.sessions_kit import FORMS, REF, Session, decide
from tests.sessions.make_records import missed, took_place


def D(day: int, month: int = 12, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(18, 0))


class Story:
    """One referral allocated Mondays and Wednesdays from Monday 30 November 2026."""

    def __init__(self, root, service: str, monkeypatch):
        from pipeline.commands.init import init_folder

        init_folder(root, service)
        self.mp = monkeypatch
        self.on(D(26, 10))
        self.s = Session(root)
        [item], _ = self.s.process(FORMS / "referral-complete.docx", dt.datetime(2026, 10, 26, 10))
        assert item.reference == REF
        self.s.allocate(first=dt.datetime(2026, 11, 30))

    def on(self, day: dt.date) -> None:
        """The pipeline's today (never the machine's)."""
        self.mp.setenv("FAMILY_TIME_TODAY", day.isoformat())

    def record(self, day: dt.date, came: bool) -> None:
        """The supervisor's Family Time Record, arriving at 18:00 on the session's day."""
        self.on(day)
        text = day.strftime("%d/%m/%Y")
        values = took_place(text, text) if came else missed(text, text)
        values["session.reference"] = REF
        path = self.s.config.base / f"record-{day.isoformat()}.docx"
        path.write_bytes(
            fill_form(TEMPLATES / RECORD_2026_T, {k: v for k, v in values.items() if v is not None})
        )
        self.s.process(path, at(day))

    def decide(
        self, day: dt.date, decision: str, by: str, proposal: str, meeting: dt.date | None = None
    ) -> None:
        self.on(day)
        decide(
            self.s,
            decision,
            by=by,
            on=at(day) if by else None,
            proposal=proposal,
            meeting=at(meeting) if meeting else None,
        )

    def meeting(self, day: dt.date, proposal: str, meeting: dt.date) -> None:
        """The Meeting on date typed later into an approved proposal's row."""
        self.on(day)
        decide(self.s, "Approved", by=None, proposal=proposal, meeting=at(meeting))

    def pass_on(self, day: dt.date) -> None:
        """A pass of the pipeline with nothing new in the inbox (the watcher's)."""
        from pipeline.effects import run_effects

        self.on(day)
        run_effects(self.s.ledger, self.s.config, self.s.profile)

    def facts(self, capsys) -> dict:
        code = main(
            ["sessions", REF, "--json", "--config", str(self.s.config.base / "family-time.toml")]
        )
        out = capsys.readouterr().out
        assert code == 0
        return json.loads(out[out.index("{") :])

    def text(self, capsys) -> str:
        code = main(["sessions", REF, "--config", str(self.s.config.base / "family-time.toml")])
        assert code == 0
        return capsys.readouterr().out

    def status(self) -> str:
        [row] = [r for r in self.s.rows("Referrals") if r["Reference"] == REF]
        return str(row["Status"] or "")

    def decisions_row(self, proposal: str) -> dict:
        return next(r for r in self.s.rows("Decisions") if r["Proposal no."] == proposal)

    def missing_records(self, day: dt.date) -> list[str]:
        from pipeline.notify.digest import reminders

        self.on(day)
        return [
            r.text
            for r in reminders(self.s.ledger, self.s.config, self.s.profile, day)
            if r.kind == "records_overdue"
        ]

    def month(self, month: dt.date, made: dt.date) -> dict:
        from pipeline.reports.month import month_figures

        self.on(made)
        f = month_figures(self.s.ledger, self.s.profile, month, made=made)
        return dict(f.section("suspensions").rows)


def _action(facts: dict, proposal: str) -> dict:
    return next(a for a in facts["actions"] if a["proposal"] == proposal)


@pytest.fixture
def northants(tmp_path, monkeypatch):
    story = Story(tmp_path / "work", "northamptonshire", monkeypatch)
    yield story
    story.s.ledger.close()


@pytest.fixture
def blackpool(tmp_path, monkeypatch):
    story = Story(tmp_path / "work", "blackpool", monkeypatch)
    yield story
    story.s.ledger.close()


MANAGER = "Pat Manager"
NORTHANTS_DECIDES = "the Family Time team manager, with the social worker"


def test_northamptonshire_six_weeks(northants, capsys):
    st = northants
    for day, came in ((D(30, 11), True), (D(2), True), (D(7), True), (D(9), False), (D(14), False)):
        st.record(day, came)

    # 14/12: two misses in a row -> a proposal, and nothing else
    facts = st.facts(capsys)
    p1 = _action(facts, "P1")
    assert p1["state"] == "proposed" and p1["waiting_for_decision_by"] == NORTHANTS_DECIDES
    assert p1["suspended_from"] is None and p1["letters_sent"] is False and p1["documents"] == []
    out = st.text(capsys)
    assert (
        f"Proposed: suspend family time after missing 09/12/2026 and 14/12/2026 (proposal "
        f"P1, raised on 14/12/2026), waiting for a decision by {NORTHANTS_DECIDES}." in out
    )
    assert "Suspended" not in out
    assert not st.status().startswith("Suspended")

    # the manager approves on 14/12: suspended from 15/12, held until the review meeting
    st.decide(D(14), "Approved", MANAGER, "P1")
    facts = st.facts(capsys)
    p1 = _action(facts, "P1")
    assert p1["state"] == "suspended" and p1["decided_by"] == MANAGER
    assert (p1["suspended_from"], p1["suspended_until"]) == ("2026-12-15", "2026-12-21")
    assert p1["until_the_meeting"] is True
    assert p1["letters_sent"] is True and any(
        "Suspension letter to parent 1" in d for d in p1["documents"]
    )
    assert (
        "Suspended from 15/12/2026 until the review meeting is held (at least until "
        "21/12/2026), approved by Pat Manager on 14/12/2026"
    ) in st.text(capsys)
    assert st.status() == "Suspended until the review meeting (at least 21/12/2026)"

    # a meeting on 18/12, typed on 16/12: earlier than the agreement's minimum of 7 days, so
    # it does not cut the suspension short, and the row says so
    st.meeting(D(16), "P1", D(18))
    p1 = _action(st.facts(capsys), "P1")
    assert (p1["suspended_until"], p1["meeting_on"]) == ("2026-12-21", "2026-12-18")
    assert p1["until_the_meeting"] is False
    assert p1["notes"] == [
        "The meeting on 18/12/2026 is earlier than the service's minimum of "
        "7 days: the suspension still runs until 21/12/2026."
    ]
    assert st.status() == "Suspended until 21/12/2026"
    assert "earlier than the service's minimum of 7 days" in st.decisions_row("P1")["What was made"]

    # 22/12: the last day has passed; the suspension ends and Status says so
    st.pass_on(D(22))
    p1 = _action(st.facts(capsys), "P1")
    assert p1["state"] == "ended" and p1["resumed_on"] == "2026-12-22"
    assert (
        "Suspension ended on 21/12/2026 (the service's minimum of 7 days); family time "
        "resumed on 22/12/2026." in st.text(capsys)
    )
    assert st.status() == "Allocated"
    # the sessions of 16 and 21 December the letters cancelled are never asked for
    assert st.missing_records(D(24)) == []

    # after the restart the rule goes on counting: two more misses ask for legal advice
    st.record(D(23), False)
    st.record(D(30), False)
    facts = st.facts(capsys)
    assert facts["waiting_for_records"] == []
    p2 = _action(facts, "P2")
    assert (p2["kind"], p2["state"], p2["sessions"]) == (
        "legal_advice",
        "proposed",
        ["2026-12-23", "2026-12-30"],
    )
    st.decide(D(31), "Approved", MANAGER, "P2")
    p2 = _action(st.facts(capsys), "P2")
    assert p2["state"] == "approved" and p2["letters_sent"] is True
    assert (
        "Social worker asked to take legal advice after missing 23/12/2026 and "
        "30/12/2026, approved by Pat Manager on 31/12/2026 (proposal P2)." in st.text(capsys)
    )

    # no record comes for 4 January: asked for, and still asked for weeks later
    st.record(D(6, 1, 2027), True)
    for day in (D(8, 1, 2027), D(10, 2, 2027)):
        missing = st.missing_records(day)
        assert any("no session record for 04/01/2027" in t for t in missing)
        assert not any(x in t for t in missing for x in ("16/12/2026", "21/12/2026"))

    # December in the month report, now and again later: the same figures
    now = st.month(D(1), made=D(4, 1, 2027))
    assert st.month(D(1), made=D(1, 6, 2027)) == now
    assert (
        now["Suspensions started (approved, letters made)"],
        now["Suspensions proposed"],
        now["Proposals approved"],
        now["Proposals declined"],
        now["Proposals not decided by the month's end"],
        now["Legal advice asked for (approved)"],
    ) == (1, 1, 1, 0, 0, 1)

    # reading the sheet again writes nothing twice
    from pipeline.ledger.names import EventKind

    before = len(st.s.ledger.events(REF))
    st.pass_on(D(11, 2, 2027))
    st.pass_on(D(12, 2, 2027))
    assert len(st.s.ledger.events(REF)) == before
    kinds = [e.kind for e in st.s.ledger.events(REF, kinds=[EventKind.DECIDED])]
    assert len(kinds) == 2


SOCIAL_WORKER = "Sam Fictional-Worker"  # the referral's allocated social worker


def test_blackpool_declined_then_undecided_then_a_late_meeting(blackpool, capsys):
    st = blackpool
    for day, came in ((D(30, 11), True), (D(2), False), (D(7), False)):
        st.record(day, came)

    # the allocated social worker declines: never "Suspended", nothing made
    st.decide(D(8), "Declined", SOCIAL_WORKER, "P1")
    facts = st.facts(capsys)
    p1 = _action(facts, "P1")
    assert (p1["state"], p1["decided_by"], p1["decided_on"]) == (
        "declined",
        SOCIAL_WORKER,
        "2026-12-08",
    )
    assert p1["letters_sent"] is False and p1["documents"] == [] and p1["suspended_from"] is None
    out = st.text(capsys)
    assert "Declined by Sam Fictional-Worker on 08/12/2026: proposal P1" in out
    assert "Suspended" not in out and "Letters and notice made" not in out
    assert not st.status().startswith("Suspended")

    # family time as it was: the next two misses propose a suspension again
    st.record(D(9), True)
    st.record(D(14), False)
    st.record(D(16), False)
    p2 = _action(st.facts(capsys), "P2")
    assert (p2["kind"], p2["state"]) == ("suspension", "proposed")
    assert p2["waiting_for_decision_by"] == "the allocated social worker"

    # nobody decides before Christmas: the proposal cancelled nothing, so 21/12 is awaited
    assert any("no session record for 21/12/2026" in t for t in st.missing_records(D(4, 1, 2027)))

    # December, as the month report tells it now and after the January decision
    december = st.month(D(1), made=D(3, 1, 2027))
    assert (
        december["Suspensions proposed"],
        december["Proposals approved"],
        december["Proposals declined"],
        december["Proposals not decided by the month's end"],
        december["Suspensions started (approved, letters made)"],
    ) == (2, 0, 1, 1, 0)

    # approved on 4 January: suspended 5 to 11 January (7 days, Blackpool states no minimum)
    st.decide(D(4, 1, 2027), "Approved", SOCIAL_WORKER, "P2")
    p2 = _action(st.facts(capsys), "P2")
    assert (p2["suspended_from"], p2["suspended_until"], p2["until_the_meeting"]) == (
        "2027-01-05",
        "2027-01-11",
        False,
    )
    assert st.status() == "Suspended until 11/01/2027"
    assert st.month(D(1), made=D(1, 6, 2027)) == december

    # the meeting is set for 14 January, after the 7 days: family time stays suspended until
    # it, and the late meeting is flagged
    st.meeting(D(8, 1, 2027), "P2", D(14, 1, 2027))
    p2 = _action(st.facts(capsys), "P2")
    assert p2["suspended_until"] == "2027-01-13"
    assert any(n.startswith("LATE MEETING: the meeting on 14/01/2027") for n in p2["notes"])
    assert st.status() == "Suspended until 13/01/2027"

    # 14 January: it ends at the meeting
    st.pass_on(D(14, 1, 2027))
    p2 = _action(st.facts(capsys), "P2")
    assert p2["state"] == "ended" and p2["ended_by"] == "meeting"
    assert "(the review meeting on 14/01/2027); family time resumed on 14/01/2027" in st.text(
        capsys
    )
    assert st.status() == "Allocated"
    # the sessions the suspension cancelled (6, 11, 13 January) are never asked for; 18/01 is
    missing = st.missing_records(D(25, 1, 2027))
    assert any("18/01/2027" in t for t in missing)
    assert not any(x in t for t in missing for x in ("06/01/2027", "11/01/2027", "13/01/2027"))
    january = st.month(D(1, 1, 2027), made=D(1, 2, 2027))
    assert january["Suspensions started (approved, letters made)"] == 1


def test_an_approval_changed_to_declined_ends_the_suspension_that_day(northants, capsys):
    """The manager approves, then (before any meeting) changes the row to Declined: a new
    decision on the timeline; the suspension ends that day and Status no longer says it."""
    st = northants
    for day, came in ((D(30, 11), True), (D(2), True), (D(7), True), (D(9), False), (D(14), False)):
        st.record(day, came)
    st.decide(D(14), "Approved", MANAGER, "P1")
    assert st.status().startswith("Suspended until")
    st.decide(D(17), "Declined", "Alex Head-of-Service", "P1")
    p1 = _action(st.facts(capsys), "P1")
    assert p1["state"] == "ended" and p1["decision"] == "Declined"
    assert p1["resumed_on"] == "2026-12-17" and p1["ended_by"] == "withdrawn"
    out = st.text(capsys)
    assert "approved by Pat Manager on 14/12/2026" in out
    assert (
        "Suspension ended on 16/12/2026 (the decision changed to Declined by "
        "Alex Head-of-Service on 17/12/2026)"
    ) in out
    assert st.status() == "Allocated"
    st.pass_on(D(18))
    from pipeline.ledger.names import EventKind

    assert len(st.s.ledger.events(REF, kinds=[EventKind.DECIDED])) == 2


def test_a_suspension_carried_out_before_the_timeline_is_told_without_rewriting_status(
    referred, monkeypatch, capsys
):
    """A ledger from before the case timeline: its proposals, decisions and letters are put on
    the timeline on the next pass, a suspension long over as ended, and the Status cell (the
    co-ordinator's since) is not written again."""
    from pipeline.effects import run_effects
    from pipeline.models import RuleAction

    ledger = referred.ledger
    ledger.add_rule_action(
        RuleAction(
            reference=REF,
            kind="suspension",
            session_dates=[D(4, 11), D(9, 11)],
            suspended_from=D(11, 11),
            suspended_until=D(17, 11),
            decision="Approved",
            decided_by=MANAGER,
            decided_on=D(10, 11),
        )
    )
    [sa] = ledger.rule_actions(REF)
    ledger.mark_rule_action_done(sa.id, ["Suspension letter to parent 1 2026-11-11.docx"])
    ledger.mark_status_written([sa.id])
    run_effects(ledger, referred.config, referred.profile)
    assert (
        main(
            ["sessions", REF, "--json", "--config", str(referred.config.base / "family-time.toml")]
        )
        == 0
    )
    out = capsys.readouterr().out
    p1 = _action(json.loads(out[out.index("{") :]), "P1")
    assert (p1["state"], p1["suspended_from"], p1["resumed_on"], p1["letters_sent"]) == (
        "ended",
        "2026-11-11",
        "2026-11-18",
        True,
    )
    from pipeline.tracker.cells import statuses

    assert statuses(ledger) == ({}, [])  # nothing to write over the co-ordinator's
    before = len(ledger.events(REF))
    run_effects(ledger, referred.config, referred.profile)
    assert len(ledger.events(REF)) == before
