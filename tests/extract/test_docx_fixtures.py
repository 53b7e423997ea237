"""Every committed .docx fixture reads back exactly as its expected.json says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract import extract_file

FORMS = Path(__file__).resolve().parent.parent / "fixtures" / "forms"
DOCX = sorted(FORMS.glob("*.docx"))


@pytest.mark.skipif(not DOCX, reason="no .docx fixtures committed yet")
@pytest.mark.parametrize("path", DOCX, ids=[p.stem for p in DOCX])
def test_fixture_reads_as_expected(path: Path) -> None:
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    got = extract_file(path)
    for key in ("id", "version", "status"):
        assert getattr(got.form, key) == expected["form"][key], (key, got.form.reason)
    want = expected.get("fields", {})
    missing = {k: v for k, v in want.items() if k not in got.fields}
    wrong = {
        k: (got.fields[k], v) for k, v in want.items() if k in got.fields and got.fields[k] != v
    }
    extra = {k: v for k, v in got.fields.items() if k not in want}
    # The reader's contract: day boxes present but none ticked read as [] (the fixtures leave
    # the key out). Both mean "no day chosen" to validation.
    if extra.get("request.days") == []:
        del extra["request.days"]
    assert not missing and not wrong and not extra, (missing, wrong, extra)
