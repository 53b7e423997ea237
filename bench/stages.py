"""Time spent per pipeline stage, measured by wrapping the real functions for one batch.

The wrappers add a few microseconds per call and are removed when the block ends, so the
pipeline under test is the shipped one. A stage that calls itself (the ledger's record_file
reads the file row back) is counted once.
"""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from contextlib import contextmanager

import pipeline.effects as effects
import pipeline.intake.process as process
import pipeline.validate as validate
from pipeline.ledger import Ledger

LEDGER_METHODS = ("files_with_hash", "record_file", "items_of_file", "mark_archived", "file")


class StageTimes:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.read_by_file: dict[str, float] = {}  # file name -> reading seconds
        self.depth: dict[str, int] = defaultdict(int)  # a stage calling itself counts once

    def add(self, stage: str, secs: float) -> None:
        self.seconds[stage] += secs
        self.calls[stage] += 1


def _wrap(owner, name: str, stage: str, times: StageTimes, per_file: bool = False):
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args, **kwargs):
        t = time.perf_counter()
        times.depth[stage] += 1
        try:
            return original(*args, **kwargs)
        finally:
            dt = time.perf_counter() - t
            times.depth[stage] -= 1
            if times.depth[stage] == 0:
                times.add(stage, dt)
            if per_file and args:
                times.read_by_file[getattr(args[0], "name", str(args[0]))] = dt

    setattr(owner, name, timed)
    return owner, name, original


@contextmanager
def stage_timer():
    """Yields StageTimes filled in while the block runs."""
    times = StageTimes()
    patches = [
        # the pipeline reads through process.read_file (a worker process, bounded in time):
        # timed there, so the worker's hand-over is counted in "read"
        _wrap(process, "read_file", "read", times, per_file=True),
        _wrap(validate, "validate_extraction", "validate", times),
        _wrap(process, "archive_original", "archive", times),
        _wrap(process, "sha256_of", "hash", times),
    ]
    patches += [
        _wrap(e, "run", f"effects: {e.name}", times)
        for e in effects.ordered()
        if e.name in ("mail", "tracker", "paperwork")
    ]
    patches += [_wrap(Ledger, m, "ledger", times) for m in LEDGER_METHODS]
    try:
        yield times
    finally:
        for owner, name, original in reversed(patches):
            setattr(owner, name, original)
