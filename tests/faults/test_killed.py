"""`family-time watch` killed (SIGKILL) at random points of a mixed batch and restarted:
the recount finds every file once, one ledger row each, one tracker row per referral and one
email per item. The kill and restart helpers are shared with the intake crash test."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time

from tests.helpers.faults_kit import assert_nothing_lost_nothing_doubled, drop_mixed, drop_referrals
from tests.helpers.intake_kit import kill, wait_for
from tests.helpers.paths import ROOT


def test_watch_killed_mid_batch_and_restarted(make_work):
    work = make_work(settle=0.1, poll=0.1)
    # enough files that a fast machine is still in the middle of them when the kill comes
    dropped = drop_referrals(work, 48) + drop_mixed(work)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "pipeline", "watch", "--config", str(work.config_path)]
    rng = random.Random()
    progress = []
    for _ in range(3):
        before = work.ledger.file_count()
        proc = subprocess.Popen(
            cmd,
            cwd=work.config_path.parent,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # start-up time varies with the machine's load: kill once work is under way
        wait_for(lambda: work.ledger.file_count() > before, timeout=30, every=0.02)
        time.sleep(rng.uniform(0.0, 0.1))
        kill(proc)
        progress.append(work.ledger.file_count())
    done = subprocess.run(
        cmd + ["--once"],
        cwd=work.config_path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert any(0 < n < len(dropped) for n in progress), progress  # killed mid-batch
    assert_nothing_lost_nothing_doubled(work, dropped)
