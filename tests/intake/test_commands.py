"""init, status, watch --once and demo as a person runs them."""

from __future__ import annotations

import datetime as dt
import json

from pipeline.cli import main


def test_init_makes_a_ready_working_folder_and_keeps_existing_settings(tmp_path, capsys):
    folder = tmp_path / "team"
    assert main(["init", str(folder)]) == 0
    for sub in ("inbox", "outbox", "archive", "state"):
        assert (folder / sub).is_dir()
    config = folder / "family-time.toml"
    config.write_text(config.read_text().replace("settle_seconds = 1", "settle_seconds = 3"))
    assert main(["init", str(folder)]) == 0
    assert "settle_seconds = 3" in config.read_text()
    assert "inbox" in capsys.readouterr().out


def test_init_with_an_unknown_profile_says_so(tmp_path, capsys):
    assert main(["init", str(tmp_path / "x"), "--profile", "nowhere"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_status_on_an_empty_folder(work, capsys):
    assert main(["status", "--config", str(work.config_path)]) == 0
    out = capsys.readouterr().out
    assert "Files received: 0" in out and "Nothing is waiting" in out


def test_watch_once_then_status_json(work, capsys):
    work.drop("forms/referral-complete.docx")
    work.drop("forms/letter-not-a-referral.docx")
    assert main(["watch", "--once", "--config", str(work.config_path)]) == 0
    capsys.readouterr()
    assert main(["status", "--json", "--config", str(work.config_path)]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["counts"] == {"accepted": 1, "not_referral": 1}
    assert facts["moves_owed"] == 0
    # no mail server: the acknowledgement was only written to the folder, so the social
    # worker has not heard from us and the referral is not acknowledged
    assert facts["oldest_unacknowledged"]["reference"].startswith("FT-")
    assert any(k.endswith(":accepted:1") for k in facts["mail_written_not_sent"])


def test_a_broken_config_is_a_message_not_a_crash(tmp_path, capsys):
    bad = tmp_path / "family-time.toml"
    bad.write_text("inbox = [")
    assert main(["watch", "--once", "--config", str(bad)]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_demo_processes_the_samples_and_shows_status(work, capsys):
    assert main(["demo", "--forms-only", "--config", str(work.config_path)]) == 0
    out = capsys.readouterr().out
    assert "Accepted referrals" in out and "accepted [FT-" in out
    assert not [p for p in work.inbox.iterdir()]
    assert not list(work.config.outbox_dir.glob("FT-*"))  # nothing allocated


def test_the_demos_samples_arrive_on_the_demos_day(work, capsys, monkeypatch):
    """The forwarded email is dated by the demo's clock: received that day, not months before,
    and its form (dated before that day) is not "in the future"; it is the same referral as
    the Word form, and its PDF, so one acknowledgement and no "updated referral"."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    assert main(["demo", "--forms-only", "--config", str(work.config_path)]) == 0
    out = capsys.readouterr().out
    reason = (work.archive / "duplicate" / "forwarded.eml.reason.txt").read_text()
    assert "Received: 01/12/2026" in reason and "in the future" not in reason
    assert "copy of referral FT-2026-00001 with the same answers" in reason
    assert "referral-complete.pdf: a copy of FT-2026-00001 with the same answers" in out
    assert "returned on 02/03/2026" not in out
    assert len(list(work.config.mail_dir.glob("FT-2026-00001_accepted_*.eml"))) == 1


def test_demo_goes_round_the_whole_loop(work, capsys, monkeypatch):
    """Allocated by the 'co-ordinator', pack made, two missed sessions sent back by the
    'supervisor': the rule suspends family time and the letters and notice are made."""
    import openpyxl

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-07")  # the references are of 2026
    assert main(["demo", "--config", str(work.config_path)]) == 0
    out = capsys.readouterr().out
    assert "Acting as the co-ordinator: FT-2026-00001 allocated" in out
    assert "Missed-session rule: Suspended until the review meeting (at least " in out
    pack = work.config.outbox_dir / "FT-2026-00001"
    names = {p.name for p in pack.iterdir()}
    assert "FT-2026-00001 Family Time Agreement.docx" in names
    assert len([n for n in names if n.startswith("Session record ")]) == 4
    assert any(n.startswith("Suspension letter to parent 1 ") for n in names)
    assert any(n.startswith("FT-2026-00001 Family Time Agreement re-signed") for n in names)
    assert list(work.config.mail_dir.glob("FT-2026-00001_suspension_*.eml"))
    book = openpyxl.load_workbook(next(work.config.tracker_dir.glob("*.xlsx")))
    rows = {r[0]: r for r in book["Referrals"].iter_rows(min_row=2, values_only=True)}
    headings = [c.value for c in book["Referrals"][1]]
    status = rows["FT-2026-00001"][headings.index("Status")]
    assert status.startswith("Suspended until ")
    assert book["Sessions"].max_row == 3  # two session rows
    assert not [p for p in work.inbox.iterdir()]


def test_status_counts_files_still_in_the_inbox(work, capsys):
    work.drop("forms/referral-complete.docx")
    assert main(["status", "--config", str(work.config_path)]) == 0
    assert "1 file(s) in the inbox not handled yet" in capsys.readouterr().out


def test_the_demos_stamps_follow_its_clock(work, capsys, monkeypatch):
    """Weeks into the demo (its clock moved on), the proposal is stamped on the demo's day, so
    its "Decide by" is not before it; the emails are dated by the same clock; the Sessions
    sheet gives the child's initials as the emails do."""
    import email
    import email.policy
    import email.utils
    import re

    import openpyxl

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-07")  # the references are of 2026
    assert main(["demo", "--config", str(work.config_path)]) == 0
    out = capsys.readouterr().out
    today = dt.date.fromisoformat(re.search(r"today is set to (\d{4}-\d\d-\d\d)", out)[1])
    book = openpyxl.load_workbook(next(work.config.tracker_dir.glob("*.xlsx")))
    decisions = book["Decisions"]
    head = [c.value for c in decisions[1]]
    row = [c.value for c in decisions[2]]
    decide_by = row[head.index("Decide by")]
    decide_by = decide_by.date() if isinstance(decide_by, dt.datetime) else decide_by
    assert decide_by >= today
    mail = next(work.config.mail_dir.glob("FT-2026-00001_suspension_*.eml"))
    with open(mail, "rb") as fh:
        sent = email.message_from_binary_file(fh, policy=email.policy.default)
    assert email.utils.parsedate_to_datetime(sent["Date"]).date() == today
    sessions = book["Sessions"]
    head = [c.value for c in sessions[1]]
    assert {
        r[head.index("Child's initials")] for r in sessions.iter_rows(min_row=2, values_only=True)
    } == {"TCE"}
