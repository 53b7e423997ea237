"""Drop-downs that allow what the pipeline writes, and that reach older workbooks on sync:
a workbook made by an older layout (no Decisions, Staff or Lists sheets, no Venue, Day or
supervisor lists), or saved by LibreOffice Calc, gets tracker.toml's drop-downs without a
person's cell changing."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import openpyxl
import pytest

from pipeline.tracker.columns import load_spec
from pipeline.tracker.create import new_workbook_bytes
from pipeline.tracker.sync import workbook_path

from tests.helpers.allocation_kit import Desk, libreoffice_round_trip
from tests.helpers.paths import FIXTURES

REF = "FT-2026-00001"
TODAY = "2026-12-01"
TYPED = {"Status": "Waiting", "Notes": "Dad prefers mornings", "Venue": "The old hall, typed"}


def covering(ws, coordinate: str) -> list:
    return [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]


def allowed(dv) -> list[str]:
    return dv.formula1.strip('"').split(",")


def column(ws, header: str) -> str:
    heads = [c.value for c in ws[1]]
    return openpyxl.utils.get_column_letter(heads.index(header) + 1)


def older_workbook(path, profile) -> None:
    """A workbook as an older layout made it: the first four sheets, Status and Decision the
    only drop-downs, no hidden Lists sheet; one referral row a co-ordinator has typed in."""
    spec = load_spec(profile=profile)
    old_sheets = []
    for sheet in spec.sheets:
        if sheet.name in ("Decisions", "Staff"):
            continue
        old_sheets.append(
            sheet.model_copy(
                update={
                    "columns": [
                        c.model_copy(update={"list_from": "", "list_also": ""})
                        for c in sheet.columns
                    ]
                }
            )
        )
    old = spec.model_copy(update={"sheets": old_sheets})
    wb = openpyxl.load_workbook(io.BytesIO(new_workbook_bytes(old, profile)))
    del wb[old.lists_sheet]
    ws = wb["Referrals"]
    heads = [c.value for c in ws[1]]
    ws.cell(2, heads.index("Reference") + 1, REF)
    for header, value in TYPED.items():
        ws.cell(2, heads.index(header) + 1, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


@pytest.fixture
def old_desk(tmp_path, monkeypatch):
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config

    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    config = load_config(init_folder(tmp_path / "work"))
    older_workbook(workbook_path(config, config.load_profile()), config.load_profile())
    return Desk(tmp_path / "work")


def assert_new_dropdowns(book) -> None:
    ws = book["Referrals"]
    assert {"Staff", "Lists"} <= set(book.sheetnames)  # Decisions comes with a proposal
    for header, source in (
        ("Venue", "Lists!$A$2"),
        ("Day", "Lists!$B$2"),
        ("Allocated Family Time Supervisor", "Staff!$A$2"),
    ):
        found = covering(ws, f"{column(ws, header)}2")
        assert len(found) == 1 and source in found[0].formula1, (header, found)
    [status] = covering(ws, f"{column(ws, 'Status')}3")
    assert allowed(status) == ["Waiting", "Allocated", "Bridging", "Suspended", "Closed"]


def test_an_older_workbook_gets_the_new_dropdowns_and_keeps_what_people_typed(old_desk):
    old_desk.receive()
    book = openpyxl.load_workbook(old_desk.workbook)
    assert_new_dropdowns(book)
    row = old_desk.row(REF)
    assert {k: row[k] for k in TYPED} == TYPED
    assert row["CareFirst ID"] == "1234567"  # the pipeline's cells filled in


@pytest.mark.libreoffice
def test_a_workbook_saved_by_libreoffice_gets_the_new_dropdowns_once(old_desk):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    libreoffice_round_trip(old_desk.workbook)
    old_desk.receive()
    old_desk.effects()
    book = openpyxl.load_workbook(old_desk.workbook)
    assert_new_dropdowns(book)
    row = old_desk.row(REF)
    assert {k: row[k] for k in TYPED} == TYPED


def test_suspended_until_in_status_is_one_of_its_cells_choices(tmp_path, monkeypatch):
    """The missed-session rule writes "Suspended until dd/mm/yyyy" into Status: that cell's
    drop-down allows it (and still offers the usual choices); the other rows keep the usual
    list; when the co-ordinator changes it back, the next sync drops the extra choice."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    desk = Desk(tmp_path / "work")
    desk.receive()
    desk.type_in(REF, Status="Suspended until 22/12/2026")  # as the tracker effect writes it
    desk.effects()
    from tests.helpers.intake_kit import variant

    variant(FIXTURES / "forms" / "referral-complete.docx", tmp_path / "another.docx", 1)
    desk.receive(tmp_path / "another.docx")  # another child: row 3
    ws = openpyxl.load_workbook(desk.workbook)["Referrals"]
    col = column(ws, "Status")
    [dv] = covering(ws, f"{col}2")
    assert "Suspended until 22/12/2026" in allowed(dv)
    assert {"Waiting", "Allocated", "Closed"} <= set(allowed(dv))
    [other] = covering(ws, f"{col}3")
    assert "Suspended until 22/12/2026" not in allowed(other)
    desk.type_in(REF, Status="Allocated")
    desk.effects()
    ws = openpyxl.load_workbook(desk.workbook)["Referrals"]
    [dv] = covering(ws, f"{col}2")
    assert allowed(dv) == ["Waiting", "Allocated", "Bridging", "Suspended", "Closed"]


def test_an_older_workbook_gets_the_columns_people_now_fill(tmp_path, monkeypatch):
    """A workbook made before "Contact made on", "Next review" and the IRO's columns existed
    gets their headings at the end on the next sync, so the co-ordinator has somewhere to type
    them (the contact figures and review reports read them); what people typed stays put."""
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config

    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    config = load_config(init_folder(tmp_path / "work"))
    profile = config.load_profile()
    path = workbook_path(config, profile)
    older_workbook(path, profile)
    newer = ("Contact made on", "Next review", "IRO", "IRO email")
    wb = openpyxl.load_workbook(path)
    ws = wb["Referrals"]
    for header in newer:
        heads = [c.value for c in ws[1]]
        ws.delete_cols(heads.index(header) + 1)
    wb.save(path)
    desk = Desk(tmp_path / "work")
    desk.receive()
    ws = openpyxl.load_workbook(desk.workbook)["Referrals"]
    heads = [c.value for c in ws[1]]
    assert set(newer) <= set(heads)
    row = desk.row(REF)
    assert {k: row[k] for k in TYPED} == TYPED
    desk.type_in(REF, **{"Contact made on": "01/12/2026"})
    desk.effects()
    assert desk.row(REF)["Contact made on"] in ("01/12/2026", dt.datetime(2026, 12, 1))
