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
    sys.path.pop(0)                       # bench/ itself must not shadow top-level modules
sys.path.insert(0, str(ROOT))

SECTIONS = ("throughput", "latency", "hostile", "tracker", "render", "allocation", "month",
            "reading", "corpus", "memory")

FULL = {"batch": 500, "docx": 200, "docx_runs": 3, "drops": 20,
        "tracker_sizes": [1000, 10000, 50000], "tracker_batch": 200, "tracker_repeat": 3,
        "repeat": 5, "saves": 8, "month_referrals": 1000, "month_records": 20000, "corpus": "full"}
QUICK = {"batch": 30, "docx": 20, "docx_runs": 1, "drops": 2, "tracker_sizes": [1000],
         "tracker_batch": 50, "tracker_repeat": 1, "repeat": 1, "saves": 2,
         "month_referrals": 100, "month_records": 2000, "corpus": "committed"}

TARGETS = {"docx_per_s": 20.0, "latency_median_s": 3.0, "tracker_10k_s": 1.0,
           "render_ms": 300.0, "peak_mb": 300.0, "save_to_pack_median_s": 10.0,
           "month_report_s": 10.0, "corpus_file_s": 10.0, "pdf_speedup": 4.0}


# ---------------------------------------------------------------- machine

def machine() -> dict:
    info = {"platform": platform.platform(), "machine": platform.machine(),
            "processor": platform.processor() or None, "cpus": os.cpu_count(),
            "python": platform.python_version()}
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
        info["git_commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
            timeout=20).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        info["git_commit"] = None
    return info


# ---------------------------------------------------------------- sections

def _child_batch(n: int, groups: list[str] | None, work: Path) -> dict:
    """A batch in a fresh child process, so its peak memory is the batch's alone."""
    work.mkdir(parents=True, exist_ok=True)
    out = work / f"batch-{n}-{'all' if not groups else len(groups)}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-batch", str(n),
           "--child-out", str(out)]
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
    for k in range(cfg["docx_runs"]):          # each in a fresh process and working folder
        print(f"  throughput: {cfg['docx']} .docx referrals ({k + 1}/{cfg['docx_runs']})",
              file=sys.stderr, flush=True)
        runs.append(_child_batch(cfg["docx"], ["docx current referral", "docx incomplete"],
                                 work / f"docx-{k}"))
    runs.sort(key=lambda r: r["files_per_s"])
    docx = dict(runs[len(runs) // 2], runs_files_per_s=[r["files_per_s"] for r in runs])
    return {"mixed": mixed, "docx_only": docx, "mix_definition": {
        g: {"share_percent": share, "fixtures": files} for g, (share, files) in corpus.MIX.items()}}


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
    logging.disable(logging.WARNING)           # the hostile files' warnings are expected
    print("  hostile inbox", file=sys.stderr, flush=True)
    return measure_hostile.run(work, repeat=max(1, min(3, cfg["drops"])))


def tracker(cfg: dict, work: Path) -> dict:
    from bench import measure_tracker
    folder = work / "tracker"
    folder.mkdir()
    return measure_tracker.run(folder, cfg["tracker_sizes"], cfg["tracker_batch"],
                               cfg["tracker_repeat"], quick=cfg is QUICK)


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
    print(f"  month report, {cfg['month_referrals']} referrals and {cfg['month_records']} "
          "session records", file=sys.stderr, flush=True)
    return measure(cfg["month_referrals"], cfg["month_records"])


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
        return {"skipped": f"no corpus at {mc.DEFAULT_CORPUS} or $FAMILY_TIME_CORPUS "
                           "(build one with bench/build_corpus.py)"}
    logging.disable(logging.WARNING)           # the broken documents' warnings are expected
    files = mc.corpus_files(folder)
    limit = TARGETS["corpus_file_s"]
    print(f"  corpus: {len(files)} files in {folder}, limit {limit:g} s each", file=sys.stderr,
          flush=True)
    started = time.perf_counter()
    try:
        results = mc.run_corpus(files, folder, limit, load_profile("northamptonshire"))
    finally:
        close()
    slow = sorted(results, key=lambda r: -r["wall_s"])[:5]
    return {"corpus": str(folder), "selection": cfg["corpus"], "files": len(results),
            "limit_s": limit, "total_s": round(time.perf_counter() - started, 1),
            "median_s": round(statistics.median(r["seconds"] for r in results), 3)
            if results else None,
            "max_s": max((r["seconds"] for r in results), default=None),
            "max_wall_s": max((r["wall_s"] for r in results), default=None),
            "timed_out": [r["file"] for r in results if r["timed_out"]],
            "over_2s": sum(r["seconds"] > 2 for r in results),
            "caught": sum(bool(r["caught"]) for r in results),
            "slowest": [{k: r[k] for k in ("file", "seconds", "wall_s", "status")} for r in slow],
            "by_kind": mc.summarise(results, 2.0)}


RUNNERS = {"throughput": throughput, "latency": latency, "hostile": hostile, "tracker": tracker,
           "render": render, "allocation": allocation, "month": month, "reading": reading,
           "corpus": corpus_section}


# ---------------------------------------------------------------- verdicts

def _fmt(x, unit: str = "", nd: int = 2) -> str:
    if x is None:
        return "-"
    return f"{x:.{nd}f}{unit}" if isinstance(x, float) else f"{x}{unit}"


def rows(results: dict) -> list[dict]:
    """One row per figure: measure, target, measured, verdict, ratio against the baseline."""
    out: list[dict] = []
    s = results["sections"]
    tr = s.get("tracker") or {}
    naive_1k = next((r["naive"]["per_referral_s"] for r in tr.get("sizes", [])
                     if r["rows"] == 1000), None)

    def add(measure, target, measured, ok, ratio="-"):
        out.append({"measure": measure, "target": target, "measured": measured,
                    "result": "info" if ok is None else ("PASS" if ok else "FAIL"),
                    "vs baseline": ratio})

    th = s.get("throughput")
    if th:
        for key, label, target in (("mixed", "mixed forms", None),
                                   ("docx_only", ".docx forms", TARGETS["docx_per_s"])):
            b = th[key]
            ratio = "-"
            if naive_1k:
                tracked = b["effects_done"].get("tracker", b["items"])
                naive_total = b["total_s"] - b["stages_s"].get("effects: tracker", 0) \
                    + tracked * naive_1k
                ratio = f"{naive_total / b['total_s']:.1f}x faster than with a naive tracker"
            add(f"Throughput end to end, {b['files']} {label} (files/s)",
                f">= {target:g}/s" if target else "-", f"{b['files_per_s']}/s "
                f"({b['items']} items, {b['total_s']} s; CPU {b.get('cpu_s')} s, "
                f"{b.get('files_per_cpu_s')} files per CPU second"
                + (f"; median of runs at {b['runs_files_per_s']}/s" if b.get("runs_files_per_s")
                   and len(b["runs_files_per_s"]) > 1 else "") + ")",
                None if target is None else b["files_per_s"] >= target, ratio)
    la = s.get("latency")
    if la:
        for mode in ("events", "polling"):
            m = la[mode]
            target = TARGETS["latency_median_s"] if mode == "events" else None
            add(f"Drop to acknowledgement, local folder, {mode} (median / p95)",
                f"median < {target:g} s" if target else "-",
                f"{_fmt(m.get('median_s'), ' s')} / {_fmt(m.get('p95_s'), ' s')} "
                f"({m['drops'] - m['missed']}/{m['drops']} acknowledged)",
                None if target is None else (m.get("median_s") is not None and m["missed"] == 0
                                             and m["median_s"] < target))
    ho = s.get("hostile")
    if ho:
        slow = ", ".join(f"{n} {v} s" for n, v in ho["held_1s_or_more"].items())
        add(f"Hostile inbox ({ho['cases']} cases): longest one file holds the watcher",
            "< 1 s", f"{ho['max_hold_s']} s" + (f" ({slow})" if slow else "")
            + f"; all handled in {ho['all_handled_s']} s, watcher "
            + ("still running" if ho["watcher_alive"] else "STOPPED"),
            ho["max_hold_s"] is not None and ho["max_hold_s"] < 1.0 and ho["watcher_alive"])
        d = ho["good_referral_delay_s"]
        add("Hostile inbox: a good referral's extra delay (median, vs a quiet inbox)", "<= 1 s",
            f"{_fmt(d, ' s', 3)} (quiet {ho['quiet_ack_s']} s, with the leftovers "
            f"{ho['busy_ack_s']} s)", d is not None and d <= 1.0)
    if tr:
        for r in tr["sizes"]:
            target = TARGETS["tracker_10k_s"] if r["rows"] == 10000 else None
            add(f"Tracker batch of {r['batch']} into {r['rows']:,} rows",
                f"< {target:g} s" if target else "-",
                f"{r['shared']['batch_s']} s (CPU {r['shared'].get('batch_cpu_s')} s; naive "
                f"{r['naive']['batch_s_extrapolated']} s)",
                None if target is None else r["shared"]["batch_s"] < target,
                f"{r['ratio']}x faster than naive openpyxl")
    rd = s.get("render")
    if rd is not None:
        if rd.get("available"):
            add("Paperwork pack render (median, warm)", f"< {TARGETS['render_ms']:g} ms",
                f"{rd['median_ms']} ms (first {rd['first_ms']} ms, {rd['documents']} files)",
                rd["median_ms"] < TARGETS["render_ms"])
        else:
            add("Paperwork pack render", f"< {TARGETS['render_ms']:g} ms", "not available",
                None)
    al = s.get("allocation")
    if al:
        target = TARGETS["save_to_pack_median_s"]
        add(f"Save -> pack under the watcher, settle {al.get('settle_s')} s (median / p95)",
            f"median < {target:g} s", f"{_fmt(al.get('median_s'), ' s', 3)} / "
            f"{_fmt(al.get('p95_s'), ' s', 3)} ({al['saves'] - al['missed']}/{al['saves']} "
            "packs made)", al.get("median_s") is not None and al["missed"] == 0
            and al["median_s"] < target)
    mo = s.get("month")
    if mo:
        add(f"Month report, {mo['referrals']:,} referrals and {mo['records']:,} session records "
            "(figures + Word + workbook)", f"< {mo['target_s']:g} s",
            f"{mo['month_report_s']} s (figures {mo['figures_s']} s, writing {mo['write_s']} s; "
            f"{mo['records_in_month']} records in the month)", mo["passed"],
            f"naive per-referral record lookups alone {mo['naive_session_lookup_s']} s "
            f"({mo['naive_session_lookup_s'] / max(mo['figures_s'], 0.01):.2f}x the figures' "
            "time)")
    pdf_base = pdf_cpu = 0.0
    for label, r in (s.get("reading") or {}).items():
        base = r.get("pdfplumber_route_median_cpu_ms")
        target = TARGETS["pdf_speedup"] if base else None
        if base:
            pdf_base += base
            pdf_cpu += r["median_cpu_ms"]
        same = r.get("same_answers_both_routes")
        add(f"Reading: {label}", f">= {target:g}x less CPU" if target else "-",
            f"{r['median_ms']} ms (CPU {r['median_cpu_ms']} ms; first {r['first_ms']} ms)"
            + ("; answers differ from the old route" if same is False else ""),
            None if not target else base / max(r["median_cpu_ms"], 0.1) >= target,
            f"{base / max(r['median_cpu_ms'], 0.1):.2f}x less CPU than the old pdfplumber "
            f"route ({base} ms)" if base else "-")
    if pdf_cpu:
        add("Reading: the service's own PDFs together (pypdfium2 route vs old pdfplumber "
            "route, CPU)", f">= {TARGETS['pdf_speedup']:g}x", f"{pdf_cpu:.1f} ms against "
            f"{pdf_base:.1f} ms", pdf_base / pdf_cpu >= TARGETS["pdf_speedup"],
            f"{pdf_base / pdf_cpu:.2f}x less CPU")
    co = s.get("corpus")
    if co and co.get("skipped"):
        add("Real-document corpus", f"< {TARGETS['corpus_file_s']:g} s per file",
            f"skipped: {co['skipped']}", None)
    elif co:
        slowest = co["slowest"][0] if co["slowest"] else None
        add(f"Real-document corpus ({co['files']} files, {co['selection']}): longest one file "
            "holds the watcher", f"< {co['limit_s']:g} s, none stopped",
            f"{_fmt(co['max_wall_s'], ' s')} ({slowest['file'] if slowest else '-'}); median "
            f"{co['median_s']} s, {co['over_2s']} over 2 s, {len(co['timed_out'])} stopped at the "
            f"limit, {co['caught']} with an exception a reader caught; all in {co['total_s']} s",
            co["max_wall_s"] is not None and co["max_wall_s"] < co["limit_s"]
            and not co["timed_out"])
    if th:
        m = th["mixed"]
        peak = m.get("peak_rss_mb") or m.get("tracemalloc_peak_mb")
        how = "peak RSS" if m.get("peak_rss_mb") else "tracemalloc peak"
        add(f"Peak memory, {m['files']}-file batch ({how}, whole process)",
            f"< {TARGETS['peak_mb']:g} MB", f"{peak} MB (before the batch "
            f"{m.get('rss_before_batch_mb')} MB)", peak is not None and peak < TARGETS["peak_mb"])
    return out


def stage_rows(results: dict) -> list[tuple[str, str, str]]:
    th = results["sections"].get("throughput")
    if not th:
        return []
    mixed, docx = th["mixed"], th["docx_only"]
    keys = list(dict.fromkeys([*mixed["stages_s"], *docx["stages_s"]]))
    return [(k, _fmt(mixed["stages_s"].get(k), " s", 3), _fmt(docx["stages_s"].get(k), " s", 3))
            for k in keys]


def print_table(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 150)
    table = Table(title=f"family-time benchmark ({results['mode']}, {results['date']})")
    for col in ("measure", "target", "measured", "result", "vs baseline"):
        table.add_column(col, overflow="fold")
    for r in results["table"]:
        style = {"PASS": "green", "FAIL": "bold red"}.get(r["result"])
        table.add_row(*(str(r[c]) for c in ("measure", "target", "measured")),
                      f"[{style}]{r['result']}[/]" if style else r["result"], r["vs baseline"])
    console.print(table)
    stages = stage_rows(results)
    if stages:
        t2 = Table(title="Time by stage (seconds, whole batch)")
        t2.add_column("stage")
        t2.add_column("mixed batch", justify="right")
        t2.add_column(".docx only", justify="right")
        for row in stages:
            t2.add_row(*row)
        console.print(t2)


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [f"# Benchmark results ({results['mode']} run)", "",
             f"Run {results['date']} with `python3 bench/run.py"
             f"{' --quick' if results['mode'] == 'quick' else ''}` in {results['seconds']} s, "
             f"on {m.get('cpu_model') or m['processor'] or m['machine']}, {m['cpus']} CPUs, "
             f"{m.get('ram_gb', '?')} GB RAM, {m['platform']}, Python {m['python']}, "
             f"commit {m.get('git_commit')}; load average (1/5/15 min) "
             f"{m.get('load_average_at_start')} at the start, {m.get('load_average_at_end')} "
             "at the end (the machine is shared: other work stretches wall times).", "",
             "| measure | target | measured | result | vs baseline |", "|---|---|---|---|---|"]
    for r in results["table"]:
        lines.append("| " + " | ".join(str(r[c]).replace("|", "/") for c in
                                       ("measure", "target", "measured", "result",
                                        "vs baseline")) + " |")
    stages = stage_rows(results)
    if stages:
        lines += ["", "Time by stage (seconds, whole batch):", "",
                  "| stage | mixed batch | .docx only |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in stages]
    before = results.get("compared_with")
    if before:
        lines += ["", f"Compared with the previous committed run ({before['date']}, commit "
                  f"{before.get('git_commit')}, load {before.get('load_average_at_start')}): "
                  "the same measures, first figure of each.", "",
                  "| measure | before | now | change |", "|---|---|---|---|"]
        lines += [f"| {r['measure']} | {r['before']} | {r['now']} | {r['change']} |"
                  for r in before["rows"]]
    lines += ["", *results.get("notes", [])]
    return "\n".join(lines) + "\n"


def _first_number(text: str) -> float | None:
    import re
    m = re.search(r"-?\d+(?:\.\d+)?", str(text).replace(",", ""))
    return float(m.group()) if m else None


def compare(previous: dict, table: list[dict]) -> dict:
    """The rows this run shares with an earlier results.json: its first figure then and now."""
    old = {r["measure"]: r for r in previous.get("table", [])}
    rows_out = []
    for r in table:
        if r["measure"] not in old:
            continue
        a, b = _first_number(old[r["measure"]]["measured"]), _first_number(r["measured"])
        change = (f"{(b - a) / abs(a) * 100:+.0f}%" if a and abs(a) >= 0.01 and b is not None
                  else "-")
        rows_out.append({"measure": r["measure"], "before": a, "now": b, "change": change})
    m = previous.get("machine", {})
    return {"date": previous.get("date"), "git_commit": m.get("git_commit"),
            "load_average_at_start": m.get("load_average_at_start"), "rows": rows_out}


NOTES = [
    "Notes:",
    "- Throughput: every file goes through `pipeline.process.process_file` into a fresh "
    "working folder made by the `init` logic, then `pipeline.effects.run_effects` once (as "
    "`family-time process` does): mail to the .eml outbox, tracker written locally. Paperwork "
    "waits for a co-ordinator's allocation, so it is not part of the batch.",
    "- 'vs baseline' for throughput: the same batch with the tracker written the naive way "
    "(openpyxl load, append, save per item, at the per-referral cost measured at 1,000 rows "
    "in the same run) instead of one sync per batch.",
    "- Latency: the real watcher (`pipeline.watcher.InboxWatcher.run`) in a thread with the "
    "shipped settings (settle 1 s, poll every 2 s); a .docx referral copied into the inbox; "
    "timed until its first .eml exists in the mail folder.",
    "- Tracker: a whole `pipeline.tracker.sync` of every item in a fresh process (worst case), "
    "workbook saved Excel-style (shared strings); naive = openpyxl load-append-save per "
    "referral, measured here and multiplied up to the batch.",
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
        result = run_batch(Path(tmp), args.child_batch, args.child_group or None,
                           trace_memory=peak_rss_mb() is None)
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
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-section", name,
           "--child-out", str(out)] + (["--quick"] if quick else [])
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          timeout=3600)
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
        wanted.add("throughput")               # memory is measured on the throughput batch
    started = time.perf_counter()
    results = {"benchmark": "family-time pipeline", "mode": "quick" if args.quick else "full",
               "date": dt.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
               "config": cfg, "targets": TARGETS, "sections": {}, "errors": {}}
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
            "batch_files": m["files"], "peak_rss_mb": m.get("peak_rss_mb"),
            "rss_before_batch_mb": m.get("rss_before_batch_mb"),
            "tracemalloc_peak_mb": m.get("tracemalloc_peak_mb")}
    results["seconds"] = round(time.perf_counter() - started, 1)
    if hasattr(os, "getloadavg"):
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["table"] = rows(results)
    results["notes"] = NOTES
    previous = out if out and out.exists() and not args.only else None
    if previous:
        try:
            results["compared_with"] = compare(
                json.loads(previous.read_text(encoding="utf-8")), results["table"])
        except (ValueError, KeyError) as exc:
            print(f"  no comparison with {previous}: {exc}", file=sys.stderr)
    results["all_targets_met"] = all(r["result"] != "FAIL" for r in results["table"]) \
        and not results["errors"]
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
