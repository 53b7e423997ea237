"""Emails built the way mail systems build them (real MIME headers, attachments), and forms
changed the way people change them, for the intake and notify tests."""

from __future__ import annotations

import datetime as dt
import zipfile
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

from tests.helpers.paths import FIXTURES

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORM_SW_EMAIL = "sam.fictional-worker@example.gov.uk"  # in forms/referral-complete.docx


def referral_email(
    sender: str,
    *,
    attachment: Path | None = None,
    headers: dict[str, str] | None = None,
    subject: str = "Family Time referral",
    when: dt.datetime | None = None,
) -> bytes:
    """An email carrying a referral form, with the headers a case-management system or a
    forwarding rule adds (Auto-Submitted, Precedence ...)."""
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "Family Time <familytime@nct.example.org>"
    m["Subject"] = subject
    m["Date"] = format_datetime(when or dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC))
    m["Message-ID"] = f"<{abs(hash((sender, subject)))}@mail.example.org>"
    for k, v in (headers or {}).items():
        m[k] = v
    m.set_content("Please find the referral attached.\n")
    path = attachment or FIXTURES / "forms" / "referral-complete.docx"
    m.add_attachment(
        path.read_bytes(), maintype="application", subtype=DOCX.split("/")[1], filename=path.name
    )
    return m.as_bytes(policy=SMTP)


def docx_with(src: Path, dest: Path, replace: dict[str, str]) -> Path:
    """A copy of a .docx with text replaced in its body (as a person retyping an answer)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                for old, new in replace.items():
                    assert old in text, f"{old!r} not in the form"
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            zout.writestr(info, data)
    return dest
