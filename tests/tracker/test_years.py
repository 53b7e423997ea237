"""The turn of the year: one workbook for every year. A December referral's sessions and
proposals, and January's new referrals, are all in the file people already have open, with
the Staff sheet they filled in; a folder an earlier version set up (one workbook per year)
keeps its file. A pack whose supervisor cannot be found on the Staff sheet waits and says so,
rather than going to the social worker alone."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import shutil
import time

import openpyxl
import pytest

from tests.helpers.allocation_kit import SUPERVISOR, SUPERVISOR_EMAIL, Desk
from tests.helpers.sessions_kit import FORMS, REF, Session

SUPERVISOR_DEE = "dee.supervisor@nct.example.org"  # sessions_kit lists her on the Staff sheet
ONE = "Family Time referrals - Northamptonshire.xlsx"
OLD = "Family Time referrals 2026 - Northamptonshire.xlsx"


def _books(s) -> list[str]:
    return sorted(p.name for p in s.config.tracker_dir.glob("*.xlsx"))


def _rows(path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    head = [c.value for c in ws[1]]
    return [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True) if any(r)]


def _december(tmp_path, monkeypatch) -> Session:
    """A referral of 2026 with its sessions recorded and a proposal raised, on 20 December."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-20")
    s = Session(tmp_path / "work")
    [item], _ = s.process(FORMS / "referral-complete.docx", dt.datetime(2026, 10, 26, 10))
    assert item.reference == REF
    s.allocate()  # and Dee goes on the Staff sheet
    s.record("2026-11-02-took-place-late-written")
    s.record("2026-11-04-did-not-attend")
    s.record("2026-11-09-late-cancelled", dt.datetime(2026, 11, 10, 18))
    assert s.ledger.rule_actions(REF)  # two misses: a proposal for a decision
    return s


def _january(s: Session, monkeypatch) -> str:
    """15 January: a new referral arrives and is allocated to Dee; its reference."""
    from pipeline.effects import run_effects

    from tests.helpers.intake_kit import variant

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2027-01-15")
    form = s.config.state_dir / "another-child.docx"
    variant(FORMS / "referral-complete.docx", form, 1)  # another child
    items, _ = s.process(form, dt.datetime(2027, 1, 15, 9))
    [new] = [i for i in items if i.outcome == "accepted"]
    assert new.reference != REF
    wb = openpyxl.load_workbook(s.workbook)
    ws = wb["Referrals"]
    head = {c.value: c.column for c in ws[1]}
    row = next(
        r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Reference"]).value == new.reference
    )
    for header, value in (
        ("Status", "Allocated"),
        (f"Allocated {s.profile.supervisor_role}", "Dee Example-Supervisor"),
        ("Venue", s.profile.venues[0].name),
        ("Day", "Tuesday"),
        ("Time", "10:00-11:30"),
        ("First session", dt.datetime(2027, 1, 19)),
    ):
        ws.cell(row, head[header]).value = value
    wb.save(s.workbook)
    for n in range(3):  # the watcher's passes (real time moves on between them)
        run_effects(s.ledger, s.config, s.profile, now=time.time() + 3600 * (n + 1))
    return new.reference


def _pack_mails(s, ref: str) -> list:
    out = []
    for p in sorted(s.config.mail_dir.glob(f"{ref}_pack_*.eml")):
        out.append(email.message_from_bytes(p.read_bytes(), policy=email.policy.default))
    return out


def test_the_turn_of_the_year_keeps_one_workbook(tmp_path, monkeypatch):
    s = _december(tmp_path, monkeypatch)
    assert _books(s) == [ONE]
    new = _january(s, monkeypatch)
    assert _books(s) == [ONE]  # no second workbook for 2027
    book = s.config.tracker_dir / ONE
    referrals = {r["Reference"] for r in _rows(book, "Referrals")}
    assert {REF, new} <= referrals
    assert any(r["Reference"] == REF for r in _rows(book, "Sessions"))
    assert [r["Reference"] for r in _rows(book, "Decisions")] == [REF]
    assert [r["Name"] for r in _rows(book, "Staff")] == ["Dee Example-Supervisor"]
    [mail] = _pack_mails(s, new)
    assert SUPERVISOR_DEE in mail["To"]  # the supervisor has the pack


def test_a_folder_with_a_years_workbook_keeps_using_it(tmp_path, monkeypatch):
    s = _december(tmp_path, monkeypatch)
    (s.config.tracker_dir / ONE).rename(s.config.tracker_dir / OLD)  # an earlier version's
    new = _january(s, monkeypatch)
    assert _books(s) == [OLD]  # the same file, not renamed
    book = s.config.tracker_dir / OLD
    assert {REF, new} <= {r["Reference"] for r in _rows(book, "Referrals")}
    assert [r["Name"] for r in _rows(book, "Staff")] == ["Dee Example-Supervisor"]
    [mail] = _pack_mails(s, new)
    assert SUPERVISOR_DEE in mail["To"]


def test_the_latest_years_workbook_is_the_one_and_earlier_typing_still_counts(
    tmp_path, monkeypatch
):
    """Two workbooks an earlier version made: rows go to the latest; an allocation typed in
    the earlier one, for a referral whose row there is the only one typed, is still read."""
    from pipeline.tracker import allocations_by_reference, workbook_path

    from tests.helpers.tracker_kit import accepted

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2027-01-15")
    desk = Desk(tmp_path / "work")
    from pipeline.tracker import sync

    old = accepted(1, received=dt.datetime(2025, 12, 30, 9))
    sync([old], desk.config, desk.profile)
    first = desk.config.tracker_dir / ONE
    earlier = desk.config.tracker_dir / "Family Time referrals 2025 - Northamptonshire.xlsx"
    first.rename(earlier)
    wb = openpyxl.load_workbook(earlier)
    ws = wb["Referrals"]
    head = {c.value: c.column for c in ws[1]}
    ws.cell(2, head["Status"]).value = "Allocated"
    ws.cell(2, head["Venue"]).value = desk.profile.venues[0].name
    wb.save(earlier)
    shutil.copyfile(earlier, desk.config.tracker_dir / OLD)
    later = desk.config.tracker_dir / OLD
    wb = openpyxl.load_workbook(later)
    ws = wb["Referrals"]
    ws.delete_rows(2)  # the later year's workbook: no row for it yet
    wb.save(later)
    assert workbook_path(desk.config, desk.profile) == later
    new = accepted(2, received=dt.datetime(2027, 1, 15, 9))
    sync([old, new], desk.config, desk.profile)
    assert {r["Reference"] for r in _rows(later, "Referrals")} == {old.reference, new.reference}
    assert [r["Reference"] for r in _rows(earlier, "Referrals")] == [old.reference]  # untouched
    typed = allocations_by_reference(desk.config, desk.profile)
    assert typed[old.reference].status == "Allocated"  # from the earlier workbook
    wb = openpyxl.load_workbook(later)
    ws = wb["Referrals"]
    head = {c.value: c.column for c in ws[1]}
    row = next(
        r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Reference"]).value == old.reference
    )
    ws.cell(row, head["Status"]).value = "Closed"  # typed in the one workbook: wins
    wb.save(later)
    assert allocations_by_reference(desk.config, desk.profile)[old.reference].status == "Closed"


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    d = Desk(tmp_path / "work")
    d.receive()
    return d


def test_no_supervisor_on_the_staff_sheet_the_pack_waits_and_says_so(desk):
    ref = "FT-2026-00001"
    desk.allocate(ref, staff=False)  # the Staff sheet is empty
    desk.effects()
    assert desk.row(ref)["Paperwork"] == (
        f"To correct: No supervisor found on the Staff sheet for {SUPERVISOR}: add them, then save."
    )
    assert desk.pack(ref) == [] and desk.mails("pack") == []  # not to the social worker alone
    desk.add_staff()
    desk.allocate(ref)
    desk.effects()
    [mail] = desk.mails("pack")
    assert SUPERVISOR_EMAIL in mail["To"]


def test_a_supervisor_listed_without_an_address_waits_too(desk):
    ref = "FT-2026-00001"
    desk.add_staff(email_address="")
    desk.allocate(ref)
    desk.effects()
    assert "the Staff sheet has no email address for " + SUPERVISOR in desk.row(ref)["Paperwork"]
    assert desk.mails("pack") == []
