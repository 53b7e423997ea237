"""One `watch` per working folder: an OS lock on state/watch.lock.

The OS releases the lock when the process dies, however it dies, so a killed watcher never
blocks the next one; the file's text names the holder for the person who is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline import clock
from pipeline.server.startup import StartupProblem, words

LOCK_NAME = "watch.lock"
LOCK_OFFSET = 1 << 20  # Windows locks a byte range; ours is past the text


class WatchLock:
    """One `watch` per working folder: an exclusive OS lock on state/watch.lock.

    The lock belongs to the open file, so the OS drops it when the process ends, even when it
    is killed; a lock file left behind therefore never stops the next start.
    """

    def __init__(self, state_dir: Path):
        self.path = Path(state_dir) / LOCK_NAME
        self._fh = None

    def acquire(self) -> None:
        """Take the lock or raise StartupProblem naming the other watcher's process."""
        from pipeline.files import private_dir

        private_dir(self.path.parent)
        fh = open(self.path, "a+b")  # noqa: SIM115 - held open: the lock is the open file
        try:
            _lock(fh)
        except OSError:
            try:
                fh.seek(0)
                detail = fh.read(200).decode("utf-8", "replace").strip()
            except OSError:
                detail = ""
            fh.close()
            detail = detail or "process unknown"
            raise StartupProblem(words("already_running", detail=detail)) from None
        fh.seek(0)
        fh.truncate()
        # the pipeline's day, as every stamp people see
        fh.write(f"process {os.getpid()}, started {clock.now():%d/%m/%Y %H:%M}".encode())
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            try:
                _unlock(self._fh)
            except OSError:
                pass
            self._fh.close()
            self._fh = None

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


def _lock(fh) -> None:
    if os.name == "nt":
        import msvcrt

        fh.seek(LOCK_OFFSET)  # a byte past the text, so the text stays readable
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fh) -> None:
    if os.name == "nt":
        import msvcrt

        fh.seek(LOCK_OFFSET)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
