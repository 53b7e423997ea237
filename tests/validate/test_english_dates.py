"""Letters, mail, messages and the tracker write dates in English whatever the machine's locale.

`%A`, `%a`, `%B` and `%b` name days and months in the locale's language, so a council PC set to
French would write "mardi 4 mars 2025" into an English letter. pipeline/dates.py names them
itself; these tests keep the directives out of the product code and, where a non-English
locale is installed, show the words stay English under it.
"""

from __future__ import annotations

import ast
import datetime as dt
import locale
import re
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parents[2] / "pipeline"
LOCALE_NAMES = re.compile(r"%[-#]?[AaBb]")  # weekday and month names, full or short

# Files other helpers of the same change are switching to pipeline.dates; take a line out
# when its file no longer uses a locale name (the test then holds it to the rule too).
PENDING: set[str] = set()  # files still to move to pipeline.dates (none left)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of docstring constants, which may talk about the directives."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def locale_directives(path: Path) -> list[str]:
    """Each string in the code (f-string formats included) that names days or months."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    hits = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and LOCALE_NAMES.search(node.value)
    ]
    return [f"line {node.lineno}: {node.value!r}" for node in sorted(hits, key=lambda n: n.lineno)]


def test_the_check_finds_a_locale_directive(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Mentions %A in prose."""\nday = f"{d:%A}"\nmonth = d.strftime("%b")\n', encoding="utf-8"
    )
    assert [hit.split(":")[0] for hit in locale_directives(sample)] == ["line 2", "line 3"]


def test_no_product_code_names_days_or_months_through_the_locale():
    found = {}
    for path in sorted(PIPELINE.rglob("*.py")):
        name = path.relative_to(PIPELINE).as_posix()
        if name not in PENDING and (hits := locale_directives(path)):
            found[name] = hits
    assert not found, f"use pipeline.dates instead of locale day/month names: {found}"


def _other_locale() -> str | None:
    for name in (
        "fr_FR.UTF-8",
        "fr_FR.utf8",
        "de_DE.UTF-8",
        "de_DE.utf8",
        "French_France.1252",
        "German_Germany.1252",
    ):
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        return name
    return None


@pytest.fixture
def non_english_locale():
    before = locale.setlocale(locale.LC_TIME)
    name = _other_locale()
    if name is None:
        pytest.skip("no French or German locale is installed on this machine")
    assert dt.date(2025, 3, 4).strftime("%A") != "Tuesday"  # the locale really is in force
    yield name
    locale.setlocale(locale.LC_TIME, before)


def test_dates_stay_english_under_another_locale(non_english_locale, nct):
    from pipeline.notify.templates import templates_for
    from pipeline.sessions.schedule import session_dates
    from pipeline.validate.calendar import ServiceCalendar

    tuesday = dt.date(2025, 3, 4)
    mail_filter = templates_for(nct.id).env.filters["long_date"]
    assert mail_filter(tuesday) == "Tuesday 4 March 2025"
    cal = ServiceCalendar(nct)
    assert cal.closure_reason(dt.date(2025, 3, 9)) == "Sunday"
    planned = session_dates(dt.date(2025, 3, 10), "Monday", "Once a week", cal, count=1)
    assert planned[0].weekday == "Monday"
    with pytest.raises(ValueError, match=r"\(Sunday 9 March 2025\) is a Sunday"):
        session_dates(dt.date(2025, 3, 9), "Monday", "Once a week", cal, count=1)
