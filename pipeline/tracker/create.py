"""A new, empty tracking workbook with the features people expect of an Excel tracker.

Made once, when the folder has no workbook, with openpyxl (styles, frozen header, filter,
drop-downs, highlighting); every later write edits the XML directly (workbook.py), which keeps
all of this intact.
"""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.profile import Profile
from pipeline.tracker.columns import SheetSpec, TrackerSpec
from pipeline.tracker.ranges import INITIAL_RANGE_ROWS
from pipeline.tracker.validations import rule_for


def headers(sheet: SheetSpec, profile: Profile) -> dict[str, str]:
    """Column key -> header text for this service."""
    return {c.key: c.header_for(profile) for c in sheet.columns}


def _format_sheet(ws, sheet: SheetSpec, spec: TrackerSpec, profile: Profile) -> None:
    font = Font(bold=True, color=spec.header_font_colour)
    wrap = Alignment(wrap_text=True, vertical="top")
    letters: dict[str, str] = {}
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        letters[column.key] = letter
        cell = ws.cell(row=1, column=i, value=column.header_for(profile))
        cell.data_type = "s"
        cell.font = font
        cell.alignment = wrap
        fill = spec.header_fill_pipeline if column.pipeline else spec.header_fill_person
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
        ws.column_dimensions[letter].width = column.width
        if column.format == "date":
            ws.column_dimensions[letter].number_format = spec.date_format
    if not sheet.kept_by_people:
        check = len(sheet.columns) + 1
        cell = ws.cell(row=1, column=check, value=spec.check_column)
        cell.data_type = "s"
        ws.column_dimensions[get_column_letter(check)].hidden = True
    ws.row_dimensions[1].height = spec.header_height
    ws.freeze_panes = "B2"
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A1:{last}1"
    end = INITIAL_RANGE_ROWS + 1
    for column in sheet.columns:
        rule = rule_for(column, spec, profile)
        if rule is None:
            continue
        dv = DataValidation(
            type="list", formula1=rule.formula, allow_blank=True, showDropDown=False
        )
        dv.errorTitle, dv.error, dv.showErrorMessage = rule.title, rule.error, True
        if not rule.strict:
            dv.errorStyle = "warning"
        dv.add(f"{letters[column.key]}2:{letters[column.key]}{end}")
        ws.add_data_validation(dv)
    for mark in sheet.marks:
        col = letters[mark.column]
        if mark.starts_with:
            n = len(mark.starts_with)
            formula = f'LEFT(${col}2,{n})="{mark.starts_with}"'
        else:
            formula = f'ISNUMBER(SEARCH("{mark.contains}",${col}2))'
        ws.conditional_formatting.add(
            f"{col}2:{col}{end}",
            FormulaRule(
                formula=[formula],
                fill=PatternFill("solid", start_color=mark.fill, end_color=mark.fill),
            ),
        )
    for h in sheet.highlights:
        due, status = letters[h.column], letters[h.status_column]
        open_ = "AND(" + ",".join(f'${status}2<>"{d}"' for d in h.done) + f',${due}2<>"")'
        rng = f"{due}2:{due}{end}"
        ws.conditional_formatting.add(
            rng,
            FormulaRule(
                formula=[f"AND({open_},${due}2<TODAY())"],
                stopIfTrue=True,
                fill=PatternFill("solid", start_color=h.overdue_fill, end_color=h.overdue_fill),
            ),
        )
        ws.conditional_formatting.add(
            rng,
            FormulaRule(
                formula=[f"AND({open_},${due}2-TODAY()<={h.soon_days})"],
                fill=PatternFill("solid", start_color=h.soon_fill, end_color=h.soon_fill),
            ),
        )


def _lists_sheet(wb, spec: TrackerSpec, profile: Profile) -> None:
    if spec.lists_sheet in wb.sheetnames:
        return
    ws = wb.create_sheet(spec.lists_sheet)
    ws["A1"], ws["B1"] = "Venues", "Days"
    for i, venue in enumerate(profile.venues, start=2):
        ws.cell(row=i, column=1, value=venue.name).data_type = "s"
    for i, day in enumerate(profile.hours.session_days, start=2):
        ws.cell(row=i, column=2, value=str(day))
    ws.sheet_state = "hidden"


def new_workbook_bytes(spec: TrackerSpec, profile: Profile) -> bytes:
    """The bytes of an empty workbook: one formatted sheet per enabled sheet in tracker.toml."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in spec.enabled_sheets:
        _format_sheet(wb.create_sheet(sheet.name), sheet, spec, profile)
    _lists_sheet(wb, spec, profile)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def add_missing_sheets(data: bytes, names: list[str], spec: TrackerSpec, profile: Profile) -> bytes:
    """Add sheets a workbook lacks (deleted by someone, or newly enabled in tracker.toml).

    Rare, so openpyxl's slower whole-file rewrite is acceptable here.
    """
    wb = load_workbook(io.BytesIO(data))
    for name in names:
        _format_sheet(wb.create_sheet(name), spec.sheet(name), spec, profile)
    _lists_sheet(wb, spec, profile)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
