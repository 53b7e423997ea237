"""`watch --once` never waits for ever on a file that keeps growing: it leaves it for the
next run, says so, and completes every other file and its effects first (issue 17)."""

from __future__ import annotations

import subprocess
import sys
import time

from pipeline.commands.status import describe, gather
from pipeline.intake.watcher import InboxWatcher

from tests.helpers.intake_kit import kill
from tests.helpers.mailbox import referral_mail

WRITER = """
import sys, time
with open(sys.argv[1], "ab", buffering=0) as fh:
    while True:
        fh.write(b"%PDF-1.7 still arriving\\n")
        time.sleep(0.1)
"""


def test_once_leaves_a_growing_file_and_finishes_the_others(work):
    work.drop("forms/referral-complete.docx")
    growing = work.inbox / "scan-in-progress.pdf"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(growing)])
    try:
        waited_from = time.monotonic()  # the writer has begun (a busy machine
        while not (growing.exists() and growing.stat().st_size > 0):  # starts it slowly)
            assert time.monotonic() - waited_from < 20, "the writer never started"
            time.sleep(0.05)
        time.sleep(0.3)
        watcher = InboxWatcher(work.config, work.profile, work.ledger)
        started = time.monotonic()
        handled = watcher.run_once(grace=1.5)
        took = time.monotonic() - started
        assert growing.stat().st_size > 0
    finally:
        kill(writer)
    assert handled == 1
    assert took < work.config.watch.settle_seconds + 1.5 + 8  # bounded, not for ever
    assert watcher.left_for_next_run == [growing]
    assert growing.exists()  # left for the next run

    [item] = work.ledger.items()
    assert item.outcome == "accepted"
    assert {e.effect: e.status for e in work.ledger.effects_of(item.id)}["mail"] == "done"
    assert {e.effect: e.status for e in work.ledger.effects_of(item.id)}["tracker"] == "done"
    assert len(referral_mail(work.config.mail_dir)) == 1
    text = "\n".join(describe(gather(work.ledger, work.config)))
    assert "1 file(s) in the inbox not handled yet" in text
