"""Reads one file in a separate worker process, with a time limit.

The readers never raise for a bad file, but a real file can still make one run for minutes
(a PDF with thousands of drawn lines on a page, a spreadsheet with a million cells): the inbox
would stop behind it. A thread cannot be stopped, a process can, so the reading happens in a
worker process; a read that runs past the limit kills the worker and the file is set aside
with a reason a person can act on. The worker is started once and reused, so an ordinary read
pays only for passing the file's name and the answer between processes (about a millisecond),
not for starting Python again. Only "spawn" is used, as on Windows: nothing relies on fork,
and a script that reads through this module needs the usual `if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import multiprocessing
import os
import threading
from pathlib import Path

from pipeline.extract import reasons
from pipeline.extract.models import Extraction
from pipeline.extract.results import unreadable

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 10.0  # seconds; real forms read in well under a second
START_LIMIT = 120.0  # seconds for a new worker to import the readers (slow PCs)
READER = "pipeline.extract:extract_file"

# The shared wording (form_templates/reader/reasons.toml, [limit]).
TOO_SLOW_REASON = reasons.say("limit.too_slow", limit="{limit}")
STOPPED_REASON = reasons.say("limit.stopped")
FAILED_REASON = reasons.say("limit.failed")


def _resolve(reader: str):
    module, _, func = reader.partition(":")
    return getattr(importlib.import_module(module), func)


def _serve(conn) -> None:
    """The worker: import the readers once, then read each file it is sent until told to stop.
    A job is (reader, path, profile); the answer is ("ok", Extraction) or ("error", text)."""
    try:  # warm up, so the first file's limit is not spent importing
        import pipeline.extract.docx  # noqa: F401
        import pipeline.extract.email  # noqa: F401
        import pipeline.extract.pdf  # noqa: F401
        from pipeline.catalogue import catalogue

        catalogue()
        import pdfplumber  # noqa: F401
    except Exception:  # noqa: BLE001 - a reader that cannot import will say so when used
        pass
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        reader, path, profile = job
        try:
            conn.send(("ok", _resolve(reader)(Path(path), profile)))
        except Exception as exc:  # noqa: BLE001 - reported to the caller (the type only:
            conn.send(("error", type(exc).__name__))  # a message may hold the file's name)


class _Worker:
    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_serve, args=(child,), daemon=True, name="family-time-reader"
        )
        self.process.start()
        child.close()
        self.owner = os.getpid()
        try:
            ready = self.conn.poll(START_LIMIT) and self.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise OSError("the reader worker did not start")

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.process.is_alive()

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(5)
        except Exception:  # noqa: BLE001 - already gone
            pass
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.process.join(2)
        except Exception:  # noqa: BLE001
            pass
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


_lock = threading.Lock()
_worker: _Worker | None = None


def close() -> None:
    """Stop the worker (it starts again on the next read). Called at exit."""
    global _worker
    with _lock:
        if _worker is not None and _worker.owner == os.getpid():
            _worker.stop()
        _worker = None


atexit.register(close)


def extract_bounded(
    path: Path, profile=None, limit: float = DEFAULT_LIMIT, reader: str = READER
) -> Extraction:
    """What `extract_file(path, profile)` says, read in the worker process; an `unreadable`
    Extraction with a plain reason if the read takes longer than `limit` seconds (the worker
    is killed) or the worker dies. `reader` ("module:function") is the function the worker
    calls; it must be importable in a new process. One read at a time per process (a lock);
    if no worker can be started at all the file is read here, unbounded, and that is logged."""
    global _worker
    path = Path(path)
    with _lock:
        try:
            if _worker is None or not _worker.alive():
                _worker = _Worker()
        except OSError:
            log.error(
                "bounded reading: no worker process could be started; reading without a time limit",
                exc_info=True,
            )
            _worker = None
            return _resolve(reader)(path, profile)
        worker = _worker
        try:
            worker.conn.send((reader, str(path), profile))
            finished = worker.conn.poll(limit)
            answer = worker.conn.recv() if finished else None
        except (EOFError, OSError):
            finished, answer = True, None
        if answer is None:
            worker.kill()
            _worker = None
    suffix = path.suffix.lower() or "none"
    if not finished:
        log.warning(
            "bounded reading: a file (type %s) took over %gs; worker stopped", suffix, limit
        )
        return unreadable(
            path, TOO_SLOW_REASON.format(limit="1 second" if limit == 1 else f"{limit:g} seconds")
        )
    if answer is None:
        log.error("bounded reading: the worker died reading a file (type %s)", suffix)
        return unreadable(path, STOPPED_REASON)
    status, payload = answer
    good = isinstance(payload, Extraction) or (
        isinstance(payload, list) and payload and all(isinstance(e, Extraction) for e in payload)
    )
    if status != "ok" or not good:
        log.error("bounded reading: the reader failed on a file (type %s): %s", suffix, payload)
        return unreadable(path, FAILED_REASON)
    return payload


def extract_all_bounded(path: Path, profile=None, limit: float = DEFAULT_LIMIT) -> list[Extraction]:
    """Every form in the file (`extract_all`), read under the same limit; a file that runs past
    it, or kills the reader, is one `unreadable` Extraction."""
    result = extract_bounded(path, profile, limit, reader="pipeline.extract:extract_all")
    return result if isinstance(result, list) else [result]
