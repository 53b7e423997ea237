"""Optional PDF copies of the paperwork, made by LibreOffice when it is installed.

LibreOffice misbehaves when two conversions share a user profile, and a stuck conversion
would stall the watcher, so: one conversion at a time (a lock inside this process and a lock
file other processes respect), a private throw-away profile per conversion, a time limit that
ends the whole LibreOffice process tree, and a check that what came out really is a PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pipeline.files import write_private

LOCK_NAME = "family-time-libreoffice.lock"
_thread_lock = threading.Lock()


class PdfProblem(Exception):
    """No PDF could be made; the message says why in plain English (the .docx is unaffected)."""


def _windows_candidates() -> list[Path]:
    roots = [os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)"),
             os.environ.get("ProgramW6432"), r"C:\Program Files", r"C:\Program Files (x86)"]
    return [Path(r) / "LibreOffice" / "program" / "soffice.exe" for r in roots if r]


def find_soffice() -> Path | None:
    """The LibreOffice program: soffice/libreoffice on PATH, or the usual install folders."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((p for p in _install_candidates() if p.is_file()), None)


def _install_candidates() -> list[Path]:
    if sys.platform == "win32":
        return _windows_candidates()
    return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
            Path("/opt/libreoffice/program/soffice"), Path("/usr/lib/libreoffice/program/soffice")]


def libreoffice_available() -> bool:
    return find_soffice() is not None


def _command(soffice: Path, profile: Path, out_dir: Path, docx: Path) -> list[str]:
    """The conversion command line (a seam for tests)."""
    return [str(soffice), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
            "--invisible", "--norestore", "--nolockcheck", "--nodefault",
            "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)]


# ---------------------------------------------------------------------------------------
# One conversion at a time, across processes


class _FileLock:
    """An exclusive lock on a file, released by the OS if the holder dies."""

    def __init__(self, path: Path):
        self.path = path
        self.fh = None

    def _try(self) -> bool:
        try:
            if sys.platform == "win32":
                import msvcrt
                self.fh.seek(0)             # lock and unlock the same byte (the first)
                msvcrt.locking(self.fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl
                fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def acquire(self, wait: float) -> bool:
        self.fh = open(self.path, "a+b")
        deadline = time.monotonic() + wait
        while not self._try():
            if time.monotonic() >= deadline:
                self.fh.close()
                self.fh = None
                return False
            time.sleep(0.1)
        return True

    def release(self) -> None:
        if self.fh is None:
            return
        try:
            if sys.platform == "win32":
                import msvcrt
                self.fh.seek(0)
                msvcrt.locking(self.fh.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl
                fcntl.flock(self.fh.fileno(), fcntl.LOCK_UN)
        except OSError:
            pass
        finally:
            self.fh.close()
            self.fh = None


def _lock_path() -> Path:
    return Path(tempfile.gettempdir()) / LOCK_NAME


# ---------------------------------------------------------------------------------------
# Running LibreOffice


def _popen(cmd: list[str]) -> subprocess.Popen:
    """Start the command in a process group of its own, so the whole tree can be ended."""
    kwargs: dict = dict(stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE)
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | getattr(
            subprocess, "CREATE_NO_WINDOW", 0)
    else:
        kwargs["start_new_session"] = True
    return subprocess.Popen(cmd, **kwargs)


def _kill_tree(proc: subprocess.Popen) -> None:
    """End LibreOffice and everything it started (soffice starts soffice.bin)."""
    try:
        if sys.platform == "win32":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30,
                           check=False)
        else:
            import signal
            os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        proc.kill()
    except OSError:
        pass
    try:
        proc.communicate(timeout=10)
    except (subprocess.SubprocessError, OSError):
        pass


def _run(cmd: list[str], timeout: float, name: str) -> None:
    try:
        proc = _popen(cmd)
    except OSError as exc:
        raise PdfProblem(f"LibreOffice could not be started to make a PDF of {name} "
                         f"({exc.strerror or 'it may be damaged or blocked'}). "
                         "The Word document is ready; the PDF copy was not made.") from exc
    try:
        proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        raise PdfProblem(f"LibreOffice took longer than {timeout:g} seconds to make a PDF of "
                         f"{name}, so it was stopped. The Word document is ready; try the PDF "
                         "again later.") from None
    finally:
        if proc.poll() is None:
            _kill_tree(proc)


def to_pdf(docx: Path, timeout: float = 120, out_dir: Path | None = None) -> Path:
    """A PDF copy of `docx` in out_dir (default: beside it), same name with .pdf; private.

    Raises PdfProblem, with a message for the co-ordinator, when LibreOffice is not installed,
    fails, takes longer than `timeout` seconds, or produces something that is not a PDF.
    """
    docx = Path(docx)
    name = docx.name
    if not docx.is_file():
        raise PdfProblem(f"No PDF was made: the document {name} was not found.")
    soffice = find_soffice()
    if soffice is None:
        raise PdfProblem("No PDF copy was made because LibreOffice is not installed on this "
                         "computer. The Word document is ready; ask IT to install LibreOffice "
                         "for PDF copies.")
    target_dir = Path(out_dir) if out_dir is not None else docx.parent
    target = target_dir / (docx.stem + ".pdf")

    with _thread_lock:
        lock = _FileLock(_lock_path())
        if not lock.acquire(wait=timeout):
            raise PdfProblem(f"No PDF of {name} was made: another PDF was still being made "
                             f"after {timeout:g} seconds. Try again later.")
        try:
            work = Path(tempfile.mkdtemp(prefix="ft-pdf-"))     # owner-only on every OS
            try:
                profile, outdir = work / "profile", work / "out"
                outdir.mkdir()
                _run(_command(soffice, profile, outdir, docx.resolve()), timeout, name)
                made = outdir / (docx.stem + ".pdf")
                data = made.read_bytes() if made.is_file() else b""
                if not data:
                    raise PdfProblem(f"LibreOffice did not make a PDF of {name} (the document "
                                     "may be damaged). The Word document itself is unaffected.")
                if not data.startswith(b"%PDF"):
                    raise PdfProblem(f"What LibreOffice made of {name} is not a PDF, so it was "
                                     "not kept. The Word document itself is unaffected.")
                return write_private(target, data)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        finally:
            lock.release()
