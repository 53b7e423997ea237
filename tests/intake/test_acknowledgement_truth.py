""" "Sent" only where a message was sent. A folder made by `init` has no mail server: every
email is only written to outbox/mail, so the tracker's "Acknowledgement sent" cell, `status` and
the demo say so, and never give a date or "acknowledged" for a message that went nowhere.
With a real (local) mail server the cell gives the date it went; a message the server has not
taken yet is not acknowledged; a withheld one says "Not sent: <why>". A ledger from before the
timeline (acknowledgements with no event) is brought up to date once, with what the outbox says
and the day the mail was done.

Run as a person runs them: `family-time init`, `watch --once`, `status`, `tracker sync`, `demo`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from aiosmtpd.controller import Controller

from pipeline.cli import main
from pipeline.profile import PROFILES

from tests.helpers.intake_kit import make_workdir
from tests.helpers.mime_kit import FORM_SW_EMAIL, docx_with, referral_email
from tests.helpers.notify_kit import Handler, free_port
from tests.helpers.paths import FIXTURES

TODAY = "2026-12-04"
WRITTEN = "Written to outbox/mail on 04/12/2026, not sent: no mail server is set up"
ALL_SENT = "Every referral has been acknowledged."


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)


def _init(tmp_path: Path, smtp_port: int | None = None) -> Path:
    """`family-time init`, with short settle times; with a port, the service's own profile
    file with [mail.smtp] pointing at a local server."""
    root = tmp_path / "team"
    assert main(["init", str(root)]) == 0
    config = make_workdir(root)  # the same folder: only the watch timings
    if smtp_port is not None:
        text = (PROFILES / "northamptonshire.toml").read_text(encoding="utf-8")
        anchor = 'from_name = "Family Time Service (automatic message)"\n'
        assert anchor in text
        text = text.replace(
            anchor,
            anchor + f'\n[mail.smtp]\nhost = "127.0.0.1"\nport = '
            f"{smtp_port}\nstarttls = false\n"
            "timeout_seconds = 1.0\n",
        )
        (root / "service-profile.toml").write_text(text, encoding="utf-8")
        settings = config.read_text(encoding="utf-8")
        settings = re.sub(r"(?m)^profile = .*$", 'profile = "service-profile.toml"', settings)
        config.write_text(settings, encoding="utf-8")
    return config


def _drop(config: Path, fixture: str = "forms/referral-complete.docx") -> None:
    shutil.copyfile(FIXTURES / fixture, config.parent / "inbox" / Path(fixture).name)


def _watch_once(config: Path, capsys) -> None:
    assert main(["watch", "--once", "--config", str(config)]) == 0
    capsys.readouterr()


def _status(config: Path, capsys) -> tuple[str, dict]:
    assert main(["status", "--config", str(config)]) == 0
    text = capsys.readouterr().out
    assert main(["status", "--json", "--config", str(config)]) == 0
    return text, json.loads(capsys.readouterr().out)


def _cell(config: Path, reference: str = "FT-2026-00001"):
    [book] = (config.parent / "outbox" / "tracker").glob("*.xlsx")
    ws = openpyxl.load_workbook(book)["Referrals"]
    head = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    return rows[reference]["Acknowledgement sent"]


def _events(config: Path, kind: str = "acknowledged") -> list[tuple[str, dict]]:
    with sqlite3.connect(config.parent / "state" / "ledger.sqlite") as db:
        rows = db.execute(
            "SELECT effective_on, detail FROM events WHERE kind = ?", (kind,)
        ).fetchall()
    return [(on, json.loads(detail)) for on, detail in rows]


def test_with_no_mail_server_nothing_says_sent(tmp_path, capsys):
    config = _init(tmp_path)
    _drop(config)
    _watch_once(config, capsys)
    assert len(list((config.parent / "outbox" / "mail").glob("FT-2026-00001_accepted_*"))) == 1
    assert _cell(config) == WRITTEN  # no date: it went nowhere
    assert _events(config) == [
        (TODAY, {"how": "written", "item": 1, "message": "FT-2026-00001:accepted:1"})
    ]

    text, facts = _status(config, capsys)
    assert ALL_SENT not in text
    assert (
        "Acknowledgements of complete referrals: 0 sent, 1 written to outbox/mail but not "
        "sent, 0 not sent on purpose, 0 not done yet"
    ) in text
    assert "No mail server is set up" in text and "NOT sent to anyone" in text
    # the folder's own copy of the profile, the file to change (never the installed one)
    own = config.parent / "service-profile.toml"
    assert f"set up [mail.smtp] in the service profile ({own.resolve()})" in text.replace(
        f"({own})", f"({own.resolve()})"
    )
    assert facts["acknowledgements"] == {"sent": 0, "written": 1, "withheld": 0, "waiting": 0}
    assert facts["mail_server"] is False

    # a full sync from the ledger says the same (nothing turns it back into a date)
    assert main(["tracker", "sync", "--full", "--config", str(config)]) == 0
    assert _cell(config) == WRITTEN
    # a second pass writes nothing twice
    _watch_once(config, capsys)
    assert len(_events(config)) == 1


def test_the_demo_never_says_emailed_without_a_mail_server(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-07")
    config = _init(tmp_path)
    assert main(["demo", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "emailed" not in out and ALL_SENT not in out
    assert (
        "Its email to the supervisor and the social worker is written to outbox/mail, not "
        "sent (no mail server is set up)."
    ) in out
    assert "written to outbox/mail but not sent" in out and "No mail server is set up" in out


def test_with_a_mail_server_the_date_it_went_and_every_referral_acknowledged(tmp_path, capsys):
    handler = Handler()
    server = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    server.start()
    try:
        config = _init(tmp_path, server.port)
        _drop(config)
        _watch_once(config, capsys)
    finally:
        server.stop()
    acknowledgements = [m for m in handler.received if FORM_SW_EMAIL in m[1]]
    assert len(acknowledgements) == 1  # (the team's digest went too)
    assert _cell(config) == dt.datetime(2026, 12, 4)  # a date, as Excel reads it
    assert [d["how"] for _, d in _events(config)] == ["sent"]
    text, facts = _status(config, capsys)
    assert ALL_SENT in text and "No mail server" not in text
    assert "1 sent, 0 written to outbox/mail but not sent" in text
    assert facts["mail_server"] is True


def test_a_message_the_mail_server_has_not_taken_is_not_acknowledged(tmp_path, capsys):
    config = _init(tmp_path, free_port())  # nothing listens there
    _drop(config)
    _watch_once(config, capsys)
    assert _cell(config) is None  # blank: nothing to say yet
    assert _events(config) == []
    text, facts = _status(config, capsys)
    assert facts["acknowledgements"] == {"sent": 0, "written": 0, "withheld": 0, "waiting": 1}
    assert "Oldest referral not yet acknowledged: FT-2026-00001" in text
    assert ALL_SENT not in text
    assert "email waiting for the mail server: FT-2026-00001:accepted:1" in text


def test_a_withheld_acknowledgement_says_not_sent_and_why(tmp_path, capsys):
    config = _init(tmp_path)
    form = docx_with(
        FIXTURES / "forms" / "referral-complete.docx",
        tmp_path / "form.docx",
        {FORM_SW_EMAIL: "no-reply@mosaic.example.gov.uk"},
    )
    (config.parent / "inbox" / "referral.eml").write_bytes(
        referral_email(
            "Mosaic <no-reply@mosaic.example.gov.uk>",
            attachment=form,
            headers={"Auto-Submitted": "auto-generated"},
        )
    )
    _watch_once(config, capsys)
    cell = _cell(config)
    assert cell.startswith("Not sent: the email was itself an automatic")
    [(on, detail)] = _events(config)
    assert on == TODAY and detail["how"] == "withheld" and detail["why"] == cell
    text, facts = _status(config, capsys)
    assert facts["acknowledgements"]["withheld"] == 1 and ALL_SENT not in text
    assert "1 not sent on purpose" in text


def _forget_events(config: Path, done_on: str) -> None:
    """The ledger as it was before the timeline: no acknowledgement events; the mail effect
    done on `done_on`."""
    with sqlite3.connect(config.parent / "state" / "ledger.sqlite") as db:
        db.execute("DELETE FROM events WHERE kind = 'acknowledged'")
        db.execute(
            "UPDATE effects SET done_at = ? WHERE effect = 'mail' AND status = 'done'",
            (f"{done_on}T10:15:00",),
        )


def test_an_acknowledgement_from_before_the_timeline_is_written_once(tmp_path, capsys, monkeypatch):
    config = _init(tmp_path)
    _drop(config)
    _watch_once(config, capsys)
    _forget_events(config, "2026-11-30")
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-10")  # days later, a new process
    _drop(config, "forms/letter-not-a-referral.docx")  # any pass
    _watch_once(config, capsys)
    # what the outbox says became of it (only written), on the day its mail was done
    assert _events(config) == [
        ("2026-11-30", {"how": "written", "item": 1, "message": "FT-2026-00001:accepted:1"})
    ]
    assert _cell(config) == (
        "Written to outbox/mail on 30/11/2026, not sent: no mail server is set up"
    )
    _watch_once(config, capsys)
    assert len(_events(config)) == 1  # once


def test_a_sent_acknowledgement_from_before_the_timeline_keeps_its_date(
    tmp_path, capsys, monkeypatch
):
    handler = Handler()
    server = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    server.start()
    try:
        config = _init(tmp_path, server.port)
        _drop(config)
        _watch_once(config, capsys)
    finally:
        server.stop()
    _forget_events(config, "2026-11-30")
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-10")
    text, facts = _status(config, capsys)  # status brings it up to date
    assert facts["acknowledgements"]["sent"] == 1 and ALL_SENT in text
    assert [(on, d["how"]) for on, d in _events(config)] == [("2026-11-30", "sent")]
    assert main(["tracker", "sync", "--config", str(config)]) == 0
    assert _cell(config) == dt.datetime(2026, 11, 30)
