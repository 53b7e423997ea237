"""The Looked After Child review report: made once, when the review comes within the profile's
timescale, counting the period's sessions and listing significant events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document

from pipeline.effect import EffectPass, EffectsReport
from pipeline.effects import EFFECTS
from pipeline.render.effects import ReviewReportEffect

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
    [reviews] = [e for e in EFFECTS if isinstance(e, ReviewReportEffect)]
    monkeypatch.setattr(reviews, "today", lambda: dt.date(2026, 11, 18))
    session.process(RECORDS / "referral-review-soon.docx", dt.datetime(2026, 10, 26, 10))
    session.allocate()
    for name in ("2026-11-02-took-place-late-written", "2026-11-04-did-not-attend",
                 "2026-11-16-significant-event"):
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
    assert "16/11/2026" in text or "16 November 2026" in text      # the significant event
    assert "02/11/2026" in text or "2 November 2026" in text       # the period's start
    assert "27/11/2026" in text or "27 November 2026" in text      # the review
    for row in ("Took place | 2", "Parent did not attend | 1",
                "Family arrived late (session went ahead) | 1"):
        assert row in text
    reviews.make_due(run, dt.date(2026, 11, 23))
    assert report.done == {"lac_report": 1}                           # once
