"""The watcher with the hostile-input suite's files in its inbox (tests/fixtures/make_hostile.py):
how long each file holds the watcher (target: none for 1 s or more) and how much later than in
a quiet inbox a good referral is acknowledged (target: at most 1 s later). Timing targets live
here, not in tests/hostile, because a loaded test machine would make them flaky.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

from bench import corpus
from bench.measure_latency import TIMEOUT, _emails
from bench.measure_throughput import working_folder

HOLD_TARGET_S = 1.0
DELAY_TARGET_S = 1.0


def _cases():
    """The hostile suite's case table (tests/fixtures/make_hostile.py: no pytest needed)."""
    from tests.fixtures import make_hostile

    return make_hostile


class _Watching:
    """InboxWatcher.run in a thread, timing how long each file holds it."""

    def __init__(self, config, profile):
        from pipeline.intake.process import process_file
        from pipeline.intake.watcher import InboxWatcher

        self.held: dict[str, float] = {}

        def timed(path, config, profile, ledger):
            start = time.perf_counter()
            try:
                return process_file(path, config, profile, ledger)
            finally:
                self.held[path.name] = max(
                    self.held.get(path.name, 0.0), time.perf_counter() - start
                )

        self.watcher = InboxWatcher(config, profile, mode="events", process=timed)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watcher.run, args=(self.stop,), daemon=True)

    def __enter__(self):
        self.thread.start()
        time.sleep(0.5)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.watcher.stop()
        self.thread.join(timeout=40)


def _ack_latency(config, staged: Path) -> float | None:
    """Move a staged file into the inbox; seconds until a new .eml exists (None: never)."""
    before = _emails(config.mail_dir)
    os.replace(staged, config.inbox_dir / staged.name)
    start = time.perf_counter()
    while time.perf_counter() - start < TIMEOUT:
        if _emails(config.mail_dir) - before:
            return time.perf_counter() - start
        time.sleep(0.005)
    return None


def _settled(watching: _Watching, config, timeout: float) -> bool:
    """Every hostile file handled (the inbox holds only what must be ignored or retried) and
    no mail or tracker effect owed."""
    from pipeline.ledger import Ledger

    end = time.perf_counter() + timeout
    last = -1
    while time.perf_counter() < end:
        led = Ledger(config.ledger_path)
        try:
            owed = [e for e in led.pending_effects() if e.effect in ("mail", "tracker")]
            n = len(led.items())
        finally:
            led.close()
        if not owed and n == last and watching.watcher.pending() <= len(_left(config)):
            return True
        last = n
        time.sleep(1.0)
    return False


def _left(config) -> list[str]:
    return sorted(p.name for p in config.inbox_dir.iterdir())


def run(work: Path, repeat: int = 3) -> dict:
    import extract_msg  # noqa: F401 - first-use import cost is not a file's delay
    import pdfplumber  # noqa: F401

    import pipeline.extract.email  # noqa: F401
    import pipeline.extract.pdf  # noqa: F401

    make_hostile = _cases()
    cases = [
        c
        for c in make_hostile.CASES
        if not (getattr(c, "posix_only", False) and sys.platform == "win32")
    ]
    good = corpus.FIXTURES / "forms" / "referral-complete.docx"

    def staged(folder: Path, tag: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        return corpus.unique_copy(good, folder / f"zz-good-{tag}.docx", f"hostile-{tag}")

    # the normal latency: the good referral into a quiet inbox
    config, profile, ledger = working_folder(work / "quiet")
    ledger.close()
    quiet = []
    with _Watching(config, profile):
        for k in range(repeat):
            quiet.append(_ack_latency(config, staged(work / "stage-q", f"q{k}")))
            time.sleep(0.3)

    # every hostile file at once, then good referrals while the leftovers stay in the inbox
    config, profile, ledger = working_folder(work / "hostile")
    ledger.close()
    stage = work / "stage-h"
    placed = 0
    for n, case in enumerate(cases):
        folder = stage / case.id
        folder.mkdir(parents=True)
        for k, path in enumerate(case.build(folder)):
            ignored = case.outcomes == [["ignored"]]
            name = path.name if ignored else f"{n:02d}{k}-{path.name}"[-200:]
            try:
                os.replace(path, config.inbox_dir / name)
                placed += 1
            except OSError:
                pass
    with _Watching(config, profile) as w:
        start = time.perf_counter()
        settled = _settled(w, config, timeout=240)
        clear_s = time.perf_counter() - start
        busy = []
        for k in range(repeat):
            busy.append(_ack_latency(config, staged(work / "stage-b", f"b{k}")))
            time.sleep(0.3)
        alive = w.thread.is_alive()
        held = dict(w.held)
    shutil.rmtree(stage, ignore_errors=True)
    slow = {
        name: round(s, 3)
        for name, s in sorted(held.items(), key=lambda kv: -kv[1])
        if s >= HOLD_TARGET_S
    }
    q = [x for x in quiet if x is not None]
    b = [x for x in busy if x is not None]
    delay = (statistics.median(b) - statistics.median(q)) if q and b else None
    return {
        "cases": len(cases),
        "files_placed": placed,
        "files_handled": len(held),
        "all_handled_s": round(clear_s, 2),
        "settled": settled,
        "watcher_alive": alive,
        "left_in_inbox": len(_left(config)),
        "quiet_ack_s": [round(x, 3) if x is not None else None for x in quiet],
        "busy_ack_s": [round(x, 3) if x is not None else None for x in busy],
        "good_referral_delay_s": round(delay, 3) if delay is not None else None,
        "max_hold_s": round(max(held.values()), 3) if held else None,
        "slowest": {n: round(s, 3) for n, s in sorted(held.items(), key=lambda kv: -kv[1])[:5]},
        "held_1s_or_more": slow,
    }
