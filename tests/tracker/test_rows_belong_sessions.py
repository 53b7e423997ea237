"""The Sessions sheet's rows cannot be mixed up either: a sort of one column (saved by
LibreOffice Calc) is put right from the ledger where nothing a person typed sits beside the
moved cells, and held with a note where a person's note does."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from tests.helpers.allocation_kit import libreoffice_round_trip
from tests.helpers.sessions_kit import FORMS, REF, Session

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def recorded(tmp_path, monkeypatch) -> Session:
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-04")
    s = Session(tmp_path / "work")
    s.process(FORMS / "referral-complete.docx", dt.datetime(2026, 10, 26, 10))
    s.allocate()
    s.record("2026-11-02-took-place-late-written")
    s.record("2026-11-04-did-not-attend")
    yield s
    s.ledger.close()


def _swap(s: Session, header: str, note: str | None = None) -> None:
    wb = openpyxl.load_workbook(s.workbook)
    ws = wb["Sessions"]
    head = {c.value: c.column for c in ws[1]}
    a, b = ws.cell(2, head[header]), ws.cell(3, head[header])
    a.value, b.value = b.value, a.value
    if note:
        ws.cell(2, head["Notes"], note)
    wb.save(s.workbook)
    libreoffice_round_trip(s.workbook)


def _outcomes(s: Session) -> dict:
    return {r["Session"]: (r["Outcome"], r.get("Pipeline note")) for r in s.rows("Sessions")}


def test_a_sessions_column_sorted_alone_is_put_right(recorded):
    before = _outcomes(recorded)
    assert len({o for o, _ in before.values()}) == 2
    _swap(recorded, "Outcome")
    assert _outcomes(recorded) != before
    from pipeline.effects import run_effects

    run_effects(recorded.ledger, recorded.config, recorded.profile)  # the save is noticed
    assert _outcomes(recorded) == before


def test_a_note_typed_beside_moved_cells_holds_the_row(recorded):
    before = _outcomes(recorded)
    _swap(recorded, "Outcome", note="Dad rang to say sorry")
    from pipeline.effects import run_effects

    run_effects(recorded.ledger, recorded.config, recorded.profile)
    after = _outcomes(recorded)
    held = [k for k, (_o, note) in after.items() if note and "These cells were moved" in note]
    assert len(held) == 1 and held[0].startswith(REF)
    other = next(k for k in after if k not in held)
    assert after[other] == before[other]  # nothing typed beside it: put right
