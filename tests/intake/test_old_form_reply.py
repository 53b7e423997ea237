"""An old form's refusal goes to the social worker the old form names (issue 17: it went to
the team only, with a note saying the form gives no address)."""

from __future__ import annotations

import email
import email.policy

from pipeline.commands.status import describe, gather
from pipeline.effects import run_effects
from pipeline.intake.process import process_file

from tests.helpers.mailbox import referral_mail

SW = "sam.fictional-worker@example.gov.uk"  # in forms/old-2022-referral.docx


def test_an_old_form_is_returned_to_the_social_worker_it_names(work):
    [item] = process_file(
        work.drop("forms/old-2022-referral.docx"), work.config, work.profile, work.ledger
    )
    run_effects(work.ledger, work.config, work.profile)
    assert item.outcome == "old_form"
    [path] = referral_mail(work.config.mail_dir)
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert [a.addr_spec for a in msg["To"].addresses] == [SW]
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["familytime@nct.example.org"]
    text = msg.get_body(("plain",)).get_content()
    assert "Note for the Family Time team" not in text and "gives no email" not in text
    assert any(
        p.get_filename() and p.get_filename().endswith(".docx") for p in msg.iter_attachments()
    )  # the current blank form
    assert [e.status for e in work.ledger.effects_of(item.id) if e.effect == "mail"] == ["done"]
    assert "Nothing is waiting" in "\n".join(describe(gather(work.ledger)))
