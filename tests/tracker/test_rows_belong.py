"""Rows that cannot be mixed up: a sort of one column in LibreOffice Calc ("continue with the
current selection") moves the Child cells away from their rows. The pipeline never acts on a
row whose cells do not belong together: it puts the row right from the ledger where nothing a
person typed sits beside the moved cells, and otherwise holds it and says so."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.helpers.allocation_kit import FORM, Desk, libreoffice_round_trip

TODAY = "2026-12-01"
ZOE, BELLA = "FT-2026-00001", "FT-2026-00002"

pytestmark = pytest.mark.libreoffice


def other_child(dest: Path) -> Path:
    """The fixture's referral for a different (fictional) child: another first name, date of
    birth and CareFirst ID."""
    with zipfile.ZipFile(FORM) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                for old, new in (
                    (b"Test Child", b"Bella"),
                    (b"1234567", b"7000002"),
                    (b"14/06/2019", b"02/02/2020"),
                    (b"2019-06-14", b"2020-02-02"),
                ):
                    data = data.replace(old, new)
            zout.writestr(info, data)
        zout.comment = b"another child"
    return dest


@pytest.fixture
def desk(tmp_path, monkeypatch):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    d = Desk(tmp_path / "work")
    d.receive()
    d.receive(other_child(tmp_path / "bella.docx"), name="bella.docx")
    assert d.row(ZOE)["Child"].startswith("Test Child")
    assert d.row(BELLA)["Child"].startswith("Bella")
    return d


def sort_one_column(desk: Desk, header: str) -> None:
    """What a one-column sort does to two rows: that column's cells change places, nothing
    else moves (the hidden check cell neither). Saved by LibreOffice Calc."""
    wb = openpyxl.load_workbook(desk.workbook)
    ws = wb["Referrals"]
    col = next(c.column for c in ws[1] if c.value == header)
    a, b = ws.cell(2, col), ws.cell(3, col)
    a.value, b.value = b.value, a.value
    wb.save(desk.workbook)
    libreoffice_round_trip(desk.workbook)


def child_of(desk: Desk, child: str) -> str:
    """The reference of the row that shows `child` (what the co-ordinator looks at)."""
    ws = openpyxl.load_workbook(desk.workbook)["Referrals"]
    head = [c.value for c in ws[1]]
    for r in ws.iter_rows(min_row=2, values_only=True):
        if r[head.index("Child")] and str(r[head.index("Child")]).startswith(child):
            return r[head.index("Reference")]
    raise KeyError(child)


def test_an_allocation_typed_beside_a_moved_child_is_never_acted_on(desk):
    sort_one_column(desk, "Child")
    row = child_of(desk, "Bella")  # the co-ordinator allocates the row showing Bella...
    assert row == ZOE  # ...which is Test Child's row
    desk.allocate(row)
    libreoffice_round_trip(desk.workbook)
    desk.effects()

    assert desk.pack(ZOE) == [] and desk.pack(BELLA) == []
    assert desk.mails("pack") == []
    held = desk.row(ZOE)
    assert held["Child"].startswith("Bella")  # left as the person sees it, to be undone
    assert "These cells were moved" in held["Pipeline note"]
    assert "Sort the whole table or undo" in held["Pipeline note"]
    assert not (held["Paperwork"] or "").startswith("Pack made")

    from pipeline.commands.status import describe, gather

    lines = describe(gather(desk.ledger, desk.config, desk.profile))
    assert any("These cells were moved" in line and ZOE in line for line in lines)

    from pipeline.notify.digest import reminders

    said = [r.text for r in reminders(desk.ledger, desk.config, desk.profile)]
    assert any("These cells were moved" in line and ZOE in line for line in said)


def test_the_person_clears_the_moved_cell_and_the_row_is_put_back_and_acted_on(desk):
    sort_one_column(desk, "Child")
    desk.allocate(ZOE)
    libreoffice_round_trip(desk.workbook)
    desk.effects()
    assert desk.pack(ZOE) == []

    wb = openpyxl.load_workbook(desk.workbook)  # checked: the allocation is for this
    ws = wb["Referrals"]  # reference's child, so the moved cell is cleared
    col = next(c.column for c in ws[1] if c.value == "Child")
    next(r for r in ws.iter_rows(min_row=2) if r[0].value == ZOE)[col - 1].value = None
    wb.save(desk.workbook)
    libreoffice_round_trip(desk.workbook)
    desk.effects()
    row = desk.row(ZOE)
    assert row["Child"].startswith("Test Child")
    assert not row.get("Pipeline note")
    assert row["Paperwork"].startswith("Pack made")
    assert desk.pack(BELLA) == []


def test_moved_cells_with_nothing_typed_beside_them_are_put_right(desk):
    sort_one_column(desk, "Child")
    desk.effects()
    assert desk.row(ZOE)["Child"].startswith("Test Child")
    assert desk.row(BELLA)["Child"].startswith("Bella")
    assert not desk.row(ZOE).get("Pipeline note")

    desk.allocate(child_of(desk, "Bella"))  # now the row that shows Bella is hers
    libreoffice_round_trip(desk.workbook)
    desk.effects()
    assert desk.row(BELLA)["Paperwork"].startswith("Pack made")
    assert desk.pack(ZOE) == []


@pytest.mark.parametrize("header", ["Reference", "Date of birth or expected date of delivery"])
def test_any_pipeline_column_sorted_alone_holds_the_allocated_rows(desk, header):
    desk.allocate(ZOE)  # typed before the sort: the Reference column then moves away
    desk.allocate(BELLA)
    sort_one_column(desk, header)
    desk.effects()
    assert desk.pack(ZOE) == [] and desk.pack(BELLA) == []
    assert desk.mails("pack") == []


def test_a_deleted_allocated_row_comes_back_with_its_allocation_and_a_note(desk):
    desk.allocate(ZOE)
    desk.effects()
    made = desk.row(ZOE)
    assert made["Paperwork"].startswith("Pack made")
    packs, mails = desk.pack(ZOE), len(desk.mails("pack"))
    assert packs

    wb = openpyxl.load_workbook(desk.workbook)
    ws = wb["Referrals"]
    ws.delete_rows(next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == ZOE))
    wb.save(desk.workbook)
    libreoffice_round_trip(desk.workbook)
    desk.effects()

    back = desk.row(ZOE)
    for header in ("Status", "Allocated Family Time Supervisor", "Venue", "Day", "Time"):
        assert back[header] == made[header], header
    assert back["First session"] == made["First session"]
    assert back["Paperwork"] == made["Paperwork"]
    assert back["Pipeline note"].startswith("Row restored on 01/12/2026")
    assert desk.pack(ZOE) == packs and len(desk.mails("pack")) == mails  # nothing made again
    assert desk.row(BELLA)["Child"].startswith("Bella")


def test_a_renamed_referrals_sheet_is_found_by_its_headers_and_its_allocation_read(desk):
    import datetime as dt

    from tests.helpers.allocation_kit import SUPERVISOR

    desk.add_staff()
    wb = openpyxl.load_workbook(desk.workbook)
    wb["Referrals"].title = "Referrals 2026"  # renamed, and the Staff sheet moved first
    wb.move_sheet("Staff", offset=-wb.sheetnames.index("Staff"))
    wb.save(desk.workbook)
    libreoffice_round_trip(desk.workbook)
    desk.effects()
    assert "Referrals" not in openpyxl.load_workbook(desk.workbook).sheetnames

    wb = openpyxl.load_workbook(desk.workbook)
    ws = wb["Referrals 2026"]
    head = {c.value: c.column for c in ws[1]}
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == BELLA)
    typed = {
        "Status": "Allocated",
        "Allocated Family Time Supervisor": SUPERVISOR,
        "Venue": desk.profile.venues[0].name,
        "Day": "Tuesday",
        "Time": "10:00-11:30",
        "First session": dt.date(2026, 12, 8),
    }
    for header, value in typed.items():
        cell = ws.cell(row, head[header], value)
        if isinstance(value, dt.date):
            cell.number_format = "dd/mm/yyyy"
    wb.save(desk.workbook)
    libreoffice_round_trip(desk.workbook)
    desk.effects()

    names = openpyxl.load_workbook(desk.workbook).sheetnames
    assert names.count("Referrals 2026") == 1 and "Referrals" not in names
    assert names[0] == "Staff"
    assert desk.pack(BELLA) and desk.pack(ZOE) == []
    ws = openpyxl.load_workbook(desk.workbook)["Referrals 2026"]
    head = [c.value for c in ws[1]]
    bella = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == BELLA)
    assert str(bella[head.index("Paperwork")]).startswith("Pack made")
