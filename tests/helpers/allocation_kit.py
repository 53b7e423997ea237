"""A working folder where a referral has arrived and a co-ordinator allocates it by typing
into the workbook (openpyxl, as Excel would save it), for the allocation-to-pack tests."""

from __future__ import annotations

import datetime as dt
import email
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl

from tests.helpers.paths import FIXTURES
from tests.helpers.venues import a_venue

FORM = FIXTURES / "forms" / "referral-complete.docx"
SUPERVISOR = "Robin Supervisor-Example"
SUPERVISOR_EMAIL = "robin.supervisor@nct.example.org"


class Desk:
    """One co-ordinator's working folder."""

    def __init__(self, root: Path, profile: str | None = None):
        from pipeline.commands.init import init_folder
        from pipeline.config import load_config
        from pipeline.ledger import Ledger

        self.config = load_config(init_folder(root, profile))
        self.profile = self.config.load_profile()
        self.ledger = Ledger(self.config.ledger_path)

    def receive(
        self,
        src: Path = FORM,
        name: str | None = None,
        arrived: dt.datetime = dt.datetime(2026, 11, 2, 9, 0),
    ):
        from pipeline.intake.process import process_file

        dest = self.config.inbox_dir / (name or src.name)
        shutil.copyfile(src, dest)
        os.utime(dest, (arrived.timestamp(), arrived.timestamp()))
        items = process_file(dest, self.config, self.profile, self.ledger)
        self.effects()
        return items

    def effects(self, passes: int = 3):
        """Passes of the effects, as the watcher makes them (the pack's Paperwork cell is
        written by the pass after the pack)."""
        import time

        from pipeline.effects import run_effects

        for n in range(passes):
            run_effects(self.ledger, self.config, self.profile, now=time.time() + 3600 * (n + 1))

    @property
    def workbook(self) -> Path:
        return next(self.config.tracker_dir.glob("*.xlsx"))

    def type_in(self, reference: str, sheet: str = "Referrals", **cells) -> None:
        """Type into a row by header, the way a person does (dates as dates)."""
        wb = openpyxl.load_workbook(self.workbook)
        ws = wb[sheet]
        head = {c.value: c.column for c in ws[1]}
        row = next(
            r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Reference"]).value == reference
        )
        for header, value in cells.items():
            cell = ws.cell(row, head[header.replace("_", " ")], value)
            if isinstance(value, dt.date):
                cell.number_format = "dd/mm/yyyy"
        wb.save(self.workbook)

    def staff(self) -> list[str]:
        ws = openpyxl.load_workbook(self.workbook)["Staff"]
        return [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r and r[0]]

    def add_staff(self, name: str = SUPERVISOR, email_address: str = SUPERVISOR_EMAIL) -> None:
        wb = openpyxl.load_workbook(self.workbook)
        ws = wb["Staff"]
        ws.append([name, "Family Time Supervisor", email_address, 30])
        wb.save(self.workbook)

    def allocate(self, reference: str, staff: bool = True, **changes) -> None:
        """Type an allocation; with `staff`, the usual supervisor is first put on an empty
        Staff sheet, as a co-ordinator does before the drop-down offers them."""
        if staff and not self.staff():
            self.add_staff()
        typed = {
            "Status": "Allocated",
            f"Allocated {self.profile.supervisor_role}": SUPERVISOR,  # the service's own header
            "Venue": a_venue(self.profile),
            "Day": "Tuesday",
            "Time": "10:00-11:30",
            "First session": dt.date(2026, 12, 8),
        }
        if not self.profile.acceptance.automatic:  # who accepted it, where a person accepts
            typed["Accepted by (name)"] = SUPERVISOR
        typed.update({k.replace("_", " "): v for k, v in changes.items()})
        wb = openpyxl.load_workbook(self.workbook)
        ws = wb["Referrals"]
        head = {c.value: c.column for c in ws[1]}
        row = next(
            r for r in range(2, ws.max_row + 1) if ws.cell(r, head["Reference"]).value == reference
        )
        for header, value in typed.items():
            if value is None and header not in head:
                continue  # a header this service words differently
            cell = ws.cell(row, head[header], value)
            if isinstance(value, dt.date):
                cell.number_format = "dd/mm/yyyy"
        wb.save(self.workbook)

    def row(self, reference: str, sheet: str = "Referrals") -> dict:
        ws = openpyxl.load_workbook(self.workbook)[sheet]
        head = [c.value for c in ws[1]]
        for r in ws.iter_rows(min_row=2, values_only=True):
            if r[head.index("Reference")] == reference:
                return dict(zip(head, r))
        raise KeyError(reference)

    def pack(self, reference: str) -> list[Path]:
        folder = self.config.outbox_dir / reference
        return sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []

    def mails(self, kind: str) -> list[email.message.EmailMessage]:
        out = []
        for p in sorted(self.config.mail_dir.glob(f"*_{kind}_*.eml")):
            with open(p, "rb") as fh:
                out.append(email.message_from_binary_file(fh, policy=email.policy.default))
        return out


def resent(src: Path, dest: Path, note: str = "sent again") -> Path:
    """The same form for the same child sent again as a different file (a small change: the
    note is added to the child's needs; the same answers again would be a copy, not an update)."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                assert b"No allergies." in data
                data = data.replace(b"No allergies.", f"No allergies ({note}).".encode())
            zout.writestr(info, data)
        zout.comment = note.encode()
    return dest


def copied(src: Path, dest: Path) -> Path:
    """The same form, the same answers, as a different file (saved again, or as PDF)."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.comment = b"saved again"
    return dest


def libreoffice_round_trip(path: Path) -> None:
    """Open and save the workbook in LibreOffice Calc (as a co-ordinator on LibreOffice
    does), in place."""
    out = path.parent / "lo-out"
    out.mkdir(exist_ok=True)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.move(str(out / path.name), str(path))
    shutil.rmtree(out, ignore_errors=True)
