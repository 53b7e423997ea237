"""Every paragraph's text of a Word file, as the template checks read it.

Its own module because both checks at start-up read it (the templates' tags in preflight, the
wording entries the templates name in wording_check) and neither should import the other.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")


def paragraph_texts(path: Path) -> list[str]:
    """Every paragraph's text: body (tables included), headers and footers. Read straight from
    the package (no python-docx), so the check stays quick at `watch` start-up."""
    with zipfile.ZipFile(path) as z:
        names = sorted(
            (n for n in z.namelist() if _PARTS.match(n)),
            key=lambda n: (n != "word/document.xml", n),
        )
        if "word/document.xml" not in names:
            raise KeyError("word/document.xml")
        out = []
        for name in names:
            root = ElementTree.fromstring(z.read(name))
            for p in root.iter(f"{W_NS}p"):
                out.append("".join(t.text or "" for t in p.iter(f"{W_NS}t")))
    return out
