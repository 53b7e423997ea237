"""The long-lived inbox watcher: events or polling, a backlog scan, a periodic full rescan.

Events (watchdog) only say "look at this path"; whether and when a file is handled is
decided by the settle check and the in-flight claims in inbox.py. Polling is the default on
network shares, where events from other machines never arrive (paperless-ngx asked for this
fall-back in paperless-ng #351 and never got it). The full rescan every rescan_seconds
catches anything the watcher never reported. Files are handled one at a time in this
thread; side effects run in their own thread so a slow workbook never holds up intake.

Retries back off (2 s, 4 s ... 2 min), a move still owed too; a file that fails the same way
give_up_after times is set aside as unreadable (pipeline/intake/giveup.py). The inbox is never
created here: at start a long-running watcher waits for it (a share not mounted yet).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.effects.contract import EffectMemory
from pipeline.files import file_stamp, use_scratch
from pipeline.intake.inbox import (
    Claims,
    SettleTracker,
    choose_mode,
    environment_fault,
    failure_kind,
    in_ignored_subfolder,
    inbox_files,
    is_ignored,
    scan_config,
)
from pipeline.ledger import Ledger
from pipeline.server.logs import log_fault

log = logging.getLogger("pipeline.watcher")

TICK = 0.1  # seconds between settle checks
EFFECTS_EVERY = 30.0  # run owed effects at least this often while idle
RETRY_NOT_YET = 2.0  # a locked file is looked at again after this, then backing off
RETRY_MAX = 120.0
STOP_GRACE = 0.8  # seconds the threads get to finish after a stop


WORKBOOK_LOOK_EVERY = 0.5  # seconds between looks at the tracking workbook's stamp


class WorkbookWatch:
    """The tracking workbook, watched like the inbox: a save is noticed within a second, and
    once the file has settled (unchanged for settle_seconds, and it opens) the effects run, so
    an allocation typed and saved becomes a pack within seconds rather than at the next retry.
    Only stamps are read here; what changed is the paperwork effect's business."""

    def __init__(self, folder: Path, settle_seconds: float, clock=time.monotonic):
        self.folder = folder
        self.settling = SettleTracker(settle_seconds, clock)
        self.clock = clock
        self._stamps: dict[Path, tuple] = {}
        self._changed: set[Path] = set()
        self._last_look = 0.0

    def _workbooks(self) -> list[Path]:
        try:
            return [p for p in self.folder.glob("*.xlsx") if not is_ignored(p)]
        except OSError:
            return []

    def saved(self) -> bool:
        """True once a workbook saved since the last look has settled."""
        now = self.clock()
        if now - self._last_look < WORKBOOK_LOOK_EVERY and not self._changed:
            return False
        self._last_look = now
        for path in self._workbooks():
            stamp = file_stamp(path)  # the one way a save is noticed
            if stamp is None:
                continue
            if self._stamps.get(path) not in (None, stamp):
                self._changed.add(path)
            self._stamps[path] = stamp
        ready = False
        for path in list(self._changed):
            state = self.settling.check(path)
            if state in ("ready", "gone"):
                self._changed.discard(path)
                self.settling.forget(path)
                ready = ready or state == "ready"
        return ready


ONCE_GROWING_GRACE = 10.0  # --once: how long past the settle window a growing file is
# waited for before it is left for the next run


def _arrival(path: Path) -> tuple[float, str]:
    """First come, first served: when the file arrived (a copy keeps its old modified time,
    so the later of modified and changed/created), then its name."""
    try:
        st = path.stat()
        return (max(st.st_mtime, st.st_ctime), path.name)
    except OSError:
        return (0.0, path.name)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError):
        return False


class InboxWatcher:
    """Watch config.inbox_dir and handle every file exactly once."""

    def __init__(
        self,
        config,
        profile,
        ledger: Ledger | None = None,
        *,
        mode: str | None = None,
        process: Callable | None = None,
        effects: Callable | None = None,
        run_effects_in_thread: bool = True,
    ):
        self.config = config
        self.profile = profile
        self.inbox = config.inbox_dir
        self.ledger = ledger or Ledger(config.ledger_path)
        self.settings = config.watch
        self.mode = choose_mode(mode or self.settings.mode, self.inbox)
        self.settling = SettleTracker(self.settings.settle_seconds)
        self._scan = scan_config(config)
        self.claims = Claims()
        self._candidates: dict[Path, float] = {}  # path -> not before (monotonic)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._process = process
        self._effects = effects
        self.effect_memory = EffectMemory()  # what effects remember between passes
        self._effects_thread_wanted = run_effects_in_thread
        self._effects_due = threading.Event()
        self._tries: dict[Path, int] = {}
        self._failures: dict[Path, tuple[str, int]] = {}  # path -> (same failure, how often)
        self._moves_owed: dict[Path, int] = {}
        use_scratch(config.scratch_dir)  # every temporary file in state/scratch
        self.handled: list = []  # items handled, for tests and demo
        self.left_for_next_run: list[Path] = []  # --once: files still being written
        self.observer = None
        self.errors = 0
        self.workbooks = WorkbookWatch(config.tracker_dir, self.settings.settle_seconds)

    # ---------------------------------------------------------------- candidates

    def notice(self, path: Path | str) -> None:
        """Something may have happened to `path`: look at it soon."""
        p = Path(path)
        try:  # under the inbox, at any depth
            rel = p.resolve().relative_to(self.inbox.resolve())
        except (ValueError, OSError):
            return
        p = self.inbox / rel
        if is_ignored(p) or in_ignored_subfolder(p, self.inbox, self._scan["ignore"]):
            return
        if any(_inside(p, own) for own in self._scan["exclude"]):
            return
        with self._lock:
            self._candidates.setdefault(p, 0.0)
        self._wake.set()

    def scan(self) -> int:
        """A full look at the inbox (backlog at start, polling, and the safety-net rescan)."""
        found = inbox_files(self.inbox, **self._scan)
        for p in found:
            self.notice(p)
        return len(found)

    def pending(self) -> int:
        with self._lock:
            return len(self._candidates)

    # ---------------------------------------------------------------- observer

    def _start_observer(self) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                if event.is_directory:
                    return
                for attr in ("dest_path", "src_path"):
                    value = getattr(event, attr, None)
                    if value and event.event_type != "deleted":
                        watcher.notice(value)

        if self.mode == "polling":
            self.observer = PollingObserver(timeout=self.settings.poll_seconds)
        else:
            self.observer = Observer()
        self.observer.schedule(Handler(), str(self.inbox), recursive=True)
        self.observer.daemon = True
        self.observer.start()

    # ---------------------------------------------------------------- effects

    def _run_effects(self) -> None:
        if self._effects is not None:
            self._effects()
            return
        from pipeline.effects import run_effects

        ledger = Ledger(self.ledger.path)  # its own connection, its own thread
        try:
            run_effects(ledger, self.config, self.profile, memory=self.effect_memory)
        finally:
            ledger.close()

    def _effects_loop(self) -> None:
        while not self._stop.is_set():
            self._effects_due.wait(EFFECTS_EVERY)
            self._effects_due.clear()
            if self._stop.is_set():
                break
            self._run_effects_safely()

    # ---------------------------------------------------------------- processing

    def _handle(self, path: Path) -> str:
        """Process one settled file; 'done', 'retry' or 'gone'."""
        from pipeline.intake.process import NotYet, process_file

        if not self.claims.claim(path):
            return "retry"
        try:
            fn = self._process or process_file
            items = fn(path, self.config, self.profile, self.ledger)
            self.handled.extend(items)
            for it in items:
                log.info("item %s: %s %s", it.id, it.outcome, it.reference or "")
            return "done"
        except NotYet as exc:
            fault = environment_fault(exc)
            if fault:  # the disk, not the file: said in plain words, as `status` says it
                log.error("%s", fault)
            else:
                log.info("a file is not ready yet (%s); will try again", type(exc).__name__)
            self._count_failure(path, failure_kind(exc))
            return "retry"
        except Exception:
            # process_file records bad files itself; this is a bug or a full disk. The file
            # stays in the inbox and is tried again later: never lost, never fatal.
            self.errors += 1
            log_fault(log, "could not handle a file; it stays in the inbox for the next try")
            return "retry_later"
        finally:
            self.claims.release(path)
            self.settling.forget(path)

    def step(self) -> int:
        """Check every candidate once; handle those that have settled. Returns files handled."""
        now = time.monotonic()
        with self._lock:
            due = [p for p, t in self._candidates.items() if t <= now]
        handled = 0
        for path in sorted(due, key=_arrival):
            if self._stop.is_set():
                break
            try:
                state = self.settling.check(path)
            except OSError as exc:  # e.g. the share dropped: look again later
                log.warning("a file could not be checked (%s); will look again", type(exc).__name__)
                self._later(path, RETRY_NOT_YET)
                continue
            if state == "gone":
                self._drop(path)
                continue
            if state == "wait":
                continue
            result = self._handle(path)
            if result == "done":
                handled += 1
                if not path.exists():
                    self._drop(path)
                else:  # recorded but the move is still owed: back off
                    owed = self._moves_owed[path] = self._moves_owed.get(path, 0) + 1
                    log.info("move still owed (try %d); looking again later", owed)
                    self._later(path, min(RETRY_MAX, RETRY_NOT_YET * 2 ** (owed - 1)))
            elif self._give_up_due(path):
                handled += self._set_aside(path)
            else:  # locked, or a fault: back off 2 s, 4 s ... 2 min
                tries = self._tries[path] = self._tries.get(path, 0) + 1
                self._later(path, min(RETRY_MAX, RETRY_NOT_YET * 2 ** (tries - 1)))
        return handled

    def _count_failure(self, path: Path, kind: str | None) -> None:
        """Count the same failure repeated; a different one (or none) starts again."""
        if kind is None:
            self._failures.pop(path, None)
            return
        last, n = self._failures.get(path, (kind, 0))
        self._failures[path] = (kind, n + 1 if last == kind else 1)

    def _give_up_due(self, path: Path) -> bool:
        return self._failures.get(path, ("", 0))[1] >= self.settings.give_up_after

    def _set_aside(self, path: Path) -> int:
        """Record a file that keeps failing the same way as unreadable (giveup.py)."""
        from pipeline.intake.giveup import set_aside

        kind, tries = self._failures.pop(path)
        try:
            items = set_aside(path, self.config, self.profile, self.ledger, kind, tries)
        except Exception:
            log_fault(log, "a file could not be set aside; will try again")
            self._later(path, RETRY_MAX)
            return 0
        self.handled.extend(items)
        if path.exists():
            self._later(path, RETRY_MAX)
        else:
            self._drop(path)
        return 1

    def _drop(self, path: Path) -> None:
        with self._lock:
            self._candidates.pop(path, None)
        self._tries.pop(path, None)
        self._failures.pop(path, None)
        self._moves_owed.pop(path, None)
        self.settling.forget(path)

    def _later(self, path: Path, seconds: float) -> None:
        with self._lock:
            if path in self._candidates:
                self._candidates[path] = time.monotonic() + seconds

    def start_up(self, wait: bool = False) -> bool:
        """Finish what a crash left owed, then queue the backlog. With `wait`, first wait for
        an unreachable inbox (False when stopped while waiting); the inbox is never created."""
        from pipeline.intake.process import recover
        from pipeline.server.startup import wait_for_inbox

        if wait and not wait_for_inbox(self.inbox, self._stop):
            return False
        finished = recover(self.ledger, self.config)
        if finished:
            log.info("finished %s archive move(s) left owed by an earlier run", finished)
        self.scan()
        return True

    def run_once(self, timeout: float | None = None, grace: float | None = None) -> int:
        """Process the backlog and return (watch --once): wait for files to settle, then stop.

        A file still changing after the settle window plus `grace` seconds (one being copied
        or written without end) is left for the next run, and said so; it never holds up the
        other files or their effects, which run before this returns.
        """
        self.start_up()
        limit = None if timeout is None else time.monotonic() + timeout
        grace = ONCE_GROWING_GRACE if grace is None else grace
        give_up_after = self.settings.settle_seconds + grace
        first_seen: dict[Path, float] = {}
        total = 0
        self.left_for_next_run = []
        while self.pending():
            total += self.step()
            now = time.monotonic()
            if limit is not None and now > limit:
                break
            with self._lock:
                left = dict(self._candidates)
            for p in left:
                first_seen.setdefault(p, now)
            growing = [
                p for p, t in left.items() if t <= now + 0.5 and now - first_seen[p] > give_up_after
            ]
            retrying = [p for p, t in left.items() if t > now + 0.5]
            if left and len(growing) + len(retrying) == len(left):
                self.left_for_next_run = sorted(growing)
                break  # still being written, or locked: leave them for the next run
            time.sleep(TICK)
        for _ in self.left_for_next_run:
            log.warning(
                "a file is still being written after %.0f s; it is left in the inbox "
                "for the next run",
                give_up_after,
            )
        self._run_effects_safely()
        return total

    def _run_effects_safely(self) -> None:
        try:
            self._run_effects()
        except Exception:
            log_fault(log, "effects run failed; will try again")

    def run(self, stop: threading.Event | None = None) -> None:
        """Run until `stop` is set (or stop() is called)."""
        if stop is not None:
            self._stop = stop
        if not self.start_up(wait=True):
            return
        self._start_observer()
        effects_thread = None
        if self._effects_thread_wanted:
            effects_thread = threading.Thread(
                target=self._effects_loop, name="effects", daemon=True
            )
            effects_thread.start()
            self._effects_due.set()
        log.info("watching the inbox (%s mode)", self.mode)
        last_rescan = last_poll = time.monotonic()
        try:
            while not self._stop.is_set():
                try:
                    handled = self.step()
                    if self.workbooks.saved():  # an allocation typed and saved
                        handled = handled or 1
                    if handled:
                        if effects_thread:
                            self._effects_due.set()
                        else:
                            self._run_effects_safely()
                    now = time.monotonic()
                    if now - last_rescan >= self.settings.rescan_seconds:
                        last_rescan = now
                        self.scan()
                    if self.mode == "polling" and now - last_poll >= self.settings.poll_seconds:
                        last_poll = now
                        self.scan()
                except Exception:  # the watcher never dies on one file or one scan
                    self.errors += 1
                    log_fault(log, "watch loop problem; carrying on")
                    time.sleep(1.0)
                self._wake.wait(TICK)
                self._wake.clear()
                if self.pending() == 0:
                    self._wake.wait(TICK * 4)
        finally:
            self._stop.set()
            self._effects_due.set()
            if self.observer is not None:  # stop within a second (NSSM kills at 1.5 s):
                self.observer.stop()  # the ledger makes work in hand safe to leave
                self.observer.join(timeout=STOP_GRACE / 2)
            if effects_thread:
                effects_thread.join(timeout=STOP_GRACE / 2)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
