"""Where mail may go, per service (issue 27): documents and personal data only to the
profile's allowed domains; a personal mailbox typed on a form is held, the team told, and
`status`, the digest and `doctor` say so. Acknowledgements (reference and initials only) go
to any address the form names."""

from __future__ import annotations

import email
import email.policy

import pytest

from pipeline.commands.status import describe, gather
from pipeline.doctor import examine
from pipeline.ledger import Ledger
from pipeline.notify import MailOutbox, messages_for, pack_message
from pipeline.notify.domains import allowed_domains, may_carry_documents
from pipeline.notify.message import eml_name
from pipeline.profile import load_profile

from tests.helpers.notify_kit import form_values

TEAM = "familytime@nct.example.org"
GMAIL = "sam.worker1987@gmail.com"


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-23")


@pytest.mark.parametrize(
    "address, ok",
    [
        ("sw@westnorthants.gov.uk", True),
        ("sw@nctrust.co.uk", True),
        ("iro@blackpool.gov.uk", True),  # another council: gov.uk
        ("gp.surgery@nhs.net", True),
        ("officer@cps.cjsm.net", True),
        ("pc@northants.police.uk", True),
        (TEAM, True),  # the service's own address, whatever its domain
        (GMAIL, False),
        ("someone@evilgov.uk", False),  # not a sub-domain of gov.uk
        ("someone@gov.uk.evil.example", False),
        ("nurse@localtrust.nhs.uk", False),  # nhs.uk trusts are checked one by one
    ],
)
def test_the_allowed_domains_of_northamptonshire(address, ok):
    assert may_carry_documents(address, load_profile("northamptonshire")) is ok


@pytest.mark.parametrize("pid", ["northamptonshire", "blackpool", "milton-keynes"])
def test_every_service_lists_its_own_and_the_secure_partner_domains(pid):
    domains = allowed_domains(load_profile(pid))
    assert {"gov.uk", "nhs.net", "cjsm.net"} <= set(domains)
    assert "gmail.com" not in domains


def _values(sw):
    return form_values(**{"social_worker.email": sw})


def test_the_pack_is_not_sent_to_a_personal_mailbox(make_item, profile, config, today, tmp_path):
    doc = tmp_path / "FT-2026-00001 pack.docx"
    doc.write_bytes(b"PK\x03\x04 a stand-in pack")
    item = make_item("accepted", values=_values(GMAIL), sender=f"Sam <{GMAIL}>")
    msg = pack_message(item, profile, 1, [doc], supervisor_email="tw@westnorthants.gov.uk")
    assert GMAIL not in msg.recipients
    assert msg.held == (GMAIL,)
    assert "tw@westnorthants.gov.uk" in msg.recipients and TEAM in msg.recipients
    MailOutbox(config, profile).deliver(msg)
    raw = (config.mail_dir / eml_name(msg.key)).read_bytes()
    assert GMAIL.encode() not in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert all(GMAIL not in str(parsed[h] or "") for h in ("To", "Cc", "Bcc"))
    facts = gather(Ledger(config.ledger_path), config, profile)
    text = "\n".join(describe(facts))
    assert "FT-2026-00001: the pack was NOT sent" in text
    assert "gmail.com" in text and "securely" in text
    assert GMAIL not in text  # the address itself (often a name) is not repeated


def test_with_only_a_personal_mailbox_the_team_gets_the_pack_to_send_on(
    make_item, profile, today, tmp_path
):
    doc = tmp_path / "pack.docx"
    doc.write_bytes(b"PK\x03\x04")
    item = make_item("accepted", values=_values(GMAIL), sender=None)
    msg = pack_message(item, profile, 1, [doc])
    assert msg.to == (TEAM,) and msg.held == (GMAIL,)


def test_the_acknowledgement_still_goes_where_the_form_says(make_item, profile):
    [msg] = messages_for(make_item("accepted", values=_values(GMAIL)), profile, None)
    assert msg.to == (GMAIL,) and msg.held == ()
    assert not msg.message.get_body(("plain",)).get_content().count("Quillfeather")


def test_doctor_shows_where_documents_may_go(config, profile, tmp_path):
    found = examine(config, profile, tmp_path / "p.toml", {})
    [line] = [f.what for f in found if "only to these domains" in f.what]
    assert "nctrust.co.uk" in line and "nhs.net" in line and "cjsm.net" in line
