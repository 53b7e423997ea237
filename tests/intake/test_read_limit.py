"""No file holds the watcher longer than the read limit: past it the reader is stopped and the
file is recorded as unreadable with a plain reason; the next file reads normally (issue 17)."""

from __future__ import annotations

import time

from pipeline.commands.status import gather
from pipeline.effects import run_effects
from pipeline.intake.process import process_file


def test_a_file_past_the_read_limit_is_unreadable_and_the_next_reads(work, monkeypatch):
    # any real read is slower
    monkeypatch.setattr("pipeline.intake.process.READ_LIMIT_SECONDS", 0.01)
    started = time.monotonic()
    [slow] = process_file(
        work.drop("forms/referral-complete.pdf"), work.config, work.profile, work.ledger
    )
    assert time.monotonic() - started < 8
    assert slow.outcome == "unreadable"
    assert slow.reason.startswith("This file took too long to read (over 0.01 seconds)")
    assert (work.config.archive_dir / "unreadable" / "referral-complete.pdf").is_file()

    monkeypatch.setattr("pipeline.intake.process.READ_LIMIT_SECONDS", 10.0)
    [good] = process_file(
        work.drop("forms/referral-complete.docx"), work.config, work.profile, work.ledger
    )
    assert good.outcome == "accepted"
    run_effects(work.ledger, work.config, work.profile)
    assert gather(work.ledger)["counts"] == {"unreadable": 1, "accepted": 1}
