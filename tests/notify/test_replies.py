"""Replies to our own mail saved into the inbox (issue 27): a delivery failure (RFC 3464) of
an acknowledgement makes the referral "not acknowledged — address bounced" in the tracker row,
`status` and the digest; an out-of-office reply is filed with the referral and nobody is
mailed. Run as a person runs them: `init`, `watch --once`, `status`."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re
import shutil
import sqlite3
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest
from aiosmtpd.controller import Controller

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.ledger import Ledger
from pipeline.notify import digest
from pipeline.notify.replies import read_reply
from pipeline.profile import PROFILES, load_profile

from tests.helpers.intake_kit import make_workdir
from tests.helpers.notify_kit import Handler, free_port
from tests.helpers.paths import FIXTURES

TODAY = "2026-12-04"
OURS = "familytime@nct.example.org"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)


@pytest.fixture
def smtp():
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    controller.start()
    yield controller.port, handler
    controller.stop()


@pytest.fixture
def team(tmp_path, smtp, capsys) -> Path:
    """A working folder with a mail server, and one referral acknowledged by it."""
    root = tmp_path / "team"
    assert main(["init", str(root)]) == 0
    config = make_workdir(root)
    text = (PROFILES / "northamptonshire.toml").read_text(encoding="utf-8")
    anchor = 'from_name = "Family Time Service (automatic message)"\n'
    text = text.replace(
        anchor,
        anchor + f'\n[mail.smtp]\nhost = "127.0.0.1"\nport = {smtp[0]}\nstarttls = false\n',
    )
    (root / "service-profile.toml").write_text(text, encoding="utf-8")
    settings = config.read_text(encoding="utf-8")
    settings = re.sub(r"(?m)^profile = .*$", 'profile = "service-profile.toml"', settings)
    config.write_text(settings, encoding="utf-8")
    shutil.copyfile(FIXTURES / "forms/referral-complete.docx", root / "inbox" / "referral.docx")
    assert main(["watch", "--once", "--config", str(config)]) == 0
    capsys.readouterr()
    return config


def _ack(handler) -> EmailMessage:
    [raw] = [m[2] for m in handler.received if b":accepted:" in m[2]]
    return email.message_from_bytes(raw, policy=email.policy.default)


def _bounce(original: EmailMessage, code: str = "5.1.1", action: str = "failed") -> bytes:
    """A delivery failure as Exchange and Postfix write it (RFC 3464): a human part, the
    machine-readable status, and the returned message's headers."""
    headers = "".join(f"{k}: {v}\r\n" for k, v in original.items())
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.gov.uk>\r\n"
        f"To: {OURS}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain\r\n\r\n"
        "Your message could not be delivered to one or more recipients.\r\n"
        "\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.gov.uk\r\n\r\n"
        "Final-Recipient: rfc822; sam.fictional-worker@example.gov.uk\r\n"
        f"Action: {action}\r\nStatus: {code}\r\n"
        "\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"{headers}"
        "\r\n--B--\r\n"
    ).encode()


def _out_of_office(original: EmailMessage) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Sam Worker <sam.fictional-worker@example.gov.uk>"
    msg["To"] = OURS
    msg["Subject"] = f"Automatic reply: {original['Subject']}"
    msg["In-Reply-To"] = original["Message-ID"]
    msg["Auto-Submitted"] = "auto-replied"
    msg.set_content("I am out of the office until Monday. For urgent matters call the duty desk.")
    return msg.as_bytes()


def _drop_and_watch(config: Path, name: str, data: bytes, capsys) -> None:
    (config.parent / "inbox" / name).write_bytes(data)
    assert main(["watch", "--once", "--config", str(config)]) == 0
    capsys.readouterr()


def _status(config: Path, capsys) -> str:
    assert main(["status", "--config", str(config)]) == 0
    return capsys.readouterr().out


def _cell(config: Path) -> object:
    [book] = (config.parent / "outbox" / "tracker").glob("*.xlsx")
    ws = openpyxl.load_workbook(book)["Referrals"]
    head = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    return rows["FT-2026-00001"]["Acknowledgement sent"]


def _events(config: Path, kind: str) -> list[dict]:
    with sqlite3.connect(config.parent / "state" / "ledger.sqlite") as db:
        rows = db.execute("SELECT detail FROM events WHERE kind = ?", (kind,)).fetchall()
    return [json.loads(r[0]) for r in rows]


def test_a_bounced_acknowledgement_is_shown_everywhere(team, smtp, capsys):
    _, handler = smtp
    ack = _ack(handler)
    assert _cell(team) == dt.datetime(2026, 12, 4)  # sent, as the server said
    sent_before = len(handler.received)
    _drop_and_watch(team, "Undelivered Mail Returned to Sender.eml", _bounce(ack), capsys)

    [bounced] = _events(team, "mail_bounced")
    assert bounced["message"] == "FT-2026-00001:accepted:1"
    assert bounced["message_id"] == ack["Message-ID"] and bounced["code"] == "5.1.1"
    assert str(_cell(team)).startswith("Not acknowledged — address bounced on 04/12/2026")
    text = _status(team, capsys)
    assert "FT-2026-00001: not acknowledged — address bounced" in text
    assert "Every referral has been acknowledged." not in text
    assert len(handler.received) == sent_before  # nobody is mailed about a bounce

    config = load_config(team)
    lines = digest.reminders(
        Ledger(config.ledger_path), config, load_profile(config.profile_reference())
    )
    assert any("not acknowledged — address bounced" in r.text for r in lines)


def test_an_out_of_office_reply_is_filed_and_nobody_is_mailed(team, smtp, capsys):
    _, handler = smtp
    sent_before = len(handler.received)
    _drop_and_watch(team, "Automatic reply.eml", _out_of_office(_ack(handler)), capsys)
    [reply] = _events(team, "mail_auto_reply")
    assert reply["message"] == "FT-2026-00001:accepted:1"
    assert len(handler.received) == sent_before
    assert _cell(team) == dt.datetime(2026, 12, 4)  # still acknowledged
    assert "FT-2026-00001: an out-of-office reply came back on 04/12/2026" in _status(team, capsys)


def test_a_delay_report_is_neither_a_bounce_nor_an_out_of_office_reply(team, smtp, capsys):
    """RFC 3464 "Action: delayed": the mail server is still trying. Filed, nobody mailed, the
    acknowledgement still counts, and status says what it was (never "out-of-office")."""
    _, handler = smtp
    sent_before = len(handler.received)
    _drop_and_watch(team, "Delayed.eml", _bounce(_ack(handler), "4.4.7", "delayed"), capsys)
    [notice] = _events(team, "mail_auto_reply")
    assert notice["notice"] == "delayed"
    assert len(handler.received) == sent_before
    assert _cell(team) == dt.datetime(2026, 12, 4)  # still acknowledged
    said = _status(team, capsys)
    assert "reported on 04/12/2026 that a message was delayed (not a failure)" in said
    assert "out-of-office" not in said


def test_a_bounce_naming_only_the_reference_is_matched_by_it():
    msg = EmailMessage()
    msg["From"] = "postmaster@mx.example.gov.uk"
    msg["Subject"] = "Delivery failure: Family Time referral FT-2026-00007: received"
    msg.set_content("Remote server returned '550 5.1.10 RecipientNotFound'")
    reply = read_reply(msg.as_bytes())
    assert reply.kind == "bounced" and reply.references == ["FT-2026-00007"]
    assert reply.code == "5.1.10"


@pytest.mark.parametrize(
    "headers",
    [
        {"From": "Sam <sam@example.gov.uk>", "Subject": "Re: referral FT-2026-00001"},
        {"From": "Sam <sam@example.gov.uk>", "Subject": "Referral for a child known as Ed"},
    ],
)
def test_a_person_writing_back_is_not_taken_for_an_automatic_reply(headers):
    msg = EmailMessage()
    for k, v in headers.items():
        msg[k] = v
    msg.set_content("Please find the updated form attached.")
    assert read_reply(msg.as_bytes()) is None
