"""What a supervisor does to a review report in outbox/<REF>/: writes the recommendation into
its box and their name on the sign-off, and saves it (as Word would, with python-docx)."""

from __future__ import annotations

from pathlib import Path

from docx import Document


def write_recommendation(path: Path | str, text: str, written_by: str = "") -> None:
    doc = Document(str(path))
    heads = [i for i, p in enumerate(doc.paragraphs) if "recommendation" in p.text]
    assert heads, "no recommendation heading in the report"
    for table in doc.tables:
        if len(table.rows) == 1 and len(table.columns) == 1:  # the box to write in
            table.rows[0].cells[0].add_paragraph(text)
            break
    for table in doc.tables:
        for row in table.rows:
            if written_by and row.cells[0].text.strip() == "Written by":
                row.cells[1].text = written_by
    doc.save(str(path))


CHECKED = "Review report checked (name)"


def checker_on_staff(workbook, cells: dict) -> None:
    """A full name typed in "Review report checked (name)" is a person on the Staff sheet (the
    report is released by no one else): listed, as a co-ordinator would have listed them."""
    import openpyxl

    name = " ".join(str(cells.get(CHECKED) or "").split())
    if len(name.split()) < 2:
        return
    wb = openpyxl.load_workbook(workbook)
    staff = wb["Staff"]
    names = {
        " ".join(str(r[0] or "").split()).casefold()
        for r in staff.iter_rows(min_row=2, values_only=True)
    }
    if name.casefold() not in names:
        staff.append([name, "Family Time co-ordinator", "checker@example.org", 37])
        wb.save(workbook)
