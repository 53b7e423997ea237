"""The name in "Review report checked (name)" belongs to one report: a name left there from the
last review does not send the next report, even once its recommendation is written. Another
name sends it; the same name counts once the cell has been seen cleared and it is typed again."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from pipeline.effects import run_effects
from pipeline.effects.contract import EffectPass, EffectsReport
from pipeline.effects.review_report import ReviewReportEffect

from tests.helpers.review_kit import write_recommendation
from tests.sessions.test_review_mail import (
    RECORDS,
    REF,
    REVIEW,
    _cell,
    _lines,
    _review_mails,
    _type,
)

CHECKED = "Review report checked (name)"
LAST = "Jo Checker-Example"


def _made_with_a_name_left(session, monkeypatch) -> Path:
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-20")
    session.process(RECORDS / "referral-review-soon.docx", dt.datetime(2026, 10, 26, 10))
    session.allocate()
    session.record("2026-11-02-took-place-late-written")
    # the name typed for the last review's report is still in the row
    _type(
        session,
        IRO="Robin Reviewer-Example",
        **{"IRO email": "robin.iro@example.org", CHECKED: LAST},
    )
    reviews = ReviewReportEffect()
    reviews.make_due(
        EffectPass(session.ledger, session.config, session.profile, time.time(), EffectsReport()),
        dt.date(2026, 11, 20),
    )
    assert session.ledger.report_name_left(REF, REVIEW) == LAST  # kept as it was made
    path = Path(session.ledger.report_made(REF, REVIEW))
    write_recommendation(path, "Keep weekly sessions.", "Sam Supervisor-Example")
    return path


def _settle(session, hours: float) -> None:
    for extra in (0, 90):
        run_effects(
            session.ledger, session.config, session.profile, now=time.time() + hours * 3600 + extra
        )


def test_a_name_left_from_the_last_report_does_not_send_this_one(session, monkeypatch):
    path = _made_with_a_name_left(session, monkeypatch)
    _settle(session, 1)
    assert not _review_mails(session)  # written, and a name there: not enough
    said = f"the name there now, {LAST}, was for the last report and does not send this one"
    assert said in _cell(session) and f"ready in outbox/{REF}/ ({path.name})" in _cell(session)
    assert any(said in t for t in _lines(session, session.profile))

    _type(session, **{CHECKED: "  jo  checker-example "})  # the same name, typed over: no
    _settle(session, 2)
    assert not _review_mails(session)

    _type(session, **{CHECKED: ""})  # cleared, and seen so
    _settle(session, 3)
    assert not _review_mails(session) and LAST not in _cell(session)
    assert session.ledger.report_name_left(REF, REVIEW) == ""

    _type(session, **{CHECKED: LAST})  # typed again: now it counts
    _settle(session, 4)
    _settle(session, 5)
    assert len(_review_mails(session)) == 1
    assert session.ledger.report_mailed(REF, REVIEW)["checked_by"] == LAST
    # no mail server in this folder: written to outbox/mail, never "sent to the IRO"
    assert "written to outbox/mail on " in _cell(session)
    assert _cell(session).endswith("not sent (no mail server)")
    assert "sent to the IRO" not in _cell(session)


def test_another_name_sends_it_at_once(session, monkeypatch):
    _made_with_a_name_left(session, monkeypatch)
    _settle(session, 1)
    assert not _review_mails(session)
    _type(session, **{CHECKED: "Pat Manager-Example"})
    _settle(session, 2)
    _settle(session, 3)
    assert len(_review_mails(session)) == 1
    assert session.ledger.report_mailed(REF, REVIEW)["checked_by"] == "Pat Manager-Example"
