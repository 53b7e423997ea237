"""An acknowledgement is recorded as sent only when it was written; one deliberately withheld
says so, with the reason, in the ledger, the tracker and `status` (issue 17).

The emails are built as case-management systems and forwarding rules build them: real MIME
headers (Auto-Submitted: auto-forwarded), no-reply senders, the team's own mailbox.
"""

from __future__ import annotations

import email
import email.policy

import openpyxl
import pytest

from pipeline.commands.status import describe, gather
from pipeline.effects import run_effects
from pipeline.intake.process import process_file

from tests.helpers.mailbox import referral_mail
from tests.helpers.mime_kit import FORM_SW_EMAIL, docx_with, referral_email
from tests.helpers.paths import FIXTURES

AUTOMATIC_SOURCES = {
    "auto-forwarded": (
        "Case System <casework@mosaic.example.gov.uk>",
        {"Auto-Submitted": "auto-forwarded"},
    ),
    "no-reply": ("Mosaic <no-reply@mosaic.example.gov.uk>", {}),
    "team's own mailbox": ("Family Time <familytime@nct.example.org>", {}),
}


def sent_mail(work) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in referral_mail(work.config.mail_dir)
    ]


def referrals_sheet(work) -> dict[str, dict]:
    ws = openpyxl.load_workbook(next(work.config.tracker_dir.glob("*.xlsx")))["Referrals"]
    headers = [c.value for c in ws[1]]
    return {r[0]: dict(zip(headers, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}


def _process(work, data: bytes, name: str = "referral.eml"):
    path = work.inbox / name
    path.write_bytes(data)
    items = process_file(path, work.config, work.profile, work.ledger)
    run_effects(work.ledger, work.config, work.profile)
    return items


@pytest.mark.parametrize("source", sorted(AUTOMATIC_SOURCES))
def test_the_social_worker_on_the_form_is_acknowledged_whoever_forwarded_it(work, source):
    sender, headers = AUTOMATIC_SOURCES[source]
    [item] = [
        i
        for i in _process(work, referral_email(sender, headers=headers))
        if i.outcome == "accepted"
    ]
    [msg] = sent_mail(work)
    to = [a.addr_spec for a in msg["To"].addresses]
    assert to == [FORM_SW_EMAIL]  # the person on the form
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["familytime@nct.example.org"]
    assert msg["Auto-Submitted"] == "auto-replied"
    mail = [e for e in work.ledger.effects_of(item.id) if e.effect == "mail"][0]
    assert mail.status == "done"
    # no mail server in this folder: the message was only written to outbox/mail
    cell = referrals_sheet(work)[item.reference]["Acknowledgement sent"]
    assert isinstance(cell, str) and cell.startswith("Written to outbox/mail on ")
    assert cell.endswith("not sent: no mail server is set up")
    assert "Every referral has been acknowledged." not in describe(gather(work.ledger))


def test_no_one_to_write_to_is_recorded_as_withheld_never_as_sent(work, tmp_path):
    # the case system put its own no-reply address in the social worker's email box
    form = docx_with(
        FIXTURES / "forms" / "referral-complete.docx",
        tmp_path / "form.docx",
        {FORM_SW_EMAIL: "no-reply@mosaic.example.gov.uk"},
    )
    data = referral_email(
        "Mosaic <no-reply@mosaic.example.gov.uk>",
        attachment=form,
        headers={"Auto-Submitted": "auto-generated"},
    )
    [item] = [i for i in _process(work, data) if i.outcome == "accepted"]

    assert sent_mail(work) == []  # nothing went
    mail = [e for e in work.ledger.effects_of(item.id) if e.effect == "mail"][0]
    assert mail.status == "withheld"
    assert mail.last_error.startswith("Not sent: the email was itself an automatic")
    assert work.ledger.pending_effects(effect="mail") == []  # never retried as a fault

    cell = referrals_sheet(work)[item.reference]["Acknowledgement sent"]
    assert isinstance(cell, str) and cell.startswith("Not sent: ")

    facts = gather(work.ledger)
    text = "\n".join(describe(facts))
    assert "Not sent on purpose (a person must act):" in text
    assert "Emails: 1 - Not sent: the email was itself an automatic" in text
    assert f"Oldest referral not yet acknowledged: {item.reference}" in text
    assert "Every referral has been acknowledged." not in text


def test_an_automatic_notice_to_the_team_is_withheld_and_says_so(work):
    letter = FIXTURES / "forms" / "letter-not-a-referral.docx"
    data = referral_email("Mosaic <no-reply@mosaic.example.gov.uk>", attachment=letter)
    [item] = _process(work, data)
    assert item.outcome == "not_referral"
    assert sent_mail(work) == []
    mail = [e for e in work.ledger.effects_of(item.id) if e.effect == "mail"][0]
    assert mail.status == "withheld" and "start a loop" in mail.last_error
    assert f"Emails: 1 - {mail.last_error}" in "\n".join(describe(gather(work.ledger)))
