"""What `watch` writes to its log, and where.

Task Scheduler and many service wrappers discard standard error, so `watch` also writes a
rotating UTF-8 log file. Fault lines never carry an exception's text: it can hold a file
name, often a child's name; the detail goes to DEBUG only.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_BYTES = 5 * 1024 * 1024
LOG_KEEP = 5


def setup_logging(log_file: Path | None = None, level: int = logging.INFO) -> None:
    """Log to stderr and, when given, to a rotating UTF-8 file (5 files of 5 MB)."""
    root = logging.getLogger()
    root.setLevel(level)
    if not root.handlers:  # as logging.basicConfig: never a second console
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(console)
    if log_file is not None and not any(
        getattr(h, "baseFilename", None) == str(Path(log_file).absolute()) for h in root.handlers
    ):
        from pipeline.files import private_dir

        private_dir(Path(log_file).parent)
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=LOG_BYTES, backupCount=LOG_KEEP, encoding="utf-8", errors="replace"
        )
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


def log_fault(logger, message: str, *args) -> None:
    """Log an unexpected fault without its text: exception messages can hold file names
    (often a child's name), so the error line has the type only; the detail is at DEBUG."""
    exc = sys.exc_info()[1]
    logger.error(message + " (%s)", *args, type(exc).__name__ if exc else "error")
    logger.debug("detail", exc_info=True)
