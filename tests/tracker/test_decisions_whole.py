"""A decision in the Decisions sheet is applied only when it is whole and belongs to its row,
and one changed after the letters is acted on (issue 25). The person types into the workbook,
which is saved through LibreOffice Calc where it matters (tests/helpers/allocation_kit.py);
what they see afterwards is the row's "What was made", the team's digest, `family-time
sessions` and the letters in the outbox.

The story (Northamptonshire unless said): one referral allocated Mondays and Wednesdays from
30/11/2026; 02/12 and 07/12 missed, so P1 proposes to suspend family time. The team manager on
the Staff sheet is "Pat Example-Manager".
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from pipeline.ledger.names import EventKind

from tests.helpers.allocation_kit import libreoffice_round_trip
from tests.helpers.sessions_kit import REF, on_staff
from tests.sessions.test_suspension_story import D, Story, _action, at

MANAGER = "Pat Example-Manager"


def _proposed(tmp_path, monkeypatch, service: str = "northamptonshire") -> Story:
    st = Story(tmp_path / "work", service, monkeypatch)
    for day, came in ((D(30, 11), True), (D(2), False), (D(7), False)):
        st.record(day, came)
    wb = openpyxl.load_workbook(st.s.workbook)
    on_staff(wb, MANAGER, st.s.profile, role="Family Time team manager")
    on_staff(wb, "Kim Example-Supervisor", st.s.profile, role="Family Time supervisor")
    wb.save(st.s.workbook)
    assert [r["Proposal no."] for r in st.s.rows("Decisions")] == ["P1"]
    return st


def _type(st: Story, day: dt.date, lo: bool = False, **cells) -> None:
    """What a person types into P1's row (None clears a cell), saved (through LibreOffice
    Calc with `lo`), then the next pass on `day`."""
    from pipeline.effects import run_effects

    st.on(day)
    wb = openpyxl.load_workbook(st.s.workbook)
    ws = wb["Decisions"]
    head = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "P1")
    for header, value in cells.items():
        ws.cell(row, head[header.replace("_", " ")]).value = value
    wb.save(st.s.workbook)
    if lo:
        libreoffice_round_trip(st.s.workbook)
    run_effects(st.s.ledger, st.s.config, st.s.profile)


def _made(st: Story) -> str:
    return str(st.decisions_row("P1")["What was made"] or "")


def _digest(st: Story, day: dt.date) -> list[str]:
    from pipeline.notify.digest import reminders

    st.on(day)
    return [r.text for r in reminders(st.s.ledger, st.s.config, st.s.profile, day)]


def _letters(st: Story) -> list:
    return sorted(p.name for p in (st.s.config.outbox_dir / REF).rglob("*suspension*"))


def _nothing_applied(st: Story, capsys) -> None:
    p1 = _action(st.facts(capsys), "P1")
    assert p1["state"] == "proposed" and p1["letters_sent"] is False
    assert _letters(st) == []
    assert not st.status().startswith("Suspended")


@pytest.mark.parametrize(
    "typed, said",
    [
        (
            {"Decision": "Approved", "Decided_on": at(D(8))},
            "Decision says Approved but 'Decided by' is empty",
        ),
        ({"Decision": "yes", "Decided_by": MANAGER}, "'yes' in Decision is not an answer"),
        ({"Decision": "Y"}, "'Y' in Decision is not an answer"),
        (
            {"Decision": "Approved", "Decided_by": "PEM"},
            "'PEM' in 'Decided by' is not a person on the Staff sheet",
        ),
        (
            {"Decision": "Approved", "Decided_by": f"{MANAGER} and Kim Example-Supervisor"},
            "is not a person on the Staff sheet",
        ),
        (
            {"Decision": "Approved", "Decided_by": "Kim Example-Supervisor"},
            "Kim Example-Supervisor is on the Staff sheet as 'Family Time supervisor', who may "
            "not make this decision in this service: it is made by the Family Time team manager",
        ),
        (
            {"Decision": "Approved", "Decided_by": MANAGER, "Decided_on": at(D(20))},
            "'Decided on' 20/12/2026 is in the future",
        ),
        (
            {"Decision": "Approved", "Decided_by": MANAGER, "Decided_on": at(D(1))},
            "'Decided on' 01/12/2026 is before the last missed session (07/12/2026)",
        ),
        (
            {"Decision": "Approved", "Decided_by": MANAGER, "Meeting_on": at(D(17, 12, 2025))},
            "'Meeting on' 17/12/2025 is not after the last missed session (07/12/2026)",
        ),
    ],
)
def test_a_decision_not_whole_is_not_applied_and_the_row_and_digest_say_why(
    tmp_path, monkeypatch, capsys, typed, said
):
    st = _proposed(tmp_path, monkeypatch)
    _type(st, D(8), **typed)
    _nothing_applied(st, capsys)
    assert _made(st).startswith("NOT APPLIED (P1):") and said in _made(st)
    assert any(f"P1 {REF}: the decision typed" in t and said in t for t in _digest(st, D(8)))
    assert not st.s.ledger.events(REF, kinds=[EventKind.DECIDED])


def test_put_right_the_decision_goes_and_the_refusal_is_gone(tmp_path, monkeypatch, capsys):
    st = _proposed(tmp_path, monkeypatch)
    _type(st, D(8), lo=True, Decision="Approved")
    assert "'Decided by' is empty" in _made(st)
    _type(st, D(8), lo=True, Decided_by=MANAGER, Decided_on=at(D(8)))
    p1 = _action(st.facts(capsys), "P1")
    assert (p1["state"], p1["decided_by"]) == ("suspended", MANAGER)
    assert "NOT APPLIED" not in _made(st) and _letters(st)
    assert not any("is not applied" in t for t in _digest(st, D(8)))


def test_a_year_typo_in_meeting_on_never_makes_a_year_long_suspension(
    tmp_path, monkeypatch, capsys
):
    st = _proposed(tmp_path, monkeypatch)
    _type(
        st,
        D(8),
        lo=True,
        Decision="Approved",
        Decided_by=MANAGER,
        Decided_on=at(D(8)),
        Meeting_on="17/12/2025",
    )
    _nothing_applied(st, capsys)
    assert "'Meeting on' 17/12/2025 is not after the last missed session" in _made(st)
    _type(st, D(8), lo=True, Meeting_on=at(D(17)))
    p1 = _action(st.facts(capsys), "P1")
    assert (p1["suspended_from"], p1["suspended_until"]) == ("2026-12-09", "2026-12-16")


def test_cells_moved_by_a_one_column_sort_are_never_acted_on(tmp_path, monkeypatch, capsys):
    """The Reference and Child cells of P1's row show another child (as a sort of those
    columns alone leaves them): the approval typed there is for that child, not P1's."""
    st = _proposed(tmp_path, monkeypatch)
    other = "FT-2026-00002"
    _type(
        st,
        D(8),
        lo=True,
        Reference=other,
        Child="AE",
        Decision="Approved",
        Decided_by=MANAGER,
        Decided_on=at(D(8)),
    )
    _nothing_applied(st, capsys)
    assert f"this row shows {other} / AE, but proposal P1 is about {REF}" in _made(st)
    # the table is put right (or the sync rewrites the cells): the decision typed for the
    # other child is still not applied to this one until someone types it again
    _type(st, D(8), Reference=REF, Child=st.decisions_row("P1")["Child"])
    _nothing_applied(st, capsys)
    assert "typed while this row's cells had been moved" in _made(st)
    _type(st, D(9), Decision=None)
    assert "NOT APPLIED" not in _made(st)
    _type(st, D(9), Decision="Approved", Decided_on=at(D(9)))
    assert _action(st.facts(capsys), "P1")["state"] == "suspended"


def test_approved_then_declined_after_the_letters_withdraws_the_suspension(
    tmp_path, monkeypatch, capsys
):
    st = _proposed(tmp_path, monkeypatch)
    _type(st, D(8), Decision="Approved", Decided_by=MANAGER, Decided_on=at(D(8)))
    assert _action(st.facts(capsys), "P1")["state"] == "suspended" and _letters(st)
    _type(st, D(10), lo=True, Decision="Declined", Decided_on=at(D(10)))
    p1 = _action(st.facts(capsys), "P1")
    assert p1["state"] == "ended"
    decided = st.s.ledger.events(REF, kinds=[EventKind.DECIDED])
    assert [e.detail["decision"] for e in decided] == ["Approved", "Declined"]
    [ended] = st.s.ledger.events(REF, kinds=[EventKind.SUSPENSION_ENDED])
    assert ended.detail["why"] == "withdrawn" and ended.on == D(10)
    assert "the decision changed to Declined by Pat Example-Manager on 10/12/2026" in st.text(
        capsys
    )
    assert _made(st).startswith("WITHDRAWN by Pat Example-Manager on 10/12/2026")
    told = [t for t in _digest(st, D(10)) if "changed to Declined" in t]
    assert told and "tell the parents, the carers and the social worker yourselves" in told[0]
    assert not st.status().startswith("Suspended")


def test_a_reversal_by_nobody_is_not_applied(tmp_path, monkeypatch, capsys):
    st = _proposed(tmp_path, monkeypatch)
    _type(st, D(8), Decision="Approved", Decided_by=MANAGER, Decided_on=at(D(8)))
    _type(st, D(10), Decision="Declined", Decided_by="no", Decided_on=at(D(10)))
    assert _action(st.facts(capsys), "P1")["state"] == "suspended"
    assert "'no' in 'Decided by' is not a person on the Staff sheet" in _made(st)


def test_a_deleted_decided_row_comes_back_with_its_decision(tmp_path, monkeypatch, capsys):
    from pipeline.cli import main

    st = _proposed(tmp_path, monkeypatch)
    _type(st, D(8), Decision="Approved", Decided_by=MANAGER, Decided_on=at(D(8)))
    wb = openpyxl.load_workbook(st.s.workbook)
    wb["Decisions"].delete_rows(2)
    wb.save(st.s.workbook)
    libreoffice_round_trip(st.s.workbook)
    assert main(["tracker", "sync", "--config", str(st.s.config.base / "family-time.toml")]) == 0
    row = st.decisions_row("P1")
    assert (row["Decision"], row["Decided by"]) == ("Approved", MANAGER)
    assert row["Decided on"].date() == D(8)
    st.pass_on(D(9))
    assert _action(st.facts(capsys), "P1")["state"] == "suspended"


def test_blackpool_a_meeting_that_lengthens_the_suspension_makes_new_letters(
    tmp_path, monkeypatch, capsys
):
    st = _proposed(tmp_path, monkeypatch, "blackpool")
    worker = "Sam Fictional-Worker"  # the referral's allocated social worker
    wb = openpyxl.load_workbook(st.s.workbook)
    on_staff(wb, worker, st.s.profile, role="Social worker")
    wb.save(st.s.workbook)
    _type(st, D(8), Decision="Approved", Decided_by=worker, Decided_on=at(D(8)))
    first = _letters(st)
    p1 = _action(st.facts(capsys), "P1")
    assert (p1["state"], p1["suspended_until"]) == ("suspended", "2026-12-15")
    _type(st, D(10), lo=True, Meeting_on=at(D(21)))
    p1 = _action(st.facts(capsys), "P1")
    assert p1["suspended_until"] == "2026-12-20"
    made = st.s.ledger.events(REF, kinds=[EventKind.LETTERS_MADE])
    assert len(made) == 2 and made[-1].detail["until"] == "2026-12-20"
    assert len(_letters(st)) > len(first)
    later = (st.s.config.outbox_dir / REF / "P1 until 2026-12-20").glob("*.docx")
    assert any("suspension" in p.name for p in later)


def test_blackpool_someone_other_than_the_allocated_social_worker_is_refused(
    tmp_path, monkeypatch, capsys
):
    st = _proposed(tmp_path, monkeypatch, "blackpool")
    wb = openpyxl.load_workbook(st.s.workbook)
    on_staff(wb, "Jo Other-Worker", st.s.profile, role="Social worker")
    wb.save(st.s.workbook)
    _type(st, D(8), Decision="Approved", Decided_by="Jo Other-Worker", Decided_on=at(D(8)))
    _nothing_applied(st, capsys)
    assert "not the child's allocated social worker (Sam Fictional-Worker)" in _made(st)


def test_a_meeting_date_typed_later_is_read_and_one_without_a_year_is_said(
    tmp_path, monkeypatch, capsys
):
    st = _proposed(tmp_path, monkeypatch)
    _type(st, D(8), Decision="Approved", Decided_by=MANAGER, Decided_on=at(D(8)))
    p1 = _action(st.facts(capsys), "P1")
    assert (p1["state"], p1["until_the_meeting"]) == ("suspended", True)
    _type(st, D(10), lo=True, Meeting_on="22/12")
    assert "'22/12' in 'Meeting on' is not a date (dd/mm/yyyy, with the year)" in _made(st)
    assert any("'22/12' in 'Meeting on'" in t for t in _digest(st, D(10)))
    assert _action(st.facts(capsys), "P1")["until_the_meeting"] is True
    _type(st, D(10), lo=True, Meeting_on="22/12/2026")
    p1 = _action(st.facts(capsys), "P1")
    assert (p1["until_the_meeting"], p1["suspended_until"]) == (False, "2026-12-21")
    assert "NOT APPLIED" not in _made(st)
    assert st.status() == "Suspended until 21/12/2026"


def test_a_special_guardian_named_on_the_referral_may_decide_where_the_service_says_so():
    """Blackpool (003): under a Special Guardianship Order the special guardian decides, and
    they are not on the Staff sheet: their name as the referral gives it is a decider; anyone
    else not on the Staff sheet is still nobody."""
    from pipeline.profile import load_profile
    from pipeline.tracker.decisions import Belongs, Decision, decision_problems

    profile = load_profile("blackpool")
    typed = {"decision": "Approved", "decided_by": "Alex Guardian-Example"}
    decision = Decision("Approved", "Alex Guardian-Example", D(8), None, typed)
    belongs = Belongs("P1", REF, "", D(7), "Sam Fictional-Worker")
    as_guardian = Belongs("P1", REF, "", D(7), "Sam Fictional-Worker", "Alex Guardian-Example")

    def kinds(b):
        return [k for k, _ in decision_problems(decision, b, [], profile, D(9))]

    assert "not_staff" in kinds(belongs)
    assert kinds(as_guardian) == []
