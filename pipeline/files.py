"""Private files and folders, written atomically, and the one place temporary files go.

This is special-category data about children: what we create is readable by the service
account only. On POSIX that is chmod; on Windows chmod only flips the read-only bit, so the
folders' ACLs are set by `family-time init` (pipeline/server/access.py, with icacls).

Temporary files (scratch copies, email attachments, PDF jobs) live under the working folder's
state/scratch, never the system %TEMP%, so a killed run leaves no child's document behind:
the next `watch` clears that folder at start.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path, PureWindowsPath

_scratch: Path | None = None


def use_scratch(folder: Path | None) -> None:
    """Make `folder` (the working folder's state/scratch) the home of every temporary file."""
    global _scratch
    _scratch = folder


def scratch_root() -> Path | None:
    """The private scratch folder, created on first use; None (the system's temporary folder)
    only for commands run without a working folder, such as `extract` on one file."""
    if _scratch is None:
        return None
    return private_dir(_scratch)


def scratch_name(index: int, name: str) -> str:
    """A short generated name keeping only a plain suffix (the readers choose by suffix): the
    original name can be long enough to push the path past Windows' 260 characters."""
    suffix = Path(name).suffix.lower()
    if not (suffix[1:].isascii() and suffix[1:].isalnum() and len(suffix) <= 8):
        suffix = ""
    return f"f{index:03d}{suffix}"


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the owner only; return it."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically (temporary file in the same folder, then replace)."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, 0o600)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(modified time, size) of a file, None when it cannot be seen: how effects notice that a
    person saved the tracking workbook without reading it."""
    try:
        st = path.stat()
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return None


NETWORK_FSTYPES = {
    "cifs",
    "smb",
    "smb2",
    "smb3",
    "smbfs",
    "nfs",
    "nfs4",
    "sshfs",
    "fuse.sshfs",
    "9p",
    "afs",
    "ncpfs",
    "davfs",
    "fuse.davfs2",
}


# ---------------------------------------------------------------- network paths


def is_network_path(path: Path) -> bool:
    """Whether `path` is on a network share, where file events are not delivered reliably."""
    text = str(path)
    if sys.platform == "win32" or text.startswith("\\\\"):
        return _windows_network(text)
    return _posix_network(path)


def _windows_network(text: str) -> bool:
    if text.startswith("\\\\") or text.startswith("//"):
        return True
    drive = PureWindowsPath(os.path.abspath(text)).drive
    if not drive:
        return False
    try:
        import ctypes

        DRIVE_REMOTE = 4
        return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE
    except (AttributeError, OSError, ImportError):
        return False


def _posix_network(path: Path, mounts_file: Path = Path("/proc/mounts")) -> bool:
    try:
        text = mounts_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False  # macOS and others: no /proc; events mode unless configured
    return mount_fstype(path, text) in NETWORK_FSTYPES


def mount_fstype(path: Path, mounts_text: str) -> str | None:
    """The file-system type of the longest mount point holding `path` (from /proc/mounts)."""
    target = os.path.abspath(path)
    best, fstype = "", None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, fstype = point, parts[2].lower()
    return fstype
