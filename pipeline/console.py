"""Console output that works on any Windows console, redirected or not.

A Windows console or a file redirected from it encodes in the ANSI code page (cp1252), where
"✗", "☐" or "Ł" raise UnicodeEncodeError after the work is done. Standard output and error
are therefore UTF-8 with replacement whatever the console, so JSON written to a file stays
valid UTF-8. The log file `watch` writes is pipeline/server/logs.py's.
"""

from __future__ import annotations

import io
import sys


def utf8_streams() -> None:
    """Make stdout and stderr UTF-8, replacing what cannot be written instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError, io.UnsupportedOperation):
            pass  # not a text stream we can change (a test's capture, None)
