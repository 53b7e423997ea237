"""Kill `family-time watch` at random instants while it works through a burst, restart it,
several times: afterwards every file is archived exactly once, the ledger holds exactly one
outcome per file, and no email was written twice."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from pipeline.ledger import Ledger

from tests.helpers.intake_kit import kill, variant
from tests.helpers.mailbox import referral_mail

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent.parent
FILES = 60


def test_killed_at_random_points_nothing_lost_nothing_doubled(make_work):
    work = make_work(settle=0.1, poll=0.1)
    src = FIXTURES / "forms" / "referral-complete.docx"
    for n in range(FILES):
        variant(src, work.inbox / f"referral-{n:02d}.docx", n)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "pipeline", "watch", "--config", str(work.config_path)]
    rng = random.Random()
    progress = []
    for _ in range(5):
        before = work.ledger.file_count()
        if before >= FILES:
            break
        proc = subprocess.Popen(
            cmd,
            cwd=work.config_path.parent,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # kill at a random instant once this run is working (start-up time varies with load)
        deadline = time.monotonic() + 60
        while work.ledger.file_count() == before and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.4))
        kill(proc)
        progress.append(work.ledger.file_count())
    # the kills landed while work was under way, not before or after it
    assert any(0 < n < FILES for n in progress), progress
    done = subprocess.run(
        cmd + ["--once"],
        cwd=work.config_path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr

    ledger = Ledger(work.config.ledger_path)
    items = ledger.items()
    names = sorted(i.original_name for i in items)
    assert names == sorted(f"referral-{n:02d}.docx" for n in range(FILES))  # one each
    assert {i.outcome for i in items} == {"accepted"}
    assert len({i.reference for i in items}) == FILES
    assert ledger.unarchived() == []
    archived = [p.name for p in work.archived()]
    assert sorted(archived) == names  # archived exactly once
    assert [p for p in work.inbox.iterdir() if not p.name.startswith(".")] == []
    emails = referral_mail(work.config.mail_dir)
    assert len(emails) == FILES, sorted(p.name for p in emails if not p.name.startswith("FT"))
    assert len(emails) == FILES  # one acknowledgement per referral
    assert ledger.pending_effects(effect="mail") == []
    ledger.close()
