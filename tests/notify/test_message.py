"""One outgoing email: stable names from its key, the headers that stop reply loops, its
recipients, and attachments a mail client can open."""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
from email import message_from_bytes, policy

import pytest

from pipeline.notify.message import build_email, eml_name, message_id

KEY = "FT-2026-00001:accepted:17"
SENDER = "family.time@council.gov.uk"


def _email(tmp_path=None, files=(), **changes):
    args = dict(
        key=KEY,
        subject="Referral received",
        sender=SENDER,
        sender_name="Family  Time\tTeam",
        to=["sw@council.gov.uk"],
        cc=["manager@council.gov.uk", "team@council.gov.uk"],
        reply_to="family.time@council.gov.uk",
        auto_submitted="auto-generated",
        text="Plain words.",
        html="<p>Plain words.</p>",
        files=list(files),
        now=dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC),
    )
    args.update(changes)
    return message_from_bytes(
        build_email(**args).as_bytes(policy=policy.SMTP), policy=policy.default
    )


def test_names_from_a_key_are_the_same_as_earlier_releases_wrote():
    """An outbox written by an earlier release must be recognised (no second copy sent):
    the file name and Message-ID for a key never change."""
    assert eml_name(KEY) == "FT-2026-00001_accepted_17-7ee9e2782a.eml"
    assert (
        message_id(KEY, SENDER) == "<7ee9e2782a64af1c4b68f9da206d64d4.family-time@council.gov.uk>"
    )


def test_the_message_id_names_the_senders_domain_or_a_reserved_one():
    assert message_id(KEY, "ft@other.example.org").endswith(".family-time@other.example.org>")
    assert message_id(KEY, "").endswith(".family-time@family-time.invalid>")


@pytest.mark.parametrize(
    "key, start",
    [
        ("FT-2026-00001:attention:INBOX", "FT-2026-00001_attention_INBOX-"),
        (".FT-2026-00002:old_form:3.", "FT-2026-00002_old_form_3-"),  # never a hidden file
        ("::", "message-"),
    ],
)
def test_the_file_name_keeps_the_key_readable_and_safe_on_every_system(key, start):
    name = eml_name(key)
    assert name.startswith(start) and re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*\.eml", name)


def test_a_long_key_gives_a_short_enough_file_name_for_windows():
    name = eml_name("FT-2026-00001:attention:" + "x" * 300)
    assert len(name) <= 95 and name.endswith(".eml")


def test_every_recipient_is_in_the_headers():
    msg = _email()
    assert [a.addr_spec for a in msg["To"].addresses] == ["sw@council.gov.uk"]
    assert [a.addr_spec for a in msg["Cc"].addresses] == [
        "manager@council.gov.uk",
        "team@council.gov.uk",
    ]
    assert msg["Reply-To"].addresses[0].addr_spec == "family.time@council.gov.uk"
    assert msg["From"].addresses[0].display_name == "Family Time Team"
    assert "Cc" not in _email(cc=[])


def test_the_headers_that_stop_reply_loops_are_always_there():
    msg = _email()
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["X-Auto-Response-Suppress"] == "All"
    assert msg["X-Family-Time-Key"] == KEY


def test_the_date_is_the_moment_given_or_now():
    assert _email()["Date"].datetime == dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sent = _email(now=None)["Date"].datetime
    assert before <= sent <= dt.datetime.now(dt.UTC)


def test_the_text_and_html_parts_are_both_readable():
    msg = _email()
    assert msg.get_body(("plain",)).get_content().strip() == "Plain words."
    assert msg.get_body(("html",)).get_content().strip() == "<p>Plain words.</p>"


def _attached_types(msg):
    return {p.get_filename(): p.get_content_type() for p in msg.iter_attachments()}


def test_attachments_carry_their_own_types_whatever_the_operating_system_says(
    tmp_path, monkeypatch
):
    """Windows fills the MIME table from the registry, which can be wrong or empty: the
    service's own documents are typed from the program's table."""
    files = []
    for name in ("form.docx", "letter.PDF", "original.eml"):
        (tmp_path / name).write_bytes(b"x")
        files.append(tmp_path / name)
    monkeypatch.setattr(mimetypes, "guess_type", lambda *a, **k: ("text/plain", None))
    assert _attached_types(_email(files=files)) == {
        "form.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "letter.PDF": "application/pdf",
        "original.eml": "message/rfc822",
    }


def test_other_attachments_are_typed_by_their_extension_or_as_plain_bytes(tmp_path):
    (tmp_path / "notes.txt").write_bytes(b"notes")
    (tmp_path / "scan.unknownext").write_bytes(b"\x00\x01")
    msg = _email(files=[tmp_path / "notes.txt", tmp_path / "scan.unknownext"])
    assert _attached_types(msg) == {
        "notes.txt": "text/plain",
        "scan.unknownext": "application/octet-stream",
    }
