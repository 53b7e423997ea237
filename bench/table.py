"""The benchmark's verdict table (bench/run.py): one row per figure from the sections' results,
with its target, verdict and ratio against the naive baseline; printed, as Markdown, and
compared with an earlier run. Kept apart from the runner so each can be read on its own."""

from __future__ import annotations

import sys

TARGETS = {
    "docx_per_s": 20.0,
    "latency_median_s": 3.0,
    "tracker_10k_s": 1.0,
    "render_ms": 300.0,
    "peak_mb": 300.0,
    "save_to_pack_median_s": 10.0,
    "month_report_s": 10.0,
    "corpus_file_s": 10.0,
    "pdf_speedup": 4.0,
}


def _fmt(x, unit: str = "", nd: int = 2) -> str:
    if x is None:
        return "-"
    return f"{x:.{nd}f}{unit}" if isinstance(x, float) else f"{x}{unit}"


def rows(results: dict) -> list[dict]:
    """One row per figure: measure, target, measured, verdict, ratio against the baseline."""
    out: list[dict] = []
    s = results["sections"]

    def add(measure, target, measured, ok, ratio="-"):
        out.append(
            {
                "measure": measure,
                "target": target,
                "measured": measured,
                "result": "info" if ok is None else ("PASS" if ok else "FAIL"),
                "vs baseline": ratio,
            }
        )

    for section_rows in (
        _throughput_rows,
        _latency_rows,
        _hostile_rows,
        _tracker_rows,
        _render_rows,
        _allocation_rows,
        _month_rows,
        _rota_rows,
        _paper_rows,
        _reading_rows,
        _corpus_rows,
        _memory_rows,
    ):
        section_rows(s, add)
    return out


def _throughput_rows(s: dict, add) -> None:
    th = s.get("throughput")
    if not th:
        return
    tr = s.get("tracker") or {}
    naive_1k = next(
        (r["naive"]["per_referral_s"] for r in tr.get("sizes", []) if r["rows"] == 1000), None
    )
    for key, label, target in (
        ("mixed", "mixed forms", None),
        ("docx_only", ".docx forms", TARGETS["docx_per_s"]),
    ):
        b = th[key]
        ratio = "-"
        if naive_1k:
            tracked = b["effects_done"].get("tracker", b["items"])
            naive_total = (
                b["total_s"] - b["stages_s"].get("effects: tracker", 0) + tracked * naive_1k
            )
            ratio = f"{naive_total / b['total_s']:.1f}x faster than with a naive tracker"
        add(
            f"Throughput end to end, {b['files']} {label} (files/s)",
            f">= {target:g}/s" if target else "-",
            f"{b['files_per_s']}/s "
            f"({b['items']} items, {b['total_s']} s; CPU {b.get('cpu_s')} s, "
            f"{b.get('files_per_cpu_s')} files per CPU second"
            + (
                f"; median of runs at {b['runs_files_per_s']}/s"
                if b.get("runs_files_per_s") and len(b["runs_files_per_s"]) > 1
                else ""
            )
            + ")",
            None if target is None else b["files_per_s"] >= target,
            ratio,
        )


def _latency_rows(s: dict, add) -> None:
    la = s.get("latency")
    if not la:
        return
    for mode in ("events", "polling"):
        m = la[mode]
        target = TARGETS["latency_median_s"] if mode == "events" else None
        add(
            f"Drop to acknowledgement, local folder, {mode} (median / p95)",
            f"median < {target:g} s" if target else "-",
            f"{_fmt(m.get('median_s'), ' s')} / {_fmt(m.get('p95_s'), ' s')} "
            f"({m['drops'] - m['missed']}/{m['drops']} acknowledged)",
            None
            if target is None
            else (m.get("median_s") is not None and m["missed"] == 0 and m["median_s"] < target),
        )


def _hostile_rows(s: dict, add) -> None:
    ho = s.get("hostile")
    if not ho:
        return
    slow = ", ".join(f"{n} {v} s" for n, v in ho["held_1s_or_more"].items())
    add(
        f"Hostile inbox ({ho['cases']} cases): longest one file holds the watcher",
        "< 1 s",
        f"{ho['max_hold_s']} s"
        + (f" ({slow})" if slow else "")
        + f"; all handled in {ho['all_handled_s']} s, watcher "
        + ("still running" if ho["watcher_alive"] else "STOPPED"),
        ho["max_hold_s"] is not None and ho["max_hold_s"] < 1.0 and ho["watcher_alive"],
    )
    d = ho["good_referral_delay_s"]
    add(
        "Hostile inbox: a good referral's extra delay (median, vs a quiet inbox)",
        "<= 1 s",
        f"{_fmt(d, ' s', 3)} (quiet {ho['quiet_ack_s']} s, with the leftovers "
        f"{ho['busy_ack_s']} s)",
        d is not None and d <= 1.0,
    )


def _tracker_rows(s: dict, add) -> None:
    tr = s.get("tracker") or {}
    if not tr:
        return
    for r in tr["sizes"]:
        target = TARGETS["tracker_10k_s"] if r["rows"] == 10000 else None
        add(
            f"Tracker batch of {r['batch']} into {r['rows']:,} rows",
            f"< {target:g} s" if target else "-",
            f"{r['shared']['batch_s']} s (CPU {r['shared'].get('batch_cpu_s')} s; naive "
            f"{r['naive']['batch_s_extrapolated']} s)",
            None if target is None else r["shared"]["batch_s"] < target,
            f"{r['ratio']}x faster than naive openpyxl",
        )


def _render_rows(s: dict, add) -> None:
    rd = s.get("render")
    if rd is None:
        return
    if rd.get("available"):
        add(
            "Paperwork pack render (median, warm)",
            f"< {TARGETS['render_ms']:g} ms",
            f"{rd['median_ms']} ms (first {rd['first_ms']} ms, {rd['documents']} files)",
            rd["median_ms"] < TARGETS["render_ms"],
        )
    else:
        add("Paperwork pack render", f"< {TARGETS['render_ms']:g} ms", "not available", None)


def _allocation_rows(s: dict, add) -> None:
    al = s.get("allocation")
    if not al:
        return
    target = TARGETS["save_to_pack_median_s"]
    add(
        f"Save -> pack under the watcher, settle {al.get('settle_s')} s (median / p95)",
        f"median < {target:g} s",
        f"{_fmt(al.get('median_s'), ' s', 3)} / "
        f"{_fmt(al.get('p95_s'), ' s', 3)} ({al['saves'] - al['missed']}/{al['saves']} "
        "packs made)",
        al.get("median_s") is not None and al["missed"] == 0 and al["median_s"] < target,
    )


def _paper_rows(s: dict, add) -> None:
    """The court bundle (60 records) and the scans read back by their page codes."""
    b = s.get("bundle")
    if b and "bundle_court_s" in b:
        add(
            f"Court bundle, {b['records']} records (.docx, no LibreOffice)",
            f"< {b['target_s']:g} s",
            f"court {b['bundle_court_s']} s, parties {b['bundle_parties_s']} s ({b['pages']} "
            f"pages); with both PDFs through LibreOffice {b.get('bundle_parties_with_pdfs_s')} s",
            b["passed"],
        )
    sc = s.get("scans")
    if sc and "by_dpi" in sc:
        found = {dpi: v["found_pct"] for dpi, v in sc["by_dpi"].items()}
        photos = sc.get("photos", {})
        add(
            "Page codes found on scans (rotated, noise, fold), by dpi; phone photos",
            "100% at >= 150 dpi",
            ", ".join(f"{d} dpi {p:g}%" for d, p in found.items())
            + f"; photos {photos.get('codes_found')}/{photos.get('taken')}",
            all(p == 100.0 for p in found.values()),
        )
    elif sc:
        add("Page codes found on scans", "100% at >= 150 dpi", str(sc), None)


def _rota_rows(s: dict, add) -> None:
    ro = s.get("rota")
    if not ro:
        return
    add(
        f"Rota sheet, 5 weeks ({ro['referrals']} referrals, {ro['supervisors']} supervisors)",
        f"< {ro['target_s']:g} s",
        f"{ro['rota_sheet_s']} s ({ro['sessions_in_five_weeks']} sessions; a week's "
        f"{ro['week_documents']} .docx {ro['week_documents_s']} s; one clash check "
        f"{ro['clash_check_s']} s)",
        ro["passed"],
        f"{ro['speedup']}x (naive {ro['naive_s']} s)",
    )


def _month_rows(s: dict, add) -> None:
    mo = s.get("month")
    if not mo:
        return
    add(
        f"Month report, {mo['referrals']:,} referrals and {mo['records']:,} session records "
        "(figures + Word + workbook)",
        f"< {mo['target_s']:g} s",
        f"{mo['month_report_s']} s (figures {mo['figures_s']} s, writing {mo['write_s']} s; "
        f"{mo['records_in_month']} records in the month)",
        mo["passed"],
        f"naive per-referral record lookups alone {mo['naive_session_lookup_s']} s "
        f"({mo['naive_session_lookup_s'] / max(mo['figures_s'], 0.01):.2f}x the figures' "
        "time)",
    )


def _reading_rows(s: dict, add) -> None:
    pdf_base = pdf_cpu = 0.0
    for label, r in (s.get("reading") or {}).items():
        base = r.get("pdfplumber_route_median_cpu_ms")
        target = TARGETS["pdf_speedup"] if base else None
        if base:
            pdf_base += base
            pdf_cpu += r["median_cpu_ms"]
        same = r.get("same_answers_both_routes")
        add(
            f"Reading: {label}",
            f">= {target:g}x less CPU" if target else "-",
            f"{r['median_ms']} ms (CPU {r['median_cpu_ms']} ms; first {r['first_ms']} ms)"
            + ("; answers differ from the old route" if same is False else ""),
            None if not target else base / max(r["median_cpu_ms"], 0.1) >= target,
            f"{base / max(r['median_cpu_ms'], 0.1):.2f}x less CPU than the old pdfplumber "
            f"route ({base} ms)"
            if base
            else "-",
        )
    if pdf_cpu:
        add(
            "Reading: the service's own PDFs together (pypdfium2 route vs old pdfplumber "
            "route, CPU)",
            f">= {TARGETS['pdf_speedup']:g}x",
            f"{pdf_cpu:.1f} ms against {pdf_base:.1f} ms",
            pdf_base / pdf_cpu >= TARGETS["pdf_speedup"],
            f"{pdf_base / pdf_cpu:.2f}x less CPU",
        )


def _corpus_rows(s: dict, add) -> None:
    co = s.get("corpus")
    if co and co.get("skipped"):
        add(
            "Real-document corpus",
            f"< {TARGETS['corpus_file_s']:g} s per file",
            f"skipped: {co['skipped']}",
            None,
        )
    elif co:
        slowest = co["slowest"][0] if co["slowest"] else None
        add(
            f"Real-document corpus ({co['files']} files, {co['selection']}): longest one file "
            "holds the watcher",
            f"< {co['limit_s']:g} s, none stopped",
            f"{_fmt(co['max_wall_s'], ' s')} ({slowest['file'] if slowest else '-'}); median "
            f"{co['median_s']} s, {co['over_2s']} over 2 s, {len(co['timed_out'])} stopped at the "
            f"limit, {co['caught']} with an exception a reader caught; all in {co['total_s']} s",
            co["max_wall_s"] is not None
            and co["max_wall_s"] < co["limit_s"]
            and not co["timed_out"],
        )


def _memory_rows(s: dict, add) -> None:
    th = s.get("throughput")
    if not th:
        return
    m = th["mixed"]
    peak = m.get("peak_rss_mb") or m.get("tracemalloc_peak_mb")
    how = "peak RSS" if m.get("peak_rss_mb") else "tracemalloc peak"
    add(
        f"Peak memory, {m['files']}-file batch ({how}, whole process)",
        f"< {TARGETS['peak_mb']:g} MB",
        f"{peak} MB (before the batch {m.get('rss_before_batch_mb')} MB)",
        peak is not None and peak < TARGETS["peak_mb"],
    )


def stage_rows(results: dict) -> list[tuple[str, str, str]]:
    th = results["sections"].get("throughput")
    if not th:
        return []
    mixed, docx = th["mixed"], th["docx_only"]
    keys = list(dict.fromkeys([*mixed["stages_s"], *docx["stages_s"]]))
    return [
        (k, _fmt(mixed["stages_s"].get(k), " s", 3), _fmt(docx["stages_s"].get(k), " s", 3))
        for k in keys
    ]


def print_table(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 150)
    table = Table(title=f"family-time benchmark ({results['mode']}, {results['date']})")
    for col in ("measure", "target", "measured", "result", "vs baseline"):
        table.add_column(col, overflow="fold")
    for r in results["table"]:
        style = {"PASS": "green", "FAIL": "bold red"}.get(r["result"])
        table.add_row(
            *(str(r[c]) for c in ("measure", "target", "measured")),
            f"[{style}]{r['result']}[/]" if style else r["result"],
            r["vs baseline"],
        )
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
    lines = [
        f"# Benchmark results ({results['mode']} run)",
        "",
        f"Run {results['date']} with `python3 bench/run.py"
        f"{' --quick' if results['mode'] == 'quick' else ''}` in {results['seconds']} s, "
        f"on {m.get('cpu_model') or m['processor'] or m['machine']}, {m['cpus']} CPUs, "
        f"{m.get('ram_gb', '?')} GB RAM, {m['platform']}, Python {m['python']}, "
        f"commit {m.get('git_commit')}; load average (1/5/15 min) "
        f"{m.get('load_average_at_start')} at the start, {m.get('load_average_at_end')} "
        "at the end (the machine is shared: other work stretches wall times).",
        "",
        "| measure | target | measured | result | vs baseline |",
        "|---|---|---|---|---|",
    ]
    for r in results["table"]:
        lines.append(
            "| "
            + " | ".join(
                str(r[c]).replace("|", "/")
                for c in ("measure", "target", "measured", "result", "vs baseline")
            )
            + " |"
        )
    stages = stage_rows(results)
    if stages:
        lines += [
            "",
            "Time by stage (seconds, whole batch):",
            "",
            "| stage | mixed batch | .docx only |",
            "|---|---|---|",
        ]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in stages]
    before = results.get("compared_with")
    if before:
        lines += [
            "",
            f"Compared with the previous committed run ({before['date']}, commit "
            f"{before.get('git_commit')}, load {before.get('load_average_at_start')}): "
            "the same measures, first figure of each.",
            "",
            "| measure | before | now | change |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {r['measure']} | {r['before']} | {r['now']} | {r['change']} |"
            for r in before["rows"]
        ]
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
        change = (
            f"{(b - a) / abs(a) * 100:+.0f}%" if a and abs(a) >= 0.01 and b is not None else "-"
        )
        rows_out.append({"measure": r["measure"], "before": a, "now": b, "change": change})
    m = previous.get("machine", {})
    return {
        "date": previous.get("date"),
        "git_commit": m.get("git_commit"),
        "load_average_at_start": m.get("load_average_at_start"),
        "rows": rows_out,
    }
