"""One command handling the inbox per working folder: an OS lock on state/watch.lock.

`watch` holds it while it runs, and `process` for the files it is given: run side by side
they would both take the same inbox file, and the one that lost would record a duplicate of
a file it never archived. The OS releases the lock when the process dies, however it dies,
so a killed watcher never blocks the next one; the file's text names the holder (which
command, which process) for the person who is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline import clock
from pipeline.server.startup import StartupProblem, words

LOCK_NAME = "watch.lock"
LOCK_OFFSET = 1 << 20  # Windows locks a byte range; ours is past the text
# what a command is told (form_templates/intake/reasons.toml [startup]) by the lock's holder
REFUSALS = {
    "watch": {"watch": "already_running", "process": "watch_while_processing"},
    "process": {"watch": "process_while_watching", "process": "process_while_processing"},
}


class WatchLock:
    """One `watch` per working folder: an exclusive OS lock on state/watch.lock.

    The lock belongs to the open file, so the OS drops it when the process ends, even when it
    is killed; a lock file left behind therefore never stops the next start.
    """

    def __init__(self, state_dir: Path, command: str = "watch"):
        self.path = Path(state_dir) / LOCK_NAME
        self.command = command if command in REFUSALS else "watch"
        self._fh = None

    def acquire(self) -> None:
        """Take the lock or raise StartupProblem saying which command holds it (the other
        watcher, or a `process` run) and its process."""
        from pipeline.files import private_dir

        private_dir(self.path.parent)
        fh = open(self.path, "a+b")  # noqa: SIM115 - held open: the lock is the open file
        try:
            _lock(fh)
        except OSError:
            try:
                fh.seek(0)
                text = fh.read(200).decode("utf-8", "replace").strip()
            except OSError:
                text = ""
            fh.close()
            holder, _, detail = text.partition("\n") if "\n" in text else ("watch", "", text)
            key = REFUSALS[self.command].get(holder.strip(), "already_running")
            raise StartupProblem(words(key, detail=detail.strip() or "process unknown")) from None
        fh.seek(0)
        fh.truncate()
        # which command holds it, then the pipeline's day, as every stamp people see
        stamp = f"process {os.getpid()}, started {clock.now():%d/%m/%Y %H:%M}"
        fh.write(f"{self.command}\n{stamp}".encode())
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
