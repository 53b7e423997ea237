"""Mutation testing of the safety-critical modules (slow: minutes to an hour on two cores).

Why: a test suite can pass while nothing in it would notice the code going wrong. mutmut makes
small deliberate bugs (a `<` for a `<=`, a header dropped) and runs the tests that guard each
module; a mutant no test notices ("survived") is a gap to close with a test of behaviour.

Set-up: `pip install -e '.[test]' mutmut` (mutmut is used only here, not by the tests).
Run:    python bench/mutation.py [--only calendar,rule,...] [--keep DIR]

It works in a scratch copy of the repository (mutmut writes a `mutants/` folder beside the
code), prints killed and survived counts per module, and the surviving mutants' names.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module -> (file to mutate, tests that guard it)
TARGETS = {
    "calendar": (
        "pipeline/validate/calendar.py",
        [
            "tests/validate/test_calendar.py",
            "tests/validate/test_calendar_edges.py",
            "tests/validate/test_service_due_dates.py",
        ],
    ),
    "rule": (
        "pipeline/sessions/rule.py",
        ["tests/sessions/test_rule.py", "tests/sessions/test_rule_decisions.py"],
    ),
    "cells": (
        "pipeline/tracker/rows.py",
        [
            "tests/tracker/test_tracker.py",
            "tests/tracker/test_cells.py",
            "tests/tracker/test_rows.py",
        ],
    ),
    "message": ("pipeline/notify/message.py", ["tests/notify"]),
    "guard": ("pipeline/notify/guard.py", ["tests/notify"]),
    "identify": (
        "pipeline/extract/identify.py",
        [
            "tests/extract/test_identify.py",
            "tests/extract/test_identify_labels.py",
            "tests/extract/test_identify_decisions.py",
        ],
    ),
}


def _copy_repo(dest: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def _setup_cfg(module: str, tests: list[str]) -> str:
    existing = [t for t in tests if (ROOT / t).exists()]
    return (
        "[mutmut]\nsource_paths=pipeline/\n"
        f"only_mutate={module}\n"
        "also_copy=\n  form_templates/\n  family-time.toml\n  bench/\n"
        "pytest_add_cli_args_test_selection=\n  " + "\n  ".join(existing) + "\n"
        "pytest_add_cli_args=\n  -x\n  -q\n  -p\n  no:cacheprovider\n"
    )


def run_one(name: str, work: Path) -> dict:
    module, tests = TARGETS[name]
    (work / "setup.cfg").write_text(_setup_cfg(module, tests), encoding="utf-8")
    shutil.rmtree(work / "mutants", ignore_errors=True)
    mutmut = [sys.executable, "-m", "mutmut"]
    subprocess.run(
        [*mutmut, "run", "--max-children", "2"], cwd=work, capture_output=True, text=True
    )
    out = subprocess.run(
        [*mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True
    ).stdout
    counts: dict[str, int] = {}
    survivors = []
    for line in out.splitlines():
        m = re.match(r"\s*(\S+): (\w[\w ]*)$", line)
        if m:
            counts[m.group(2)] = counts.get(m.group(2), 0) + 1
            if m.group(2) == "survived":
                survivors.append(m.group(1))
    return {"module": module, "counts": counts, "survivors": survivors}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="comma-separated: " + ",".join(TARGETS))
    ap.add_argument("--keep", help="work in this folder and keep it (default: a temporary one)")
    ap.add_argument("--json", help="write the results here as JSON")
    args = ap.parse_args(argv)
    names = args.only.split(",") if args.only else list(TARGETS)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ft-mutation-"))
    work.mkdir(parents=True, exist_ok=True)
    _copy_repo(work)
    results = {}
    for name in names:
        r = results[name] = run_one(name, work)
        print(
            f"{name:<9} {r['module']:<36} "
            + ", ".join(f"{k} {v}" for k, v in sorted(r["counts"].items())),
            flush=True,
        )
        for s in r["survivors"]:
            print(f"    survived: {s}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
