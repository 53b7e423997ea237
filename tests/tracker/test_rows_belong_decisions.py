"""The Decisions sheet has the same guard: a decision typed beside cells a one-column sort
moved (saved by LibreOffice Calc) is never read as a decision, and the row says why. The
decisions code can ask which rows these are (pipeline.tracker.typed_rows.moved_on)."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from pipeline.config import Config
from pipeline.profile import load_profile
from pipeline.tracker.decisions import ProposalRow, read_decisions, write_proposals
from pipeline.tracker.typed_rows import moved_on

from tests.helpers.allocation_kit import libreoffice_round_trip

pytestmark = pytest.mark.libreoffice


def _rows() -> list[ProposalRow]:
    return [
        ProposalRow(
            f"{ref} 1",
            {
                "proposal": f"{ref} 1",
                "reference": ref,
                "what": what,
                "why": "Three sessions missed without a valid reason",
                "who_decides": "Team manager",
                "decide_by": dt.date(2026, 12, 10),
            },
        )
        for ref, what in (("FT-2026-00001", "Suspend"), ("FT-2026-00002", "Warning letter"))
    ]


def test_a_decision_typed_beside_moved_cells_is_not_read(tmp_path, monkeypatch):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-04")
    profile, config = load_profile("northamptonshire"), Config(base=tmp_path)
    write_proposals(_rows(), config, profile)
    book = next(config.tracker_dir.glob("*.xlsx"))

    wb = openpyxl.load_workbook(book)  # "Proposal" sorted alone, then a decision typed
    ws = wb["Decisions"]
    head = {c.value: c.column for c in ws[1]}
    a, b = ws.cell(2, head["Proposal"]), ws.cell(3, head["Proposal"])
    a.value, b.value = b.value, a.value
    ws.cell(2, head["Decision"], "Approved")
    wb.save(book)
    libreoffice_round_trip(book)

    assert _never_applied(read_decisions(config, profile), "FT-2026-00001 1")
    assert "These cells were moved" in moved_on(config, profile, "Decisions")["FT-2026-00001 1"]

    write_proposals(_rows(), config, profile)  # the next write holds the row and says why
    ws = openpyxl.load_workbook(book)["Decisions"]
    head = [c.value for c in ws[1]]
    first = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "FT-2026-00001")
    assert "These cells were moved" in first[head.index("Pipeline note")]
    assert _never_applied(read_decisions(config, profile), "FT-2026-00001 1")


def _never_applied(decisions: dict, key: str) -> bool:
    """The row is left out, or kept marked as moved (the rule then refuses what was typed
    there, and goes on refusing it once the cells are put right, until it is typed again)."""
    return key not in decisions or decisions[key].moved
