"""With FAMILY_TIME_TODAY set, every command says so once, and nothing is glued to the note:
stdout is flushed before it and every command's output ends with a newline."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipeline.cli import main
from pipeline.commands.init import init_folder

NOTE = "Note: today is set to 2026-12-15 by FAMILY_TIME_TODAY"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-15")
    cfg = init_folder(tmp_path / "work")
    from pipeline.config import load_config
    from pipeline.ledger import Ledger

    Ledger(load_config(cfg).ledger_path).close()
    return str(cfg)


@pytest.mark.parametrize(
    "command",
    [
        ["tracker", "check"],
        ["tracker", "sync"],
        ["status"],
        ["calendar"],
        ["report", "month", "--month", "2026-11"],
    ],
)
def test_every_command_says_today_is_set_once(folder, capsys, command):
    main([*command, "--config", folder])
    out, err = capsys.readouterr()
    assert (out + err).count(NOTE) == 1
    assert out.endswith("\n")


def test_output_without_a_last_newline_is_ended(capsys, monkeypatch):
    import pipeline.commands.calendar as calendar

    monkeypatch.setattr(calendar, "run", lambda args: print("201 working days", end="") or 0)
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-15")
    assert main(["calendar"]) == 0
    assert capsys.readouterr().out == "201 working days\n"


def test_the_note_is_a_line_of_its_own_in_a_shared_stream(folder):
    env = dict(os.environ, FAMILY_TIME_TODAY="2026-12-15")
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "calendar", "--config", folder],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    lines = done.stdout.splitlines()
    assert [line for line in lines if NOTE in line] == [lines[0]]
    assert lines[0].startswith(NOTE) and done.stdout.endswith("\n")


@pytest.mark.parametrize("value", ["2026-02-30", "15/12/2026", "tomorrow"])
def test_a_today_that_is_not_a_date_is_refused_not_replaced_by_the_real_date(
    folder, capsys, monkeypatch, value
):
    """A mistyped FAMILY_TIME_TODAY must not quietly run the demonstration on the real date."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", value)
    assert main(["status", "--config", folder]) == 2
    out, err = capsys.readouterr()
    assert f"FAMILY_TIME_TODAY is set to '{value}', which is not a date" in err
    assert "YYYY-MM-DD" in err and out == ""
