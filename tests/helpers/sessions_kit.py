"""A working folder for the session-record tests: drops the generated session records
(tests/sessions/records/) into its inbox with the arrival time chosen, runs them through, and
does what a co-ordinator does in the tracker (allocates the referral FT-2026-00001)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import openpyxl

from tests.helpers.mailbox import referral_mail
from tests.helpers.paths import FIXTURES, TESTS
from tests.helpers.venues import a_venue

RECORDS = TESTS / "sessions" / "records"
FORMS = FIXTURES / "forms"
REF = "FT-2026-00001"


class Session:
    def __init__(self, root: Path):
        from pipeline.commands.init import init_folder
        from pipeline.config import load_config
        from pipeline.ledger import Ledger

        self.config = load_config(init_folder(root))
        self.profile = self.config.load_profile()
        self.ledger = Ledger(self.config.ledger_path)

    def drop(self, src: Path, arrived: dt.datetime, name: str | None = None) -> Path:
        dest = self.config.inbox_dir / (name or src.name)
        shutil.copyfile(src, dest)
        stamp = arrived.timestamp()
        os.utime(dest, (stamp, stamp))
        return dest

    def process(self, src: Path, arrived: dt.datetime, name: str | None = None):
        from pipeline.effects import run_effects
        from pipeline.intake.process import process_file

        items = process_file(self.drop(src, arrived, name), self.config, self.profile, self.ledger)
        report = run_effects(self.ledger, self.config, self.profile)
        return items, report

    def record(self, name: str, arrived: dt.datetime | None = None):
        """A generated record, arriving at 18:00 on the day it was written unless told."""
        src = RECORDS / f"{name}.docx"
        if arrived is None:
            day = dt.date.fromisoformat(name[:10])
            arrived = dt.datetime.combine(day, dt.time(18, 0))
        return self.process(src, arrived)

    @property
    def workbook(self) -> Path:
        return next(self.config.tracker_dir.glob("*.xlsx"))

    def rows(self, sheet: str) -> list[dict]:
        ws = openpyxl.load_workbook(self.workbook)[sheet]
        head = [c.value for c in ws[1]]
        return [
            dict(zip(head, (c.value for c in row)))
            for row in ws.iter_rows(min_row=2)
            if any(c.value not in (None, "") for c in row)
        ]

    def allocate(
        self, day: str = "Monday and Wednesday", first: dt.datetime = dt.datetime(2026, 11, 2)
    ) -> None:
        """What a co-ordinator types into the referral's row."""
        wb = openpyxl.load_workbook(self.workbook)
        ws = wb["Referrals"]
        head = {c.value: c.column for c in ws[1]}
        row = next(
            r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Reference"]).value == REF
        )
        if "Accepted by (name)" in head:  # where a person accepts referrals: who did
            ws.cell(row, head["Accepted by (name)"]).value = "Dee Example-Supervisor"
        for header, value in (
            ("Status", "Allocated"),
            (f"Allocated {self.profile.supervisor_role}", "Dee Example-Supervisor"),
            ("Venue", a_venue(self.profile)),
            ("Day", day),
            ("Time", "16:00-17:30"),
            ("First session", first),
        ):
            ws.cell(row, head[header]).value = value
        staff = wb["Staff"]  # the supervisor is listed, so the pack reaches them
        if not any(
            r[0] == "Dee Example-Supervisor" for r in staff.iter_rows(min_row=2, values_only=True)
        ):
            staff.append(
                [
                    "Dee Example-Supervisor",
                    self.profile.supervisor_role,
                    "dee.supervisor@nct.example.org",
                    30,
                ]
            )
        wb.save(self.workbook)

    def mail(self) -> list[Path]:
        return referral_mail(self.config.mail_dir)


def decide(
    session: Session,
    decision: str = "Approved",
    by: str | None = "Pat Manager",
    on: dt.datetime | None = None,
    meeting: dt.datetime | None = None,
    proposal: str | None = None,
):
    """What the person who decides types into the Decisions sheet, then the next pass."""
    from pipeline.effects import run_effects

    wb = openpyxl.load_workbook(session.workbook)
    if by:
        on_staff(wb, by, session.profile)
    ws = wb["Decisions"]
    head = {c.value: c.column for c in ws[1]}
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Proposal no."]).value]
    row = next(
        r
        for r in rows
        if proposal in (None, ws.cell(r, head["Proposal no."]).value)
        and (proposal is not None or not ws.cell(r, head["Decision"]).value)
    )
    for header, value in (
        ("Decision", decision),
        ("Decided by", by),
        ("Decided on", on),
        ("Meeting on", meeting),
    ):
        if value is not None:
            ws.cell(row, head[header]).value = value
    wb.save(session.workbook)
    return run_effects(session.ledger, session.config, session.profile)


def on_staff(wb, name: str, profile, role: str | None = None) -> None:
    """The person who decides is listed on the Staff sheet with a role that may decide in the
    service (a decision naming anyone else is not applied)."""
    roles = profile.decisions.decided_by_roles or ["manager"]
    role = role or f"Family Time {roles[0]}"
    staff = wb["Staff"]
    if not any(r[0] == name for r in staff.iter_rows(min_row=2, values_only=True)):
        staff.append([name, role, "decider@example.org", 37])
