"""Builds a corpus of real documents (made by Word, Outlook, LibreOffice, Acrobat, scanners)
for `bench/measure_corpus.py`, by copying them out of folders of documents.

The service's own fixtures are all made by our scripts; the files people really send were
made by other programs, in every version, sometimes broken. Open-source document libraries
keep hundreds of such files for their own tests, so the corpus is built from their sources.
It is not committed (too large, many licences): it is rebuilt wherever it is needed.

A SOURCE is any folder (your own documents, a checked-out repository) or a bare git
repository (read at HEAD without checking it out). For example, with the repositories of
python-docx, pypdf, pdfplumber, pdfminer.six, msg-extractor, apache/poi, mikel/mail and
SpamScope/mail-parser cloned bare under /work/.mirror/<owner>+<name>/repo:

    python bench/build_corpus.py /work/.mirror/*/repo --out /work/corpus/real

Files are chosen by extension (plus files with no extension that start like a saved email),
at most --max-per-kind of each extension from each source (an even spread of the sorted list,
so the choice is the same on every run), identical files once. Each lands in
OUT/<source>/<its path, "/" written "__">, and OUT/manifest.json lists them all with where
they came from.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

DEFAULT_OUT = Path("/work/corpus/real")
KINDS = ("docx", "docm", "dotx", "doc", "pdf", "eml", "msg", "xlsx", "odt", "rtf")
MAX_FILE_BYTES = 60 * 1024 * 1024
_MAIL_START = re.compile(
    rb"^(?:Received|Return-Path|From|MIME-Version|Delivered-To|"
    rb"Message-ID|Date|Subject|X-[A-Za-z0-9-]+)\s*:",
    re.IGNORECASE,
)


def _kind(name: str, head: bytes | None) -> str | None:
    """The corpus kind of a file by its extension; "eml" for a saved email without one."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in KINDS:
        return suffix
    if not suffix and head is not None and _MAIL_START.match(head):
        return "eml"
    return None


def _is_bare_git(folder: Path) -> bool:
    return (folder / "HEAD").is_file() and (folder / "objects").is_dir()


def _source_name(folder: Path) -> str:
    """A mirror .../owner+name/repo is called owner+name; any other folder by its name."""
    folder = folder.resolve()
    return folder.parent.name if folder.name in ("repo", ".git") else folder.name


class _Folder:
    def __init__(self, root: Path):
        self.root = root

    def files(self) -> list[tuple[str, int]]:
        return sorted(
            (p.relative_to(self.root).as_posix(), p.stat().st_size)
            for p in self.root.rglob("*")
            if p.is_file() and ".git" not in p.parts
        )

    def head(self, rel: str) -> bytes:
        with open(self.root / rel, "rb") as fh:
            return fh.read(512)

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()


class _BareGit:
    """Files at HEAD of a bare repository, read with git itself."""

    def __init__(self, root: Path):
        self.root = root

    def _git(self, *args: str) -> bytes:
        return subprocess.run(
            ["git", f"--git-dir={self.root}", *args], check=True, capture_output=True
        ).stdout

    def files(self) -> list[tuple[str, int]]:
        out = []
        for line in self._git("ls-tree", "-r", "-l", "-z", "HEAD").split(b"\0"):
            if not line:
                continue
            meta, path = line.split(b"\t", 1)
            mode, otype, _, size = meta.split()
            if otype == b"blob" and size.isdigit():  # absent objects list as BAD
                out.append((path.decode("utf-8", "replace"), int(size)))
        return sorted(out)

    def head(self, rel: str) -> bytes:
        return self.read(rel)[:512]

    def read(self, rel: str) -> bytes:
        return self._git("show", f"HEAD:{rel}")


def _spread(items: list, n: int) -> list:
    """n items evenly spread over the list (all of them when there are n or fewer)."""
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def build(sources: list[Path], out: Path, max_per_kind: int, kinds: tuple[str, ...]) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    manifest: list[dict] = []
    for folder in sources:
        src = _BareGit(folder) if _is_bare_git(folder) else _Folder(folder)
        name = _source_name(folder)
        by_kind: dict[str, list[str]] = {}
        for rel, size in src.files():
            if size == 0 or size > MAX_FILE_BYTES:
                continue
            has_suffix = bool(Path(rel).suffix)
            kind = _kind(rel, None if has_suffix else src.head(rel))
            if kind in kinds:
                by_kind.setdefault(kind, []).append(rel)
        for kind, rels in sorted(by_kind.items()):
            for rel in _spread(rels, max_per_kind):
                data = src.read(rel)
                digest = hashlib.sha256(data).hexdigest()
                if digest in seen:
                    continue
                seen.add(digest)
                dest = out / name / rel.replace("/", "__")
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
                manifest.append(
                    {
                        "file": dest.relative_to(out).as_posix(),
                        "kind": kind,
                        "source": name,
                        "origin": rel,
                        "bytes": len(data),
                        "sha256": digest,
                    }
                )
        print(
            f"{name}: "
            + ", ".join(f"{k} {min(len(v), max_per_kind)}" for k, v in sorted(by_kind.items())),
            file=sys.stderr,
        )
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "sources", nargs="+", type=Path, help="folders of documents, or bare git repositories"
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"where the corpus goes (default {DEFAULT_OUT}); emptied first",
    )
    ap.add_argument(
        "--max-per-kind",
        type=int,
        default=60,
        help="at most this many files of one extension from one source",
    )
    ap.add_argument(
        "--kinds",
        default=",".join(KINDS),
        help="extensions to take, comma-separated (default: %(default)s)",
    )
    args = ap.parse_args(argv)
    if args.out.exists():
        shutil.rmtree(args.out)
    kinds = tuple(k.strip().lower().lstrip(".") for k in args.kinds.split(",") if k.strip())
    manifest = build(args.sources, args.out, args.max_per_kind, kinds)
    total = sum(m["bytes"] for m in manifest)
    print(f"{len(manifest)} files, {total / 1e6:.1f} MB in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
