"""What `watch` checks before it touches anything.

- the ledger (state/) must be on a local disk: SQLite's WAL mode is unsafe on a network share
  (`init` refuses to create such a folder, `watch` refuses to start; state_on_network is
  what doctor calls too);
- the outbox and tracker folders must exist (only `init` creates folders: a missing one is a
  wrong path, not something to paper over);
- the inbox may be a share that is not mounted yet at boot: a long-running `watch` waits for
  it, logging each minute; `watch --once` refuses at once. `watch` never creates the inbox;
- one `watch` per working folder: pipeline/server/watch_lock.py.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

from pipeline.errors import FamilyTimeError
from pipeline.extract.reasons import say
from pipeline.files import is_network_path
from pipeline.paths import FORM_TEMPLATES

log = logging.getLogger("pipeline.watch")

WORDS = FORM_TEMPLATES / "intake"  # form_templates/intake/reasons.toml
INBOX_RETRY = 5.0  # seconds between looks for a missing inbox
INBOX_LOG_EVERY = 60.0  # one log line a minute while waiting


class StartupProblem(FamilyTimeError):
    """`watch` cannot start: the message says what to change."""


def words(key: str, **values) -> str:
    return say(f"startup.{key}", None, root=WORDS, **values)


def local_suggestion(name: str = "state") -> str:
    """A local folder to offer instead of a share."""
    if sys.platform == "win32" or os.environ.get("PROGRAMDATA"):
        root = os.environ.get("PROGRAMDATA", r"C:\ProgramData")
        return f"{root}\\FamilyTime\\{name}"
    return f"/var/lib/family-time/{name}"


def state_on_network(config) -> str | None:
    """None when the state folder (the ledger, the mail outbox) is on a local disk; otherwise
    the sentence saying so, naming a local folder to use. For `watch` and `doctor`."""
    state = config.state_dir
    unc = str(config.state).startswith(("\\\\", "//"))  # a UNC path, as written
    if not (unc or is_network_path(state)):
        return None
    return words(
        "state_on_network",
        state=state,
        config=config.base / "family-time.toml",
        suggestion=local_suggestion(),
    )


def init_on_network(folder: Path) -> str | None:
    """None when `init` may create a working folder here; else why not (for `init`)."""
    if not is_network_path(folder / "state"):
        return None
    return words(
        "init_on_network", folder=folder, suggestion=local_suggestion(Path(folder).name or "work")
    )


def missing_folders(config) -> list[str]:
    """The outbox and tracker folders that do not exist (watch refuses to start)."""
    cfg = config.base / "family-time.toml"
    out = []
    for what, folder in (("outbox", config.outbox_dir), ("tracker", config.tracker_dir)):
        if not folder.is_dir():
            out.append(words("folder_missing", what=what, folder=folder, config=cfg))
    return out


def inbox_reachable(inbox: Path) -> bool:
    try:
        return inbox.is_dir() and os.access(inbox, os.R_OK)
    except OSError:
        return False


def check(config, once: bool) -> None:
    """Raise StartupProblem for anything that stops `watch` at once."""
    problems = []
    network = state_on_network(config)
    if network:
        problems.append(network)
    problems += missing_folders(config)
    if once and not inbox_reachable(config.inbox_dir):
        problems.append(
            words("inbox_missing", folder=config.inbox_dir, config=config.base / "family-time.toml")
        )
    if problems:
        raise StartupProblem("\n".join(problems))


def wait_for_inbox(
    inbox: Path,
    stop: threading.Event,
    *,
    every: float = INBOX_RETRY,
    log_every: float = INBOX_LOG_EVERY,
    clock=time.monotonic,
) -> bool:
    """Wait until the inbox can be reached (True) or `stop` is set (False), with one log line
    a minute naming the folder: at boot the share may not be mounted yet."""
    if inbox_reachable(inbox):
        return True
    started = last = clock()
    log.warning(words("inbox_waiting", folder=inbox, minutes=0))
    while not stop.wait(every):
        if inbox_reachable(inbox):
            log.info(words("inbox_back", folder=inbox))
            return True
        now = clock()
        if now - last >= log_every:
            last = now
            log.warning(words("inbox_waiting", folder=inbox, minutes=int((now - started) // 60)))
    return False
