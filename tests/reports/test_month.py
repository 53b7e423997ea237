"""The month's figures, checked against the season worked out by hand; the Word report and
the workbook carry the same numbers; the command writes both into outbox/reports/."""

from __future__ import annotations

import datetime as dt

import openpyxl
from docx import Document

from pipeline.reports.month import month_figures, write_month_report

OCTOBER = dt.date(2026, 10, 1)


def test_october_by_hand(season):
    config, profile, ledger, _ = season
    f = month_figures(ledger, profile, OCTOBER, made=dt.date(2026, 11, 2))
    v = f.value
    # received in October: FT-2026-00004 (old form, 2 Oct) and FT-2026-00005 (accepted, 5 Oct)
    assert (
        v("referrals", "Referrals received"),
        v("referrals", "Accepted"),
        v("referrals", "Returned: old version of the form"),
    ) == (2, 1, 1)
    # FT-2026-00005: acknowledged the day it came, pack made 12 Oct (allocate by 19 Oct)
    assert v("commitments", "Acknowledgement sent") == "100% (1 of 1)"
    assert v("commitments", "Allocated (pack made)") == "100% (1 of 1)"
    # sessions dated in October: 00001 x3 (6, 20, 27), 00002 x5, 00005 x2
    assert v("sessions", "Sessions recorded (offered)") == 10
    assert v("sessions", "Held (took place or ended early)") == 1 + 4 + 1
    assert v("sessions", "Parent did not attend") == 2
    assert v("sessions", "Cancelled for a court day") == 1
    assert v("sessions", "Cancelled by parent") == 1
    # the season's proposal (29 Sep and 6 Oct missed) was never decided: nothing started
    assert v("suspensions", "Suspensions started (approved, letters made)") == 0
    # first sessions held in October: 00002 (14 Sep -> 1 Oct: 13 working days) and
    # 00005 (5 Oct -> 20 Oct: 11 working days)
    assert v("waiting", "First sessions in the month") == 2
    assert v("waiting", "Median (working days)") == 12
    assert v("waiting", "Slowest (working days)") == 13
    assert v("waiting", "Slowest referral") == "FT-2026-00002"
    assert v("workload", "Dee Example").startswith("5 ") and v(
        "workload", "Sam Example"
    ).startswith("5 ")


def test_september_returns_and_late_ones(season):
    config, profile, ledger, _ = season
    f = month_figures(ledger, profile, dt.date(2026, 9, 1), made=dt.date(2026, 11, 2))
    assert f.value("referrals", "Returned: information missing") == 1
    assert f.section("referrals").lists["Most common reasons for returning a referral"] == [
        "Date of birth (1)",
        "Social worker's email (1)",
    ]
    # neither September referral has an acknowledgement recorded in this season's ledger
    late = f.section("commitments").lists["Late, by reference: Acknowledgement sent"]
    assert late == ["FT-2026-00001", "FT-2026-00002"]
    assert f.value("commitments", "Acknowledgement sent") == "0% (0 of 2)"


def test_the_same_month_gives_the_same_figures_later(season):
    config, profile, ledger, _ = season
    a = month_figures(ledger, profile, OCTOBER, made=dt.date(2026, 11, 2))
    b = month_figures(ledger, profile, OCTOBER, made=dt.date(2027, 6, 1))
    assert [s.rows for s in a.sections] == [s.rows for s in b.sections]


def test_word_and_excel_carry_the_same_numbers(season, tmp_path):
    config, profile, ledger, _ = season
    f = month_figures(ledger, profile, OCTOBER, made=dt.date(2026, 11, 2))
    docx, xlsx = write_month_report(f, profile, tmp_path)
    assert docx.name == "Family Time figures 2026-10.docx" and xlsx.suffix == ".xlsx"
    doc = Document(str(docx))
    rows = {r.cells[0].text: r.cells[1].text for t in doc.tables for r in t.rows}
    assert rows["Sessions recorded (offered)"] == "10"
    assert len(doc.inline_shapes) == 6  # one chart per section
    ws = openpyxl.load_workbook(xlsx)["Figures"]
    cells = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert cells["Sessions recorded (offered)"] == 10 and cells["Median (working days)"] == 12


def test_the_command_writes_into_outbox_reports(season, monkeypatch, capsys):
    config, profile, ledger, _ = season
    from pipeline.cli import main

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-02")
    code = main(["report", "month", "--config", str(config.base / "family-time.toml")])
    assert code == 0
    out = list((config.outbox_dir / "reports").glob("*"))
    assert sorted(p.name for p in out) == [
        "Family Time figures 2026-10.docx",
        "Family Time figures 2026-10.xlsx",
    ]
