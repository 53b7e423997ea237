"""End-to-end throughput: a batch of inbox files through process_file, then run_effects once,
as `family-time process` does it, in a fresh working folder made by the `init` logic.

Run in a child process by run.py so the peak memory figure is the batch's alone.
"""

from __future__ import annotations

import collections
import os
import sys
import time
from pathlib import Path

from bench import corpus


def peak_rss_mb() -> float | None:
    """The process's peak resident memory so far (None where the OS does not say)."""
    try:
        import resource
    except ImportError:  # Windows: run.py falls back to tracemalloc
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def working_folder(base: Path):
    """(config, profile, ledger) for a new working folder, as `family-time init` makes it."""
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.ledger import Ledger

    config = load_config(init_folder(base))
    return config, config.load_profile(), Ledger(config.ledger_path)


def run_batch(
    work: Path, n: int, groups: list[str] | None = None, trace_memory: bool = False
) -> dict:
    """Process n files of the mix (or only `groups`) and time every stage."""
    import pipeline.extract  # noqa: F401  (imports outside the timed part, as a warm process)
    import pipeline.notify  # noqa: F401
    import pipeline.tracker  # noqa: F401
    import pipeline.validate  # noqa: F401
    from pipeline.effects import run_effects
    from pipeline.intake.process import NotYet, process_file

    from bench.stages import stage_timer

    config, profile, ledger = working_folder(work)
    files = corpus.build(config.inbox_dir, n, groups)
    group_of = {p.name: g for g, p in files}
    rss_before = peak_rss_mb()
    if trace_memory:
        import tracemalloc

        tracemalloc.start()
    outcomes: collections.Counter = collections.Counter()
    not_yet = 0
    with stage_timer() as st:
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _, path in files:
            try:
                for item in process_file(path, config, profile, ledger):
                    outcomes[item.outcome] += 1
            except NotYet:
                not_yet += 1
        t1 = time.perf_counter()
        report = run_effects(ledger, config, profile)
        t2 = time.perf_counter()
        cpu = time.process_time() - c0
    traced_peak = None
    if trace_memory:
        import tracemalloc

        traced_peak = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
        tracemalloc.stop()
    total = t2 - t1 + (t1 - t0)
    stages = {k: round(v, 3) for k, v in st.seconds.items()}
    accounted = sum(v for k, v in st.seconds.items() if not k.startswith("effects"))
    stages["intake and other (scratch copy, checks)"] = round((t1 - t0) - accounted, 3)
    read_by_group: dict[str, list[float]] = collections.defaultdict(list)
    for name, secs in st.read_by_file.items():
        if name in group_of:
            read_by_group[group_of[name]].append(secs)
    mails = len(list(config.mail_dir.glob("*.eml")))
    left = [p for p in config.inbox_dir.iterdir() if p.is_file()]
    return {
        "files": len(files),
        "items": sum(outcomes.values()),
        "outcomes": dict(outcomes),
        "not_yet": not_yet,
        "left_in_inbox": len(left),
        "emails_written": mails,
        "process_s": round(t1 - t0, 3),
        "effects_s": round(t2 - t1, 3),
        "total_s": round(total, 3),
        "files_per_s": round(len(files) / total, 1),
        "cpu_s": round(cpu, 3),
        "files_per_cpu_s": round(len(files) / cpu, 1) if cpu else None,
        "stages_s": dict(sorted(stages.items(), key=lambda kv: -kv[1])),
        "effects_done": report.done,
        "effects_waiting": report.waiting,
        "read_ms_by_group": {
            g: round(1000 * sum(v) / len(v), 1) for g, v in sorted(read_by_group.items())
        },
        "mix": dict(collections.Counter(g for g, _ in files)),
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_batch_mb": rss_before,
        "tracemalloc_peak_mb": traced_peak,
        "pid": os.getpid(),
    }
