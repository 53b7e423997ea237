"""The bundle for the court at size: `family-time bundle` over one referral with 60 session
records (target: under 10 s for the bundle itself, LibreOffice's start-up aside), for the court
and for the parties (the withheld details and the court's list). With LibreOffice installed the
PDFs are made too and their cost reported apart: one LibreOffice run per file, most of it
LibreOffice starting (measured here as the conversion of a one-page document).

    python3 bench/measure_bundle.py [--records N] [--runs N] [--no-pdf] [--out FILE]

Prints a table (measure, target, measured, verdict) and writes JSON (default
bench/bundle_results.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))

TARGET_S = 10.0
TODAY = dt.date(2028, 2, 1)


def _timed(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(max(1, runs)):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def measure(records: int = 60, runs: int = 3, pdf: bool = True) -> dict:
    os.environ["FAMILY_TIME_TODAY"] = TODAY.isoformat()
    from pipeline.bundle.make import make_bundle
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.ledger import Ledger
    from pipeline.render.pdf import libreoffice_available, to_pdf

    from tests.helpers import bundle_kit as K

    result: dict = {"records": records, "target_s": TARGET_S}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = load_config(init_folder(root / "work"))
        profile = config.load_profile()
        ledger = Ledger(config.ledger_path)
        allocation = K.build(ledger, config.outbox_dir, profile, records=records, skip=(5,))

        def one(for_parties: bool, with_pdf: bool):
            return make_bundle(
                ledger,
                profile,
                K.REF,
                allocation,
                config.outbox_dir,
                today=TODAY,
                for_parties=for_parties,
                pdf=with_pdf,
            )

        court_s, made = _timed(lambda: one(False, False), runs)
        parties_s, held = _timed(lambda: one(True, False), runs)
        result.update(
            pages=made.bundle.pages,
            missing_listed=len(made.contents.missing),
            withheld_removals=len(held.layout.withheld),
            bundle_court_s=round(court_s, 3),
            bundle_parties_s=round(parties_s, 3),
            passed=max(court_s, parties_s) < TARGET_S,
        )
        if pdf and libreoffice_available():
            from docx import Document

            small = root / "one-page.docx"
            Document().save(small)
            t = time.perf_counter()
            to_pdf(small)
            start_up = time.perf_counter() - t
            t = time.perf_counter()
            with_pdf = one(True, True)  # the bundle and the court's list: two conversions
            total = time.perf_counter() - t
            result.update(
                libreoffice_one_page_s=round(start_up, 2),
                bundle_parties_with_pdfs_s=round(total, 2),
                pdf_pages_checked=with_pdf.bundle.pdf is not None,
                pdf_problem=with_pdf.bundle.pdf_problem,
            )
        else:
            result["libreoffice"] = "not installed: PDFs not measured"
        ledger.close()
    return result


def table(r: dict) -> str:
    lines = [
        f"{'Measure':44} {'Target':>8} {'Measured':>10} Verdict",
        f"{'Bundle for the court, ' + str(r['records']) + ' records (no PDF)':44} "
        f"{r['target_s']:>7.1f}s {r['bundle_court_s']:>9.3f}s {'pass' if r['passed'] else 'FAIL'}",
        f"{'Bundle for the parties (withheld + list)':44} {r['target_s']:>7.1f}s "
        f"{r['bundle_parties_s']:>9.3f}s {'pass' if r['passed'] else 'FAIL'}",
        f"{'Pages / missing listed / removals':44} {'':>8} "
        f"{r['pages']}/{r['missing_listed']}/{r['withheld_removals']:>3}",
    ]
    if "bundle_parties_with_pdfs_s" in r:
        lines += [
            f"{'LibreOffice, one-page document (start-up)':44} {'':>8} "
            f"{r['libreoffice_one_page_s']:>9.2f}s",
            f"{'Parties bundle + list with both PDFs':44} {'':>8} "
            f"{r['bundle_parties_with_pdfs_s']:>9.2f}s "
            f"{'pages checked' if r['pdf_pages_checked'] else r['pdf_problem']}",
        ]
    else:
        lines.append(r["libreoffice"])
    return "\n".join(lines)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=60)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "bench" / "bundle_results.json"))
    a = ap.parse_args()
    res = measure(a.records, a.runs, pdf=not a.no_pdf)
    print(table(res))
    Path(a.out).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(f"written: {a.out}")
