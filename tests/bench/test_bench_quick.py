"""The benchmark command still runs end to end (`bench/run.py --quick`) and writes every
section, so the figures in the README can always be reproduced."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_run_writes_every_section(tmp_path):
    out, md = tmp_path / "results.json", tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--quick",
            "--out",
            str(out),
            "--md",
            str(md),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["errors"] == {}
    for section in ("throughput", "latency", "hostile", "tracker", "render", "reading", "memory"):
        assert section in data["sections"], section
    for key in ("date", "machine", "table"):
        assert data[key]
    assert data["machine"]["python"]

    mixed = data["sections"]["throughput"]["mixed"]
    # nothing lost: every file was handled and left the inbox, and mail went out
    assert mixed["left_in_inbox"] == 0 and mixed["not_yet"] == 0
    assert mixed["items"] >= mixed["files"] and mixed["emails_written"] > 0
    assert {"read", "validate", "ledger", "archive", "effects: mail", "effects: tracker"} <= set(
        mixed["stages_s"]
    )
    assert mixed["files_per_s"] > 0
    for mode in ("events", "polling"):
        lat = data["sections"]["latency"][mode]
        assert lat["missed"] == 0 and lat["median_s"] > 0
    hostile = data["sections"]["hostile"]
    assert hostile["watcher_alive"] and hostile["files_handled"] > 40
    size = data["sections"]["tracker"]["sizes"][0]
    assert size["shared"]["batch_s"] > 0 and size["ratio"] > 1
    assert data["sections"]["reading"]["docx (current form)"]["status"] == "current"
    measures = [row["measure"] for row in data["table"]]
    assert any("Throughput" in m for m in measures) and any("Peak memory" in m for m in measures)
    assert md.read_text(encoding="utf-8").startswith("# Benchmark results (quick run)")
