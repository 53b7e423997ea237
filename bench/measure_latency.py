"""Latency from a form landing in the inbox to its acknowledgement .eml existing, under the
real watcher (pipeline.intake.watcher.InboxWatcher.run in a thread), with the shipped watch settings
(settle 1 s, poll every 2 s).

Files are dropped one at a time (a copy written straight into the inbox, as Outlook's "Save
as" does), each after the previous one's email exists, with a random pause so drops do not
line up with the polling rhythm.
"""

from __future__ import annotations

import logging
import os
import random
import shutil
import statistics
import threading
import time
from pathlib import Path

from bench import corpus
from bench.measure_throughput import working_folder

FORM = corpus.FIXTURES / "forms" / "referral-complete.docx"
TIMEOUT = 30.0


def _emails(folder: Path) -> set[str]:
    try:
        return {e.name for e in os.scandir(folder) if e.name.endswith(".eml")}
    except OSError:
        return set()


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def drop_to_ack(work: Path, mode: str, drops: int, seed: int = 3) -> dict:
    """Median and p95 seconds from drop to the first new .eml, in `mode` (events|polling)."""
    from pipeline.intake.watcher import InboxWatcher

    logging.getLogger("pipeline").setLevel(logging.WARNING)
    config, profile, ledger = working_folder(work)
    ledger.close()
    stop = threading.Event()
    started = threading.Event()
    box: dict = {}

    def serve():
        w = InboxWatcher(config, profile, mode=mode)
        box["watcher"] = w
        started.set()
        w.run(stop)

    thread = threading.Thread(target=serve, name=f"watch-{mode}", daemon=True)
    thread.start()
    started.wait(10)
    time.sleep(0.5)  # observer running, first effects pass done
    rng = random.Random(seed)
    staging = work / "staging"
    staging.mkdir()
    latencies, kinds, missed = [], [], 0
    try:
        for i in range(drops):
            src = corpus.unique_copy(FORM, staging / f"latency-{i:03d}.docx", f"lat-{mode}-{i}")
            before = _emails(config.mail_dir)
            shutil.copyfile(src, config.inbox_dir / src.name)
            landed = time.perf_counter()
            new: set[str] = set()
            while time.perf_counter() - landed < TIMEOUT:
                new = _emails(config.mail_dir) - before
                if new:
                    break
                time.sleep(0.005)
            if not new:
                missed += 1
                continue
            latencies.append(time.perf_counter() - landed)
            parts = sorted(new)[0].split("_")  # FT-2026-00001_accepted_7-<hash>.eml
            kinds.append(parts[1] if len(parts) >= 3 else "?")
            time.sleep(0.2 + rng.random() * 0.8)
    finally:
        stop.set()
        watcher = box.get("watcher")
        if watcher is not None:
            watcher.stop()
        thread.join(timeout=40)
    out = {
        "mode": box["watcher"].mode if "watcher" in box else mode,
        "drops": drops,
        "missed": missed,
        "email_kinds": sorted(set(kinds)),
    }
    if latencies:
        out.update(
            {
                "median_s": round(statistics.median(latencies), 3),
                "p95_s": round(percentile(latencies, 95), 3),
                "min_s": round(min(latencies), 3),
                "max_s": round(max(latencies), 3),
            }
        )
    return out
