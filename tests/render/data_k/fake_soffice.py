"""A stand-in for LibreOffice in the PDF tests: behaves badly on request.

Usage: fake_soffice.py MODE OUTDIR DOCX PIDFILE
  hang    start a child process (its pid written to PIDFILE), then both sleep for a minute
  nothing exit without writing anything
  notpdf  write OUTDIR/<stem>.pdf that is not a PDF
  pdf     write a tiny file that starts like a PDF
"""

import subprocess
import sys
import time
from pathlib import Path

mode, outdir, docx, pidfile = sys.argv[1:5]
target = Path(outdir) / (Path(docx).stem + ".pdf")
if mode == "hang":
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    Path(pidfile).write_text(str(child.pid))
    time.sleep(60)
elif mode == "notpdf":
    target.write_bytes(b"<html>not a pdf</html>")
elif mode == "pdf":
    target.write_bytes(b"%PDF-1.4\n% fake\n%%EOF\n")
