"""What every part of the ledger shares: how paths, names and times become ledger text, the
back-off of a failed try, and the clock readings that are not yet the one clock."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

from pipeline import backoff, clock

_FS_BYTES = "fs-bytes:"
RETRY_BASE = 30.0  # seconds before the first retry of an owed effect or report email
RETRY_CAP = 3600.0  # never longer than an hour between tries


def _path_text(path: Path | str) -> str:
    """A path as ledger text. A file name that is not valid UTF-8 (Linux allows any bytes) is
    kept losslessly as its bytes in hex, so the original can still be found and moved."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _FS_BYTES + os.fsencode(text).hex()


def _text_path(text: str) -> str:
    if text and text.startswith(_FS_BYTES):
        return os.fsdecode(bytes.fromhex(text[len(_FS_BYTES) :]))
    return text


def shown(text: str) -> str:
    """Text safe to store and show: bytes of a file name that are not UTF-8 become U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def normalise_case_id(value: Any) -> str | None:
    """Case IDs compared without spaces or case ("ab 123" is "AB123")."""
    if value is None:
        return None
    text = "".join(str(value).split()).upper()
    return text or None


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def _retry_in(attempts: int) -> float:
    """Seconds until a failed effect or report email is tried again (pipeline/backoff.py)."""
    return backoff.delay(attempts, RETRY_BASE, RETRY_CAP)


def _stamp_now() -> dt.datetime:
    """When a row was written (a file's recorded_at, an effect's done_at), on the pipeline's
    one clock: a demonstration's moved day stamps its rows with that day, as every view says."""
    return clock.now()


# The machine's own clock, kept for retries only: how long to wait is real time passing.


def _retry_now() -> float:
    """Seconds since the epoch that next_attempt_at is counted from (the effect passes give
    their `now` in the same unit)."""
    return time.time()
