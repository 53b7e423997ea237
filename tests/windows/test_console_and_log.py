"""Output on a Windows console: cp1252 (simulated with PYTHONIOENCODING=cp1252), redirected
to a file; and the log file Task Scheduler needs because it discards standard error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from pipeline.cli import main
from pipeline.server.logs import close_log_files

STALE = 3 * 24 * 3600


def _stale_owner_beside_workbook(work) -> str:
    """A workbook with a name cp1252 cannot write, and an Excel owner file left behind."""
    tracker = work.config.tracker_dir
    book = tracker / "Łódź tracker.xlsx"
    book.write_bytes(b"not really a workbook")
    owner = tracker / ("~$" + book.name)
    owner.write_bytes(b"x")
    old = time.time() - STALE
    os.utime(owner, (old, old))
    return book.name


def _run(args, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    out = tmp_path / "out.txt"
    with open(out, "wb") as fh:
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", *args],
            stdout=fh,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
        )
    done.stdout = out.read_bytes()
    return done


def test_status_json_redirected_on_a_cp1252_console_is_valid_utf8_json(work, tmp_path):
    name = _stale_owner_beside_workbook(work)
    done = _run(["status", "--json", "--config", str(work.config_path)], tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    facts = json.loads(done.stdout.decode("utf-8"))
    assert [s["document"] for s in facts["stale_owner_files"]] == [name]


def test_status_text_on_a_cp1252_console_says_the_owner_file_is_probably_stale(work, tmp_path):
    name = _stale_owner_beside_workbook(work)
    done = _run(["status", "--config", str(work.config_path)], tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    text = done.stdout.decode("utf-8")
    assert f"'{name}' by more than a day: probably left behind" in text


def test_an_owner_file_younger_than_the_last_save_is_not_called_stale(work, capsys):
    book = work.config.tracker_dir / "tracker.xlsx"
    book.write_bytes(b"x")
    (work.config.tracker_dir / "~$tracker.xlsx").write_bytes(b"x")
    assert main(["status", "--json", "--config", str(work.config_path)]) == 0
    assert json.loads(capsys.readouterr().out)["stale_owner_files"] == []


def test_watch_writes_a_utf8_log_file(work, tmp_path, capsys):
    log = tmp_path / "logs" / "watch.log"
    work.drop("forms/referral-complete.docx")
    try:
        assert (
            main(["watch", "--once", "--config", str(work.config_path), "--log-file", str(log)])
            == 0
        )
    finally:
        close_log_files()
    text = log.read_text(encoding="utf-8")
    assert "INFO pipeline.watcher: item 1: accepted" in text


def test_the_log_file_can_be_set_in_the_config(work, capsys):
    text = work.config_path.read_text(encoding="utf-8")
    work.config_path.write_text(
        text.replace("[watch]", "[watch]\nlog_file = 'logs/watch.log'"), encoding="utf-8"
    )
    work.drop("forms/referral-complete.docx")
    try:
        assert main(["watch", "--once", "--config", str(work.config_path)]) == 0
    finally:
        close_log_files()
    log = work.config_path.parent / "logs" / "watch.log"
    assert "item 1: accepted" in log.read_text(encoding="utf-8")
