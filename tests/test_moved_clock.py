"""The moved-clock runs in CI really move the clock: without this, a harness that silently did
nothing would pass the suite on today's date and prove nothing about other dates."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

TARGET = os.environ.get("FAMILY_TIME_TEST_CLOCK")
pytestmark = pytest.mark.skipif(not TARGET, reason="only in the moved-clock runs (.ci/run)")


def test_the_wall_clock_and_new_files_are_on_the_moved_date(tmp_path):
    target = dt.datetime.fromisoformat(TARGET).date()
    assert dt.date.today() >= target
    assert dt.date.today() - target < dt.timedelta(days=1)  # the whole suite, not a day
    made = tmp_path / "new.txt"
    made.write_text("x")
    stamped = dt.date.fromtimestamp(made.stat().st_mtime)
    assert stamped == dt.date.today()


def test_a_command_the_tests_start_is_on_the_same_clock():
    child = subprocess.run(
        [sys.executable, "-c", "import datetime; print(datetime.date.today())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == dt.date.today().isoformat()
