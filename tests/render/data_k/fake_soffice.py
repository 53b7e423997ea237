"""A stand-in for LibreOffice in the PDF tests: behaves badly on request.

Usage: fake_soffice.py MODE OUTDIR PIDFILE DOCX [DOCX ...]
  hang    start a child process (its pid written to PIDFILE), then both sleep for a minute
  nothing exit without writing anything
  notpdf  write OUTDIR/<stem>.pdf files that are not PDFs
  pdf     write tiny files that start like a PDF
  first   a PDF for the first document only
"""

import subprocess
import sys
import time
from pathlib import Path

mode, outdir, pidfile, *docs = sys.argv[1:]
targets = [Path(outdir) / (Path(d).stem + ".pdf") for d in docs]
if mode == "hang":
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    Path(pidfile).write_text(str(child.pid))
    time.sleep(60)
elif mode == "notpdf":
    for t in targets:
        t.write_bytes(b"<html>not a pdf</html>")
elif mode in ("pdf", "first"):
    for t in targets[:1] if mode == "first" else targets:
        t.write_bytes(b"%PDF-1.4\n% fake\n%%EOF\n")
