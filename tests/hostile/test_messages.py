"""What people read when something goes wrong inside the pipeline itself, and what the logs
keep: plain words, no Python names, and never a child's name."""

from __future__ import annotations

import logging

from pipeline.effects import run_effects
from pipeline.intake.process import process_file

from tests.fixtures import make_hostile
from tests.helpers.hostile_kit import assert_plain, mail_body, mails_by_item

CHILD = "Test Child Example"


def test_a_reader_bug_is_reported_in_plain_words(make_work, monkeypatch):
    work = make_work()

    def broken(*a, **k):
        raise KeyError(f"w:sdt for {CHILD}")

    monkeypatch.setattr("pipeline.extract.docx.read_docx_all", broken)
    monkeypatch.setattr("pipeline.intake.process.READ_LIMIT_SECONDS", None)  # read here, patched
    path = make_hostile.one("referral.docx", make_hostile.referral_bytes)(work.inbox)[0]
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["unreadable"]
    assert_plain(items[0].reason, "the reason")
    assert CHILD not in items[0].reason


def test_a_later_stage_bug_is_reported_in_plain_words(make_work, monkeypatch):
    work = make_work()

    def broken(*a, **k):
        raise RuntimeError(f"validator bug on {CHILD}")

    monkeypatch.setattr("pipeline.validate.validate_extraction", broken)
    path = make_hostile.one("referral.docx", make_hostile.referral_bytes)(work.inbox)[0]
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["unreadable"]
    run_effects(work.ledger, work.config, work.profile)
    shown = [items[0].reason] + [
        mail_body(m) for m in mails_by_item(work.config.mail_dir).get(items[0].id, [])
    ]
    for text in shown:
        assert CHILD not in text
        assert_plain(text, "what the team reads")


def test_logs_never_carry_the_names_in_files_or_forms(make_work, caplog):
    """File names often hold the child's name; answers always do. Neither reaches the log."""
    work = make_work()
    named = f"{CHILD} referral.docx"
    (work.inbox / named).write_bytes(make_hostile.referral_bytes())
    (work.inbox / f"{CHILD} scan.docx").write_bytes(b"not a zip")
    (work.inbox / f"{CHILD}.eml").write_bytes(make_hostile.email_bad_attachment())
    (work.inbox / f"{CHILD} long.docx").write_bytes(make_hostile.huge_field())
    caplog.set_level(logging.INFO)
    for p in sorted(work.inbox.iterdir()):
        process_file(p, work.config, work.profile, work.ledger)
    run_effects(work.ledger, work.config, work.profile)
    leaked = [
        r.getMessage()
        for r in caplog.records
        if CHILD in r.getMessage()
        or "Test Child" in r.getMessage()
        or "Sample-Parent" in r.getMessage()
    ]
    assert leaked == []
