"""Pre-filled Family Time Records: the supervisor fills the rest, and the reader still knows it."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from pipeline.extract import extract_file
from pipeline.profile import load_profile
from pipeline.render.record_form import (
    RecordProblem,
    blank_record_path,
    controls_by_tag,
    prefill_record,
    set_control_checkbox,
    set_control_date,
    set_control_text,
)
from pipeline.validate import validate_extraction

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

SESSION = dict(
    reference="FT-2026-00001",
    child_names="Test Child Example",
    date=dt.date(2026, 12, 1),
    planned_start=dt.time(10, 0),
    planned_end=dt.time(11, 30),
    venue="Rose Family Centre, Room 2",
    supervisor="Pat Supervisor-Example",
    family_expected="Jo Sample-Parent (mother)",
)

PREFILLED = {
    "session.reference": "FT-2026-00001",
    "session.child_names": "Test Child Example",
    "session.date": "01/12/2026",
    "session.planned_start": "10:00",
    "session.planned_end": "11:30",
    "session.venue": "Rose Family Centre, Room 2",
    "session.supervisor": "Pat Supervisor-Example",
    "session.family_present": "Jo Sample-Parent (mother)",
}


def typed_fields(extraction) -> dict:
    """The text answers the reader found (check boxes, which always read yes/no, left out)."""
    return {k: v for k, v in extraction.fields.items() if v not in ("yes", "no")}


def document_root(path: Path):
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def complete_like_a_supervisor(path: Path, out: Path) -> Path:
    """What the supervisor does on the day: outcome, times, observations, sign-off."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    controls = controls_by_tag(root)
    for key, value in {
        "session.outcome": "Took place",
        "session.actual_start": "10:05",
        "session.actual_end": "11:30",
        "session.arrival": "Jo arrived ten minutes early and greeted the child.",
        "session.summary": "They built a tower and read a story together.",
        "session.child_views": '"I like it when mummy reads."',
        "session.parenting": "Warm and attentive; managed the goodbye well.",
        "session.author": "Pat Supervisor-Example",
    }.items():
        set_control_text(controls[key], value)
    set_control_checkbox(controls["session.significant_event"], False)
    set_control_date(controls["session.written_on"], dt.date(2026, 12, 2))
    parts["word/document.xml"] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    out.write_bytes(buf.getvalue())
    return out


def test_prefilled_record_reads_back_as_the_record_form_with_exactly_those_values(tmp_path):
    path = prefill_record(tmp_path / "Session record 2026-12-01.docx", **SESSION)
    assert path == tmp_path / "Session record 2026-12-01.docx"
    got = extract_file(path)
    assert (got.form.id, got.form.version, got.form.status) == (
        "family-time-record",
        "2026.1",
        "current",
    )
    assert typed_fields(got) == PREFILLED


def test_completed_by_the_supervisor_it_validates_as_a_complete_session_record(tmp_path):
    pre = prefill_record(tmp_path / "pre.docx", **SESSION)
    done = complete_like_a_supervisor(pre, tmp_path / "done.docx")
    verdict = validate_extraction(
        extract_file(done), load_profile("northamptonshire"), dt.datetime(2026, 12, 2, 15, 0)
    )
    assert verdict.verdict == "complete", verdict.problems
    assert verdict.kind == "session_record"
    assert verdict.values["session.date"] == dt.date(2026, 12, 1)
    assert verdict.values["session.planned_start"] == dt.time(10, 0)
    assert verdict.values["session.planned_end"] == dt.time(11, 30)
    assert verdict.values["session.reference"] == "FT-2026-00001"


def test_returned_without_the_rest_it_is_incomplete_and_asks_for_the_outcome(tmp_path):
    pre = prefill_record(tmp_path / "pre.docx", **SESSION)
    verdict = validate_extraction(
        extract_file(pre), load_profile("northamptonshire"), dt.datetime(2026, 12, 2, 15, 0)
    )
    assert verdict.verdict == "incomplete"
    assert "session.outcome" in {p.key for p in verdict.problems}
    assert "session.date" not in {p.key for p in verdict.problems}


def test_keeps_footer_properties_and_controls_and_opens_in_word_library(tmp_path):
    path = prefill_record(tmp_path / "r.docx", **SESSION)
    doc = Document(str(path))
    footer = "\n".join(p.text for p in doc.sections[0].footer.paragraphs)
    assert "Family Time Record, version 2026.1" in footer
    with zipfile.ZipFile(path) as zf:
        custom = zf.read("docProps/custom.xml").decode()
        names = set(zf.namelist())
    with zipfile.ZipFile(blank_record_path()) as zf:
        assert names == set(zf.namelist())
    assert "family-time-record" in custom and "2026.1" in custom
    blank_tags = set(controls_by_tag(document_root(blank_record_path())))
    assert set(controls_by_tag(document_root(path))) == blank_tags


def test_filled_controls_no_longer_show_the_prompt_and_the_date_is_a_picked_date(tmp_path):
    path = prefill_record(tmp_path / "r.docx", **SESSION)
    controls = controls_by_tag(document_root(path))
    for key in PREFILLED:
        pr = controls[key].find(f"{{{W}}}sdtPr")
        assert pr.find(f"{{{W}}}showingPlcHdr") is None, key
    picker = controls["session.date"].find(f"{{{W}}}sdtPr/{{{W}}}date")
    assert picker.get(f"{{{W}}}fullDate") == "2026-12-01T00:00:00Z"
    # the rest still shows its prompt for the supervisor
    outcome_pr = controls["session.outcome"].find(f"{{{W}}}sdtPr")
    assert outcome_pr.find(f"{{{W}}}showingPlcHdr") is not None


def test_awkward_text_is_escaped_and_round_trips(tmp_path):
    awkward = dict(
        SESSION,
        child_names='Test Child Example & <Sam> "Junior"',
        family_expected="Jo & Sam <Smith>\nGran O'Example",
        venue="Café Room ]]> 2\x0b\udc80",
    )
    path = prefill_record(tmp_path / "r.docx", **awkward)
    got = extract_file(path).fields
    assert got["session.child_names"] == 'Test Child Example & <Sam> "Junior"'
    # "Family present" is a one-line box in Word: two lines are joined, not broken
    assert got["session.family_present"] == "Jo & Sam <Smith>; Gran O'Example"
    assert got["session.venue"] == "Café Room ]]> 2"


def test_missing_values_leave_the_prompt_and_never_print_none(tmp_path):
    path = prefill_record(
        tmp_path / "r.docx",
        **dict(SESSION, planned_start=None, planned_end=None, venue="", family_expected=None),
    )
    got = extract_file(path).fields
    for key in (
        "session.planned_start",
        "session.planned_end",
        "session.venue",
        "session.family_present",
    ):
        assert key not in got
    text = "\n".join(
        p.text
        for t in Document(str(path)).tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
    )
    assert "None" not in text


def test_same_input_same_bytes_and_four_records_differ_only_by_date(tmp_path):
    a = prefill_record(tmp_path / "a.docx", **SESSION).read_bytes()
    b = prefill_record(tmp_path / "b.docx", **SESSION).read_bytes()
    assert a == b
    dates = [dt.date(2026, 12, 1) + dt.timedelta(weeks=n) for n in range(4)]
    for d in dates:
        path = prefill_record(tmp_path / f"Session record {d}.docx", **dict(SESSION, date=d))
        assert extract_file(path).fields["session.date"] == d.strftime("%d/%m/%Y")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_written_private(tmp_path):
    path = prefill_record(tmp_path / "out" / "r.docx", **SESSION)
    assert os.stat(path).st_mode & 0o077 == 0


def test_missing_or_broken_blank_form_is_a_clear_problem(tmp_path):
    with pytest.raises(RecordProblem, match="missing.*build_forms.py"):
        prefill_record(tmp_path / "r.docx", template=tmp_path / "nowhere.docx", **SESSION)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(RecordProblem, match="damaged"):
        prefill_record(tmp_path / "r.docx", template=broken, **SESSION)
    # a blank form without the session controls (an old copy, or the wrong file)
    referral = blank_record_path().with_name("family-time-referral-2025.1.docx")
    with pytest.raises(RecordProblem, match="no place for session.reference"):
        prefill_record(tmp_path / "r.docx", template=referral, **SESSION)
    assert not (tmp_path / "r.docx").exists()


def test_control_helpers_as_the_fixture_generator_uses_them(tmp_path):
    root = document_root(blank_record_path())
    controls = controls_by_tag(root)
    # free text typed into a date picker: shown as typed, no picked date behind it
    set_control_date(controls["session.written_on"], "early December")
    picker = controls["session.written_on"].find(f"{{{W}}}sdtPr/{{{W}}}date")
    assert picker.get(f"{{{W}}}fullDate") is None
    set_control_date(controls["session.date"], "01/12/2026")
    picker = controls["session.date"].find(f"{{{W}}}sdtPr/{{{W}}}date")
    assert picker.get(f"{{{W}}}fullDate") == "2026-12-01T00:00:00Z"
    # a multi-line control keeps its line breaks
    set_control_text(controls["session.summary"], "First line\nSecond line")
    assert len(controls["session.summary"].findall(f".//{{{W}}}br")) == 1
    set_control_checkbox(controls["session.significant_event"], True)
    shown = "".join(t.text for t in controls["session.significant_event"].iter(f"{{{W}}}t"))
    assert shown == "\u2612"
