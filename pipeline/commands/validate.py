"""`family-time validate FILE...`: read each form and say whether it is complete, and why not.

For a co-ordinator checking a form by hand, and for scripts (--json: one object per line).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from pipeline import clock
from pipeline.commands import folder

HELP = "Check filled forms: complete, incomplete (and what to put right), old or unreadable."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        type=Path,
        help="referral or session record files (.docx, .pdf, .eml, .msg)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file per line")
    folder.add_arguments(parser, profile=True)
    parser.add_argument(
        "--received",
        metavar="DATETIME",
        help="when the form arrived, e.g. 2025-03-10T14:30 (default: the file's modification time)",
    )


def parse_received(text: str) -> dt.datetime:
    """An ISO date-time, or a UK date (with an optional time) such as 10/03/2025 14:30."""
    from pipeline.validate.values import parse_date, parse_time

    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    date_part, _, time_part = text.strip().partition(" ")
    d, err = parse_date(date_part)
    t, terr = parse_time(time_part) if time_part else (dt.time(9, 0), None)
    if err or terr:
        raise ValueError(
            f"--received: '{text}' could not be read as a date and time; "
            "please write it as 2025-03-10T14:30."
        )
    return dt.datetime.combine(d, t)


def _problem_dicts(problems) -> list[dict]:
    return [{"key": p.key, "label": p.label, "message": p.message} for p in problems]


def result_dict(path: Path, extraction, verdict) -> dict:
    """The --json object for one form."""
    from pipeline.validate.models import typed_json

    out = {
        "file": extraction.file if extraction.file else path.name,
        "form": {
            "id": verdict.form_id,
            "version": verdict.form_version,
            "status": extraction.form.status,
            "kind": verdict.kind,
        },
        "verdict": verdict.verdict,
        "reason": verdict.reason,
    }
    if verdict.kind in ("referral", "session_record") and verdict.verdict in (
        "complete",
        "incomplete",
    ):
        out["record" if verdict.kind == "session_record" else "referral"] = typed_json(
            verdict.kind, verdict.values
        )
    out.update(
        {
            "problems": _problem_dicts(verdict.problems),
            "warnings": _problem_dicts(verdict.warnings),
            "flags": verdict.flags,
            "received": verdict.received.isoformat() if verdict.received else None,
            "counted_from": verdict.counted_from.isoformat() if verdict.counted_from else None,
            "due": {k: d.isoformat() for k, d in verdict.due.items()},
        }
    )
    return out


def _print_readable(path: Path, name: str, verdict, profile) -> None:
    from pipeline.commitments import label
    from pipeline.dates import long_date as uk
    from pipeline.dates import numeric_datetime

    print(f"{name}: {verdict.verdict.upper()} - {verdict.reason}")
    for p in verdict.problems:
        if p.message != verdict.reason:
            print(f"  ✗ {p.message}")
    for w in verdict.warnings:
        print(f"  ! {w.message}")
    if verdict.flags:
        print(f"  flags: {', '.join(verdict.flags)}")
    if verdict.due:
        print(
            f"  received {numeric_datetime(verdict.received)}, "
            f"counted from {uk(verdict.counted_from)}"
        )
        for what, day in verdict.due.items():
            print(f"  {label(what, profile)}: by {uk(day)}")


def run(args: argparse.Namespace) -> int:
    """Exit code 0 when every form is complete, 1 when any is not, 2 for bad arguments."""
    from pipeline import extract
    from pipeline.validate import validate_email, validate_extraction

    opened = folder.open_for(args, args.json, "")
    if opened is None:
        return 2
    config, profile = opened
    try:
        fixed_received = parse_received(args.received) if args.received else None
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    all_complete = True
    for path in args.files:
        if not path.is_file():
            print(f"{path}: no such file.", file=sys.stderr)
            all_complete = False
            continue
        # the file's time, never after the pipeline's now: the rule intake uses for received
        received = fixed_received or min(
            clock.now(), dt.datetime.fromtimestamp(path.stat().st_mtime)
        ).replace(microsecond=0)
        extraction = extract.extract_file(path, profile)
        if extraction.is_email and extraction.attachments:
            pairs = validate_email(extraction, profile, received)
            names = [f"{path.name} > {a.file}" for a, _ in pairs]
        else:
            pairs = [(extraction, validate_extraction(extraction, profile, received))]
            names = [path.name]
        for name, (part, verdict) in zip(names, pairs):
            all_complete &= verdict.verdict == "complete"
            if args.json:
                data = result_dict(path, part, verdict)
                data["file"] = name
                print(json.dumps(data, ensure_ascii=False))
            else:
                _print_readable(path, name, verdict, profile)
    return 0 if all_complete else 1
