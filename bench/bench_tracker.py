"""Benchmark: one batch of 200 referrals written into a tracking workbook of 1,000 / 10,000 /
50,000 rows, by the pipeline's direct sheet-XML edit and by naive openpyxl
(load, append one row, save, per referral).

    python bench/bench_tracker.py [--sizes 1000 10000 50000] [--batch 200]

Prints a table and writes bench/results-tracker.json. Each pipeline figure is a whole
`pipeline.tracker.sync(all items)` call as a fresh process would make it (no memory of
earlier writes): reconcile every ledger item, append the batch, one atomic write, one backup.
Workbooks are measured as the pipeline leaves them (inline strings) and after an Excel-style
save (shared strings). The naive figure is measured for a few referrals and multiplied up to
the batch (said in the table).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "tracker"))

import openpyxl  # noqa: E402

from conftest import accepted  # noqa: E402  (test item builder: fictional people only)
from excel_like import to_shared_strings  # noqa: E402
from pipeline.config import Config  # noqa: E402
from pipeline.profile import load_profile  # noqa: E402
from pipeline.tracker import read_allocations, sync, workbook_path  # noqa: E402

SYNC = sys.modules["pipeline.tracker.sync"]
START = dt.datetime(2026, 1, 1, 9, 0)


def items(first: int, last: int):
    return [accepted(n, received=START + dt.timedelta(minutes=n)) for n in range(first, last + 1)]


def forget(config) -> None:
    """As a new process with no memory of earlier syncs (the worst case)."""
    SYNC._written.clear()
    (config.state_dir / SYNC.MEMORY_FILE).unlink(missing_ok=True)


def timed(fn, config, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        forget(config)
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def bench_size(n: int, batch: int, naive_writes: int, work: Path, profile) -> dict:
    base_dir = work / f"base-{n}"
    config = Config(base=base_dir)
    history = items(1, n)
    t = time.perf_counter()
    sync(history, config, profile)
    build_s = time.perf_counter() - t
    book = workbook_path(config, profile, 2026)
    all_items = history + items(n + 1, n + batch)
    out: dict = {"rows": n, "batch": batch, "build_s": round(build_s, 2),
                 "file_mb": round(book.stat().st_size / 1e6, 2)}

    for variant in ("inline", "shared"):
        if variant == "shared":
            to_shared_strings(book)
        pristine = book.read_bytes()

        def one_batch():
            book.write_bytes(pristine)
            return sync(all_items, config, profile)
        secs, report = timed(one_batch, config)
        assert report.appended == batch and report.writes == 1, report
        book.write_bytes(pristine)
        sync(history, config, profile)           # the workbook as before, for the no-op
        noop, report = timed(lambda: sync(history, config, profile), config)
        assert report.writes == 0
        sync(history, config, profile)
        t = time.perf_counter()
        sync(history, config, profile)            # remembered: the workbook is not opened
        remembered = time.perf_counter() - t
        reading, _ = timed(lambda: read_allocations(config, profile, years=[2026]), config)
        out[variant] = {"batch_s": round(secs, 3), "noop_s": round(noop, 3),
                        "noop_remembered_s": round(remembered, 3),
                        "read_allocations_s": round(reading, 3)}
        book.write_bytes(pristine)

    # naive: openpyxl load, append one row, save -- per referral
    per = []
    for k in range(naive_writes):
        t = time.perf_counter()
        wb = openpyxl.load_workbook(book)
        ws = wb["Referrals"]
        ws.append([f"FT-2026-9{k:04d}", START, "Test Child Naive"])
        wb.save(book)
        per.append(time.perf_counter() - t)
    out["naive"] = {"per_referral_s": round(statistics.mean(per), 3), "measured_writes": naive_writes,
                    "batch_s_extrapolated": round(statistics.mean(per) * batch, 1)}
    out["ratio"] = round(out["naive"]["batch_s_extrapolated"] / out["shared"]["batch_s"], 1)
    shutil.rmtree(base_dir, ignore_errors=True)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results-tracker.json")
    args = ap.parse_args(argv)
    profile = load_profile("northamptonshire")
    results = []
    with tempfile.TemporaryDirectory(prefix="ft-bench-tracker-") as tmp:
        for n in args.sizes:
            naive_writes = 5 if n <= 1000 else (2 if n <= 10000 else 1)
            print(f"... {n} rows", file=sys.stderr, flush=True)
            results.append(bench_size(n, args.batch, naive_writes, Path(tmp), profile))
    print(f"\nOne batch of {args.batch} referrals (median of 3; seconds)")
    head = (f"{'rows':>7} {'file MB':>8} {'ours inline':>12} {'ours shared':>12} {'no-op':>7} "
            f"{'no-op mem':>9} "
            f"{'read alloc':>10} {'naive/ref':>10} {'naive batch*':>13} {'ratio':>7}")
    print(head)
    print("-" * len(head))
    for r in results:
        print(f"{r['rows']:>7} {r['file_mb']:>8} {r['inline']['batch_s']:>12} "
              f"{r['shared']['batch_s']:>12} {r['shared']['noop_s']:>7} "
              f"{r['shared']['noop_remembered_s']:>9} "
              f"{r['shared']['read_allocations_s']:>10} {r['naive']['per_referral_s']:>10} "
              f"{r['naive']['batch_s_extrapolated']:>13} {r['ratio']:>6}x")
    print(f"* naive batch = measured per-referral time x {args.batch} "
          f"(measured {', '.join(str(r['naive']['measured_writes']) for r in results)} write(s) "
          f"at the sizes above). ratio = naive batch / ours (shared strings).")
    args.out.write_text(json.dumps({
        "benchmark": "tracker batch write", "when": dt.datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(), "machine": platform.machine(),
        "openpyxl": openpyxl.__version__, "results": results}, indent=2), encoding="utf-8")
    print("no-op = a sync with nothing new, in a new process; no-op mem = the same when the "
          "workbook is untouched since the last sync (it is not opened).")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
