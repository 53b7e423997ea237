"""The review report as an IRO reads it when it is made soon after the pack: it never reports
on days that have not come, says plainly when no session has taken place, says "no records"
once, leaves out what it cannot fill, writes the day and time as the letters do, and (Milton
Keynes) names the review its date is."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import SessionRecord
from pipeline.profile import load_profile
from pipeline.render import render_lac_report, render_pack

from tests.helpers.render_kit import assert_clean, docx_text, make_allocation, make_item
from tests.render.test_commands import allocate
from tests.render.test_commands import folder as folder  # the working folder fixture

REF = "FT-2026-00001"
FIRST = dt.date(2026, 12, 15)  # a Tuesday, a week after the pack
REVIEW = dt.date(2027, 2, 17)
PACK_DAY = dt.date(2026, 12, 8)
SERVICES = ["northamptonshire", "blackpool", "milton-keynes"]


def _report(tmp_path, service, today, records=(), period_from=FIRST):
    profile = load_profile(service)
    return render_lac_report(
        make_item(),
        make_allocation(profile, first_date=FIRST),
        profile,
        tmp_path,
        list(records),
        period_from,
        REVIEW,
        today=today,
        review=REVIEW,
    )


def _said(path) -> str:
    text = docx_text(path)
    assert_clean(text)
    return " ".join(text.split())


@pytest.mark.parametrize("service", SERVICES)
def test_a_report_made_before_any_session_says_so_in_one_sentence(tmp_path, service):
    text = _said(_report(tmp_path, service, PACK_DAY))
    assert (
        "No family time session had taken place by the date of this report: the first is "
        "booked for Tuesday 15 December 2026, and 10 in all are booked up to the review on "
        "Wednesday 17 February 2027, so there is no attendance to count and no session "
        "record to quote."
    ) in text
    assert "Period covered No session had taken place by Tuesday 8 December 2026" in text
    # nothing about the future is reported as if it were the period's
    for never in ("planned in this period", "still to come", "Still to come", "2027 to"):
        assert never not in text, never
    # nothing that contradicts it: no record quoted, no empty quote headings, no appendix
    for never in (
        "No session records received",
        "quoted from the Family Time Records",
        "say nothing under this heading",
        "The child's views",
        "What went well",
        "Significant events",
        "Appendix",
    ):
        assert never not in text, never
    assert "3. The " in text and "4. The " not in text  # the sections count on from 2


@pytest.mark.parametrize("service", SERVICES)
def test_no_records_is_said_once_and_the_period_ends_on_the_report_day(tmp_path, service):
    """Five Tuesdays have passed with no record; the report is made on Saturday 16 Jan."""
    text = _said(_report(tmp_path, service, dt.date(2027, 1, 16)))
    assert "Period covered Tuesday 15 December 2026 to Saturday 16 January 2027" in text
    assert text.count("No session records received for this period") == 1
    assert "5 sessions were planned in this period: 5 have no session record yet." in text
    assert (
        "5 more sessions are booked after Saturday 16 January 2027, up to the review on "
        "Wednesday 17 February 2027; they are not part of this report."
    ) in text
    for never in (
        "quoted from the Family Time Records",
        "say nothing under this heading",
        "The child's views",
        "3. From the session records",
        "still to come",
    ):
        assert never not in text, never
    appendix = text[text.index("Appendix") :]
    assert "12 January 2027 No session record No record yet" in appendix
    assert "19 January 2027" not in appendix  # after the report's day: not in the period


def _appendix_headings(path) -> list[str]:
    lines = [ln.strip() for ln in docx_text(path).splitlines()]
    start = lines.index("Session", lines.index("Appendix: the dates behind these figures"))
    return lines[start : start + 4]


def test_the_note_column_is_there_only_when_a_line_has_a_note(tmp_path):
    held = SessionRecord(item_id=1, reference=REF, date=FIRST, outcome="Took place")
    plain = _report(tmp_path / "plain", "northamptonshire", dt.date(2026, 12, 23), [held])
    assert _appendix_headings(plain) == ["Session", "Outcome", "Counted as", "15 December 2026"]
    late = held.model_copy(update={"late_minutes": 10})
    noted = _report(tmp_path / "noted", "northamptonshire", dt.date(2026, 12, 23), [late])
    assert _appendix_headings(noted) == ["Session", "Outcome", "Counted as", "Note"]
    assert "15 December 2026 Took place Took place 10 minutes late" in _said(noted)


@pytest.mark.parametrize("service", SERVICES)
def test_the_day_and_time_are_written_as_the_letters_write_them(tmp_path, service):
    profile = load_profile(service)
    report = _said(_report(tmp_path, service, PACK_DAY))
    paths = render_pack(
        make_item(),
        make_allocation(profile, first_date=FIRST),
        profile,
        tmp_path / "pack",
        today=PACK_DAY,
    )
    letter = " ".join(
        docx_text(next(p for p in paths if p.name == "Letter to parent 1.docx")).split()
    )
    assert "Tuesday, 10:00 to 11:30" in letter
    assert "Day and time Tuesday, 10:00 to 11:30" in report
    assert "10:00-11:30" not in report and "Tuesdays" not in report


def test_milton_keynes_names_the_childs_review_its_date_is(tmp_path):
    """MK's own review meetings (004 line 9: parents, social worker, a Senior Family Time
    worker) come with no report; the report's date is the child's next review."""
    path = _report(tmp_path, "milton-keynes", PACK_DAY)
    text = _said(path)
    assert path.name == "Family time report for the review 2027-02-17.docx"
    assert text.startswith("Family time report for the child's review")
    assert "For the child's review on Wednesday 17 February 2027" in text
    assert "Date of the child's review Wednesday 17 February 2027" in text
    for never in ("review meeting", "Senior Family Time Worker"):
        assert never not in text, never


def test_the_report_command_right_after_the_pack_reports_no_future(folder, monkeypatch):
    """`family-time report lac REF --to 13/01/2027` on 25 Nov 2026, a week before the first
    session (2 Dec): nothing counted, one sentence, no quote sections."""
    from pipeline.cli import main

    allocate(monkeypatch, folder.ref)
    config = str(folder.config_path)
    assert main(["report", "lac", folder.ref, "--to", "13/01/2027", "--config", config]) == 0
    (made,) = (folder.config.outbox_dir / folder.ref).glob("Family time report for the *.docx")
    text = _said(made)
    assert (
        "No family time session had taken place by the date of this report, so there is no "
        "attendance to count and no session record to quote."
    ) in text
    assert "Date of this report Wednesday 25 November 2026" in text
    for never in ("planned in this period", "still to come", "quoted from", "Appendix"):
        assert never not in text, never
