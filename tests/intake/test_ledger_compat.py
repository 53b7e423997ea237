"""The ledger split into pipeline/ledger/ keeps what callers and existing files rely on: the
same methods on one Ledger, and ledger files written before the split open unchanged."""

from __future__ import annotations

import datetime as dt
import inspect
import sqlite3
import subprocess
import sys
from pathlib import Path

from pipeline import backoff
from pipeline.ledger import ItemDraft, Ledger

BEFORE_SPLIT = Path(__file__).parents[1] / "fixtures" / "ledger_before_split.sql"
WHEN = dt.datetime(2026, 3, 2, 10, 0)

# Every public method of Ledger as pipeline/ledger.py had them (name: parameters), so a
# method lost or changed in the split fails here rather than in a caller.
PUBLIC_METHODS = {
    "add_effect": "self, item_id, effect, key",
    "add_pack": "self, reference, item_id, allocation, documents, changed, short_notice",
    "add_report": "self, reference, review_date, path, made_on",
    "add_report_mailed": "self, reference, review_date, path, checked_by",
    "add_rule_action": "self, action, item_id",
    "add_session_record": "self, record",
    "all_sessions": "self",
    "allocation_problems": "self",
    "clear_status_written": "self, action_id",
    "close": "self",
    "commitments_met": "self, read_by",
    "counts": "self",
    "done_effects": "self, effect",
    "effect_summary": "self",
    "effects_of": "self, item_id",
    "file": "self, file_id",
    "file_count": "self",
    "files_with_hash": "self, sha256",
    "forget_report_name_left": "self, reference, review_date",
    "hold_report_mail": "self, reference, review_date, why, now, recheck",
    "item": "self, item_id",
    "item_by_reference": "self, reference",
    "items": "self, outcome, since",
    "items_of_file": "self, file_id",
    "latest_pack": "self, reference",
    "latest_packs": "self",
    "mark_archived": "self, file_id, archive_path",
    "mark_effect": "self, item_id, effect, status, error, retry_in, waiting, count_attempt",
    "mark_effect_done": "self, item_id, effect",
    "mark_pack_mailed": "self, reference, version",
    "mark_report_mail": "self, reference, review_date, sent, error, now",
    "mark_rule_action_done": "self, action_id, documents",
    "mark_status_written": "self, action_ids",
    "met_problems": "self",
    "next_reference": "self, year",
    "note_report_name_left": "self, reference, review_date, name",
    "oldest_unacknowledged": "self",
    "open_referral_of_case": "self, case_id",
    "pending_effects": "self, now, effect",
    "record_file": "self, sha256, original_name, size, received_at, source_path, archive_root, drafts, keep_source, archive_folder, subfolder",
    "record_met": "self, reference, commitment, met_on, read_at",
    "referral_submissions": "self",
    "reopen_effect": "self, item_id, effect",
    "report_made": "self, reference, review_date",
    "report_mail": "self, reference, review_date",
    "report_mailed": "self, reference, review_date",
    "report_name_left": "self, reference, review_date",
    "report_states": "self",
    "reports_of": "self, reference",
    "reports_unsent": "self, now",
    "rule_actions": "self, reference, item_id, undone",
    "session_of_item": "self, item_id",
    "sessions_of": "self, reference, include_replaced",
    "set_allocation_problem": "self, reference, text",
    "set_met_problem": "self, reference, text",
    "unarchived": "self",
    "update_rule_action": "self, action_id, action",
    "withheld_effects": "self, effect",
}


def _schema(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT type, name, sql FROM sqlite_master"))
    finally:
        conn.close()


#: Methods added after the split (the case timeline), so none of before can go missing unseen.
ADDED_SINCE = {
    "record_event": "self, event, db",
    "record_events": "self, events, db",
    "events": "self, reference, kinds",
    "has_event": "self, key",
    "superseded_pending": "self, effect",
    "referral_items": "self, reference",
    "referrals_of_case": "self, case_id",
    "referrals_born_on": "self, dob",
}


def test_ledger_keeps_every_public_method_of_before_the_split():
    found = {
        name: ", ".join(inspect.signature(getattr(Ledger, name)).parameters)
        for name in dir(Ledger)
        if not name.startswith("_") and callable(getattr(Ledger, name))
    }
    assert found == PUBLIC_METHODS | ADDED_SINCE
    assert Ledger.BUSY_TIMEOUT_MS == 30000


def test_a_ledger_written_before_the_split_opens_and_reads_the_same(tmp_path):
    path = tmp_path / "state" / "ledger.sqlite"
    path.parent.mkdir()
    conn = sqlite3.connect(path)
    conn.executescript(BEFORE_SPLIT.read_text(encoding="utf-8"))
    conn.close()
    schema = _schema(path)
    ledger = Ledger(path)
    try:
        assert ledger.counts() == {"accepted": 1, "session_record": 1, "incomplete": 1}
        item = ledger.item_by_reference("FT-2026-00001")
        assert item.case_id == "AB123"
        assert item.verdict.values["child.dob"] == dt.date(2020, 1, 5)  # read back as a date
        assert [f.id for f in ledger.unarchived()] == [3]
        assert {e.effect for e in ledger.pending_effects()} == {
            "mail",
            "paperwork",
            "tracker",
            "rule",
        }
        assert ledger.withheld_effects("mail") == {3: "no reply address"}
        assert [s.outcome for s in ledger.sessions_of("FT-2026-00001")] == ["Parent did not attend"]
        assert [a.action.kind for a in ledger.rule_actions("FT-2026-00001")] == ["suspension"]
        assert ledger.latest_pack("FT-2026-00001")["allocation"] == {"worker": "J"}
        assert ledger.allocation_problems() == {"FT-2026-00002": "No start date"}
        assert ledger.report_mail("FT-2026-00001", dt.date(2026, 4, 1))["attempts"] == 1
        assert ledger.report_name_left("FT-2026-00001", dt.date(2026, 4, 1)) == "Ann Smith"
        assert ledger.commitments_met() == {"FT-2026-00001": {"contact": dt.date(2026, 3, 4)}}
        assert ledger.met_problems() == {"FT-2026-00002": "Contact date in the future"}
        # and it takes new rows where it left off
        _, items = ledger.record_file(
            sha256="d",
            original_name="new.docx",
            size=1,
            received_at=WHEN,
            source_path=tmp_path / "new.docx",
            archive_root=tmp_path / "archive",
            drafts=[ItemDraft("new.docx", "accepted", "ok", case_id="EF1")],
        )
        assert items[0].reference == "FT-2026-00003"
    finally:
        ledger.close()
    after = _schema(path)  # opening it changed no table; it only added the
    assert set(schema) <= set(after)  # case timeline's
    assert {name for _, name, _ in set(after) - set(schema)} == {
        "events",
        "events_by_reference",
        "sqlite_autoindex_events_1",
    }


def test_a_ledger_closed_and_opened_again_keeps_everything(tmp_path):
    path = tmp_path / "state" / "ledger.sqlite"
    ledger = Ledger(path)
    _, (item,) = ledger.record_file(
        sha256="a",
        original_name="a.docx",
        size=1,
        received_at=WHEN,
        source_path=tmp_path / "a.docx",
        archive_root=tmp_path / "archive",
        drafts=[ItemDraft("a.docx", "accepted", "ok", case_id="C1", effects=["tracker"])],
    )
    ledger.mark_effect(item.id, "tracker", "failed", "workbook open", waiting="workbook_open")
    ledger.add_pack(item.reference, item.id, {"worker": "J"}, ["pack.docx"])
    ledger.record_met(item.reference, "contact", dt.date(2026, 3, 4))
    ledger.close()
    schema = _schema(path)

    again = Ledger(path)
    try:
        assert again.item(item.id) == item
        (effect,) = again.effects_of(item.id)
        assert (effect.status, effect.attempts, effect.waiting) == ("failed", 1, "workbook_open")
        assert again.latest_pack(item.reference)["version"] == 1
        assert again.commitments_met() == {item.reference: {"contact": dt.date(2026, 3, 4)}}
        assert again.next_reference(2026) == "FT-2026-00002"
    finally:
        again.close()
    assert _schema(path) == schema


def test_a_failed_effect_backs_off_by_the_one_rule(tmp_path):
    import time

    ledger = Ledger(tmp_path / "ledger.sqlite")
    try:
        _, (item,) = ledger.record_file(
            sha256="a",
            original_name="a.docx",
            size=1,
            received_at=WHEN,
            source_path=tmp_path / "a.docx",
            archive_root=tmp_path / "archive",
            drafts=[ItemDraft("a.docx", "accepted", "ok", effects=["mail"])],
        )
        for attempt in (1, 2, 3):
            before = time.time()
            ledger.mark_effect(item.id, "mail", "failed", "down")
            (effect,) = ledger.effects_of(item.id)
            wait = effect.next_attempt_at - before
            assert (
                backoff.delay(attempt, 30.0, 3600.0)
                <= wait
                < backoff.delay(attempt, 30.0, 3600.0) + 5
            )
    finally:
        ledger.close()


def test_back_off_doubles_from_the_base_up_to_the_cap():
    assert [backoff.delay(n, 30.0, 3600.0) for n in (0, 1, 2, 3, 8, 50)] == [
        30.0,
        30.0,
        60.0,
        120.0,
        3600.0,
        3600.0,
    ]
    assert [backoff.delay(n, 2.0, 120.0) for n in (1, 2, 6, 7, 8)] == [2.0, 4.0, 64.0, 120.0, 120.0]


def test_the_ledger_does_not_import_the_effect_contract():
    """The effect contract imports the ledger; the ledger keeps the effect names itself."""
    from pipeline.effects import contract
    from pipeline.ledger import names

    assert (contract.EffectName, contract.EffectStatus, contract.Waiting) == (
        names.EffectName,
        names.EffectStatus,
        names.Waiting,
    )
    code = (
        "import sys, pipeline.ledger; "
        "assert not [m for m in sys.modules if m.startswith('pipeline.effects')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
