"""Tracker: one batch of referrals written into workbooks of 1,000 / 10,000 / 50,000 rows by
the pipeline's direct sheet-XML edit, against naive openpyxl (load, append one row, save, per
referral), both measured here.

Each pipeline figure is a whole `pipeline.tracker.sync(all items)` call as a fresh process makes
it (no memory of earlier writes): reconcile every ledger item, append the batch, one atomic
write, one backup. Workbooks are measured as the pipeline leaves them (inline strings) and after
an Excel-style save (shared strings). The naive figure is measured for a few referrals and
multiplied up to the batch (said in the results).
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import sys
import time
from pathlib import Path

START = dt.datetime(2026, 1, 1, 9, 0)


def _helpers():
    """Fictional test items and the Excel-style save, from the tracker tests' helpers (which
    do not need pytest)."""
    from tests.helpers.excel_like import to_shared_strings
    from tests.helpers.tracker_kit import accepted

    return accepted, to_shared_strings


def _items(accepted, first: int, last: int):
    return [accepted(n, received=START + dt.timedelta(minutes=n)) for n in range(first, last + 1)]


def _forget(config) -> None:
    """As a new process with no memory of earlier syncs or reads (the worst case)."""
    sync_module = sys.modules["pipeline.tracker.sync"]
    sync_module._written.clear()
    (config.state_dir / sync_module.MEMORY_FILE).unlink(missing_ok=True)
    typed_rows = sys.modules["pipeline.tracker.typed_rows"]
    typed_rows._seen.clear()  # the moved rows of each saved version
    typed_rows._read_seen.clear()  # the rows read from each saved version
    shuffled = sys.modules["pipeline.tracker.shuffled"]
    shuffled._compared.clear()  # what people typed, compared once per saved version
    shuffled._loaded.clear()


def _timed(fn, config, repeat: int, cpu: list | None = None) -> tuple[float, object]:
    """Median wall seconds (and CPU seconds into `cpu`) of fn in a fresh-process state."""
    times, cpus, result = [], [], None
    for _ in range(repeat):
        _forget(config)
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    if cpu is not None:
        cpu.append(statistics.median(cpus))
    return statistics.median(times), result


def bench_size(n: int, batch: int, naive_writes: int, work: Path, profile, repeat: int = 3) -> dict:
    import openpyxl

    from pipeline.config import Config
    from pipeline.tracker import read_allocations, sync, workbook_path

    accepted, to_shared_strings = _helpers()
    config = Config(base=work / f"tracker-{n}")
    history = _items(accepted, 1, n)
    t = time.perf_counter()
    sync(history, config, profile)
    build_s = time.perf_counter() - t
    book = workbook_path(config, profile)
    all_items = history + _items(accepted, n + 1, n + batch)
    out: dict = {
        "rows": n,
        "batch": batch,
        "build_s": round(build_s, 2),
        "file_mb": round(book.stat().st_size / 1e6, 2),
    }

    for variant in ("inline", "shared"):
        if variant == "shared":
            to_shared_strings(book)
        pristine = book.read_bytes()

        def one_batch(pristine=pristine):  # this variant's copy, bound now
            book.write_bytes(pristine)
            return sync(all_items, config, profile)

        cpu: list = []
        secs, report = _timed(one_batch, config, repeat if variant == "shared" else 1, cpu)
        assert report.appended == batch and report.writes == 1, report
        out[variant] = {"batch_s": round(secs, 3), "batch_cpu_s": round(cpu[0], 3)}
        if variant == "shared":
            book.write_bytes(pristine)
            sync(history, config, profile)
            noop, report = _timed(lambda: sync(history, config, profile), config, repeat)
            assert report.writes == 0
            sync(history, config, profile)
            t = time.perf_counter()
            sync(history, config, profile)  # remembered: the workbook is not opened
            remembered = time.perf_counter() - t
            reading, _ = _timed(lambda: read_allocations(config, profile), config, repeat)
            t = time.perf_counter()
            read_allocations(config, profile)  # the same workbook again: read once
            again = time.perf_counter() - t
            out[variant].update(
                {
                    "noop_s": round(noop, 3),
                    "noop_remembered_s": round(remembered, 3),
                    "read_allocations_s": round(reading, 3),
                    "read_allocations_again_s": round(again, 3),
                }
            )
        book.write_bytes(pristine)

    per = []
    for k in range(naive_writes):
        t = time.perf_counter()
        wb = openpyxl.load_workbook(book)
        wb["Referrals"].append([f"FT-2026-9{k:04d}", START, "Test Child Naive"])
        wb.save(book)
        per.append(time.perf_counter() - t)
    naive_batch = statistics.mean(per) * batch
    out["naive"] = {
        "per_referral_s": round(statistics.mean(per), 3),
        "measured_writes": naive_writes,
        "batch_s_extrapolated": round(naive_batch, 1),
    }
    out["ratio"] = round(naive_batch / out["shared"]["batch_s"], 1)
    shutil.rmtree(config.base, ignore_errors=True)
    return out


def run(work: Path, sizes: list[int], batch: int, repeat: int = 3, quick: bool = False) -> dict:
    import openpyxl

    from pipeline.profile import load_profile

    profile = load_profile("northamptonshire")
    results = []
    for n in sizes:
        print(f"  tracker: {n} rows", file=sys.stderr, flush=True)
        naive_writes = 1 if quick else (5 if n <= 1000 else (2 if n <= 10000 else 1))
        results.append(bench_size(n, batch, naive_writes, work, profile, repeat))
    return {
        "batch": batch,
        "openpyxl": openpyxl.__version__,
        "sizes": results,
        "note": "batch_s: median of a whole sync in a fresh process; read_allocations_s: "
        "the co-ordinators' allocations read in a fresh process (read_allocations_again_s: "
        "read again, the workbook unchanged); naive batch = measured "
        "per-referral openpyxl load-append-save x batch; ratio = naive / ours "
        "(shared strings, as Excel saves it)",
    }
