"""The test-only .msg writer produces files Outlook's reader library reads back unchanged, so
the .msg fixtures exercise the reader as real Outlook mail would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import extract_msg
import olefile

from tests.fixtures import msg_writer

WHEN = dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC)


def _round_trip(tmp_path: Path, message) -> extract_msg.Message:
    p = tmp_path / "m.msg"
    p.write_bytes(msg_writer.build_msg(message))
    ole = olefile.OleFileIO(str(p), raise_defects=olefile.DEFECT_INCORRECT)  # strict
    ole.close()
    return extract_msg.openMsg(str(p))


def test_subject_sender_body_and_attachments_read_back(tmp_path):
    big = bytes(range(256)) * 40  # > 4096 bytes: ordinary sectors
    small = b"%PDF-1.4 small"  # mini stream
    m = msg_writer.MsgMessage(
        subject="Referral for Zoë Example – urgent",
        sender_email="sam.worker@example.org",
        sender_name="Sam Worker-Example",
        body="Héllo,\r\nplease see attached.",
        date=WHEN,
        attachments=[
            msg_writer.MsgAttachment("Referral form.docx", big),
            msg_writer.MsgAttachment("agreement.pdf", small),
        ],
    )
    msg = _round_trip(tmp_path, m)
    try:
        assert msg.subject == "Referral for Zoë Example – urgent"
        assert msg.sender == "Sam Worker-Example <sam.worker@example.org>"
        assert msg.body.startswith("Héllo,")
        assert msg.date == WHEN
        assert [(a.longFilename, a.data) for a in msg.attachments] == [
            ("Referral form.docx", big),
            ("agreement.pdf", small),
        ]
    finally:
        msg.close()


def test_embedded_forwarded_message_and_transport_headers(tmp_path):
    inner = msg_writer.MsgMessage(
        subject="Inner",
        sender_email="a@example.org",
        attachments=[msg_writer.MsgAttachment("f.pdf", b"x" * 5000)],
    )
    m = msg_writer.MsgMessage(
        subject="Fwd: Inner",
        sender_email="b@example.org",
        headers="From: b@example.org\r\nAuto-Submitted: auto-replied\r\n\r\n",
        attachments=[msg_writer.MsgAttachment("Inner", message=inner)],
    )
    msg = _round_trip(tmp_path, m)
    try:
        assert msg.header["Auto-Submitted"] == "auto-replied"
        (att,) = msg.attachments
        assert att.data.subject == "Inner"
        assert att.data.attachments[0].data == b"x" * 5000
    finally:
        msg.close()


def test_many_attachments_span_several_directory_and_minifat_sectors(tmp_path):
    atts = [
        msg_writer.MsgAttachment(f"file-{i:02d}.txt", f"content {i}".encode() * (i + 1))
        for i in range(40)
    ]
    msg = _round_trip(
        tmp_path,
        msg_writer.MsgMessage(subject="Many", sender_email="c@example.org", attachments=atts),
    )
    try:
        got = [(a.longFilename, a.data) for a in msg.attachments]
        assert got == [(a.filename, a.data) for a in atts]
    finally:
        msg.close()


def test_output_is_deterministic():
    m = msg_writer.MsgMessage(
        subject="Same",
        sender_email="d@example.org",
        date=WHEN,
        attachments=[msg_writer.MsgAttachment("a.pdf", b"1234")],
    )
    assert msg_writer.build_msg(m) == msg_writer.build_msg(m)
