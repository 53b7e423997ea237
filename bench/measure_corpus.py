"""Runs the reader over a corpus of real documents, each file under a hard time limit.

    python bench/measure_corpus.py                       # /work/corpus/real or $FAMILY_TIME_CORPUS
    python bench/measure_corpus.py --corpus ~/Documents  # any folder of documents
    python bench/measure_corpus.py --no-corpus           # only the PDF route comparison

Every file is read by `pipeline.extract.extract_file` in a worker process
(`pipeline.extract.bounded`), so a file that hangs a reader is stopped at the limit and the
run goes on. For each file: the outcome (form status and reason), the seconds the read took,
and any exception a reader caught and logged (the readers never raise, so a "crash" is an
exception they swallowed: the file still ends as "unreadable", but the cause is a reader's
bug or blind spot worth knowing). Prints a table by kind, the slow and crashing files, and a
side-by-side timing of the PDF text route against pypdfium2 on the service's own PDFs; writes
everything as JSON (--json). The corpus is made by bench/build_corpus.py.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)  # bench/ itself must not shadow top-level modules
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = Path("/work/corpus/real")
DEFAULT_JSON = ROOT / "bench" / "corpus_results.json"
CRASH_KEY = "_bench_caught"  # carried back from the worker inside `fields`
SECONDS_KEY = "_bench_seconds"
SKIP_NAMES = {"manifest.json", "results.json"}


def corpus_dir(arg: str | None = None) -> Path | None:
    """The corpus to run: the argument, $FAMILY_TIME_CORPUS, or /work/corpus/real."""
    for candidate in (arg, os.environ.get("FAMILY_TIME_CORPUS"), str(DEFAULT_CORPUS)):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in SKIP_NAMES)


class _Caught(logging.Handler):
    """Collects every log record that carries an exception: what the readers swallowed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.items: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.exc_info or record.exc_info[0] is None:
            return
        etype, exc, tb = record.exc_info
        frames = traceback.extract_tb(tb)
        where = next(
            (
                f"{Path(f.filename).name}:{f.lineno} {f.name}"
                for f in reversed(frames)
                if "/pipeline/" in f.filename.replace("\\", "/")
            ),
            "",
        )
        last = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
        self.items.append(
            f"{record.levelname} {record.name}: {etype.__name__}: "
            f"{str(exc)[:160]} [pipeline at {where}; raised at {last}]"
        )


def read_with_report(path: Path, profile=None):
    """The worker's reader for this benchmark: extract_file, plus the exceptions the readers
    logged and the reading time (put in `fields`, since only an Extraction travels back)."""
    from pipeline.extract import extract_file

    handler = _Caught()
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its per-object chatter
    try:
        start = time.perf_counter()
        result = extract_file(path, profile)
        seconds = time.perf_counter() - start
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    fields = dict(result.fields)
    fields[SECONDS_KEY] = f"{seconds:.4f}"
    if handler.items:
        fields[CRASH_KEY] = handler.items
    return result.model_copy(update={"fields": fields})


def _kind(path: Path) -> str:
    return path.suffix.lower().lstrip(".") or "(none)"


def run_corpus(files: list[Path], root: Path, limit: float, profile) -> list[dict]:
    from pipeline.extract.bounded import TOO_SLOW_REASON, extract_bounded

    too_slow = TOO_SLOW_REASON.split("(")[0]
    rows = []
    for i, path in enumerate(files, 1):
        start = time.perf_counter()
        result = extract_bounded(
            path, profile, limit=limit, reader="bench.measure_corpus:read_with_report"
        )
        wall = time.perf_counter() - start
        fields = result.fields
        caught = fields.get(CRASH_KEY, [])
        seconds = float(fields[SECONDS_KEY]) if SECONDS_KEY in fields else wall
        attachments = [f"{a.form.status}: {a.form.reason[:80]}" for a in result.attachments]
        rows.append(
            {
                "file": path.relative_to(root).as_posix(),
                "kind": _kind(path),
                "bytes": path.stat().st_size,
                "status": result.form.status,
                "form": result.form.id,
                "reason": result.form.reason,
                "seconds": round(seconds, 4),
                "wall_s": round(wall, 4),
                "timed_out": result.form.reason.startswith(too_slow),
                "caught": caught,
                "attachments": attachments,
                "n_fields": len([k for k in fields if not k.startswith("_bench")]),
            }
        )
        mark = "T" if rows[-1]["timed_out"] else ("!" if caught else ".")
        print(mark, end="" if i % 80 else "\n", flush=True, file=sys.stderr)
    print(file=sys.stderr)
    return rows


def summarise(rows: list[dict], slow: float) -> dict:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
    table = {}
    for kind, rs in sorted(by_kind.items()):
        secs = [r["seconds"] for r in rs]
        table[kind] = {
            "files": len(rs),
            **{s: c for s, c in Counter(r["status"] for r in rs).items()},
            "median_s": round(statistics.median(secs), 3),
            "max_s": round(max(secs), 2),
            f"over_{slow:g}s": sum(s > slow for s in secs),
            "timed_out": sum(r["timed_out"] for r in rs),
            "caught": sum(bool(r["caught"]) for r in rs),
        }
    return table


def print_table(table: dict, slow: float) -> None:
    cols = [
        "files",
        "current",
        "old",
        "not_referral",
        "unreadable",
        "median_s",
        "max_s",
        f"over_{slow:g}s",
        "timed_out",
        "caught",
    ]
    print(f"{'kind':8}" + "".join(f"{c:>13}" for c in cols))
    for kind, row in table.items():
        print(f"{kind:8}" + "".join(f"{row.get(c, 0):>13}" for c in cols))


# ---------------------------------------------------------------------------------------------
# The PDF text route, side by side with pypdfium2


def _service_pdfs() -> list[Path]:
    fixtures = ROOT / "tests" / "fixtures"
    return sorted((fixtures / "pdf").glob("*.pdf")) + sorted((fixtures / "forms").glob("*.pdf"))


def _pdfium_text(path: Path) -> str | None:
    from pipeline.extract import pdfium

    try:
        return "\n".join(pdfium.page_texts(path, password="", max_pages=50))
    except pdfium.PdfUnreadable:
        return None


def _plumber_text(path: Path) -> str | None:
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            return "\n".join((p.extract_text() or "") for p in pdf.pages[:50])
    except Exception:  # noqa: BLE001 - a broken file: no text
        return None


def _route_text(path: Path) -> str | None:
    from pipeline.extract.pdf import _page_text

    lines, _, _ = _page_text(path, None)
    return None if lines is None else "\n".join(lines)


def compare_pdf_routes(repeat: int = 3) -> dict:
    """Median seconds per PDF of: the reader's text route (pdfplumber with its faster page,
    drawn boxes and tables: what read_pdf does), pdfplumber's plain extract_text, and
    pypdfium2's text; and the characters each found (spaces aside). The 1000-page file is
    left out: the reader refuses it by its page count before reading any text."""
    routes = {
        "reader route": _route_text,
        "pdfplumber text": _plumber_text,
        "pypdfium2 text": _pdfium_text,
    }
    out = {}
    for path in _service_pdfs():
        if "1000" in path.name:
            continue
        row = {}
        for name, fn in routes.items():
            times, text = [], None
            for _ in range(repeat):
                t = time.perf_counter()
                text = fn(path)
                times.append(time.perf_counter() - t)
            row[name] = {
                "ms": round(statistics.median(times) * 1000, 1),
                "chars": None if text is None else len("".join(text.split())),
            }
        row["ratio route/pdfium"] = round(
            row["reader route"]["ms"] / max(row["pypdfium2 text"]["ms"], 0.01), 1
        )
        out[path.relative_to(ROOT / "tests" / "fixtures").as_posix()] = row
    return out


def print_pdf_routes(rows: dict) -> None:
    names = ["reader route", "pdfplumber text", "pypdfium2 text"]
    print(
        f"\n{'PDF (service fixtures)':40}"
        + "".join(f"{n + ' ms (chars)':>28}" for n in names)
        + f"{'route/pdfium':>14}"
    )
    for name, row in rows.items():
        cells = "".join(f"{row[n]['ms']:>18} ({row[n]['chars']})".rjust(28) for n in names)
        print(f"{name:40}{cells}{row['ratio route/pdfium']:>14}")
    total = {n: sum(r[n]["ms"] for r in rows.values()) for n in names}
    print(
        f"{'total':40}"
        + "".join(f"{total[n]:>28.1f}" for n in names)
        + f"{total['reader route'] / max(total['pypdfium2 text'], 0.01):>14.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--corpus", help=f"folder of documents (default: $FAMILY_TIME_CORPUS or {DEFAULT_CORPUS})"
    )
    ap.add_argument("--no-corpus", action="store_true", help="only the PDF route comparison")
    ap.add_argument("--limit", type=float, default=10.0, help="seconds per file (hard limit)")
    ap.add_argument("--slow", type=float, default=2.0, help="report files slower than this")
    ap.add_argument("--profile", default="northamptonshire")
    ap.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = ap.parse_args(argv)

    from pipeline.extract.bounded import close
    from pipeline.profile import load_profile

    report: dict = {"limit_s": args.limit, "slow_s": args.slow}
    if not args.no_corpus:
        folder = corpus_dir(args.corpus)
        if folder is None:
            print(
                "No corpus folder: build one with bench/build_corpus.py, or pass --corpus.",
                file=sys.stderr,
            )
            return 2
        files = corpus_files(folder)
        print(f"{len(files)} files in {folder}, limit {args.limit:g}s each", file=sys.stderr)
        started = time.perf_counter()
        rows = run_corpus(files, folder, args.limit, load_profile(args.profile))
        close()
        table = summarise(rows, args.slow)
        report.update(
            {
                "corpus": str(folder),
                "files": len(rows),
                "total_s": round(time.perf_counter() - started, 1),
                "by_kind": table,
                "results": rows,
            }
        )
        print_table(table, args.slow)
        slow = sorted(
            (r for r in rows if r["seconds"] > args.slow or r["timed_out"]),
            key=lambda r: -r["seconds"],
        )
        print(f"\nSlower than {args.slow:g}s or stopped at the limit ({len(slow)}):")
        for r in slow:
            print(f"  {r['seconds']:7.2f}s  {r['file']}  -> {r['status']}: {r['reason'][:90]}")
        caught = [r for r in rows if r["caught"]]
        print(f"\nFiles on which a reader caught an exception ({len(caught)}):")
        for r in caught:
            print(f"  {r['file']}  -> {r['status']}")
            for c in dict.fromkeys(r["caught"]):
                print(f"      {c[:220]}")
    report["pdf_routes"] = compare_pdf_routes()
    print_pdf_routes(report["pdf_routes"])
    args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"\nwrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
