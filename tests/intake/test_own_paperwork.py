"""The service's own blank forms and its own emails coming back into the inbox go to
Attention for a person and are never given a reference (issue 17)."""

from __future__ import annotations

import shutil

import openpyxl

from pipeline import paths
from pipeline.commands.status import describe, gather
from pipeline.effects import run_effects
from pipeline.intake.process import process_file

from tests.helpers.mailbox import referral_mail
from tests.helpers.mime_kit import referral_email

BLANK = paths.FORM_TEMPLATES / "family-time-referral-2025.1.docx"


def _attention_rows(work) -> list[dict]:
    ws = openpyxl.load_workbook(next(work.config.tracker_dir.glob("*.xlsx")))["Attention"]
    headers = [c.value for c in ws[1]]
    return [dict(zip(headers, r)) for r in ws.iter_rows(min_row=2, values_only=True) if any(r)]


def _run(work, path):
    items = process_file(path, work.config, work.profile, work.ledger)
    run_effects(work.ledger, work.config, work.profile)
    return items


def test_the_blank_form_saved_into_the_inbox_gets_no_reference(work):
    path = work.inbox / "Family Time referral form.docx"
    shutil.copyfile(BLANK, path)
    [item] = _run(work, path)
    assert item.outcome == "not_referral" and item.reference is None
    assert "service's own blank" in item.reason
    assert work.ledger.counts() == {"not_referral": 1}
    [row] = _attention_rows(work)
    assert any("service's own blank" in str(v) for v in row.values())
    [mail] = referral_mail(work.config.mail_dir)  # the team is told
    assert "needs a look" in mail.read_text(errors="replace")


def test_a_social_worker_sending_the_blank_form_with_a_question(work):
    data = referral_email(
        "Sam Worker <sam.worker@council.example.org>",
        attachment=BLANK,
        subject="Which form do I use?",
    )
    path = work.inbox / "question.eml"
    path.write_bytes(data)
    items = _run(work, path)
    assert [i.outcome for i in items] == ["not_referral"]
    assert all(i.reference is None for i in items)
    assert "Oldest referral not yet acknowledged" not in "\n".join(describe(gather(work.ledger)))


def test_our_own_refusal_saved_back_into_the_inbox_is_recognised(work):
    [old] = _run(work, work.drop("forms/old-2022-referral.docx"))
    [ours] = referral_mail(work.config.mail_dir)  # the refusal, blank form attached
    back = work.inbox / "RE Family Time referral.eml"
    shutil.copyfile(ours, back)
    items = _run(work, back)
    assert items and all(i.outcome == "not_referral" and i.reference is None for i in items)
    assert all("service's own automatic emails" in i.reason for i in items)
    assert len(referral_mail(work.config.mail_dir)) == 1  # nothing sent about it
    for i in items:
        [mail] = [e for e in work.ledger.effects_of(i.id) if e.effect == "mail"]
        assert mail.status == "withheld"
    assert work.ledger.counts() == {"old_form": 1, "not_referral": len(items)}
    assert "Not sent on purpose" in "\n".join(describe(gather(work.ledger)))
