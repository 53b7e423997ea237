"""Working folders made with `init` (short settle and poll times so tests stay fast), and the
small waits and crash tools the intake, fault and hostile tests share."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path

from tests.helpers.paths import FIXTURES


def make_workdir(
    root: Path, settle: float = 0.2, poll: float = 0.2, rescan: float = 300, mode: str = "auto"
) -> Path:
    from pipeline.commands.init import init_folder

    config = init_folder(root)
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^mode = .*$", f'mode = "{mode}"', text)
    text = re.sub(r"(?m)^settle_seconds = .*$", f"settle_seconds = {settle}", text)
    text = re.sub(r"(?m)^poll_seconds = .*$", f"poll_seconds = {poll}", text)
    text = re.sub(r"(?m)^rescan_seconds = .*$", f"rescan_seconds = {rescan}", text)
    config.write_text(text, encoding="utf-8")
    return config


class Work:
    def __init__(self, config_path: Path):
        from pipeline.config import load_config
        from pipeline.ledger import Ledger

        self.config_path = config_path
        self.config = load_config(config_path)
        self.profile = self.config.load_profile()
        self.ledger = Ledger(self.config.ledger_path)
        self.inbox = self.config.inbox_dir
        self.archive = self.config.archive_dir

    def drop(self, fixture: str, name: str | None = None) -> Path:
        src = FIXTURES / fixture
        dest = self.inbox / (name or src.name)
        shutil.copyfile(src, dest)
        return dest

    def archived(self) -> list[Path]:
        return sorted(
            p for p in self.archive.rglob("*") if p.is_file() and not p.name.endswith(".reason.txt")
        )


def wait_for(cond, timeout=10.0, every=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(every)
    return cond()


def variant(src: Path, dest: Path, n: int) -> None:
    """The same form for a different child: another CareFirst ID and date of birth (one
    child has one open referral, so copies for the same child would update one referral, and
    the same name, birthday and mother under another ID is rightly asked about) and a zip
    comment."""
    born = dt.date(2019, 7, 1) + dt.timedelta(days=n)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"1234567", f"{7000000 + n}".encode())
                data = data.replace(b"14/06/2019", born.strftime("%d/%m/%Y").encode())
                data = data.replace(b"2019-06-14", born.isoformat().encode())
            zout.writestr(info, data)
        zout.comment = f"copy {n}".encode()


def with_review_on(src: Path, dest: Path, day: dt.date) -> Path:
    """The same .docx form with the child's next review on `day` (the fixtures' 21/04/2026
    is before the referrals arrive, which the tracker rightly asks to correct)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"2026-04-21", day.isoformat().encode()).replace(
                    b"21/04/2026", day.strftime("%d/%m/%Y").encode()
                )
            zout.writestr(info, data)
    return dest


def kill(proc: subprocess.Popen) -> None:
    if os.name == "nt":
        proc.terminate()
    else:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
