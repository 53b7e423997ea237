"""Page codes read back from scans: the pipeline's own agreement and pre-filled session
records rendered to PDF (LibreOffice), every page scanned at 150, 200 and 300 dpi, turned
-4 to +4 degrees, with speckle noise and a fold's shadow (tests/scans/make_scans.py), joined
as image-only PDFs; plus a phone photo per page. Target: a code found on 100% of pages at
150 dpi and above, and the documents split where the codes change.

    python3 bench/measure_scans.py [--out FILE]

Prints a table and writes JSON (default bench/scans_results.json).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))

ANGLES = (-4.0, -2.5, -1.0, 0.5, 2.0, 3.5)


def measure() -> dict:
    os.environ.setdefault("FAMILY_TIME_TODAY", "2026-11-20")
    from pipeline.profile import load_profile
    from pipeline.render import render_pack
    from pipeline.render.pdf import libreoffice_available, to_pdfs
    from pipeline.scans.read import codes_on, read_scan

    from tests.helpers.render_kit import make_allocation, make_item
    from tests.scans.make_scans import image_pdf, pages_of, photo, scanned

    if not libreoffice_available():
        return {"libreoffice": "not installed: the pack cannot be printed to PDF here"}
    out: dict = {"by_dpi": {}}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        profile = load_profile("northamptonshire")
        docs = render_pack(make_item(), make_allocation(profile), profile, root / "pack")
        coded = [d for d in docs if "greement" in d.name or d.name.startswith("Session record")]
        pdfs = to_pdfs(coded)
        for dpi in (150, 200, 300):
            pages = []
            for i, pdf in enumerate(pdfs):
                for n, page in enumerate(pages_of(pdf, dpi)):
                    angle = ANGLES[(i * 3 + n) % len(ANGLES)]
                    pages.append(scanned(page, angle, seed=dpi + i * 10 + n, dpi=dpi))
            t = time.perf_counter()
            reading = read_scan(image_pdf(pages, root / f"batch-{dpi}.pdf", dpi))
            seconds = time.perf_counter() - t
            uncoded = sum(len(d.uncoded) for d in reading.documents)
            out["by_dpi"][dpi] = {
                "pages": reading.pages,
                "codes_found": reading.pages - uncoded,
                "found_pct": round(100 * (reading.pages - uncoded) / reading.pages, 1),
                "documents_split": len(reading.documents),
                "documents_printed": len(pdfs),
                "read_s_per_page": round(seconds / reading.pages, 3),
            }
        first = pages_of(pdfs[0], 300)[0]
        found = 0
        for k, angle in enumerate(ANGLES):
            shot = photo(first.rotate(angle, expand=True, fillcolor=255), root / f"p{k}.jpg", k)
            from PIL import Image

            with Image.open(shot) as im:
                found += bool(codes_on(im.convert("L")))
        out["photos"] = {"taken": len(ANGLES), "codes_found": found}
    out["passed"] = (
        all(
            r["found_pct"] == 100.0 and r["documents_split"] == r["documents_printed"]
            for r in out["by_dpi"].values()
        )
        and out["photos"]["codes_found"] == out["photos"]["taken"]
    )
    return out


def table(r: dict) -> str:
    if "by_dpi" not in r:
        return r["libreoffice"]
    lines = [f"{'Scan':22} {'Pages':>6} {'Codes found':>12} {'Split':>8} {'s/page':>8}"]
    for dpi, x in r["by_dpi"].items():
        lines.append(
            f"{str(dpi) + ' dpi, turned, noisy':22} {x['pages']:>6} "
            f"{str(x['codes_found']) + ' (' + str(x['found_pct']) + '%)':>12} "
            f"{str(x['documents_split']) + '/' + str(x['documents_printed']):>8} "
            f"{x['read_s_per_page']:>8}"
        )
    p = r["photos"]
    lines.append(f"{'Phone photos (JPEG)':22} {p['taken']:>6} {p['codes_found']:>12}")
    lines.append(f"Target: 100% at 150 dpi and above: {'pass' if r['passed'] else 'FAIL'}")
    return "\n".join(lines)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "bench" / "scans_results.json"))
    a = ap.parse_args()
    res = measure()
    print(table(res))
    Path(a.out).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(f"written: {a.out}")
