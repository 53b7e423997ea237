"""The tracking workbook: what co-ordinators see, and that their typing survives every sync."""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipeline.profile import load_profile
from pipeline.tracker import check, read_allocations, sync, workbook_path

from tests.helpers.excel_like import save_as_excel
from tests.helpers.tracker_kit import accepted, attention, returned

sync_module = sys.modules["pipeline.tracker.sync"]


def book(config, profile) -> Path:
    return workbook_path(config, profile)


def rows_by_ref(ws) -> dict[str, dict]:
    headers = [c.value for c in ws[1]]
    out = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0]:
            out[row[0]] = dict(zip(headers, row))
    return out


@pytest.fixture(autouse=True)
def fresh_process():
    """Each test behaves as a new process: no memory of earlier writes."""
    sync_module._written.clear()
    yield
    sync_module._written.clear()


# ---------------------------------------------------------------- the workbook itself


def test_new_workbook_has_headers_formats_dropdown_filter_and_highlighting(config, profile):
    report = sync([accepted(1)], config, profile)
    assert report.writes == 1 and not report.waiting
    path = book(config, profile)
    assert path.name == "Family Time referrals - Northamptonshire.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:6] == [
        "Referrals",
        "Returned",
        "Attention",
        "Sessions",
        "Decisions",
        "Staff",
    ]
    ws = wb["Referrals"]
    headers = [c.value for c in ws[1]]
    assert "CareFirst ID" in headers and "Allocated Family Time Supervisor" in headers
    assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("1F4E78")
    assert ws["A1"].alignment.wrap_text
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref.startswith("A1:") and ws.auto_filter.ref.endswith("2")
    status_col = openpyxl.utils.get_column_letter(headers.index("Status") + 1)
    dv = ws.data_validations.dataValidation
    assert any(
        "Waiting,Allocated,Bridging,Suspended,Closed" in v.formula1
        and f"{status_col}2" in str(v.sqref)
        for v in dv
    )
    due_col = openpyxl.utils.get_column_letter(headers.index("Allocate by") + 1)
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert any("TODAY()" in r.formula[0] and '"Allocated"' in r.formula[0] for r in rules)
    assert any(str(rng.sqref).startswith(f"{due_col}2") for rng in ws.conditional_formatting)
    received = ws.cell(row=2, column=headers.index("Received") + 1)
    assert received.value == dt.datetime(2026, 11, 2) and received.number_format == "dd/mm/yyyy"
    assert ws.column_dimensions["A"].width == 16


def test_headers_follow_the_service_profile(config):
    mk = load_profile("milton-keynes")
    sync([accepted(1)], config, mk)
    ws = openpyxl.load_workbook(book(config, mk))["Referrals"]
    headers = [c.value for c in ws[1]]
    # Milton Keynes names no case system and promises no due date: none is shown
    assert "Case record ID" in headers and "Allocated Family Time Worker" in headers
    assert not [h for h in headers if h and h.endswith(" by")]
    assert book(config, mk).name == "Family Time referrals - Milton Keynes.xlsx"


def test_due_date_columns_are_the_services_own(config):
    bp = load_profile("blackpool")
    sync([accepted(1)], config, bp)
    ws = openpyxl.load_workbook(book(config, bp))["Referrals"]
    headers = [c.value for c in ws[1]]
    due = [h for h in headers if h and h.endswith(" by")]
    assert due == ["Acknowledge by", "Planning meeting by", "Allocate by", "First session by"]
    nct = load_profile("northamptonshire")
    config2 = config.model_copy(update={"tracker": config.tracker_dir / "nct"})
    sync([accepted(1)], config2, nct)
    ws = openpyxl.load_workbook(book(config2, nct))["Referrals"]
    assert [h for h in (c.value for c in ws[1]) if h and h.endswith(" by")] == [
        "Discuss with social worker by",
        "Allocate by",
    ]


def test_referral_row_reads_back_as_typed_values(config, profile):
    sync([accepted(7, reference="FT-2026-00007")], config, profile)
    row = rows_by_ref(openpyxl.load_workbook(book(config, profile))["Referrals"])["FT-2026-00007"]
    assert row["Child"] == "Test Child Example 7"
    assert row["Date of birth or expected date of delivery"] == dt.datetime(2019, 5, 4)
    assert row["CareFirst ID"] == "100007"  # text: leading zeros would survive
    assert row["Preferred days"] == "Tuesday, Thursday"
    assert row["Follow up"] == "The Family Time Agreement was not attached"
    assert row["Allocate by"] == dt.datetime(2026, 11, 16)
    assert row["Status"] is None  # the co-ordinator's to fill


def test_unborn_child_shows_the_expected_date(config, profile):
    item = accepted(3)
    del item.verdict.values["child.dob"]
    item.verdict.values["child.edd"] = dt.date(2027, 2, 1)
    sync([item], config, profile)
    row = rows_by_ref(openpyxl.load_workbook(book(config, profile))["Referrals"])[item.reference]
    assert row["Date of birth or expected date of delivery"] == dt.datetime(2027, 2, 1)


def test_formula_like_text_stays_text(config, profile):
    nasty = accepted(
        1,
        first='=HYPERLINK("http://x","y")',
        last="+44 7700",
        **{"social_worker.name": "-Jo", "social_worker.team": "@SUM(A1)"},
    )
    sync([nasty], config, profile)
    path = book(config, profile)
    with zipfile.ZipFile(path) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    ws = openpyxl.load_workbook(path)["Referrals"]
    row = rows_by_ref(ws)[nasty.reference]
    assert row["Child"] == '=HYPERLINK("http://x","y") +44 7700'
    assert row["Social worker"] == "-Jo" and row["Team"] == "@SUM(A1)"
    assert all(c.data_type == "s" for c in ws[2] if isinstance(c.value, str))


# ---------------------------------------------------------------- people's edits survive


def test_person_edits_sorting_and_added_column_survive_a_sync(config, profile):
    items = [accepted(n) for n in range(1, 6)]
    sync(items, config, profile)
    path = book(config, profile)
    wb = openpyxl.load_workbook(path)
    ws = wb["Referrals"]
    headers = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    ws.cell(row=3, column=col["Status"], value="Allocated")  # FT-2026-00002
    ws.cell(row=3, column=col["Allocated Family Time Supervisor"], value="Sam Example-Supervisor")
    ws.cell(row=3, column=col["Notes"], value="=not a formula, just a note")
    ws.cell(row=3, column=col["Notes"]).data_type = "s"
    ws.insert_cols(3)  # a column of their own
    ws.cell(row=1, column=3, value="My priority")
    ws.cell(row=3, column=3, value="High")
    data = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    for r, values in enumerate(reversed(data), start=2):  # sorted, newest first
        for c, v in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=v)
    save_as_excel(wb, path)

    more = items + [accepted(n) for n in range(6, 9)]
    report = sync(more, config, profile, paperwork={"FT-2026-00002": "Pack sent 23/11/2026"})
    assert report.writes == 1 and report.appended == 3 and report.updated == 1

    ws = openpyxl.load_workbook(path)["Referrals"]
    rows = rows_by_ref(ws)
    two = rows["FT-2026-00002"]
    assert two["Status"] == "Allocated"
    assert two["Allocated Family Time Supervisor"] == "Sam Example-Supervisor"
    assert two["Notes"] == "=not a formula, just a note"
    assert two["My priority"] == "High"
    assert two["Paperwork"] == "Pack sent 23/11/2026"
    assert two["Child"] == "Test Child Example 2"
    assert set(rows) == {f"FT-2026-{n:05d}" for n in range(1, 9)}
    assert [c.value for c in ws[1]][2] == "My priority"
    # a later sync without paperwork news leaves the pipeline's note alone
    sync(more, config, profile)
    assert (
        rows_by_ref(openpyxl.load_workbook(path)["Referrals"])["FT-2026-00002"]["Paperwork"]
        == "Pack sent 23/11/2026"
    )


def test_a_deleted_row_comes_back_and_other_rows_keep_their_place(config, profile):
    items = [accepted(n) for n in range(1, 4)]
    sync(items, config, profile)
    path = book(config, profile)
    wb = openpyxl.load_workbook(path)
    ws = wb["Referrals"]
    ws.cell(row=4, column=[c.value for c in ws[1]].index("Notes") + 1, value="keep me")
    ws.delete_rows(2)  # FT-2026-00001 lost in someone's save
    save_as_excel(wb, path)
    assert {d.kind for d in check(items, config, profile)} == {"missing"}
    report = sync(items, config, profile)
    assert report.written == ["FT-2026-00001"]
    rows = rows_by_ref(openpyxl.load_workbook(path)["Referrals"])
    assert rows["FT-2026-00001"]["Child"] == "Test Child Example 1"
    assert rows["FT-2026-00003"]["Notes"] == "keep me"
    assert check(items, config, profile) == []


def test_a_pipeline_cell_someone_overtyped_is_reported_and_corrected_by_a_full_sync(
    config, profile
):
    items = [accepted(1)]
    sync(items, config, profile)
    path = book(config, profile)
    wb = openpyxl.load_workbook(path)
    wb["Referrals"]["C2"] = "Wrong Name"
    wb["Referrals"]["A3"] = "FT-2026-99999"  # a row the ledger does not know
    save_as_excel(wb, path)
    kinds = {(d.kind, d.key) for d in check(items, config, profile)}
    assert ("differs", "FT-2026-00001") in kinds and ("unknown", "FT-2026-99999") in kinds
    sync(items, config, profile, full=True)
    assert openpyxl.load_workbook(path)["Referrals"]["C2"].value == "Test Child Example 1"
    assert openpyxl.load_workbook(path)["Referrals"]["A3"].value == "FT-2026-99999"


def test_a_deleted_sheet_is_made_again(config, profile):
    sync([accepted(1), attention(2)], config, profile)
    path = book(config, profile)
    wb = openpyxl.load_workbook(path)
    del wb["Attention"]
    save_as_excel(wb, path)
    sync([accepted(1), attention(2)], config, profile)
    wb = openpyxl.load_workbook(path)
    assert wb["Attention"]["A2"].value == "Item 2"


# ---------------------------------------------------------------- the workbook is open


@pytest.mark.parametrize("lock_name", ["~${}", ".~lock.{}#"])
def test_open_workbook_holds_rows_back_then_writes_them_in_one_pass(config, profile, lock_name):
    sync([accepted(1)], config, profile)
    path = book(config, profile)
    before = path.read_bytes()
    lock = path.with_name(lock_name.format(path.name))
    lock.write_text("someone")
    items = [accepted(n) for n in range(1, 30)]
    report = sync(items, config, profile)
    assert report.waiting and report.writes == 0 and report.written == []
    assert "is open" in report.message and "waiting" in report.message
    assert path.read_bytes() == before
    lock.unlink()
    report = sync(items, config, profile)
    assert not report.waiting and report.writes == 1 and len(report.written) == 28
    assert len(rows_by_ref(openpyxl.load_workbook(path)["Referrals"])) == 29


def test_a_save_that_fails_because_the_file_is_locked_means_waiting(config, profile, monkeypatch):
    sync([accepted(1)], config, profile)

    def refuse(path, data):
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(sync_module, "write_private", refuse)
    report = sync([accepted(1), accepted(2)], config, profile)
    assert report.waiting and report.writes == 0 and "waiting" in report.message


# ---------------------------------------------------------------- cost and safety


def test_two_hundred_referrals_cost_one_write_and_keep_a_backup(config, profile, monkeypatch):
    sync([accepted(1)], config, profile)
    writes = []
    real = sync_module.write_private
    monkeypatch.setattr(sync_module, "write_private", lambda p, d: writes.append(p) or real(p, d))
    items = [accepted(n) for n in range(1, 202)]
    report = sync(items, config, profile)
    assert report.appended == 200 and report.writes == 1
    path = book(config, profile)
    assert writes.count(path) == 1
    backups = list((path.parent / "backups").glob("*.xlsx"))
    assert len(backups) == 1
    assert len(rows_by_ref(openpyxl.load_workbook(backups[0])["Referrals"])) == 1
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]


def test_backups_are_pruned_to_the_configured_number(config, profile):
    for n in range(1, 14):
        sync([accepted(i) for i in range(1, n + 1)], config, profile)
    backups = list((book(config, profile).parent / "backups").glob("*.xlsx"))
    assert len(backups) == 10


def test_nothing_to_do_writes_nothing(config, profile):
    items = [accepted(1), returned(2, "FT-2026-00050"), attention(3)]
    sync(items, config, profile)
    stamp = book(config, profile).stat().st_mtime_ns
    report = sync(items, config, profile)
    assert report.writes == 0 and report.message == "The tracking workbook is up to date."
    assert book(config, profile).stat().st_mtime_ns == stamp


def test_a_damaged_workbook_gives_a_clear_message_not_a_crash(config, profile):
    path = book(config, profile)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a zip")
    report = sync([accepted(1)], config, profile)
    assert report.writes == 0 and "not an Excel workbook" in report.message
    assert path.read_bytes() == b"this is not a zip"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_workbook_is_private(config, profile):
    sync([accepted(1)], config, profile)
    assert book(config, profile).stat().st_mode & 0o077 == 0


# ---------------------------------------------------------------- other sheets


def test_returned_form_then_resubmission_updates_its_row(config, profile):
    ref = "FT-2026-00040"
    first = returned(1, ref, outcome="old_form", received=dt.datetime(2026, 11, 2, 10))
    sync([first], config, profile)
    path = book(config, profile)
    row = rows_by_ref(openpyxl.load_workbook(path)["Returned"])[ref]
    assert row["Sent back because"] == "Old version of the form"
    assert "old version" in row["What was asked for"] and row["Re-submission"] is None
    second = returned(2, ref, received=dt.datetime(2026, 11, 4, 10))
    third = accepted(3, reference=ref, received=dt.datetime(2026, 11, 6, 10))
    sync([first, second, third], config, profile)
    wb = openpyxl.load_workbook(path)
    row = rows_by_ref(wb["Returned"])[ref]
    assert row["Re-submission"] == (
        "Re-submitted on 04/11/2026: still incomplete; Re-submitted on 06/11/2026: complete"
    )
    assert row["What was asked for"].startswith("Date of birth is missing")
    assert row["First received"] == dt.datetime(2026, 11, 2)
    assert ref in rows_by_ref(wb["Referrals"])


def test_attention_rows_name_the_file_and_the_reason(config, profile):
    sync([attention(5), attention(6, outcome="unreadable")], config, profile)
    rows = rows_by_ref(openpyxl.load_workbook(book(config, profile))["Attention"])
    assert rows["Item 5"]["File"] == "holiday-photo-5.pdf"
    assert rows["Item 5"]["Why it needs a look"] == "This is not a referral form"
    assert set(rows) == {"Item 5", "Item 6"}


def test_every_year_is_in_the_one_workbook(config, profile):
    old = accepted(1, received=dt.datetime(2025, 12, 30, 9))
    new = accepted(2, received=dt.datetime(2026, 1, 5, 9))
    report = sync([old, new], config, profile)
    assert report.writes == 1
    assert book(config, profile).name == "Family Time referrals - Northamptonshire.xlsx"
    assert list(rows_by_ref(openpyxl.load_workbook(book(config, profile))["Referrals"])) == [
        old.reference,
        new.reference,
    ]


# ---------------------------------------------------------------- allocations


def test_allocations_are_read_from_what_the_coordinator_typed(config, profile):
    items = [
        accepted(n, received=dt.datetime(dt.date.today().year, 1, 5, 9) + dt.timedelta(hours=n))
        for n in range(1, 4)
    ]
    sync(items, config, profile)
    path = workbook_path(config, profile)
    wb = openpyxl.load_workbook(path)
    ws = wb["Referrals"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    ws.cell(row=2, column=col["Status"], value="allocated")
    ws.cell(row=2, column=col["Allocated Family Time Supervisor"], value="Sam Example-Supervisor")
    ws.cell(row=2, column=col["Venue"], value="Penfold Centre")
    ws.cell(row=2, column=col["Day"], value="Tuesday")
    ws.cell(row=2, column=col["Time"], value=dt.time(10, 0))
    ws.cell(row=2, column=col["First session"], value=dt.datetime(2027, 1, 12))
    ws.cell(row=3, column=col["Notes"], value="waiting for the agreement")
    save_as_excel(wb, path)
    (path.with_name("~$" + path.name)).write_text("open")  # reading is fine while open
    found = {a.reference: a for a in read_allocations(config, profile)}
    first = found[items[0].reference]
    assert first.status == "Allocated" and first.complete
    assert first.time == "10:00" and first.first_date == dt.date(2027, 1, 12)
    assert found[items[1].reference].notes == "waiting for the agreement"
    assert not found[items[1].reference].complete
    assert items[2].reference not in found


def test_no_workbook_means_no_allocations(config, profile):
    assert read_allocations(config, profile) == []


def test_a_renamed_reference_heading_stops_writing_instead_of_duplicating_rows(config, profile):
    items = [accepted(1), accepted(2)]
    sync(items, config, profile)
    path = book(config, profile)
    wb = openpyxl.load_workbook(path)
    wb["Referrals"]["A1"] = "Ref no."
    save_as_excel(wb, path)
    before = path.read_bytes()
    report = sync(items + [accepted(3)], config, profile)
    assert report.writes == 0 and "no 'Reference' column" in report.message
    assert path.read_bytes() == before


def test_the_backup_of_a_repaired_workbook_is_the_file_as_it_was(config, profile):
    sync([accepted(1), attention(2)], config, profile)
    path = book(config, profile)
    wb = openpyxl.load_workbook(path)
    del wb["Returned"]
    save_as_excel(wb, path)
    sync([accepted(1), attention(2), returned(3, "FT-2026-00077")], config, profile)
    backups = list((path.parent / "backups").glob("*.xlsx"))
    newest = max(backups, key=lambda p: p.name)
    assert "Returned" not in openpyxl.load_workbook(newest).sheetnames
    assert "Returned" in openpyxl.load_workbook(path).sheetnames


@pytest.mark.parametrize(
    "text, shown",
    [
        ("  Jo  ", "Jo"),  # names are tidied
        ("Zoë Ñ-Example 😊", "Zoë Ñ-Example 😊"),
        ("Bad\x01Char", "BadChar"),  # control characters Excel refuses are dropped
        ("<b>&amp;</b>", "<b>&amp;</b>"),
    ],
)
def test_awkward_text_round_trips(config, profile, text, shown):
    item = accepted(1, **{"social_worker.name": text})
    sync([item], config, profile)
    assert (
        rows_by_ref(openpyxl.load_workbook(book(config, profile))["Referrals"])[item.reference][
            "Social worker"
        ]
        == shown
    )


def test_the_sessions_sheet_has_one_row_per_referral_and_session_date(profile):
    from pipeline.models import Item, Verdict
    from pipeline.tracker.columns import load_spec
    from pipeline.tracker.rows import desired_rows

    spec = load_spec()
    record = Item(
        id=9,
        file_sha256="9" * 64,
        original_name="record.docx",
        received_at=dt.datetime(2026, 11, 20, 16),
        outcome="session_record",
        reason="Session record",
        reference="FT-2026-00001",
        verdict=Verdict(
            verdict="complete",
            kind="session_record",
            values={"session.date": dt.date(2026, 11, 19), "session.outcome": "Took place"},
        ),
    )
    row = desired_rows([record], spec)["Sessions"]["FT-2026-00001 19/11/2026"]
    assert row["session_date"] == dt.date(2026, 11, 19) and row["outcome"] == "Took place"
    assert row["reference"] == "FT-2026-00001" and row["item"] == "Item 9"


def test_an_untouched_workbook_is_not_even_opened_by_the_next_process(config, profile, monkeypatch):
    items = [accepted(n) for n in range(1, 4)]
    sync(items, config, profile)
    sync_module._written.clear()  # a new process: memory from state/
    opened = []
    real = sync_module.Package.open
    monkeypatch.setattr(
        sync_module.Package, "open", classmethod(lambda cls, p: opened.append(p) or real(p))
    )
    assert sync(items, config, profile).writes == 0 and opened == []
    wb = openpyxl.load_workbook(book(config, profile))  # someone saves: it is read again
    save_as_excel(wb, book(config, profile))
    assert sync(items, config, profile).writes == 0 and len(opened) == 1
    assert sync(items + [accepted(4)], config, profile).appended == 1


def test_next_review_starts_as_the_forms_date_and_is_then_the_coordinators(config):
    nct = load_profile("northamptonshire")
    """The referral form's review date fills Next review once, when the row is added; a date
    the co-ordinator types afterwards is never overwritten."""
    item = accepted(1)
    item.verdict.values["review.next_date"] = dt.date(2027, 1, 15)
    sync([item], config, nct)
    wb = openpyxl.load_workbook(book(config, nct))
    ws = wb["Referrals"]
    headers = [c.value for c in ws[1]]
    col = headers.index("Next review") + 1
    assert ws.cell(row=2, column=col).value == dt.datetime(2027, 1, 15)
    ws.cell(row=2, column=col).value = dt.datetime(2027, 7, 1)  # the next review, typed
    wb.save(book(config, nct))
    sync([item], config, nct, full=True)  # every row compared again
    ws = openpyxl.load_workbook(book(config, nct))["Referrals"]
    assert ws.cell(row=2, column=col).value == dt.datetime(2027, 7, 1)
