"""`family-time extract FILE... [--json]`: show what the reader finds in each file.

For checking a form by hand ("why was this refused?") and for scripts. Reads only: no
ledger, no mail, no files written. Unreadable files are a verdict, not an error (exit 0);
a path that does not exist is a mistake in the command (exit 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.commands import folder

HELP = "Show which form each file is (form, version, status, reason) and every answer in it."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        type=Path,
        help="files to read (.docx, .pdf, .eml, .msg), or a folder of them",
    )
    parser.add_argument(
        "--json", action="store_true", help="one JSON object per file per line, for scripts"
    )
    folder.add_arguments(parser, profile=True)  # the profile decides which versions are current


def _expand(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Files to read (a folder gives its files), and the paths that do not exist."""
    files: list[Path] = []
    missing: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(c for c in p.iterdir() if c.is_file()))
        elif p.exists():
            files.append(p)
        else:
            missing.append(p)
    return files, missing


def run(args: argparse.Namespace) -> int:
    from pipeline.extract import extract_file

    opened = folder.open_for(args, args.json, "family-time extract: ")
    if opened is None:
        return 2
    config, profile = opened
    files, missing = _expand(args.files)
    for p in missing:
        print(f"family-time extract: no such file: {p}", file=sys.stderr)
    console = None
    if not args.json:
        from rich.console import Console

        console = Console(highlight=False)
    for path in files:
        extraction = extract_file(path, profile=profile)
        if args.json:
            line = json.dumps(extraction.to_json_dict(), ensure_ascii=False)
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
        else:
            _show(console, path, extraction)
    return 2 if missing else 0


_STATUS_STYLE = {
    "current": "green",
    "old": "yellow",
    "not_referral": "magenta",
    "unreadable": "red",
}
_STATUS_WORDS = {
    "current": "current form",
    "old": "OLD form",
    "not_referral": "not a referral",
    "unreadable": "UNREADABLE",
}


def _show(console, path: Path, extraction, indent: str = "") -> None:
    """A readable summary of one file (and of each attachment of an email)."""
    from rich.markup import escape
    from rich.table import Table

    form = extraction.form
    style = _STATUS_STYLE.get(form.status, "white")
    what = _STATUS_WORDS.get(form.status, form.status)
    ident = " ".join(x for x in (form.id, form.version) if x)
    console.print(
        f"{indent}[bold]{escape(extraction.file or path.name)}[/bold]: "
        f"[{style}]{what}[/{style}]" + (f" ({escape(ident)})" if ident else "")
    )
    console.print(f"{indent}  {escape(form.reason)}")
    if extraction.is_email:
        console.print(f"{indent}  From: {escape(extraction.sender or '')}")
        console.print(f"{indent}  Subject: {escape(extraction.subject or '')}")
        console.print(f"{indent}  Date: {escape(extraction.date or '')}")
        if not extraction.attachments:
            console.print(f"{indent}  (no attachments)")
        for att in extraction.attachments:
            _show(console, path, att, indent + "    ")
        return
    if extraction.fields:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("field", style="cyan", no_wrap=True)
        table.add_column("answer", overflow="fold")
        for key, value in extraction.fields.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            if isinstance(value, list) and not value:
                shown = "(none ticked)"
            table.add_row(escape(key), escape(shown))
        console.print(table)
    elif form.status in ("current", "old"):
        console.print(f"{indent}  (no answers found)")
    console.print()
