"""A council set up with `init --new-service` has no blank form of its own yet: its refusals
attach the neutral copy (documents/shared/), which carries no council's rules or words (never
Northamptonshire's "CareFirst ID", "Family Time Supervisor" or Saturday rule)."""

from __future__ import annotations

from docx import Document

from pipeline.extract import extract_file
from pipeline.notify.compose import _blank_form
from pipeline.profile import load_profile

BORROWED = [
    "CareFirst",
    "Mosaic",
    "Family Time Supervisor",
    "six weeks",
    "Saturdays are kept",
    "risk assessed jointly",
    "Family Time Agreement",
    "Northamptonshire",
    "Blackpool",
    "Milton Keynes",
]


def _text(path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_new_council_attaches_the_neutral_form_with_no_borrowed_words():
    newcomer = load_profile("northamptonshire").model_copy(update={"id": "a-new-council"})
    path, _ = _blank_form(newcomer)
    assert path.parent.name == "shared"
    text = _text(path)
    assert [w for w in BORROWED if w in text] == []
    assert "Case record ID" in text
    read = extract_file(path)  # still the current form, read back as such
    assert read.form.status == "current"


def test_each_shipped_service_keeps_its_own_copy():
    for service in ("northamptonshire", "blackpool", "milton-keynes"):
        path, _ = _blank_form(load_profile(service))
        assert path.parent.name == service
