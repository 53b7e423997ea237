"""The pack never goes to a personal mailbox (issue 27): a social worker's email typed on the
form as a gmail address gets no pack; the supervisor and the team do, and the tracker row,
`status` and the digest say it was held and must be sent securely."""

from __future__ import annotations

import pytest

from pipeline.commands.status import describe, gather
from pipeline.extract import extract_file
from pipeline.notify import digest

from tests.helpers.allocation_kit import FORM, SUPERVISOR_EMAIL, Desk
from tests.helpers.mime_kit import docx_with

REF = "FT-2026-00001"
GMAIL = "sam.worker1987@gmail.com"


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    sw = str(extract_file(FORM).fields["social_worker.email"])
    form = docx_with(FORM, tmp_path / "referral.docx", {sw: GMAIL})
    d = Desk(tmp_path / "work")
    d.receive(form)
    return d


def test_the_pack_is_held_from_a_personal_mailbox_and_everyone_is_told(desk):
    desk.add_staff()
    desk.allocate(REF)
    desk.effects()
    desk.effects()
    [msg] = desk.mails("pack")
    assert SUPERVISOR_EMAIL in msg["To"]
    assert GMAIL not in msg.as_string()
    cell = desk.row(REF)["Paperwork"]
    assert cell.startswith("Pack made ") and "NOT sent to 1 address(es) at gmail.com" in cell
    text = "\n".join(describe(gather(desk.ledger, desk.config, desk.profile)))
    assert f"{REF}: the pack was NOT sent to 1 address(es) at gmail.com" in text
    lines = digest.reminders(desk.ledger, desk.config, desk.profile)
    assert any("the pack was NOT sent" in r.text for r in lines)
    # the acknowledgement (reference and initials only) did go to the address on the form
    [ack] = desk.mails("accepted")
    assert GMAIL in ack["To"]
