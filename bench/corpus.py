"""Builds the benchmark's mixed batch of inbox files from the committed test fixtures.

The batch is made at run time in a temporary folder (500 files are not committed). Every copy
is made byte-unique without changing what it says (a zip comment, a header line, a trailing PDF
comment), so the ledger reads each one instead of answering "duplicate".
"""

from __future__ import annotations

import hashlib
import random
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

# Share of the batch per group (per 100 files), and the fixtures each group cycles through.
MIX: dict[str, tuple[int, list[str]]] = {
    "docx current referral": (
        44,
        [
            "forms/referral-complete.docx",
            "forms/referral-court-directed.docx",
            "forms/referral-messy.docx",
            "forms/referral-other-la-section20.docx",
            "forms/referral-out-of-county.docx",
            "forms/referral-saturday-no-reason.docx",
            "forms/referral-typed-over.docx",
            "forms/referral-unborn.docx",
        ],
    ),
    "docx incomplete": (6, ["forms/referral-incomplete.docx"]),
    "docx old form": (6, ["forms/old-2022-referral.docx", "forms/old-contact-referral.docx"]),
    "docx session record": (
        4,
        [
            "forms/record-completed.docx",
            "forms/record-did-not-attend.docx",
            "forms/record-blank.docx",
        ],
    ),
    "docx not a referral": (2, ["forms/letter-not-a-referral.docx"]),
    "pdf flat (LibreOffice export)": (
        10,
        [
            "forms/referral-complete.pdf",
            "forms/referral-typed-over.pdf",
            "forms/old-2022-referral.pdf",
            "forms/old-contact-referral.pdf",
            "forms/record-completed.pdf",
            "forms/letter-not-a-referral.pdf",
        ],
    ),
    "pdf fillable": (4, ["pdf/acroform-referral.pdf", "pdf/acroform-empty-password.pdf"]),
    "pdf bad (scan, password, damaged, cut off, 1000 pages)": (
        2,
        [
            "pdf/scanned.pdf",
            "pdf/encrypted.pdf",
            "pdf/damaged.pdf",
            "pdf/truncated.pdf",
            "pdf/long-1000-pages.pdf",
        ],
    ),
    "eml": (
        11,
        [
            f"email/{n}.eml"
            for n in (
                "referral-with-agreement",
                "two-referrals",
                "forwarded",
                "hostile-attachment-name",
                "auto-reply",
                "no-attachment",
                "no-reply-sender",
                "ten-attachments",
            )
        ],
    ),
    "msg": (
        11,
        [
            f"email/{n}.msg"
            for n in (
                "referral-with-agreement",
                "two-referrals",
                "forwarded",
                "hostile-attachment-name",
                "auto-reply",
                "no-attachment",
                "no-reply-sender",
                "ten-attachments",
            )
        ],
    ),
}

DOCX_ONLY = [f for f in MIX["docx current referral"][1]] + MIX["docx incomplete"][1]


def plan(n: int, groups: list[str] | None = None, seed: int = 9) -> list[tuple[str, Path]]:
    """(group, fixture) for n files, in the mix's proportions, shuffled reproducibly."""
    chosen = {g: MIX[g] for g in (groups or MIX)}
    total = sum(share for share, _ in chosen.values())
    picks: list[tuple[str, Path]] = []
    for group, (share, files) in chosen.items():
        count = round(n * share / total)
        picks += [(group, FIXTURES / files[i % len(files)]) for i in range(count)]
    while len(picks) < n:  # rounding: top up from the largest group
        group = max(chosen, key=lambda g: chosen[g][0])
        files = chosen[group][1]
        picks.append((group, FIXTURES / files[len(picks) % len(files)]))
    picks = picks[:n]
    random.Random(seed).shuffle(picks)
    return picks


def unique_copy(src: Path, dest: Path, tag: str) -> Path:
    """A copy of src at dest whose bytes differ (tag). A .docx is also another child (its
    CareFirst ID made unique from the tag): the same answers sent again are recorded as a copy
    with no acknowledgement, which would time less work than a real inbox of referrals does.
    Other kinds read the same as their source (so a second copy of one is recorded as a copy)."""
    data = src.read_bytes()
    suffix = src.suffix.lower()
    if suffix == ".docx" and zipfile.is_zipfile(src):
        child = f"{int(hashlib.sha1(tag.encode()).hexdigest(), 16) % 9_000_000 + 1_000_000}"
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                part = zin.read(info)
                if info.filename == "word/document.xml":
                    part = part.replace(b"1234567", child.encode())
                zout.writestr(info, part)
            zout.comment = f"bench {tag}".encode()
    elif suffix == ".eml":
        dest.write_bytes(f"X-Bench-Copy: {tag}\r\n".encode() + data)
    elif suffix == ".pdf" and data.rstrip().endswith(b"%%EOF"):
        dest.write_bytes(data + f"\n% bench {tag}\n".encode())
    elif suffix == ".msg":
        dest.write_bytes(data + f"bench {tag}".encode())  # olefile ignores trailing bytes
    else:  # damaged / truncated PDFs: kept as broken as they are
        dest.write_bytes(data + f"bench {tag}".encode())
    return dest


def build(
    folder: Path, n: int, groups: list[str] | None = None, seed: int = 9
) -> list[tuple[str, Path]]:
    """Write n files into folder; returns (group, path) in processing order."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, (group, src) in enumerate(plan(n, groups, seed)):
        out.append((group, unique_copy(src, folder / f"{i:04d}-{src.name}", f"{seed}-{i}")))
    return out
