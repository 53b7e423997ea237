"""A sort of ONE of the people's columns (Decision, on the Decisions sheet) moves an
"Approved" into another proposal's row. The check cell cannot see it (it vouches for the
pipeline's cells), so what people typed is compared with what they had typed when the workbook
was last read: the moved value is never read as a decision until someone clears it and types
it again, and status says which rows. Saved through LibreOffice Calc, as people do."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from pipeline.config import Config
from pipeline.profile import load_profile
from pipeline.tracker.decisions import read_decisions, write_proposals
from pipeline.tracker.typed_rows import moved_sentences

from tests.helpers.allocation_kit import libreoffice_round_trip
from tests.tracker.test_rows_belong_decisions import _rows

pytestmark = pytest.mark.libreoffice

FIRST, SECOND = "FT-2026-00001 1", "FT-2026-00002 1"


def _type(book, cells: dict[int, dict[str, object]]) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["Decisions"]
    head = {c.value: c.column for c in ws[1]}
    for row, typed in cells.items():
        for header, value in typed.items():
            ws.cell(row, head[header]).value = value
    wb.save(book)
    libreoffice_round_trip(book)


def test_a_decision_moved_by_sorting_its_column_alone_is_never_applied(tmp_path, monkeypatch):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-04")
    profile, config = load_profile("northamptonshire"), Config(base=tmp_path)
    write_proposals(_rows(), config, profile)
    book = next(config.tracker_dir.glob("*.xlsx"))

    # the second row is decided; the first has only who will decide typed so far
    _type(book, {2: {"Decided by": "Casey Manager"}, 3: {"Decision": "Approved"}})
    read = read_decisions(config, profile)
    assert read[SECOND].decision == "Approved" and not read[SECOND].moved
    assert read[FIRST].decision is None

    # "Decision" sorted alone (descending): the Approved moves to the first row
    _type(book, {2: {"Decision": "Approved"}, 3: {"Decision": None}})
    read = read_decisions(config, profile)
    assert read[FIRST].moved == "decision"  # never applied: the rule refuses it, and says why
    assert any("Decisions" in line for line in moved_sentences(config, profile))
    read = read_decisions(config, profile)  # read again (another pass): still held
    assert read[FIRST].moved == "decision"

    # the person clears the moved cell and saves (the watcher reads each save), then types
    # the decision where it belongs
    _type(book, {2: {"Decision": None}})
    assert not read_decisions(config, profile)[FIRST].moved
    _type(book, {3: {"Decision": "Approved"}})
    read = read_decisions(config, profile)
    assert not read[FIRST].moved and read[FIRST].decision is None
    assert read[SECOND].decision == "Approved" and not read[SECOND].moved


def test_typing_a_decision_in_one_row_is_not_a_sort(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-04")
    profile, config = load_profile("northamptonshire"), Config(base=tmp_path)
    write_proposals(_rows(), config, profile)
    book = next(config.tracker_dir.glob("*.xlsx"))
    read_decisions(config, profile)
    wb = openpyxl.load_workbook(book)
    ws = wb["Decisions"]
    head = {c.value: c.column for c in ws[1]}
    ws.cell(2, head["Decision"], "Approved")
    ws.cell(3, head["Decision"], "Declined")
    wb.save(book)
    read = read_decisions(config, profile)
    assert read[FIRST].decision == "Approved" and not read[FIRST].moved
    assert read[SECOND].decision == "Declined" and not read[SECOND].moved


def test_the_staff_sheet_name_column_sorted_alone_makes_nobody_a_decider(tmp_path, monkeypatch):
    """Names sorted alone on the Staff sheet give a supervisor the manager's role and email:
    those people are nobody (no decision, no pack to them) until the sheet is put right."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    from pipeline.tracker.sync import read_staff

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-04")
    profile, config = load_profile("northamptonshire"), Config(base=tmp_path)
    write_proposals(_rows(), config, profile)
    book = next(config.tracker_dir.glob("*.xlsx"))
    wb = openpyxl.load_workbook(book)
    wb["Staff"].append(["Casey Manager", "Team manager", "casey@example.gov.uk", 30])
    wb["Staff"].append(["Alex Supervisor", "Family Time supervisor", "alex@example.gov.uk", 30])
    wb.save(book)
    libreoffice_round_trip(book)
    assert {p["name"]: p["role"] for p in read_staff(config, profile)} == {
        "Casey Manager": "Team manager",
        "Alex Supervisor": "Family Time supervisor",
    }
    wb = openpyxl.load_workbook(book)  # "Name" sorted alone, descending
    ws = wb["Staff"]
    ws.cell(2, 1).value, ws.cell(3, 1).value = "Alex Supervisor", "Casey Manager"
    wb.save(book)
    libreoffice_round_trip(book)
    assert read_staff(config, profile) == []
    assert any("Staff" in line for line in moved_sentences(config, profile))

    wb = openpyxl.load_workbook(book)  # sorted back: everyone is themselves again
    ws = wb["Staff"]
    ws.cell(2, 1).value, ws.cell(3, 1).value = "Casey Manager", "Alex Supervisor"
    wb.save(book)
    libreoffice_round_trip(book)
    assert len(read_staff(config, profile)) == 2
    assert not any("Staff" in line for line in moved_sentences(config, profile))
