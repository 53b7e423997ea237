"""The review report's figures add up: checked against the season worked out by hand."""

from __future__ import annotations

import datetime as dt

from docx import Document

from pipeline.reports import lac
from pipeline.tracker.reviews import Review
from tests.helpers.season_kit import ALLOCATIONS

REF = "FT-2026-00001"
REVIEW = Review(reference=REF, date=dt.date(2026, 12, 1), iro_name="Robin Reviewer-Example",
                iro_email="robin.iro@example.org")
TODAY = dt.date(2026, 11, 24)       # 5 working days before the review


def _text(path) -> str:
    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def _report(season, tmp_path, **kw):
    config, profile, ledger, _ = season
    plan = lac.plan(ledger, REF, REVIEW, ALLOCATIONS[REF], today=TODAY, **kw)
    return plan, lac.make(ledger, profile, plan, tmp_path / "out", today=TODAY)


def test_the_figures_match_the_season_worked_by_hand(season, tmp_path):
    plan, path = _report(season, tmp_path)
    assert (plan.period_from, plan.period_to) == (dt.date(2026, 9, 15), dt.date(2026, 12, 1))
    text = _text(path)
    # Tuesdays 15 Sep .. 1 Dec: 12 planned = 9 offered (9 records) + 1 inside the suspension
    # (13 Oct) + 2 still to come (24 Nov and 1 Dec have no record): every date in one of three.
    expected = {"Sessions planned": 12, "Sessions offered so far": 9, "Took place": 3 + 1,
                "Parent did not attend": 2, "Cancelled for a court day": 1,
                "Cancelled by carer": 1, "Service closed": 1, "Cancelled by the service": 0,
                "Family arrived late (session went ahead)": 1,
                "Planned dates inside a suspension (not offered)": 1,
                "Still to come in this period (not counted above)": 2}
    for label, n in expected.items():
        assert f"{label} | {n}" in text, label
    assert ("Of 12 sessions planned in this period, 9 have been offered so far, 1 fell while "
            "family time was suspended and was not offered, and 2 are still to come") in text


def test_words_come_from_the_records_with_their_dates(season, tmp_path):
    _, path = _report(season, tmp_path)
    text = _text(path)
    assert "20 October 2026: \u201cI like it when Mum reads to me.\u201d" in text
    assert "Mother planned the session and brought a book." in text
    assert "10 November 2026: \u201cThe child said something worrying" in text
    assert "The supervisor's recommendation" in text
    # the old empty boxes for views are gone: the recommendation is the one box to write
    assert "The child's wishes and feelings, in their own words" not in text
    assert "Robin Reviewer-Example" in text


def test_every_record_counted_is_in_the_appendix(season, tmp_path):
    _, path = _report(season, tmp_path)
    rows = [line for line in _text(path).splitlines() if line.count(" | ") == 3
            and line[:2].strip().isdigit()]
    assert len(rows) == 9
    assert "27 October 2026 | Cancelled by service | Cancelled for a court day | Court hearing" in rows
    assert any(r.startswith("22 September 2026 | Took place | Took place | 20 minutes late")
               for r in rows)


def test_the_next_report_starts_where_the_last_one_ended(season, tmp_path):
    config, profile, ledger, _ = season
    plan, path = _report(season, tmp_path)
    ledger.add_report(REF, REVIEW.date, path, made_on=TODAY)
    later = Review(reference=REF, date=dt.date(2027, 3, 2))
    nxt = lac.plan(ledger, REF, later, ALLOCATIONS[REF], today=dt.date(2027, 2, 20))
    assert (nxt.period_from, nxt.period_to) == (TODAY, dt.date(2027, 3, 2))


def test_no_review_date_is_refused_naming_the_fix(season):
    config, profile, ledger, _ = season
    try:
        lac.plan(ledger, REF, Review(reference=REF, date=None), ALLOCATIONS[REF], today=TODAY)
    except lac.ReportRefused as exc:
        assert "Next review" in str(exc) and "tracker" in str(exc)
    else:
        raise AssertionError("a report without a review date was planned")


def test_a_returned_referral_gets_no_report(season):
    config, profile, ledger, _ = season
    try:
        lac.plan(ledger, "FT-2026-00003", REVIEW, None, today=TODAY)
    except lac.ReportRefused as exc:
        assert "returned" in str(exc)
    else:
        raise AssertionError("a report was planned for a returned referral")


def test_the_report_reads_as_pages(season, tmp_path):
    import shutil
    import subprocess
    if not shutil.which("soffice"):
        import pytest
        pytest.skip("LibreOffice is not installed")
    _, path = _report(season, tmp_path)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(path)], check=True, capture_output=True, timeout=120)
    pdf = next(tmp_path.glob("*.pdf"))
    from pypdf import PdfReader
    pages = PdfReader(str(pdf)).pages
    assert 2 <= len(pages) <= 8
    whole = " ".join(p.extract_text() for p in pages)
    assert "Appendix" in whole and "Sessions offered so far" in whole
