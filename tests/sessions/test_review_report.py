"""The Looked After Child review report: made once, when the review comes within the profile's
timescale, counting the period's sessions and listing significant events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document

from pipeline.effects.contract import EffectPass, EffectsReport
from pipeline.effects.review_report import ReviewReportEffect

REF = "FT-2026-00001"
RECORDS = Path(__file__).resolve().parent / "records"


def _text(path) -> str:
    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def test_the_report_is_made_once_when_the_review_is_near(session, monkeypatch):
    reviews = ReviewReportEffect()
    monkeypatch.setattr(reviews, "today", lambda: dt.date(2026, 11, 18))
    session.process(RECORDS / "referral-review-soon.docx", dt.datetime(2026, 10, 26, 10))
    session.allocate()
    for name in (
        "2026-11-02-took-place-late-written",
        "2026-11-04-did-not-attend",
        "2026-11-16-significant-event",
    ):
        session.record(name)
    s = session
    report = EffectsReport()
    run = EffectPass(s.ledger, s.config, s.profile, 0.0, report)
    # review Friday 27/11: due 5 working days before, Friday 20/11; not yet on the 19th
    reviews.make_due(run, dt.date(2026, 11, 19))
    assert report.done == {} and s.ledger.report_made(REF, dt.date(2026, 11, 27)) is None
    reviews.make_due(run, dt.date(2026, 11, 20))
    assert report.done == {"lac_report": 1}
    path = s.ledger.report_made(REF, dt.date(2026, 11, 27))
    text = _text(path)
    assert "16/11/2026" in text or "16 November 2026" in text  # the significant event
    assert "02/11/2026" in text or "2 November 2026" in text  # the period's start
    assert "27/11/2026" in text or "27 November 2026" in text  # the review
    for row in (
        "Took place | 2",
        "Parent did not attend | 1",
        "Family arrived late (session went ahead) | 1",
    ):
        assert row in text
    reviews.make_due(run, dt.date(2026, 11, 23))
    assert report.done == {"lac_report": 1}  # once


def _type_review(session, review: dt.date | None, iro_email: str) -> None:
    """What a co-ordinator types into the referral's Next review / IRO columns."""
    import openpyxl

    wb = openpyxl.load_workbook(session.workbook)
    ws = wb["Referrals"]
    head = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Reference"]).value == REF)
    ws.cell(row, head["Next review"]).value = review
    ws.cell(row, head["IRO"]).value = "Robin Reviewer-Example"
    ws.cell(row, head["IRO email"]).value = iro_email
    wb.save(session.workbook)


def test_the_tracker_review_date_wins_and_the_iro_gets_the_report(session, monkeypatch):
    import email
    from email import policy

    reviews = ReviewReportEffect()
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-07")
    session.process(RECORDS / "referral-review-soon.docx", dt.datetime(2026, 10, 26, 10))
    session.allocate()
    for name in ("2026-11-02-took-place-late-written", "2026-11-16-significant-event"):
        session.record(name)
    _type_review(session, dt.datetime(2026, 12, 11), "robin.iro@example.gov.uk")
    report = EffectsReport()
    run = EffectPass(session.ledger, session.config, session.profile, 0.0, report)
    reviews.make_due(run, dt.date(2026, 12, 4))  # 5 working days before Fri 11 Dec
    assert report.done == {"lac_report": 1}, report.waiting
    assert session.ledger.report_made(REF, dt.date(2026, 11, 27)) is None  # the form's date
    path = session.ledger.report_made(REF, dt.date(2026, 12, 11))
    assert "11 December 2026" in _text(path)
    # the mail waits for people: the recommendation written, and a name as checked
    from tests.helpers.review_kit import CHECKED, checker_on_staff, write_recommendation

    write_recommendation(path, "Keep weekly sessions.", "Sam Supervisor-Example")
    checker_on_staff(session.workbook, {CHECKED: "Jo Checker-Example"})
    reviews.send(
        run,
        session.ledger.item_by_reference(REF),
        dt.date(2026, 12, 11),
        "robin.iro@example.gov.uk",
        Path(path),
        "Jo Checker-Example",
    )
    [mail] = [m for m in session.mail() if "review_report" in m.name]
    msg = email.message_from_bytes(mail.read_bytes(), policy=policy.default)
    assert msg["To"] == "robin.iro@example.gov.uk"
    assert "Family Time FT-2026-00001" in msg["Subject"] and "11/12/2026" in msg["Subject"]
    names = [a.get_filename() for a in msg.iter_attachments()]
    assert names == ["Family time report for the Looked After Child review 2026-12-11.docx"]
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Child's initials:" in body


def test_no_automatic_report_where_the_service_does_not_promise_one(session):
    from types import SimpleNamespace

    reviews = ReviewReportEffect()
    session.process(RECORDS / "referral-review-soon.docx", dt.datetime(2026, 10, 26, 10))
    session.allocate()
    session.record("2026-11-02-took-place-late-written")
    profile = session.profile.model_copy()
    object.__setattr__(profile, "review", SimpleNamespace(report="on request"))
    report = EffectsReport()
    reviews.make_due(
        EffectPass(session.ledger, session.config, profile, 0.0, report), dt.date(2026, 11, 20)
    )
    assert report.done == {} and session.ledger.report_made(REF, dt.date(2026, 11, 27)) is None


def test_report_lac_defaults_to_the_next_review_from_the_form(session, capsys):
    from pipeline.cli import main

    session.process(RECORDS / "referral-review-soon.docx", dt.datetime(2026, 10, 26, 10))
    session.allocate()
    _type_review(session, None, "")
    # the form's review date still stands: the command makes the report up to it
    cfg = str(session.config.base / "family-time.toml")
    assert main(["report", "lac", REF, "--config", cfg]) == 0
    assert "27/11/2026" in capsys.readouterr().out
