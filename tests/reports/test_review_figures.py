"""The review report's figures add up: checked against the season worked out by hand."""

from __future__ import annotations

import datetime as dt

from docx import Document

from pipeline.reports import lac
from pipeline.tracker.reviews import Review

from tests.helpers.season_kit import ALLOCATIONS

REF = "FT-2026-00001"
REVIEW = Review(
    reference=REF,
    date=dt.date(2026, 12, 1),
    iro_name="Robin Reviewer-Example",
    iro_email="robin.iro@example.org",
)
TODAY = dt.date(2026, 11, 24)  # 5 working days before the review


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


def _approve_the_suspension(ledger):
    """What the person deciding does in the Decisions sheet: the season's proposal approved."""
    stored = ledger.rule_actions(REF)[0]
    ledger.update_rule_action(
        stored.id,
        stored.action.model_copy(
            update=dict(
                decision="Approved",
                decided_by="Jo Manager-Example",
                decided_on=dt.date(2026, 10, 7),
            )
        ),
    )


def _rows(text: str) -> dict[str, int]:
    out = {}
    for line in text.splitlines():
        label, sep, n = line.rpartition(" | ")
        if sep and n.isdigit() and label.count(" | ") == 0:
            out[label] = int(n)
    return out


def _said(text: str) -> str:
    return " ".join(text.split())


def test_the_figures_match_the_season_worked_by_hand(season, tmp_path):
    _approve_the_suspension(season[2])
    plan, path = _report(season, tmp_path)
    assert (plan.period_from, plan.period_to) == (dt.date(2026, 9, 15), dt.date(2026, 12, 1))
    text = _text(path)
    # The report is made on 24 Nov: its period ends then, never on the review day. Tuesdays
    # 15 Sep .. 24 Nov: 11 planned = 9 with a record + 1 inside the approved suspension
    # (13 Oct) + 1 still to come (today, 24 Nov, no record yet); 1 Dec is booked, not counted.
    expected = {
        "Sessions planned": 11,
        "Took place": 3 + 1,
        "Parent did not attend": 2,
        "Cancelled for a court day": 1,
        "Cancelled by carer": 1,
        "Service closed": 1,
        "Cancelled by the service": 0,
        "Family arrived late (session went ahead)": 1,
        "Planned dates inside a suspension (not offered)": 1,
        "Date passed, no session record received yet": 0,
        "Still to come in this period (not counted as held or missed)": 1,
    }
    rows = _rows(text)
    for label, n in expected.items():
        assert rows.get(label) == n, label
    # every planned date is in exactly one row below "Sessions planned"
    counted = sum(
        n
        for label, n in rows.items()
        if label
        not in (
            "Sessions planned",
            "Family arrived late (session went ahead)",
            "Sessions recorded on a date not in the plan (counted below by outcome)",
        )
    )
    assert counted == rows["Sessions planned"] == 11
    said = _said(text)
    assert (
        "Of 11 sessions planned in this period, 4 took place, 1 was cancelled for a court "
        "day, 1 was cancelled by the carer, 2 were missed because the parent did not "
        "attend, the service was closed for 1 (the session record says why), 1 fell while "
        "family time was suspended and was not offered and 1 is still to come."
    ) in said
    assert (
        "1 more session is booked after Tuesday 24 November 2026, up to the review on "
        "Tuesday 1 December 2026; it is not part of this report."
    ) in said
    assert "Period covered | Tuesday 15 September 2026 to Tuesday 24 November 2026" in text
    assert "offered so far" not in said
    # the claim is made only of the figures a record stands behind
    assert "Every figure can be traced to a session record" not in said
    assert (
        "The figures for \u201cPlanned dates inside a suspension (not offered)\u201d and "
        "\u201cStill to come in this period (not counted as held or missed)\u201d come from "
        "the session plan"
    ) in said
    assert "Day and time | Tuesday, 16:00 to 17:30" in text


def test_a_proposal_nobody_approved_suspends_nothing(season, tmp_path):
    """The season's rule proposed a suspension but nobody decided: 13 Oct is a date with no
    record, never "suspended"."""
    _, path = _report(season, tmp_path)
    text = _text(path)
    rows = _rows(text)
    assert rows["Planned dates inside a suspension (not offered)"] == 0
    assert rows["Date passed, no session record received yet"] == 1
    assert "1 has no session record yet" in _said(text)
    assert "13 October 2026 | No session record | No record yet" in text
    assert "Family time was suspended" not in text


def test_the_timeline_says_which_days_were_suspended(season, tmp_path):
    """With suspension events on the case timeline, they decide: a suspension started (from,
    until) and ended sooner than planned covers only the days it really ran."""
    from pipeline.ledger.names import EventKind
    from pipeline.ledger.timeline import Event

    ledger = season[2]
    _approve_the_suspension(ledger)
    ledger.record_event(
        Event(
            REF,
            EventKind.SUSPENSION_STARTED,
            dt.date(2026, 10, 7),
            "t:started",
            {"from": "2026-10-07", "until": "2026-10-27"},
        )
    )
    ledger.record_event(
        Event(
            REF,
            EventKind.SUSPENSION_ENDED,
            dt.date(2026, 10, 14),
            "t:ended",
            {"from": "2026-10-07", "until": "2026-10-13"},
        )
    )
    _, path = _report(season, tmp_path)
    text = _text(path)
    assert _rows(text)["Planned dates inside a suspension (not offered)"] == 1
    assert "13 October 2026 | No session record | Inside a suspension" in text
    # 20 Oct had a record: it counts as held, whatever the first end date said
    assert "20 October 2026 | Took place | Took place" in text
    assert (
        "Family time was suspended from Wednesday 7 October 2026 until Tuesday 13 October 2026"
    ) in _said(text)


def test_the_timeline_suspension_counts_without_the_old_decision(season, tmp_path):
    from pipeline.ledger.names import EventKind
    from pipeline.ledger.timeline import Event

    season[2].record_event(
        Event(
            REF,
            EventKind.SUSPENSION_STARTED,
            dt.date(2026, 10, 7),
            "t:started",
            {"from": "2026-10-07", "until": "2026-10-13"},
        )
    )
    _, path = _report(season, tmp_path)
    assert _rows(_text(path))["Planned dates inside a suspension (not offered)"] == 1


def test_words_come_from_the_records_with_their_dates(season, tmp_path):
    _, path = _report(season, tmp_path)
    text = _text(path)
    assert "20 October 2026: \u201cI like it when Mum reads to me.\u201d" in text
    assert "Mother planned the session and brought a book." in text
    assert "The child said something worrying" in text
    assert "The Family Time Supervisor's recommendation" in text  # the service's own role
    # the old empty boxes for views are gone: the recommendation is the one box to write
    assert "The child's wishes and feelings, in their own words" not in text
    assert "Robin Reviewer-Example" in text


def test_a_session_with_a_concern_is_not_what_went_well(season, tmp_path):
    """10 Nov went ahead with a significant event: its summary is said with the concern,
    never under "What went well"."""
    _, path = _report(season, tmp_path)
    text = _text(path)
    well = text[text.index("What went well") : text.index("What worried the")]
    worried = text[text.index("What worried the") :]
    assert "A warm session" in well
    assert "Started well" not in well
    assert "10 November 2026: a significant event or concern was recorded" in worried
    assert "Started well; the child was settled." in worried


def test_every_date_counted_is_in_the_appendix(season, tmp_path):
    _, path = _report(season, tmp_path)
    rows = [
        line
        for line in _text(path).splitlines()
        if line.count(" | ") == 3 and line[:2].strip().isdigit()
    ]
    assert len(rows) == 11  # 9 records and 2 planned dates with none (to 24 Nov, today)
    assert sum("No session record" in r for r in rows) == 2
    assert (
        "27 October 2026 | Cancelled by service | Cancelled for a court day | Court hearing" in rows
    )
    assert any(
        r.startswith("22 September 2026 | Took place | Took place | 20 minutes late") for r in rows
    )


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
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = next(tmp_path.glob("*.pdf"))
    from pypdf import PdfReader

    pages = PdfReader(str(pdf)).pages
    assert 2 <= len(pages) <= 8
    whole = " ".join(p.extract_text() for p in pages)
    assert "Appendix" in whole and "Sessions planned" in whole
