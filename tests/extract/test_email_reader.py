"""The email reader: who sent it, whether it is automatic, and every attachment read safely."""

from __future__ import annotations

import json
import tempfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from pipeline.extract import extract_all, extract_file
from pipeline.extract.email import (
    MAX_ATTACHMENTS,
    MAX_DEPTH,
    NO_ATTACHMENT_REASON,
    is_automatic,
    safe_display_name,
)
from pipeline.extract.email import read_email as _read_email

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def read_email(path, profile=None):
    """The email reader as the room's front door calls it (attachments read by extract_all)."""
    return _read_email(path, profile, read_attachment=extract_all)


EMAILS = sorted(p for p in (FIXTURES / "email").glob("*") if p.suffix in (".eml", ".msg"))


def _check(result, expected: dict) -> None:
    form = expected["form"]
    assert result.form.status == form["status"], result.form.reason
    assert result.form.id == form.get("id")
    assert result.form.version == form.get("version")
    for phrase in form.get("reason_contains", []):
        assert phrase.lower() in result.form.reason.lower()
    assert result.file == expected["file"]
    for key, value in expected["fields"].items():
        assert result.fields.get(key) == value, key


def test_fixtures_exist():
    assert len(EMAILS) >= 16


@pytest.mark.parametrize("path", EMAILS, ids=[p.name for p in EMAILS])
def test_email_fixtures_match_expected(path: Path):
    expected = json.loads(path.with_name(path.name + ".expected.json").read_text("utf-8"))
    result = read_email(path)
    _check(result, expected)
    assert result.sender == expected["from"]
    assert result.subject == expected["subject"]
    assert result.date == expected["date"]
    assert result.auto_submitted is expected["auto_submitted"]
    assert len(result.attachments) == len(expected["attachments"])
    for got, want in zip(result.attachments, expected["attachments"]):
        _check(got, want)
    out = result.to_json_dict()
    assert out["from"] == expected["from"] and len(out["attachments"]) == len(result.attachments)


def test_eml_and_msg_of_the_same_message_read_the_same():
    for eml in (FIXTURES / "email").glob("*.eml"):
        a, b = read_email(eml), read_email(eml.with_suffix(".msg"))
        assert (a.sender, a.subject, a.date, a.auto_submitted) == (
            b.sender,
            b.subject,
            b.date,
            b.auto_submitted,
        ), eml.name
        assert [(x.file, x.form.status, x.fields) for x in a.attachments] == [
            (x.file, x.form.status, x.fields) for x in b.attachments
        ], eml.name


def test_no_attachment_is_not_a_referral_with_a_plain_reason():
    result = read_email(FIXTURES / "email" / "no-attachment.eml")
    assert result.form.status == "not_referral"
    assert result.form.reason == NO_ATTACHMENT_REASON


def test_inbox_dispatch_reads_emails_with_this_reader():
    for name in ("forwarded.eml", "forwarded.msg"):
        result = extract_file(FIXTURES / "email" / name)
        assert result.is_email and result.attachments[0].form.status == "current"


# ---- attachment names are never paths ----------------------------------------------------


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("../../x.docx", "x.docx"),
        ("..\\..\\Windows\\x.docx", "x.docx"),
        ("/etc/passwd", "passwd"),
        ("C:\\Users\\Public\\referral.pdf", "referral.pdf"),
        ("ref\x00.pdf", "ref.pdf"),
        ("..", "attachment-1"),
        ("", "attachment-1"),
        ("a<b>c:d|e?.docx", "a_b_c_d_e_.docx"),
    ],
)
def test_display_names_are_sanitised(raw, shown):
    assert safe_display_name(raw, 1) == shown


def test_very_long_names_are_shortened_keeping_the_extension():
    shown = safe_display_name("A" * 600 + ".docx")
    assert len(shown) <= 120 and shown.endswith(".docx")


def _mail(attachments: list[tuple[str, bytes]], **headers) -> EmailMessage:
    m = EmailMessage()
    m["From"] = headers.pop("From", "Sam Worker-Example <sam.worker@example.org>")
    m["To"] = "familytime@example.org"
    m["Subject"] = "Referral"
    m["Date"] = "Mon, 02 Mar 2026 09:15:00 +0000"
    for k, v in headers.items():
        m[k.replace("_", "-")] = v
    m.set_content("See attached.")
    for name, data in attachments:
        m.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return m


def test_hostile_names_write_nothing_outside_a_private_temporary_folder(tmp_path, monkeypatch):
    docx = (
        next((FIXTURES / "forms").glob("referral-complete.docx"), None)
        or FIXTURES / "pdf" / "acroform-referral.pdf"
    )
    data = docx.read_bytes()
    names = [
        "../../x.docx",
        "/tmp/abs.docx",
        "..\\..\\win.docx",
        "nul\x00byte.docx",
        "B" * 300 + ".docx",
    ]
    work = tmp_path / "work"
    tmp = tmp_path / "tmp"
    work.mkdir()
    tmp.mkdir()
    eml = work / "mail.eml"
    eml.write_bytes(_mail([(n, data) for n in names]).as_bytes())
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    before = {p for p in tmp_path.rglob("*")}
    result = read_email(eml)
    after = {p for p in tmp_path.rglob("*")}
    assert after == before  # nothing left behind, nothing written beside
    assert not Path("/tmp/abs.docx").exists() or Path("/tmp/abs.docx").stat().st_size != len(data)
    shown = [a.file for a in result.attachments]
    assert shown[:3] == ["x.docx", "abs.docx", "win.docx"]
    for s in shown:
        assert "/" not in s and "\\" not in s and "\x00" not in s and len(s) <= 120
    assert all(a.form.status == result.attachments[0].form.status for a in result.attachments)


# ---- automatic mail ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers, sender, auto",
    [
        ({"Auto-Submitted": "auto-replied"}, "sam@example.org", True),
        ({"Auto-Submitted": "auto-generated"}, "sam@example.org", True),
        ({"Auto-Submitted": "no"}, "sam@example.org", False),
        ({"Precedence": "bulk"}, "sam@example.org", True),
        ({"Precedence": "junk"}, "sam@example.org", True),
        ({"Precedence": "list"}, "sam@example.org", True),
        ({"List-Id": "<news.example.org>"}, "sam@example.org", True),
        ({"X-Autoreply": "yes"}, "sam@example.org", True),
        ({}, "No-Reply <no-reply@example.org>", True),
        ({}, "noreply@example.org", True),
        ({}, "MAILER-DAEMON@mail.example.org", True),
        ({}, "postmaster@example.org", True),
        ({}, "Sam Worker-Example <sam.worker@example.org>", False),
        ({}, "Noreen Replyson <noreen.replyson@example.org>", False),
    ],
)
def test_automatic_messages_are_recognised(headers, sender, auto):
    assert is_automatic(headers, sender) is auto


def test_auto_reply_fixtures_are_flagged_in_both_formats():
    for name in ("auto-reply.eml", "auto-reply.msg", "no-reply-sender.eml", "no-reply-sender.msg"):
        assert read_email(FIXTURES / "email" / name).auto_submitted, name
    assert not read_email(FIXTURES / "email" / "forwarded.msg").auto_submitted


# ---- limits ------------------------------------------------------------------------------


def test_more_than_the_attachment_limit_says_so(tmp_path):
    eml = tmp_path / "many.eml"
    eml.write_bytes(
        _mail([(f"note-{i:02d}.txt", b"hello") for i in range(MAX_ATTACHMENTS + 5)]).as_bytes()
    )
    result = read_email(eml)
    assert len(result.attachments) == MAX_ATTACHMENTS + 1  # the 20 read, and a note
    note = result.attachments[-1]
    assert note.form.status == "unreadable"
    assert f"only the first {MAX_ATTACHMENTS}" in note.form.reason
    assert f"{MAX_ATTACHMENTS + 5} attachments" in result.form.reason


def test_forwards_are_followed_to_a_sane_depth(tmp_path):
    pdf = (FIXTURES / "pdf" / "acroform-referral.pdf").read_bytes()
    inner = _mail([("referral.pdf", pdf)])
    for _ in range(MAX_DEPTH):  # the form sits MAX_DEPTH forwards down: read
        outer = _mail([])
        outer.add_attachment(inner)
        inner = outer
    ok = tmp_path / "deep-ok.eml"
    ok.write_bytes(inner.as_bytes())
    result = read_email(ok)
    assert [a.form.status for a in result.attachments] == ["current"]
    assert result.form.status == "current"

    too_deep = _mail([])
    too_deep.add_attachment(inner)
    p = tmp_path / "too-deep.eml"
    p.write_bytes(too_deep.as_bytes())
    result = read_email(p)
    assert result.form.status == "unreadable"
    assert "forwarded more than" in result.attachments[-1].form.reason


@pytest.mark.parametrize(
    "name, content",
    [
        ("empty.eml", b""),
        ("binary.eml", bytes(range(256)) * 50),
        ("garbage.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 3000),
        ("text.msg", b"From: someone\r\n\r\nnot outlook"),
        ("cut.msg", (FIXTURES / "email" / "forwarded.msg").read_bytes()[:5000]),
    ],
)
def test_broken_emails_are_unreadable_or_empty_never_an_error(tmp_path, name, content):
    p = tmp_path / name
    p.write_bytes(content)
    result = read_email(p)
    assert result.form.status in ("unreadable", "not_referral")
    assert result.form.reason


def test_attachments_beyond_the_total_size_cap_are_not_read(tmp_path, monkeypatch):
    import pipeline.extract.email as email_reader

    monkeypatch.setattr(email_reader, "MAX_TOTAL_BYTES", 1000)
    eml = tmp_path / "big.eml"
    eml.write_bytes(_mail([("a.txt", b"a" * 600), ("b.txt", b"b" * 600)]).as_bytes())
    result = read_email(eml)
    assert [a.file for a in result.attachments][0] == "a.txt"
    assert "larger than" in result.attachments[-1].form.reason


def test_random_bytes_named_eml_never_raise(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(st.binary(max_size=3000))
    def check(data):
        p = tmp_path / "fuzz.eml"
        p.write_bytes(
            b"From: a@example.org\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
            + data
        )
        result = read_email(p)
        assert result.form.status in ("unreadable", "not_referral", "current", "old")

    check()


def test_outlook_message_attached_as_a_file_is_opened(tmp_path):
    """Outlook's "forward as attachment" puts a whole .msg inside the email (.eml or .msg)."""
    from tests.fixtures import msg_writer as mw

    pdf = (FIXTURES / "pdf" / "acroform-referral.pdf").read_bytes()
    inner = mw.build_msg(
        mw.MsgMessage(
            subject="Referral",
            sender_email="sam@example.org",
            attachments=[mw.MsgAttachment("ref.pdf", pdf)],
        )
    )
    outer = tmp_path / "outer.msg"
    outer.write_bytes(
        mw.build_msg(
            mw.MsgMessage(
                subject="Fwd",
                sender_email="bs@example.org",
                attachments=[mw.MsgAttachment("Referral email.msg", inner)],
            )
        )
    )
    eml = tmp_path / "outer.eml"
    m = _mail([])
    m.add_attachment(
        inner, maintype="application", subtype="vnd.ms-outlook", filename="Referral email.msg"
    )
    eml.write_bytes(m.as_bytes())
    for p in (outer, eml):
        result = read_email(p)
        assert [(a.file, a.form.status) for a in result.attachments] == [("ref.pdf", "current")]
