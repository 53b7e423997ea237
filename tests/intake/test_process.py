"""One file through the whole pipeline: outcome, archive, reason file, crash recovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.effects import run_effects
from pipeline.intake import process as proc
from pipeline.intake.process import NotYet, process_file, recover

from tests.helpers.mailbox import referral_mail

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_a_complete_referral_is_accepted_archived_and_acknowledged(work):
    path = work.drop("forms/referral-complete.docx")
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["accepted"]
    assert items[0].reference.startswith("FT-")
    assert not path.exists()
    archived = work.archive / "accepted" / "referral-complete.docx"
    assert archived.exists()
    reason = (work.archive / "accepted" / "referral-complete.docx.reason.txt").read_text()
    assert items[0].reference in reason and "Accepted" in reason
    run_effects(work.ledger, work.config, work.profile)
    assert len(referral_mail(work.config.mail_dir)) == 1
    assert work.ledger.oldest_unacknowledged() is None


def test_an_incomplete_referral_lists_its_problems_in_the_reason_file(work):
    items = process_file(
        work.drop("forms/referral-incomplete.docx"), work.config, work.profile, work.ledger
    )
    assert items[0].outcome == "incomplete" and items[0].verdict.problems
    reason = (work.archive / "incomplete" / "referral-incomplete.docx.reason.txt").read_text()
    assert "What needs putting right" in reason
    assert items[0].verdict.problems[0].message in reason


def test_the_same_file_twice_is_a_visible_duplicate_with_no_second_email(work):
    first = process_file(
        work.drop("forms/referral-complete.docx"), work.config, work.profile, work.ledger
    )
    second = process_file(
        work.drop("forms/referral-complete.docx", "copy.docx"),
        work.config,
        work.profile,
        work.ledger,
    )
    assert second[0].outcome == "duplicate" and second[0].reference is None
    assert first[0].reference in second[0].reason
    assert (work.archive / "duplicate" / "copy.docx").exists()
    run_effects(work.ledger, work.config, work.profile)
    assert len(referral_mail(work.config.mail_dir)) == 1


def test_same_name_again_is_archived_beside_the_first(work):
    process_file(
        work.drop("forms/referral-incomplete.docx", "form.docx"),
        work.config,
        work.profile,
        work.ledger,
    )
    process_file(
        work.drop("forms/old-2022-referral.docx", "form.docx"),
        work.config,
        work.profile,
        work.ledger,
    )
    assert (work.archive / "incomplete" / "form.docx").exists()
    assert (work.archive / "old_form" / "form.docx").exists()
    process_file(
        work.drop("forms/referral-messy.docx", "form.docx"), work.config, work.profile, work.ledger
    )
    assert len(work.archived()) == 3


def test_an_email_gives_one_item_per_attached_form(work):
    items = process_file(work.drop("email/forwarded.eml"), work.config, work.profile, work.ledger)
    assert items and all(" > " in i.original_name for i in items)
    assert all(i.sender for i in items)


def test_a_form_dated_after_its_email_but_not_after_today_is_not_in_the_future(work, monkeypatch):
    """The forwarded email's Date header says 2 March 2026 and its form is dated 3 March: read
    on 1 December the form's date is in the past, so it is a complete referral."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    items = process_file(work.drop("email/forwarded.eml"), work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["accepted"]
    assert "in the future" not in items[0].reason


def test_a_form_dated_after_today_is_in_the_future(work, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-03-02")
    items = process_file(
        work.drop("forms/referral-complete.docx"), work.config, work.profile, work.ledger
    )
    assert items[0].outcome == "incomplete"
    assert "Date of referral: Tuesday 3 March 2026 is in the future" in items[0].reason


def test_a_crash_after_the_commit_finishes_the_move_without_processing_again(work, monkeypatch):
    path = work.drop("forms/referral-complete.docx")

    def killed(*a, **k):
        raise OSError("simulated crash before the move")

    monkeypatch.setattr(proc, "archive_original", killed)
    items = process_file(path, work.config, work.profile, work.ledger)
    assert path.exists() and len(work.ledger.unarchived()) == 1
    monkeypatch.undo()
    again = process_file(path, work.config, work.profile, work.ledger)  # the backlog finds it
    assert [i.id for i in again] == [i.id for i in items]
    assert not path.exists() and work.ledger.unarchived() == []
    assert len(work.ledger.items()) == 1


def test_recover_marks_a_move_that_happened_just_before_a_crash(work, monkeypatch):
    path = work.drop("forms/referral-complete.docx")
    monkeypatch.setattr(work.ledger, "mark_archived", lambda *a, **k: None)
    process_file(path, work.config, work.profile, work.ledger)
    monkeypatch.undo()
    assert not path.exists() and len(work.ledger.unarchived()) == 1
    assert recover(work.ledger) == 1
    assert work.ledger.unarchived() == []
    assert len(work.archived()) == 1


def test_an_internal_error_is_recorded_and_the_file_kept_in_failed(work, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("validator bug")

    monkeypatch.setattr("pipeline.validate.validate_extraction", broken)
    items = process_file(
        work.drop("forms/referral-complete.docx"), work.config, work.profile, work.ledger
    )
    assert items[0].outcome == "unreadable"
    assert "fault in the Family Time pipeline, not in the form" in items[0].reason
    assert "validator bug" not in items[0].reason and "RuntimeError" not in items[0].reason
    assert (work.archive / "failed" / "referral-complete.docx").exists()


def test_a_locked_file_is_left_in_place_for_later(work, monkeypatch):
    path = work.drop("forms/referral-complete.docx")

    def locked(p):
        raise PermissionError(13, "sharing violation")

    monkeypatch.setattr(proc, "sha256_of", locked)
    with pytest.raises(NotYet):
        process_file(path, work.config, work.profile, work.ledger)
    assert path.exists() and work.ledger.items() == []


def test_a_file_outside_the_inbox_is_copied_not_moved(work, tmp_path):
    import shutil

    src = tmp_path / "mine.docx"
    shutil.copyfile(FIXTURES / "forms" / "referral-complete.docx", src)
    items = process_file(src, work.config, work.profile, work.ledger)
    assert items[0].outcome == "accepted"
    assert src.exists() and (work.archive / "accepted" / "mine.docx").exists()


def test_process_command_json_lines(work, capsys):
    from pipeline.cli import main

    a = work.drop("forms/referral-complete.docx")
    b = work.drop("forms/referral-incomplete.docx")
    code = main(["process", str(a), str(b), "--json", "--config", str(work.config_path)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert [(x["file"], x["outcome"]) for x in lines] == [
        ("referral-complete.docx", "accepted"),
        ("referral-incomplete.docx", "incomplete"),
    ]
    assert lines[0]["reference"].startswith("FT-") and lines[0]["problems"] == []
    assert lines[1]["problems"]


def test_process_command_missing_file_is_a_clear_message(work, capsys):
    from pipeline.cli import main

    code = main(["process", str(work.inbox / "nope.docx"), "--config", str(work.config_path)])
    assert code == 1
    assert "no such file" in capsys.readouterr().err


def test_a_new_file_with_the_name_of_an_unmoved_one_is_not_moved_in_its_place(work, monkeypatch):
    path = work.drop("forms/referral-complete.docx", "form.docx")

    def locked(*a, **k):
        raise PermissionError(13, "open in Word")

    monkeypatch.setattr(proc, "archive_original", locked)
    process_file(path, work.config, work.profile, work.ledger)
    monkeypatch.undo()
    work.drop("forms/referral-incomplete.docx", "form.docx")  # saved over it
    assert recover(work.ledger) == 0  # the first is gone
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["incomplete"]
    assert (work.archive / "incomplete" / "form.docx").exists()
    assert not (work.archive / "accepted" / "form.docx").exists()


def test_two_processes_recording_the_same_file_record_it_once(work):
    import datetime as dt

    from pipeline.ledger import AlreadyRecorded, ItemDraft, Ledger

    path = work.drop("forms/referral-complete.docx")
    other = Ledger(work.config.ledger_path)
    args = dict(
        sha256=proc.sha256_of(path),
        original_name=path.name,
        size=path.stat().st_size,
        received_at=dt.datetime.now(),
        source_path=path,
        archive_root=work.archive,
        drafts=[ItemDraft(path.name, "accepted", "ok")],
    )
    # the other process records it but has not moved it yet
    rec, first = other.record_file(**args)
    with pytest.raises(AlreadyRecorded):  # a second record of the same file is refused
        work.ledger.record_file(**args)
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.id for i in items] == [i.id for i in first]
    assert len(work.ledger.items()) == 1 and not path.exists()
    other.close()


def test_a_full_disk_while_reading_leaves_the_file_for_later(work, monkeypatch):
    path = work.drop("forms/referral-complete.docx")

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(proc.shutil, "copyfile", full)
    with pytest.raises(NotYet):
        process_file(path, work.config, work.profile, work.ledger)
    assert path.exists() and work.ledger.items() == []
