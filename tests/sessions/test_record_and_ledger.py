"""Lateness from the supervisor's words, late recording, and the ledger's session tables."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from pipeline.ledger import Ledger
from pipeline.models import RuleAction, SessionRecord, Verdict
from pipeline.profile import load_profile
from pipeline.sessions.record import late_minutes, session_record

FOUR = dt.time(16, 0)


@pytest.mark.parametrize(
    "words, minutes",
    [
        ("Mother arrived 20 minutes late; the child waited.", 20),
        ("Dad was ten mins late because of traffic", 10),
        ("They came half an hour late.", 30),
        ("Mum arrived at 16:25 and apologised.", 25),
        ("Mum arrived at 4.10, a little flustered.", 10),
        ("Mother arrived ten minutes early; the child ran to her.", 0),
        ("Everyone arrived on time.", 0),
        ("The child was excited to see her.", None),
        ("", None),
    ],
)
def test_lateness_is_read_from_the_record_never_guessed(words, minutes):
    assert late_minutes(words, FOUR) == minutes


def _verdict(**values) -> Verdict:
    base = {
        "session.reference": "FT-2026-00001",
        "session.date": dt.date(2026, 11, 2),
        "session.outcome": "Took place",
        "session.planned_start": FOUR,
        "session.significant_event": False,
        "session.written_on": dt.date(2026, 11, 4),
    }
    base.update(values)
    return Verdict(verdict="complete", kind="session_record", values=base)


@pytest.mark.parametrize(
    "profile_name, written, late",
    [
        ("northamptonshire", dt.date(2026, 11, 4), False),  # 2 working days: Wednesday is fine
        ("northamptonshire", dt.date(2026, 11, 5), True),
        ("blackpool", dt.date(2026, 11, 3), False),  # 24 hours: the next day
        ("blackpool", dt.date(2026, 11, 4), True),
    ],
)
def test_late_recording_follows_the_profile(profile_name, written, late):
    rec = session_record(
        _verdict(**{"session.written_on": written}), 5, "FT-2026-00001", load_profile(profile_name)
    )
    assert rec.late_recording is late


def test_a_valid_reason_is_only_kept_for_the_parents_misses():
    profile = load_profile("northamptonshire")
    took = session_record(_verdict(**{"session.valid_reason": False}), 1, "R", profile)
    missed = session_record(
        _verdict(**{"session.outcome": "Parent did not attend", "session.valid_reason": False}),
        2,
        "R",
        profile,
    )
    assert took.valid_reason is None and not took.missed_by_parent
    assert missed.valid_reason is False and missed.missed_by_parent


OLD_SCHEMA = """
CREATE TABLE files (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, original_name TEXT NOT NULL,
  size INTEGER NOT NULL, received_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
  outcome TEXT NOT NULL, reason TEXT NOT NULL, source_path TEXT NOT NULL,
  keep_source INTEGER NOT NULL DEFAULT 0, archive_path TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0);
INSERT INTO files VALUES (1, 'ab', 'referral.docx', 10, '2026-11-02T10:00:00',
  '2026-11-02T10:00:01', 'accepted', 'ok', 'inbox/referral.docx', 0, 'archive/a.docx', 1);
"""


def test_an_existing_ledger_file_gains_the_session_tables_and_keeps_its_rows(tmp_path):
    path = tmp_path / "ledger.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
    ledger = Ledger(path)
    assert ledger.file(1).original_name == "referral.docx"
    assert ledger.sessions_of("FT-2026-00001") == []
    assert ledger.rule_actions() == []
    ledger.close()


def test_rule_actions_are_recorded_once_by_reference_kind_and_dates(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    a = RuleAction(
        reference="FT-2026-00001",
        kind="suspension",
        session_dates=[dt.date(2026, 11, 9), dt.date(2026, 11, 4)],
        suspended_from=dt.date(2026, 11, 10),
        suspended_until=dt.date(2026, 11, 16),
    )
    assert ledger.add_rule_action(a, 7) is True
    again = a.model_copy(
        update={
            "session_dates": [dt.date(2026, 11, 4), dt.date(2026, 11, 9)],
            "suspended_until": dt.date(2026, 11, 20),
        }
    )
    assert ledger.add_rule_action(again, 8) is False
    [stored] = ledger.rule_actions("FT-2026-00001")
    assert stored.item_id == 7 and stored.action.suspended_until == dt.date(2026, 11, 16)
    ledger.mark_rule_action_done(stored.id, ["letter.docx"])
    assert ledger.rule_actions(undone=True) == []
    assert ledger.rule_actions()[0].documents == ["letter.docx"]
    ledger.close()


def test_the_ledger_replaces_a_record_for_the_same_date(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    rec = SessionRecord(
        item_id=3,
        reference="FT-2026-00001",
        date=dt.date(2026, 11, 4),
        outcome="Parent did not attend",
        valid_reason=False,
    )
    ledger.add_session_record(rec)
    ledger.add_session_record(rec.model_copy(update={"item_id": 4, "outcome": "Took place"}))
    [current] = ledger.sessions_of("FT-2026-00001")
    assert current.item_id == 4 and current.replaces == 3
    ledger.close()
