"""Reading time per form type (pipeline.extract.extract_file on one committed fixture each),
and the paperwork pack render time when pipeline.render has landed."""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.corpus import FIXTURES, ROOT

TYPES = {
    "docx (current form)": "forms/referral-complete.docx",
    "docx (legacy form fields, old form)": "forms/old-contact-referral.docx",
    "PDF fillable (AcroForm)": "pdf/acroform-referral.pdf",
    "PDF flat, current form (LibreOffice export)": "forms/referral-complete.pdf",
    "PDF flat, old form (LibreOffice export)": "forms/old-contact-referral.pdf",
    "eml (form + agreement PDF)": "email/referral-with-agreement.eml",
    "msg (form + agreement PDF)": "email/referral-with-agreement.msg",
    "eml with ten attachments": "email/ten-attachments.eml",
}


def _timed_read(path, profile) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, extraction) of one read. CPU time is shown too because
    other work on a shared 2-core machine stretches wall time but not a reader's own work."""
    from pipeline.extract import extract_file
    w, c = time.perf_counter(), time.process_time()
    result = extract_file(path, profile)
    return time.perf_counter() - w, time.process_time() - c, result


def reading(repeat: int = 5) -> dict:
    """Milliseconds per type: the first read in the process (cold) and the median after. For
    PDFs, the same read with the reader's faster route switched off (pdfplumber's own route),
    interleaved with it, is the baseline."""
    import pipeline.extract.pdf as pdf_reader
    from pipeline.profile import load_profile

    profile = load_profile("northamptonshire")
    fast = pdf_reader._fast_page_class
    out = {}
    for label, rel in TYPES.items():
        path = FIXTURES / rel
        cold, _, first = _timed_read(path, profile)
        wall, cpu, base_wall, base_cpu = [], [], [], []
        for _ in range(repeat):
            w, c, _ = _timed_read(path, profile)
            wall.append(w)
            cpu.append(c)
            if path.suffix == ".pdf":
                pdf_reader._fast_page_class = lambda: None
                try:
                    w, c, _ = _timed_read(path, profile)
                finally:
                    pdf_reader._fast_page_class = fast
                base_wall.append(w)
                base_cpu.append(c)
        ms = lambda xs: round(statistics.median(xs) * 1000, 1)  # noqa: E731
        out[label] = {"file": rel, "status": first.form.status,
                      "fields": len(first.fields) + sum(len(a.fields) for a in first.attachments),
                      "first_ms": round(cold * 1000, 1), "median_ms": ms(wall),
                      "median_cpu_ms": ms(cpu)}
        if base_wall:
            out[label].update({"pdfplumber_route_median_ms": ms(base_wall),
                               "pdfplumber_route_median_cpu_ms": ms(base_cpu)})
    return out


def _render_commits() -> list[str]:
    try:
        log = subprocess.run(["git", "log", "--oneline", "--", "pipeline/render"], cwd=ROOT,
                             capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [ln for ln in log.splitlines() if ln.strip()]


def render(repeat: int = 5) -> dict:
    """render_pack for one accepted referral with a complete allocation (fictional people)."""
    commits = _render_commits()
    try:
        import pipeline.render as render_module
        render_pack = render_module.render_pack
    except (ImportError, AttributeError):
        return {"available": False, "why": "pipeline.render.render_pack is not there yet",
                "render_commits": len(commits)}
    from pipeline.models import Allocation
    from pipeline.profile import load_profile

    from tests.helpers.tracker_kit import accepted
    profile = load_profile("northamptonshire")
    item = accepted(1, received=dt.datetime(2026, 11, 2, 9, 30))
    venue = profile.venues[0].name if getattr(profile, "venues", None) else "Test Venue"
    allocation = Allocation(reference=item.reference, status="Allocated",
                            supervisor="Sam Example-Supervisor", venue=venue, room="Room 1",
                            day="Tuesday", time="10:00-11:30", first_date=dt.date(2026, 11, 10))
    times, files = [], []
    try:
        with tempfile.TemporaryDirectory(prefix="ft-bench-render-") as tmp:
            for i in range(repeat + 1):
                out_dir = Path(tmp) / f"pack-{i}"
                t = time.perf_counter()
                files = render_pack(item, allocation, profile, out_dir)
                times.append(time.perf_counter() - t)
    except Exception as exc:  # noqa: BLE001 - a module still being written: say so, carry on
        return {"available": False, "why": f"render_pack failed: {type(exc).__name__}: {exc}"[:300],
                "render_commits": len(commits)}
    return {"available": True, "documents": len(files or []),
            "first_ms": round(times[0] * 1000, 1),
            "median_ms": round(statistics.median(times[1:]) * 1000, 1),
            "render_commits": len(commits), "latest_render_commit": commits[0] if commits else None}
