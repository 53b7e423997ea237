"""Console and log output that works on any Windows console, redirected or not.

A Windows console or a file redirected from it encodes in the ANSI code page (cp1252), where
"✗", "☐" or "Ł" raise UnicodeEncodeError after the work is done. Standard output and error
are therefore UTF-8 with replacement whatever the console, so JSON written to a file stays
valid UTF-8. `watch` also writes a rotating UTF-8 log file, because Task Scheduler and many
service wrappers discard standard error.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_BYTES = 5 * 1024 * 1024
LOG_KEEP = 5


def utf8_streams() -> None:
    """Make stdout and stderr UTF-8, replacing what cannot be written instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError, io.UnsupportedOperation):
            pass                  # not a text stream we can change (a test's capture, None)


def setup_logging(log_file: Path | None = None, level: int = logging.INFO) -> None:
    """Log to stderr and, when given, to a rotating UTF-8 file (5 files of 5 MB)."""
    root = logging.getLogger()
    root.setLevel(level)
    if not root.handlers:               # as logging.basicConfig: never a second console
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(console)
    if log_file is not None and not any(
            getattr(h, "baseFilename", None) == str(Path(log_file).absolute())
            for h in root.handlers):
        from pipeline.files import private_dir
        private_dir(Path(log_file).parent)
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=LOG_BYTES, backupCount=LOG_KEEP, encoding="utf-8",
            errors="replace")
        handler.setFormatter(logging.Formatter(FORMAT))
        handler._family_time = True
        root.addHandler(handler)


def close_log_files() -> None:
    """Close the log files setup_logging opened (a test, or a second run in one process)."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if isinstance(h, logging.handlers.RotatingFileHandler) and getattr(h, "_family_time", 0):
            root.removeHandler(h)
            h.close()
