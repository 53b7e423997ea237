"""Where a person accepts referrals (the profile's [acceptance]), the tracker does not call a
complete referral "Accepted" before they did: it says whose acceptance it awaits, as the
acknowledgement does. Where acceptance is automatic (Northamptonshire) it says Accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.profile import load_profile

from tests.helpers.sessions_kit import FORMS, REF, Session

EXPECTED = {
    "blackpool": "Received: to be accepted by the Family Time Manager (their name in 'Accepted by')",
    "milton-keynes": (
        "Received: to be accepted by a Senior Family Time Worker (their name in 'Accepted by')"
    ),
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


@pytest.mark.parametrize("service", ["blackpool", "milton-keynes"])
def test_allocating_is_not_accepting_no_pack_until_a_named_person_accepted(
    tmp_path, service, monkeypatch
):
    """Where a person accepts referrals, an allocation alone makes no pack (the agreement would
    say the referral was accepted, or risk assessed, when nobody had): the Paperwork cell says
    whose name is wanted; a name not on the Staff sheet is refused; then the pack is made."""
    from pipeline.commands.init import init_folder
    from pipeline.effects import run_effects

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-10-27")
    init_folder(tmp_path / "work", service)
    s = Session(tmp_path / "work")
    [item], _ = s.process(FORMS / "referral-complete.docx", dt.datetime(2026, 10, 26, 10))
    s.allocate()
    _accepted_by(s, None)
    run_effects(s.ledger, s.config, s.profile)
    [row] = s.rows("Referrals")
    assert "not accepted yet" in row["Paperwork"] and not _pack(s)
    _accepted_by(s, "Nobody Listed")
    run_effects(s.ledger, s.config, s.profile)
    [row] = s.rows("Referrals")
    assert "'Nobody Listed' in Accepted by is not on the Staff sheet" in row["Paperwork"]
    assert not _pack(s)
    _accepted_by(s, "Dee Example-Supervisor")
    run_effects(s.ledger, s.config, s.profile)
    [row] = s.rows("Referrals")
    assert row["Paperwork"].startswith("Pack made") and _pack(s)
    s.ledger.close()


def _accepted_by(s, name):
    import openpyxl

    wb = openpyxl.load_workbook(s.workbook)
    ws = wb["Referrals"]
    head = {c.value: c.column for c in ws[1]}
    ws.cell(2, head["Accepted by (name)"]).value = name
    wb.save(s.workbook)


def _pack(s) -> list:
    folder = s.config.outbox_dir / REF
    return sorted(folder.glob("*.docx")) if folder.is_dir() else []


@pytest.mark.parametrize("service", ["blackpool", "milton-keynes"])
def test_once_the_named_person_accepted_the_checked_cell_says_who_and_when(
    tmp_path, monkeypatch, service
):
    """Found by a co-ordinator: the cell still said "to be accepted by ..." beside the name
    typed in "Accepted by" and "Pack made". The acceptance is an event on the case's
    timeline (written when the pack is made with the name), and the cell is drawn from it."""
    from tests.helpers.allocation_kit import SUPERVISOR, Desk

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    desk = Desk(tmp_path / "work", profile=service)
    desk.receive()
    assert desk.row(REF)["Checked"].startswith("Received: to be accepted by")
    desk.allocate(REF)  # with the name in "Accepted by (name)", as the service asks
    desk.effects()
    row = desk.row(REF)
    assert row["Paperwork"].startswith("Pack made "), row["Paperwork"]
    assert row["Checked"] == f"Accepted by {SUPERVISOR} on 01/12/2026", row["Checked"]


def test_an_acceptance_beside_a_referral_still_waiting_is_news_not_a_sort(tmp_path, monkeypatch):
    """The first referral's Checked cell held what the second still shows ("to be accepted
    by ..."): when the first is accepted, its new words are written, and the row is not taken
    for a sorted one (the check cell vouched for the cells as the pipeline wrote them)."""
    from tests.tracker.test_rota_clashes import SUPERVISOR, TwoDesk

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    desk = TwoDesk(tmp_path / "bp", profile="blackpool")
    desk.allocate(desk.first_ref, **{f"Allocated {desk.profile.supervisor_role}": SUPERVISOR})
    desk.effects()
    first, second = desk.row(desk.first_ref), desk.row(desk.second_ref)
    assert first["Checked"].startswith("Accepted by "), first
    assert not first.get("Pipeline note"), first["Pipeline note"]
    assert second["Checked"].startswith("Received: to be accepted by")
