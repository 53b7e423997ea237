"""Every mail fault in plain words (issue 27): a full disk or a mail folder that cannot be
written is named in the log and in `status`, never "waiting for the mail server"."""

from __future__ import annotations

import errno
import shutil

import pytest

from pipeline.cli import main
from pipeline.notify import MailOutbox, messages_for
from pipeline.notify import outbox as outbox_module

from tests.helpers.intake_kit import make_workdir
from tests.helpers.paths import FIXTURES


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-04")


def _failing(code: int):
    def write(path, data, *a, **kw):
        raise OSError(
            code, {errno.ENOSPC: "No space left on device"}.get(code, "Permission denied")
        )

    return write


@pytest.mark.parametrize(
    "code, said",
    [(errno.ENOSPC, "is full"), (errno.EACCES, "cannot be written by this account")],
)
def test_the_outbox_says_what_stopped_it(code, said, make_item, profile, config, monkeypatch):
    monkeypatch.setattr(outbox_module, "write_private", _failing(code))
    box = MailOutbox(config, profile)
    [msg] = messages_for(make_item("accepted"), profile, None)
    assert box.deliver(msg) is False
    assert said in box.problem and str(config.mail_dir) in box.problem
    assert "mail server" not in box.problem


def test_status_names_a_full_disk(tmp_path, capsys, monkeypatch, caplog):
    root = tmp_path / "team"
    assert main(["init", str(root)]) == 0
    config = make_workdir(root)
    shutil.copyfile(FIXTURES / "forms/referral-complete.docx", root / "inbox" / "referral.docx")
    monkeypatch.setattr(outbox_module, "write_private", _failing(errno.ENOSPC))
    main(["watch", "--once", "--config", str(config)])
    capsys.readouterr()
    assert any("is full" in r.getMessage() for r in caplog.records)
    assert main(["status", "--config", str(config)]) == 0
    text = capsys.readouterr().out
    assert "is full, so no email can be written or sent" in text
    assert "waiting for the mail server" not in text
