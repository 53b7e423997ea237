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

from pipeline.errors import FamilyTimeError
from pipeline.files import scratch_root, write_private

LOCK_NAME = "family-time-libreoffice.lock"
_thread_lock = threading.Lock()


class PdfProblem(FamilyTimeError):
    """No PDF could be made; the message says why in plain English (the .docx is unaffected)."""


def _windows_candidates() -> list[Path]:
    roots = [
        os.environ.get("ProgramFiles"),
        os.environ.get("ProgramFiles(x86)"),
        os.environ.get("ProgramW6432"),
        r"C:\Program Files",
        r"C:\Program Files (x86)",
    ]
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
    return [
        Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
        Path("/opt/libreoffice/program/soffice"),
        Path("/usr/lib/libreoffice/program/soffice"),
    ]


def libreoffice_available() -> bool:
    return find_soffice() is not None


def _command(soffice: Path, profile: Path, out_dir: Path, docxs: list[Path]) -> list[str]:
    """The conversion command line (a seam for tests)."""
    return [
        str(soffice),
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *[str(d) for d in docxs],
    ]


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

                self.fh.seek(0)  # lock and unlock the same byte (the first)
                msvcrt.locking(self.fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def acquire(self, wait: float) -> bool:
        self.fh = open(self.path, "a+b")  # noqa: SIM115 - held open: the lock is the open file
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
    kwargs: dict = dict(stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | getattr(
            subprocess, "CREATE_NO_WINDOW", 0
        )
    else:
        kwargs["start_new_session"] = True
    return subprocess.Popen(cmd, **kwargs)


def _kill_tree(proc: subprocess.Popen) -> None:
    """End LibreOffice and everything it started (soffice starts soffice.bin)."""
    try:
        if sys.platform == "win32":
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=30,
                check=False,
            )
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
        raise PdfProblem(
            f"LibreOffice could not be started to make a PDF of {name} "
            f"({exc.strerror or 'it may be damaged or blocked'}). "
            "The Word document is ready; the PDF copy was not made."
        ) from exc
    try:
        proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        raise PdfProblem(
            f"LibreOffice took longer than {timeout:g} seconds to make a PDF of "
            f"{name}, so it was stopped. The Word document is ready; try the PDF "
            "again later."
        ) from None
    finally:
        if proc.poll() is None:
            _kill_tree(proc)


def to_pdf(docx: Path, timeout: float = 120, out_dir: Path | None = None) -> Path:
    """A PDF copy of `docx` in out_dir (default: beside it), same name with .pdf; private.

    Raises PdfProblem, with a message for the co-ordinator, when LibreOffice is not installed,
    fails, takes longer than `timeout` seconds, or produces something that is not a PDF.
    """
    return to_pdfs([docx], timeout=timeout, out_dir=out_dir)[0]


def _named(docs: list[Path]) -> str:
    if len(docs) == 1:
        return docs[0].name
    shown = ", ".join(d.name for d in docs[:3]) + (", ..." if len(docs) > 3 else "")
    return f"{len(docs)} documents ({shown})"


def _batches(docs: list[Path]) -> list[list[Path]]:
    """Runs whose documents have different names (LibreOffice names each PDF after its file)."""
    batches: list[list[Path]] = []
    for doc in docs:
        batch = next(
            (b for b in batches if doc.stem.lower() not in {d.stem.lower() for d in b}), None
        )
        if batch is None:
            batches.append([doc])
        else:
            batch.append(doc)
    return batches


def to_pdfs(docxs: list[Path], timeout: float = 120, out_dir: Path | None = None) -> list[Path]:
    """PDF copies of several documents in one LibreOffice run (starting LibreOffice is most of
    the cost: a pack of seven takes about as long as one). Same rules as to_pdf; `timeout` is
    per LibreOffice run. Returns the PDFs in the order given. If some could not be made, the
    others are still written and PdfProblem names the ones missing.
    """
    docs = [Path(d) for d in docxs]
    if not docs:
        return []
    missing = [d for d in docs if not d.is_file()]
    if missing:
        raise PdfProblem(
            f"No PDF was made: {_named(missing)} "
            f"{'was' if len(missing) == 1 else 'were'} not found."
        )
    soffice = find_soffice()
    if soffice is None:
        raise PdfProblem(
            "No PDF copy was made because LibreOffice is not installed on this "
            "computer. The Word document is ready; ask IT to install LibreOffice "
            "for PDF copies."
        )

    made: dict[Path, Path] = {}
    failed: list[str] = []
    with _thread_lock:
        lock = _FileLock(_lock_path())
        if not lock.acquire(wait=timeout):
            raise PdfProblem(
                f"No PDF of {_named(docs)} was made: another PDF was still being "
                f"made after {timeout:g} seconds. Try again later."
            )
        try:
            for batch in _batches(docs):
                work = Path(tempfile.mkdtemp(prefix="ft-pdf-", dir=scratch_root()))  # owner-only
                try:
                    profile, outdir = work / "profile", work / "out"
                    outdir.mkdir()
                    _run(
                        _command(soffice, profile, outdir, [d.resolve() for d in batch]),
                        timeout,
                        _named(batch),
                    )
                    for doc in batch:
                        result = outdir / (doc.stem + ".pdf")
                        data = result.read_bytes() if result.is_file() else b""
                        if not data.startswith(b"%PDF"):
                            failed.append(doc.name + (" (not a PDF)" if data else ""))
                            continue
                        target = (Path(out_dir) if out_dir is not None else doc.parent) / (
                            doc.stem + ".pdf"
                        )
                        made[doc] = write_private(target, data)
                finally:
                    shutil.rmtree(work, ignore_errors=True)
        finally:
            lock.release()
    if failed:
        if len(docs) == 1:
            if failed[0].endswith("(not a PDF)"):
                raise PdfProblem(
                    f"What LibreOffice made of {docs[0].name} is not a PDF, so it "
                    "was not kept. The Word document itself is unaffected."
                )
            raise PdfProblem(
                f"LibreOffice did not make a PDF of {docs[0].name} (the document "
                "may be damaged). The Word document itself is unaffected."
            )
        raise PdfProblem(
            f"LibreOffice did not make a PDF of {', '.join(failed)}. "
            + ("The other PDFs were made. " if made else "")
            + "The Word documents themselves are unaffected."
        )
    return [made[d] for d in docs]
