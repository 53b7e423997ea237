"""A review report made but not mailed (no IRO email yet, then the mail server down) waits,
says why on `status` and in the tracker, and is mailed on a later pass: the same report, once,
and only then recorded as sent."""

from __future__ import annotations

import datetime as dt
import email
import functools
import time
from email import policy
from pathlib import Path

import openpyxl
from aiosmtpd.controller import Controller

import pipeline.notify as notify
from pipeline.effects import run_effects
from pipeline.effects.contract import EffectPass, EffectsReport
from pipeline.effects.review_report import ReviewReportEffect
from pipeline.ledger.names import EventKind

from tests.helpers.notify_kit import Handler, free_port, with_smtp
from tests.helpers.review_kit import checker_on_staff, write_recommendation

REF = "FT-2026-00001"
RECORDS = Path(__file__).resolve().parent / "records"
REVIEW = dt.date(2026, 11, 27)  # the referral form's review date


def _type(session, **cells) -> None:
    wb = openpyxl.load_workbook(session.workbook)
    ws = wb["Referrals"]
    head = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Reference"]).value == REF)
    for header, value in cells.items():
        ws.cell(row, head[header]).value = value
    wb.save(session.workbook)
    checker_on_staff(session.workbook, cells)


def _cell(session) -> str:
    return next(r for r in session.rows("Referrals") if r["Reference"] == REF)["Review report"]


def _lines(session, profile) -> list[str]:
    from pipeline.commands.status import gather

    return [r["text"] for r in gather(session.ledger, session.config, profile)["reminders"]]


def test_no_iro_then_smtp_down_then_sent_once(session, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-20")
    monkeypatch.setattr(
        notify,
        "MailOutbox",  # time passes between tries
        functools.partial(notify.MailOutbox, backoff_base=0.0),
    )
    port = free_port()  # nothing listens: connection refused
    profile = with_smtp(session.profile, port, timeout_seconds=1.0)
    session.profile = profile
    session.process(RECORDS / "referral-review-soon.docx", dt.datetime(2026, 10, 26, 10))
    session.allocate()
    session.record("2026-11-02-took-place-late-written")
    _type(session, IRO="Robin Reviewer-Example", **{"IRO email": ""})
    reviews = ReviewReportEffect()
    report = EffectsReport()
    # Fri 20 Nov: 5 working days before the review: the report is made; no IRO email yet
    reviews.make_due(
        EffectPass(session.ledger, session.config, profile, time.time(), report),
        dt.date(2026, 11, 20),
    )
    path = Path(session.ledger.report_made(REF, REVIEW))
    # the supervisor writes the recommendation and someone checks it (the gate: see below)
    write_recommendation(path, "Keep weekly sessions at the centre.", "Sam Supervisor-Example")
    _type(session, **{"Review report checked (name)": "Jo Checker-Example"})
    reviews.send(
        EffectPass(session.ledger, session.config, profile, time.time(), report),
        session.ledger.item_by_reference(REF),
        REVIEW,
        "",
        path,
        "Jo Checker-Example",
    )
    made = path.read_bytes()
    state = session.ledger.report_mail(REF, REVIEW)
    assert state["sent_at"] is None and "no IRO email" in state["last_error"]
    assert not [m for m in session.mail() if "review_report" in m.name]  # nothing written
    run_effects(session.ledger, session.config, profile, now=time.time() + 3600)
    assert _cell(session) == (
        "Made 20/11/2026 for the review on 27/11/2026; not sent yet: no "
        "IRO email: type it in the Referrals sheet's 'IRO email' column "
        "(tried again automatically)"
    )
    assert (
        f"{REF}: the review report for 27/11/2026 is made but not sent: no IRO email: type "
        "it in the Referrals sheet's 'IRO email' column"
    ) in _lines(session, profile)

    # the IRO's address is typed; the mail server is down: written, not sent, still owed
    _type(session, **{"IRO email": "robin.iro@example.gov.uk"})
    run_effects(session.ledger, session.config, profile, now=time.time() + 2 * 3600)
    state = session.ledger.report_mail(REF, REVIEW)
    assert state["sent_at"] is None and "the mail server did not take it" in state["last_error"]
    assert len([m for m in session.mail() if "review_report" in m.name]) == 1
    run_effects(session.ledger, session.config, profile, now=time.time() + 3 * 3600)
    assert "not sent yet: the mail server did not take it" in _cell(session)
    assert any("is made but not sent: the mail server" in t for t in _lines(session, profile))

    # the server is back: the same report goes, once
    handler = Handler()
    server = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=5)
    server.start()
    try:
        run_effects(session.ledger, session.config, profile, now=time.time() + 6 * 3600)
        run_effects(session.ledger, session.config, profile, now=time.time() + 12 * 3600)
    finally:
        server.stop()
    # (the acknowledgement held up by the same server goes too)
    [(sender, rcpts, data)] = [
        m
        for m in handler.received
        if b"review_report" in m[2] or "robin.iro@example.gov.uk" in m[1]
    ]
    assert "robin.iro@example.gov.uk" in rcpts
    assert "sam.fictional-worker@example.gov.uk" in rcpts  # copy to the social worker
    msg = email.message_from_bytes(data, policy=policy.default)
    [attached] = list(msg.iter_attachments())
    assert attached.get_content() == made  # the report made on the 20th
    assert session.ledger.reports_of(REF) == [(REVIEW, dt.date(2026, 11, 20), str(path))]
    assert session.ledger.report_mail(REF, REVIEW)["sent_at"]
    run_effects(session.ledger, session.config, profile, now=time.time() + 13 * 3600)
    assert _cell(session).startswith(
        "Made 20/11/2026 for the review on 27/11/2026; sent to the IRO 20/11/2026"
    )
    assert not any("made but not sent" in t for t in _lines(session, profile))
    [sent] = session.ledger.events(REF, [EventKind.REVIEW_REPORT_SENT])  # once, as it went
    assert sent.on == dt.date(2026, 11, 20) and sent.detail["how"] == "sent"
    assert sent.detail["checked_by"] == "Jo Checker-Example"


def _review_mails(session) -> list:
    return [m for m in session.mail() if "review_report" in m.name]


def test_the_report_waits_for_the_recommendation_and_a_name(session, monkeypatch):
    """Blank 'checked by' is not an answer; a name with the recommendation still blank is not
    enough; both: one mail, the file as saved, exactly once. Made again: the mailed file kept."""
    from pipeline.cli import main

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-20")
    profile = session.profile
    session.process(RECORDS / "referral-review-soon.docx", dt.datetime(2026, 10, 26, 10))
    session.allocate()
    session.record("2026-11-02-took-place-late-written")
    _type(session, IRO="Robin Reviewer-Example", **{"IRO email": "robin.iro@example.gov.uk"})
    reviews = ReviewReportEffect()
    reviews.make_due(
        EffectPass(session.ledger, session.config, profile, time.time(), EffectsReport()),
        dt.date(2026, 11, 20),
    )
    path = Path(session.ledger.report_made(REF, REVIEW))
    assert path.parent.name == REF

    def settle(hours):
        run_effects(session.ledger, session.config, profile, now=time.time() + hours * 3600)
        run_effects(session.ledger, session.config, profile, now=time.time() + hours * 3600 + 90)

    settle(1)  # made; nobody has written or checked it
    assert not _review_mails(session)
    assert "not sent yet: ready in outbox/FT-2026-00001/" in _cell(session)
    assert "to write the recommendation" in _cell(session)
    assert any("ready in outbox/FT-2026-00001/" in t for t in _lines(session, profile))

    _type(session, **{"Review report checked (name)": "Jo Checker-Example"})  # named, box blank
    settle(2)
    assert not _review_mails(session)
    assert (
        "'Review report checked (name)' says Jo Checker-Example, but the recommendation in "
        f"outbox/{REF}/{path.name} is still blank"
    ) in _cell(session)
    assert any("is still blank" in t for t in _lines(session, profile))

    _type(session, **{"Review report checked (name)": "  "})  # written, blank name
    write_recommendation(path, "Move to fortnightly community sessions.", "Sam Supervisor-Example")
    settle(3)
    assert not _review_mails(session)

    _type(session, **{"Review report checked (name)": "Jo Checker-Example"})  # both: it goes
    saved = path.read_bytes()
    settle(4)
    settle(5)
    [mail] = _review_mails(session)
    msg = email.message_from_bytes(mail.read_bytes(), policy=policy.default)
    [attached] = list(msg.iter_attachments())
    assert attached.get_content() == saved
    body = " ".join(msg.get_body(preferencelist=("plain",)).get_content().split())
    assert "written by hand" not in body
    assert "is Sam Supervisor-Example's" in body and "Jo Checker-Example checked" in body
    assert session.ledger.report_mailed(REF, REVIEW)["path"] == str(path)
    # no mail server in this folder: written to outbox/mail, never "sent to the IRO"
    assert _cell(session).endswith(
        "; written to outbox/mail on 20/11/2026, not sent (no mail server)"
    )
    [written] = session.ledger.events(REF, [EventKind.REVIEW_REPORT_SENT])
    assert written.detail["how"] == "written"

    # a ledger from before the timeline: the event is written again from the outbox, once,
    # on the day the mail was marked done, by a new process's first pass
    import sqlite3

    with sqlite3.connect(session.config.ledger_path) as db:
        db.execute("DELETE FROM events WHERE kind = 'review_report_sent'")
    from pipeline.effects.contract import EffectMemory

    run_effects(
        session.ledger, session.config, profile, now=time.time() + 7200, memory=EffectMemory()
    )
    [again] = session.ledger.events(REF, [EventKind.REVIEW_REPORT_SENT])
    assert (again.on, again.detail["how"], again.detail["checked_by"]) == (
        dt.date(2026, 11, 20),
        "written",
        "Jo Checker-Example",
    )

    # `report lac` again for the same review: a new file of its own, the mailed one untouched
    cfg = str(session.config.base / "family-time.toml")
    assert (
        main(["report", "lac", REF, "--config", cfg, "--from", "2026-11-02", "--to", "2026-11-27"])
        == 0
    )
    assert path.read_bytes() == saved
    assert (path.parent / f"{path.stem} (2).docx").is_file()
    assert session.ledger.report_mailed(REF, REVIEW)["path"] == str(path)
