"""`tracker check` and `tracker sync` agree about the Decisions sheet: a proposal's row is
the ledger's, so check does not call it unknown, and a row that went missing is one sync
puts back."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl

from pipeline.cli import main

from tests.helpers.sessions_kit import FORMS, REF, Session


def _proposed(tmp_path) -> Session:
    s = Session(tmp_path / "work")
    [item], _ = s.process(FORMS / "referral-complete.docx", dt.datetime(2026, 10, 26, 10))
    assert item.reference == REF
    s.allocate()
    s.record("2026-11-02-took-place-late-written")
    s.record("2026-11-04-did-not-attend")
    s.record("2026-11-09-late-cancelled", dt.datetime(2026, 11, 10, 18))
    assert len(s.ledger.rule_actions(REF)) == 1 and len(s.rows("Decisions")) == 1
    return s


def test_check_after_a_proposal_finds_nothing_and_sync_changes_nothing(tmp_path, capsys):
    s = _proposed(tmp_path)
    cfg = str(s.config.base / "family-time.toml")
    assert main(["tracker", "check", "--config", cfg]) == 0
    out = capsys.readouterr().out
    assert "The tracking workbook matches the ledger." in out and "not in the ledger" not in out
    assert main(["tracker", "sync", "--full", "--config", cfg]) == 0
    out = capsys.readouterr().out
    assert "The tracking workbook is up to date" in out
    assert not re.search(r"[1-9][0-9]* row\(s\) (added|corrected)", out)
    assert main(["tracker", "check", "--config", cfg]) == 0


def test_a_proposal_row_deleted_is_missing_and_sync_puts_it_back(tmp_path, capsys):
    s = _proposed(tmp_path)
    cfg = str(s.config.base / "family-time.toml")
    wb = openpyxl.load_workbook(s.workbook)
    wb["Decisions"].delete_rows(2)
    wb.save(s.workbook)
    assert s.rows("Decisions") == []
    assert main(["tracker", "check", "--config", cfg]) == 1
    assert "Decisions: P1 is in the ledger but has no row" in capsys.readouterr().out
    assert main(["tracker", "sync", "--config", cfg]) == 0
    assert "1 row(s) added" in capsys.readouterr().out
    [row] = s.rows("Decisions")
    assert row["Reference"] == REF
    assert main(["tracker", "check", "--config", cfg]) == 0
