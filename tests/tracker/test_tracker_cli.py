"""`family-time tracker sync|check` against a real ledger, and the workbook in LibreOffice."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.tracker import sync, workbook_path

from tests.helpers.tracker_kit import accepted

# comma-separated, UTF-8, cells exported as they are shown on screen (formats applied)
CSV_AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"


def _working_folder(tmp_path: Path) -> Path:
    cfg = tmp_path / "family-time.toml"
    cfg.write_text('profile = "northamptonshire"\n', encoding="utf-8")
    return cfg


def _record(config, n: int) -> None:
    ledger_mod = pytest.importorskip("pipeline.ledger")
    ledger = ledger_mod.Ledger(config.ledger_path)
    item = accepted(n)
    src = config.base / f"referral-{n}.docx"
    src.write_bytes(b"x")
    ledger.record_file(
        sha256=f"{n:064x}",
        original_name=src.name,
        size=1,
        received_at=item.received_at,
        source_path=src,
        archive_root=config.archive_dir,
        drafts=[
            ledger_mod.ItemDraft(
                original_name=src.name,
                outcome="accepted",
                reason="Complete",
                case_id=item.case_id,
                verdict=item.verdict,
                effects=["tracker"],
            )
        ],
    )
    ledger.close()


def test_cli_sync_then_check_from_the_ledger(tmp_path, capsys):
    cfg = _working_folder(tmp_path)
    config = load_config(cfg)
    config.state_dir.mkdir(parents=True)
    for n in (1, 2):
        _record(config, n)
    assert main(["tracker", "check", "--config", str(cfg)]) == 1
    assert "2 difference(s)" in capsys.readouterr().out
    assert main(["tracker", "sync", "--config", str(cfg)]) == 0
    assert "2 row(s) added" in capsys.readouterr().out
    assert main(["tracker", "check", "--config", str(cfg)]) == 0
    assert "matches the ledger" in capsys.readouterr().out
    path = workbook_path(config, config.load_profile())
    ws = openpyxl.load_workbook(path)["Referrals"]
    assert ws["C2"].value.startswith("Test Child Example")
    assert ws["D2"].value == dt.datetime(2019, 5, 4)  # a date after the JSON round trip


def test_cli_without_a_ledger_says_so(tmp_path, capsys):
    cfg = _working_folder(tmp_path)
    assert main(["tracker", "sync", "--config", str(cfg)]) == 2
    assert "nothing to reconcile" in capsys.readouterr().err


@pytest.mark.libreoffice
def test_workbook_opens_in_libreoffice_and_cells_read_back(config, profile, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip(
            "LibreOffice (soffice) is not installed, so the workbook cannot be opened in it"
        )
    item = accepted(1, first="=SUM(1,2)")
    sync([item, accepted(2)], config, profile)
    path = workbook_path(config, profile)
    out = tmp_path / "csv"
    profile_dir = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile_dir}",
            "--headless",
            "--convert-to",
            CSV_AS_SHOWN,
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    files = list(out.glob("*.csv"))
    assert files, f"LibreOffice could not open the workbook: {result.stderr}"
    rows = list(csv.reader(files[0].open(encoding="utf-8")))
    assert rows[0][:3] == ["Reference", "Received", "Child"]
    assert rows[1][0] == item.reference
    assert rows[1][1] == "02/11/2026"  # the date format survives
    assert rows[1][2] == "=SUM(1,2) Child Example 1"  # text, not the formula's result 3
    assert rows[1][4] == "100001"
