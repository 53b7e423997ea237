"""Intake rules: which inbox files to ignore, when a file has settled, and claiming it.

A file is handled only once it has settled: the same size and modification time for
config.watch.settle_seconds (five times that while it is empty, as a file being
created often is) AND it opens for reading. A sharing violation, permission error
or EBUSY means "not yet", never a failure (paperless-ngx #432, #9698 never retried those).
Word lets others read a document it has open, so a document with a live Office owner file
(`~$...`, pipeline/intake/owners.py) waits too: moving it would fail on Windows.
An in-flight set stops the same path being handled twice at once (paperless #13511).
"""

from __future__ import annotations

import errno
import fnmatch
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.files import is_network_path
from pipeline.paths import FORM_TEMPLATES

IGNORED_PATTERNS = (
    "~$*",
    ".~lock.*#",
    "*.tmp",
    "*.part",
    "*.partial",
    "*.crdownload",
    "*.filepart",
    "thumbs.db",
    "desktop.ini",
    ".ds_store",
    "._*",
    ".*",
)
BUSY_ERRNOS = {errno.EBUSY, errno.EACCES, errno.EPERM, getattr(errno, "ETXTBSY", 26)}
WINDOWS_SHARING = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
FILE_ATTRIBUTE_HIDDEN = 0x2
EMPTY_SETTLE_FACTOR = 5  # an empty file is usually one still being created: wait longer


def is_ignored(path: Path) -> bool:
    """Temporary, lock, owner and system files, hidden files, folders and links are never
    handled (a link could point anywhere on the machine; we read only files put here)."""
    name = path.name.lower()
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in IGNORED_PATTERNS):
        return True
    if path.is_symlink():
        return True
    try:
        st = path.stat()
    except OSError:
        return False  # gone: the settle check will say so
    if not path.is_file():
        return True
    attrs = getattr(st, "st_file_attributes", 0)  # Windows only
    return bool(attrs & FILE_ATTRIBUTE_HIDDEN)


def is_busy_error(exc: OSError) -> bool:
    """A file another program has open or is still writing: try again later."""
    if isinstance(exc, PermissionError):
        return True
    if getattr(exc, "winerror", None) in WINDOWS_SHARING:
        return True
    return exc.errno in BUSY_ERRNOS


WINDOWS_PATH_TOO_LONG = {206, 3}  # ERROR_FILENAME_EXCED_RANGE, ERROR_PATH_NOT_FOUND
WINDOWS_DENIED = {5}  # ERROR_ACCESS_DENIED


ENVIRONMENT_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", 122), errno.EROFS}


def _os_cause(exc: BaseException) -> OSError | None:
    """The OSError behind `exc` (itself, or down its chain of causes), or None."""
    cause = exc
    while not isinstance(cause, OSError) and cause.__cause__ is not None:
        cause = cause.__cause__
    return cause if isinstance(cause, OSError) else None


def failure_kind(exc: BaseException) -> str | None:
    """A short name for how a file failed, so the same failure repeated can be counted:
    'too_long', 'denied', 'busy', 'missing' or the error's type (no file name in it). None
    when the file is not to blame (the ledger is busy, the disk is full): never counted."""
    cause = _os_cause(exc)
    if cause is None or cause.errno in ENVIRONMENT_ERRNOS:
        return None
    winerror = getattr(cause, "winerror", None)
    if winerror in WINDOWS_PATH_TOO_LONG or cause.errno == errno.ENAMETOOLONG:
        return "too_long"
    if winerror in WINDOWS_SHARING or cause.errno == errno.EBUSY:
        return "busy"
    if winerror in WINDOWS_DENIED or isinstance(cause, PermissionError):
        return "denied"
    if isinstance(cause, FileNotFoundError):
        return "missing"
    return type(cause).__name__


WORDS = FORM_TEMPLATES / "intake"  # form_templates/intake/reasons.toml


def environment_fault(exc: BaseException) -> str | None:
    """Plain words for a failure of the disk itself (full, read-only), or None: the file is
    not to blame, it waits in the inbox, and the person who can free space must be told."""
    cause = _os_cause(exc)
    if cause is None or cause.errno not in ENVIRONMENT_ERRNOS:
        return None
    from pipeline.extract.reasons import say

    key = "disk_read_only" if cause.errno == errno.EROFS else "disk_full"
    return say(f"process.{key}", None, root=WORDS)


def try_open(path: Path) -> None:
    """Open for reading and read a byte; raises OSError when the file is not available."""
    with open(path, "rb") as fh:
        fh.read(1)


# ---------------------------------------------------------------- settle


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float


class SettleTracker:
    """Watches candidate files until each has stopped changing and can be opened."""

    def __init__(self, settle_seconds: float, clock=time.monotonic):
        self.settle = settle_seconds
        self.clock = clock
        self._seen: dict[Path, _Seen] = {}
        self.last_busy: dict[Path, str] = {}

    def check(self, path: Path) -> str:
        """'ready', 'wait' (still changing or busy), or 'gone'."""
        now = self.clock()
        try:
            st = path.stat()
        except FileNotFoundError:
            self._seen.pop(path, None)
            return "gone"
        except OSError as exc:
            if is_busy_error(exc):
                return "wait"
            self._seen.pop(path, None)
            return "gone"
        seen = self._seen.get(path)
        if seen is None or seen.size != st.st_size or seen.mtime_ns != st.st_mtime_ns:
            self._seen[path] = _Seen(st.st_size, st.st_mtime_ns, now)
            return "wait" if self.settle > 0 else self._open_check(path)
        settle = self.settle * EMPTY_SETTLE_FACTOR if st.st_size == 0 else self.settle
        if now - seen.since < settle:
            return "wait"
        return self._open_check(path)

    def _open_check(self, path: Path) -> str:
        try:
            try_open(path)
        except FileNotFoundError:
            self._seen.pop(path, None)
            return "gone"
        except OSError as exc:
            if is_busy_error(exc):
                self.last_busy[path] = type(exc).__name__
                return "wait"
            raise
        from pipeline.intake.owners import open_in_office

        if open_in_office(path):
            self.last_busy[path] = "open in Word or Excel"
            return "wait"
        self.last_busy.pop(path, None)
        return "ready"

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)
        self.last_busy.pop(path, None)


# ---------------------------------------------------------------- claim


class Claims:
    """The in-flight set: a path being handled cannot be claimed again until released."""

    def __init__(self):
        self._lock = threading.Lock()
        self._paths: set[str] = set()

    @staticmethod
    def _key(path: Path) -> str:
        return os.path.normcase(os.path.abspath(path))

    def claim(self, path: Path) -> bool:
        key = self._key(path)
        with self._lock:
            if key in self._paths:
                return False
            self._paths.add(key)
            return True

    def release(self, path: Path) -> None:
        with self._lock:
            self._paths.discard(self._key(path))

    def __contains__(self, path: Path) -> bool:
        with self._lock:
            return self._key(path) in self._paths


def choose_mode(configured: str, inbox: Path) -> str:
    """'events' or 'polling': auto polls on network shares, where events never arrive."""
    if configured in ("events", "polling"):
        return configured
    return "polling" if is_network_path(inbox) else "events"


MAX_DEPTH = 16  # sub-folders deeper than this are not looked into


def _folder_ignored(rel: str, name: str, ignore: Iterable[str]) -> bool:
    """Whether IT asked for this sub-folder to be left alone (its name or its path under the
    inbox, wildcards allowed, case ignored)."""
    rel, name = rel.lower(), name.lower()
    return any(
        fnmatch.fnmatchcase(name, pat.lower())
        or fnmatch.fnmatchcase(rel, pat.strip("/\\").replace("\\", "/").lower())
        for pat in ignore
    )


def _hidden_folder(entry: os.DirEntry) -> bool:
    if entry.name.startswith("."):
        return True
    try:
        attrs = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    except OSError:
        return True
    return bool(attrs & FILE_ATTRIBUTE_HIDDEN)


def walk_inbox(
    inbox: Path, ignore: Iterable[str] = (), exclude: Iterable[Path] = ()
) -> tuple[list[Path], list[Path]]:
    """(files to handle, files in sub-folders IT asked us to ignore), at any depth.

    Hidden folders, links to folders, and `exclude` (our own folders, should one be set up
    inside the inbox) are never entered.
    """
    ignore = list(ignore)
    skip = set()
    for p in exclude:
        try:
            skip.add(os.path.normcase(str(Path(p).resolve())))
        except OSError:
            pass
    found: list[Path] = []
    ignored: list[Path] = []
    stack: list[tuple[Path, str, bool, int]] = [(inbox, "", False, 0)]
    while stack:
        folder, rel, in_ignored, depth = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            p = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    if (
                        depth >= MAX_DEPTH
                        or _hidden_folder(entry)
                        or os.path.normcase(str(p.resolve())) in skip
                    ):
                        continue
                    sub = f"{rel}/{entry.name}" if rel else entry.name
                    stack.append(
                        (p, sub, in_ignored or _folder_ignored(sub, entry.name, ignore), depth + 1)
                    )
                    continue
                if not entry.is_file(follow_symlinks=False):
                    continue
            except OSError:
                continue
            if is_ignored(p):
                continue
            (ignored if in_ignored else found).append(p)
    return sorted(found), sorted(ignored)


OWNER_FILE_MAX_BYTES = 4096  # an Office owner file (`~$name`) is 162 bytes of user name
# how a document starts: .docx/.xlsx (zip), .pdf, older Office and Outlook .msg (OLE)
DOCUMENT_MAGIC = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")
NAME_IGNORED_BUT_CHECKED = ("~$*", "*.tmp")


def ignored_but_documents(inbox: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """Files the inbox ignores by their name that are really documents (issue 27): a `~$`
    file that is not a tiny owner file (a whole form saved as "~$real referral form.docx"),
    an Outlook attachment saved as `.tmp`. Never read: `status` lists them for a person."""
    skip = {os.path.normcase(str(Path(p))) for p in exclude}
    out: list[Path] = []
    for pattern in NAME_IGNORED_BUT_CHECKED:
        try:
            candidates = list(inbox.rglob(pattern))
        except OSError:
            continue
        for p in candidates:
            if any(os.path.normcase(str(p)).startswith(s) for s in skip):
                continue
            try:
                if not p.is_file() or p.is_symlink():
                    continue
                size = p.stat().st_size
                with open(p, "rb") as fh:
                    head = fh.read(8)
            except OSError:
                continue
            owner_like = p.name.startswith("~$") and size <= OWNER_FILE_MAX_BYTES
            if head.startswith(DOCUMENT_MAGIC) and not (owner_like and size < 512):
                out.append(p)
    return sorted(set(out))


def scan_config(config) -> dict:
    """The walk_inbox arguments a working folder's settings give (its ignored sub-folders,
    and our own folders, never read as inbox even when set up inside it)."""
    return {
        "ignore": list(config.watch.ignore_subfolders),
        "exclude": [
            config.archive_dir,
            config.outbox_dir,
            config.state_dir,
            config.mail_dir,
            config.tracker_dir,
        ],
    }


def inbox_files(
    inbox: Path, ignore: Iterable[str] = (), exclude: Iterable[Path] = ()
) -> list[Path]:
    """The files under the inbox worth looking at, at any depth (not in an ignored or hidden
    sub-folder, not temporary or system files)."""
    return walk_inbox(inbox, ignore, exclude)[0]


def in_ignored_subfolder(path: Path, inbox: Path, ignore: Iterable[str]) -> bool:
    """Whether `path` lies in a sub-folder IT asked us to ignore, or in a hidden one."""
    try:
        rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(inbox))
    except ValueError:
        return True
    parts = rel.parts[:-1]
    for n in range(len(parts)):
        if parts[n].startswith(".") or _folder_ignored(
            "/".join(parts[: n + 1]), parts[n], list(ignore)
        ):
            return True
    return len(parts) > MAX_DEPTH
