"""The review report goes to the IRO only when one named person on the Staff sheet has checked
it, the file is closed, and it has not changed since (issue 25): "No", "not yet", "n/a", "?",
initials or two names in "Review report checked (name)" release nothing, nor does a report
still open in Word; the mail names the person as the Staff sheet spells them."""

from __future__ import annotations

import datetime as dt
import email
import time
from email import policy
from pathlib import Path

import pytest

from pipeline.effects import run_effects
from pipeline.effects.contract import EffectPass, EffectsReport
from pipeline.effects.review_report import ReviewReportEffect
from pipeline.ledger.names import EventKind

from tests.helpers.allocation_kit import libreoffice_round_trip
from tests.helpers.review_kit import CHECKED, checker_on_staff, write_recommendation
from tests.sessions.test_review_mail import RECORDS, REF, REVIEW, _cell, _review_mails, _type

CHECKER = "Jo Checker-Example"


def _made(session, monkeypatch) -> Path:
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-20")
    session.process(RECORDS / "referral-review-soon.docx", dt.datetime(2026, 10, 26, 10))
    session.allocate()
    session.record("2026-11-02-took-place-late-written")
    _type(session, IRO="Robin Reviewer-Example", **{"IRO email": "robin.iro@example.org"})
    checker_on_staff(session.workbook, {CHECKED: CHECKER})
    ReviewReportEffect().make_due(
        EffectPass(session.ledger, session.config, session.profile, time.time(), EffectsReport()),
        dt.date(2026, 11, 20),
    )
    path = Path(session.ledger.report_made(REF, REVIEW))
    write_recommendation(path, "Keep weekly sessions at the centre.", "Sam Supervisor-Example")
    return path


def _type_only(session, name: str) -> None:
    """What the person types in the report's row, nobody added to the Staff sheet."""
    import openpyxl

    wb = openpyxl.load_workbook(session.workbook)
    ws = wb["Referrals"]
    head = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Reference"]).value == REF)
    ws.cell(row, head[CHECKED]).value = name
    wb.save(session.workbook)


def _settle(session, hours: float) -> None:
    for extra in (0, 90):
        now = time.time() + hours * 3600 + extra
        run_effects(session.ledger, session.config, session.profile, now=now)


@pytest.mark.parametrize(
    "typed", ["No", "not yet", "n/a", "?", "JC", "J.C.", f"{CHECKER} and Sam Other-Example"]
)
def test_no_name_of_one_person_on_the_staff_sheet_sends_nothing(session, monkeypatch, typed):
    path = _made(session, monkeypatch)
    _type_only(session, typed)
    libreoffice_round_trip(session.workbook) if typed == "n/a" else None
    _settle(session, 1)
    assert not _review_mails(session)
    assert not session.ledger.events(REF, [EventKind.REVIEW_REPORT_SENT])
    assert f"'{typed}' in 'Review report checked (name)' is not one person on the Staff sheet" in (
        _cell(session)
    )
    assert path.name in _cell(session)


def test_open_in_word_waits_and_changed_since_the_check_waits(session, monkeypatch):
    path = _made(session, monkeypatch)
    owner = path.with_name("~$" + path.name[2:])  # Word's owner file: the report is open
    owner.write_bytes(b"owner")
    _type(session, **{CHECKED: CHECKER})
    _settle(session, 1)
    assert not _review_mails(session)
    assert f"{path.name} is open in Word or another program ({owner.name} is beside it)" in (
        _cell(session)
    )
    # saved with more written after the name was typed, then closed: not what was checked
    write_recommendation(path, "Move to fortnightly sessions.", "Sam Supervisor-Example")
    owner.unlink()
    _settle(session, 2)
    assert not _review_mails(session)
    assert f"{path.name} has changed since {CHECKER} checked it on 20/11/2026" in _cell(session)
    # checked again: the name cleared, saved, and typed again
    _type(session, **{CHECKED: ""})
    _settle(session, 3)
    _type(session, **{CHECKED: "jo  checker-example"})
    _settle(session, 4)
    [mail] = _review_mails(session)
    body = " ".join(
        email.message_from_bytes(mail.read_bytes(), policy=policy.default)
        .get_body(preferencelist=("plain",))
        .get_content()
        .split()
    )
    assert f"{CHECKER} checked" in body
    [sent] = session.ledger.events(REF, [EventKind.REVIEW_REPORT_SENT])
    assert sent.detail["checked_by"] == CHECKER


def test_report_lac_then_the_automatic_report_is_one_report_per_review(session, monkeypatch):
    """The co-ordinator makes the review's report by hand; the pipeline's own look for the
    review then finds it made: one file and one "made" on the timeline, mailed once checked."""
    from pipeline.cli import main

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-20")
    session.process(RECORDS / "referral-review-soon.docx", dt.datetime(2026, 10, 26, 10))
    session.allocate()
    session.record("2026-11-02-took-place-late-written")
    _type(session, IRO="Robin Reviewer-Example", **{"IRO email": "robin.iro@example.org"})
    cfg = str(session.config.base / "family-time.toml")
    assert main(["report", "lac", REF, "--config", cfg]) == 0
    ReviewReportEffect().make_due(
        EffectPass(session.ledger, session.config, session.profile, time.time(), EffectsReport()),
        dt.date(2026, 11, 20),
    )
    _settle(session, 1)
    made = session.ledger.events(REF, [EventKind.REVIEW_REPORT_MADE])
    assert len(made) == 1 and made[0].detail["review_date"] == REVIEW.isoformat()
    reports = list((session.config.outbox_dir / REF).glob("Family time report for the *.docx"))
    assert len(reports) == 1
    write_recommendation(reports[0], "Keep weekly sessions.", "Sam Supervisor-Example")
    _type(session, **{CHECKED: CHECKER})
    _settle(session, 2)
    [mail] = _review_mails(session)
    assert session.ledger.report_mailed(REF, REVIEW)["path"] == str(reports[0])
