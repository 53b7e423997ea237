"""Every file under the inbox is processed, at any depth, in events and polling mode alike;
the archive keeps the sub-folder's name; sub-folders IT sets aside are listed by `status`
(issue 17: forms in a sub-folder were never seen, and `status` said nothing was waiting)."""

from __future__ import annotations

import re
import shutil
import threading
import time

import pytest

from pipeline.commands.status import describe, gather
from pipeline.config import load_config
from pipeline.intake.watcher import InboxWatcher
from pipeline.ledger import Ledger

from tests.helpers.intake_kit import Work, wait_for
from tests.helpers.paths import FIXTURES

FORM = FIXTURES / "forms" / "referral-complete.docx"


def _items(work):
    led = Ledger(work.config.ledger_path)
    try:
        return led.items()
    finally:
        led.close()


def _ignore(work, names: list[str]) -> Work:
    text = work.config_path.read_text(encoding="utf-8")
    setting = "ignore_subfolders = [" + ", ".join(f'"{n}"' for n in names) + "]"
    if re.search(r"(?m)^ignore_subfolders = ", text):
        text = re.sub(r"(?m)^ignore_subfolders = .*$", setting, text)
    else:
        text = re.sub(r"(?m)^\[watch\]\s*$", "[watch]\n" + setting, text, count=1)
    work.config_path.write_text(text, encoding="utf-8")
    work.config = load_config(work.config_path)
    return work


@pytest.mark.parametrize("mode", ["events", "polling"])
def test_a_form_saved_in_a_subfolder_is_processed_and_archived_under_its_name(make_work, mode):
    work = make_work(mode=mode)
    watcher = InboxWatcher(work.config, work.profile, work.ledger, mode=mode, effects=lambda: None)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    try:
        time.sleep(0.3)
        deep = work.inbox / "Referrals from Hub" / "November"
        deep.mkdir(parents=True)  # a folder made while watching
        shutil.copyfile(FORM, deep / "child-a.docx")
        assert wait_for(lambda: len(_items(work)) == 1, timeout=15)
    finally:
        stop.set()
        watcher.stop()
        thread.join(timeout=10)
    [item] = _items(work)
    assert item.outcome == "accepted" and item.reference
    archived = (
        work.config.archive_dir / "accepted" / "Referrals from Hub" / "November" / "child-a.docx"
    )
    assert archived.is_file() and not (deep / "child-a.docx").exists()
    assert "not handled yet" not in "\n".join(describe(gather(work.ledger, work.config)))


def test_once_reads_subfolders_and_status_lists_the_ignored_ones(work):
    _ignore(work, ["Scans to check"])
    (work.inbox / "From court").mkdir()
    shutil.copyfile(FORM, work.inbox / "From court" / "order-referral.docx")
    (work.inbox / "Scans to check" / "old").mkdir(parents=True)
    shutil.copyfile(FORM, work.inbox / "Scans to check" / "old" / "scan.docx")

    facts = gather(work.ledger, work.config)  # before: one waits, one is set aside
    assert facts["in_inbox"] == 1
    assert facts["ignored"] == ["Scans to check/old/scan.docx"]

    InboxWatcher(work.config, work.profile, work.ledger, effects=lambda: None).run_once(timeout=20)
    assert [i.original_name for i in _items(work)] == ["order-referral.docx"]
    assert (work.config.archive_dir / "accepted" / "From court" / "order-referral.docx").is_file()
    assert (work.inbox / "Scans to check" / "old" / "scan.docx").is_file()  # left alone
    text = "\n".join(describe(gather(work.ledger, work.config)))
    assert "1 file(s) in inbox sub-folders set to be ignored" in text
    assert "  Scans to check/old/scan.docx" in text
    assert "not handled yet" not in text


def test_hidden_and_our_own_folders_inside_the_inbox_are_never_read(work):
    (work.inbox / ".sync").mkdir()
    shutil.copyfile(FORM, work.inbox / ".sync" / "conflict.docx")
    assert gather(work.ledger, work.config)["in_inbox"] == 0
