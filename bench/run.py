"""The one benchmark command: measures the pipeline against its targets and writes the proof.

    python3 bench/run.py            # full run (about 5-10 minutes on a 2-core machine)
    python3 bench/run.py --quick    # sub-minute smoke run (small sizes; figures not for README)

Measures, in one run: end-to-end throughput over a mixed batch (and .docx only) with the time
split by stage; drop-to-acknowledgement latency under `watch` (events and polling); the hostile
inbox; the tracker batch at 1k/10k/50k rows against naive openpyxl; the paperwork pack render
time; save -> pack under the watcher; the month report over 1,000 referrals and 20,000 session
records; reading time per form type (PDFs against the old pdfplumber route); every reader over
the real-document corpus under the hard time limit; and the batch's peak memory. Prints a table
(target, measured, pass/fail, ratio against the naive baseline) and writes bench/results.json and
bench/RESULTS.md (full run) or the paths given by --out / --md.

Mutation testing is slow and separate: `python bench/mutation.py` (mutmut over the
safety-critical modules); it is not run here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)  # bench/ itself must not shadow top-level modules
sys.path.insert(0, str(ROOT))

# the verdict table (targets, rows, printing, Markdown): bench/table.py
from bench.table import TARGETS, compare, markdown, print_table, rows  # noqa: E402

SECTIONS = (
    "throughput",
    "latency",
    "hostile",
    "tracker",
    "render",
    "allocation",
    "month",
    "rota",
    "bundle",
    "scans",
    "reading",
    "corpus",
    "memory",
)

FULL = {
    "batch": 500,
    "docx": 200,
    "docx_runs": 3,
    "drops": 20,
    "tracker_sizes": [1000, 10000, 50000],
    "tracker_batch": 200,
    "tracker_repeat": 3,
    "repeat": 5,
    "saves": 8,
    "month_referrals": 1000,
    "month_records": 20000,
    "corpus": "full",
}
QUICK = {
    "batch": 30,
    "docx": 20,
    "docx_runs": 1,
    "drops": 2,
    "tracker_sizes": [1000],
    "tracker_batch": 50,
    "tracker_repeat": 1,
    "repeat": 1,
    "saves": 2,
    "month_referrals": 100,
    "month_records": 2000,
    "corpus": "committed",
}


# ---------------------------------------------------------------- machine


def machine() -> dict:
    info = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    try:
        info["git_commit"] = (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=20,
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.SubprocessError):
        info["git_commit"] = None
    return info


# ---------------------------------------------------------------- sections


def _child_batch(n: int, groups: list[str] | None, work: Path) -> dict:
    """A batch in a fresh child process, so its peak memory is the batch's alone."""
    work.mkdir(parents=True, exist_ok=True)
    out = work / f"batch-{n}-{'all' if not groups else len(groups)}.json"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child-batch",
        str(n),
        "--child-out",
        str(out),
    ]
    for g in groups or []:
        cmd += ["--child-group", g]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"batch child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def throughput(cfg: dict, work: Path) -> dict:
    from bench import corpus

    print(f"  throughput: {cfg['batch']} mixed files", file=sys.stderr, flush=True)
    mixed = _child_batch(cfg["batch"], None, work)
    runs = []
    for k in range(cfg["docx_runs"]):  # each in a fresh process and working folder
        print(
            f"  throughput: {cfg['docx']} .docx referrals ({k + 1}/{cfg['docx_runs']})",
            file=sys.stderr,
            flush=True,
        )
        runs.append(
            _child_batch(
                cfg["docx"], ["docx current referral", "docx incomplete"], work / f"docx-{k}"
            )
        )
    runs.sort(key=lambda r: r["files_per_s"])
    docx = dict(runs[len(runs) // 2], runs_files_per_s=[r["files_per_s"] for r in runs])
    return {
        "mixed": mixed,
        "docx_only": docx,
        "mix_definition": {
            g: {"share_percent": share, "fixtures": files}
            for g, (share, files) in corpus.MIX.items()
        },
    }


def latency(cfg: dict, work: Path) -> dict:
    from bench.measure_latency import drop_to_ack

    out = {}
    for mode in ("events", "polling"):
        print(f"  latency: {mode}, {cfg['drops']} drops", file=sys.stderr, flush=True)
        folder = work / f"latency-{mode}"
        folder.mkdir()
        out[mode] = drop_to_ack(folder, mode, cfg["drops"])
    return out


def hostile(cfg: dict, work: Path) -> dict:
    import logging

    from bench import measure_hostile

    logging.disable(logging.WARNING)  # the hostile files' warnings are expected
    print("  hostile inbox", file=sys.stderr, flush=True)
    return measure_hostile.run(work, repeat=max(1, min(3, cfg["drops"])))


def tracker(cfg: dict, work: Path) -> dict:
    from bench import measure_tracker

    folder = work / "tracker"
    folder.mkdir()
    return measure_tracker.run(
        folder,
        cfg["tracker_sizes"],
        cfg["tracker_batch"],
        cfg["tracker_repeat"],
        quick=cfg is QUICK,
    )


def render(cfg: dict, work: Path) -> dict:
    from bench.measure_reading import render as measure

    print("  paperwork pack", file=sys.stderr, flush=True)
    return measure(cfg["repeat"])


def reading(cfg: dict, work: Path) -> dict:
    from bench.measure_reading import reading as measure

    print("  reading per form type", file=sys.stderr, flush=True)
    return measure(cfg["repeat"])


def allocation(cfg: dict, work: Path) -> dict:
    from bench.measure_allocation import save_to_pack

    print(f"  save -> pack under the watcher, {cfg['saves']} saves", file=sys.stderr, flush=True)
    return save_to_pack(work, cfg["saves"])


def month(cfg: dict, work: Path) -> dict:
    from bench.measure_month import measure

    print(
        f"  month report, {cfg['month_referrals']} referrals and {cfg['month_records']} "
        "session records",
        file=sys.stderr,
        flush=True,
    )
    return measure(cfg["month_referrals"], cfg["month_records"])


def rota(cfg: dict, work: Path) -> dict:
    from bench.measure_rota import measure

    print("  rota, 200 referrals and 30 supervisors", file=sys.stderr, flush=True)
    return measure(200, 30)


def bundle(cfg: dict, work: Path) -> dict:
    from bench.measure_bundle import measure

    print("  court bundle, 60 session records", file=sys.stderr, flush=True)
    return measure(60)


def scans(cfg: dict, work: Path) -> dict:
    from bench.measure_scans import measure

    print("  scans read back by their page codes", file=sys.stderr, flush=True)
    return measure()


def corpus_section(cfg: dict, work: Path) -> dict:
    """Every reader over real documents, each in the bounded worker under the hard limit: the
    full corpus (/work/corpus/real or $FAMILY_TIME_CORPUS) or, --quick, the committed
    selection in tests/corpus/files. Skipped, with its reason, when there is no corpus."""
    import logging

    from pipeline.extract.bounded import close
    from pipeline.profile import load_profile

    from bench import measure_corpus as mc

    folder = mc.corpus_dir() if cfg["corpus"] == "full" else ROOT / "tests" / "corpus" / "files"
    if folder is None or not folder.is_dir():
        return {
            "skipped": f"no corpus at {mc.DEFAULT_CORPUS} or $FAMILY_TIME_CORPUS "
            "(build one with bench/build_corpus.py)"
        }
    logging.disable(logging.WARNING)  # the broken documents' warnings are expected
    files = mc.corpus_files(folder)
    limit = TARGETS["corpus_file_s"]
    print(
        f"  corpus: {len(files)} files in {folder}, limit {limit:g} s each",
        file=sys.stderr,
        flush=True,
    )
    started = time.perf_counter()
    try:
        results = mc.run_corpus(files, folder, limit, load_profile("northamptonshire"))
    finally:
        close()
    slow = sorted(results, key=lambda r: -r["wall_s"])[:5]
    return {
        "corpus": str(folder),
        "selection": cfg["corpus"],
        "files": len(results),
        "limit_s": limit,
        "total_s": round(time.perf_counter() - started, 1),
        "median_s": round(statistics.median(r["seconds"] for r in results), 3) if results else None,
        "max_s": max((r["seconds"] for r in results), default=None),
        "max_wall_s": max((r["wall_s"] for r in results), default=None),
        "timed_out": [r["file"] for r in results if r["timed_out"]],
        "over_2s": sum(r["seconds"] > 2 for r in results),
        "caught": sum(bool(r["caught"]) for r in results),
        "slowest": [{k: r[k] for k in ("file", "seconds", "wall_s", "status")} for r in slow],
        "by_kind": mc.summarise(results, 2.0),
    }


RUNNERS = {
    "throughput": throughput,
    "latency": latency,
    "hostile": hostile,
    "tracker": tracker,
    "render": render,
    "allocation": allocation,
    "month": month,
    "rota": rota,
    "bundle": bundle,
    "scans": scans,
    "reading": reading,
    "corpus": corpus_section,
}


NOTES = [
    "Notes:",
    "- Throughput: every file goes through `pipeline.intake.process.process_file` into a fresh "
    "working folder made by the `init` logic, then `pipeline.effects.run_effects` once (as "
    "`family-time process` does): mail to the .eml outbox, tracker written locally. Paperwork "
    "waits for a co-ordinator's allocation, so it is not part of the batch.",
    "- 'vs baseline' for throughput: the same batch with the tracker written the naive way "
    "(openpyxl load, append, save per item, at the per-referral cost measured at 1,000 rows "
    "in the same run) instead of one sync per batch.",
    "- Latency: the real watcher (`pipeline.intake.watcher.InboxWatcher.run`) in a thread with the "
    "shipped settings (settle 1 s, poll every 2 s); a .docx referral copied into the inbox; "
    "timed until its first .eml exists in the mail folder.",
    "- Tracker: a whole `pipeline.tracker.sync` of every item as a fresh process makes it "
    "(no memory of earlier syncs or reads: the worst case), workbook saved Excel-style (shared "
    "strings), so every row's check cell is checked against its cells; naive = openpyxl "
    "load-append-save per referral, measured here and multiplied up to the batch.",
    "- Peak memory: the child process that ran the mixed batch, interpreter and libraries "
    "included.",
    "- Hostile inbox: every case of tests/fixtures/make_hostile.py dropped into the inbox of "
    "the running watcher at once; 'holds' is process_file's time for one file; the good "
    "referral is dropped once they are all handled, while the files the watcher must leave "
    "(ignored names) are still there.",
    "- Save -> pack: bench/measure_allocation.py; one referral received and allocated in the "
    "tracking workbook (openpyxl, saved as Excel saves), then changed and saved again, under the "
    "real watcher in a thread with the shipped settle time; timed until the ledger records the "
    "new pack version.",
    "- Month report: bench/measure_month.py; `month_figures` and `write_month_report` over a "
    "made-up year (tests/helpers/season_kit.build_bulk); baseline: the ledger asked once per "
    "referral for its session records and each record's item.",
    "- Rota: bench/measure_rota.py; the Rota sheet's five weeks (diary from the timeline and "
    "the sheet's XML) over 200 allocated referrals and 30 supervisors; naive: each "
    "supervisor's and venue's view on its own, every case read and planned again.",
    "- Reading: each fixture read by `pipeline.extract.extract_file`; for PDFs the same read by "
    "the old route (pypdf reading every form field, pdfplumber pages parsed by pdfminer: "
    "bench/measure_reading.todays_read_pdf) interleaved in the same run; the target (>= 4x) is "
    "on CPU time, for fillable and flat PDFs alike.",
    "- Corpus: bench/measure_corpus.py's runner; every file read in the bounded worker "
    "(`pipeline.extract.bounded`) under the hard 10 s limit; 'holds' is the wall time the "
    "caller waited for one file. `--quick` runs the committed selection (tests/corpus/files); "
    "the full run the corpus at /work/corpus/real or $FAMILY_TIME_CORPUS (bench/build_corpus.py), "
    "skipped with a line in the table when there is none.",
    "- Mutation testing is not part of this run (it takes long): `python bench/mutation.py`; "
    "its results are in bench/MUTATION.md.",
]


# ---------------------------------------------------------------- main


def run_child(args) -> int:
    from bench.measure_throughput import peak_rss_mb, run_batch

    with tempfile.TemporaryDirectory(prefix="ft-bench-batch-") as tmp:
        result = run_batch(
            Path(tmp),
            args.child_batch,
            args.child_group or None,
            trace_memory=peak_rss_mb() is None,
        )
    args.child_out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


def run_section_child(args) -> int:
    cfg = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(prefix=f"ft-bench-{args.child_section}-") as tmp:
        result = RUNNERS[args.child_section](cfg, Path(tmp))
    args.child_out.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


def in_child(name: str, quick: bool, work: Path) -> dict:
    """One section in a fresh process: no section's threads, memory or garbage slow the next."""
    out = work / f"{name}.json"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child-section",
        name,
        "--child-out",
        str(out),
    ] + (["--quick"] if quick else [])
    proc = subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=3600
    )
    sys.stderr.write(proc.stderr if proc.returncode == 0 else "")
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"section child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="sub-minute smoke run")
    ap.add_argument("--out", type=Path, help="results JSON (full run: bench/results.json)")
    ap.add_argument("--md", type=Path, help="results table as Markdown (full: bench/RESULTS.md)")
    ap.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    ap.add_argument("--child-batch", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--child-group", action="append", help=argparse.SUPPRESS)
    ap.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--child-section", choices=list(RUNNERS), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_batch:
        return run_child(args)
    if args.child_section:
        return run_section_child(args)

    cfg = QUICK if args.quick else FULL
    out = args.out or (None if args.quick else ROOT / "bench" / "results.json")
    md = args.md or (None if args.quick or args.out else ROOT / "bench" / "RESULTS.md")
    wanted = set(args.only or SECTIONS)
    if "memory" in wanted:
        wanted.add("throughput")  # memory is measured on the throughput batch
    started = time.perf_counter()
    results = {
        "benchmark": "family-time pipeline",
        "mode": "quick" if args.quick else "full",
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "config": cfg,
        "targets": TARGETS,
        "sections": {},
        "errors": {},
    }
    with tempfile.TemporaryDirectory(prefix="ft-bench-") as tmp:
        for name in SECTIONS:
            if name not in wanted or name not in RUNNERS:
                continue
            work = Path(tmp) / name
            work.mkdir()
            try:
                results["sections"][name] = in_child(name, args.quick, work)
            except Exception as exc:  # noqa: BLE001 - one broken section must not hide the rest
                results["errors"][name] = f"{type(exc).__name__}: {exc}"[:2000]
                print(f"  {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    if "throughput" in results["sections"]:
        m = results["sections"]["throughput"]["mixed"]
        results["sections"]["memory"] = {
            "batch_files": m["files"],
            "peak_rss_mb": m.get("peak_rss_mb"),
            "rss_before_batch_mb": m.get("rss_before_batch_mb"),
            "tracemalloc_peak_mb": m.get("tracemalloc_peak_mb"),
        }
    results["seconds"] = round(time.perf_counter() - started, 1)
    if hasattr(os, "getloadavg"):
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["table"] = rows(results)
    results["notes"] = NOTES
    previous = out if out and out.exists() and not args.only else None
    if previous:
        try:
            results["compared_with"] = compare(
                json.loads(previous.read_text(encoding="utf-8")), results["table"]
            )
        except (ValueError, KeyError) as exc:
            print(f"  no comparison with {previous}: {exc}", file=sys.stderr)
    results["all_targets_met"] = (
        all(r["result"] != "FAIL" for r in results["table"]) and not results["errors"]
    )
    print_table(results)
    if out:
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"written {out}")
    if md:
        md.write_text(markdown(results), encoding="utf-8")
        print(f"written {md}")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
