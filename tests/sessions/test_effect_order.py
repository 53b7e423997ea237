"""The effects' ORDER is a rule (pipeline/effects/__init__.py says why): pinned here by name,
and by what it is for, so moving an effect (the tracker to the front, say) fails a test."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import pipeline.effects as effects
import pipeline.tracker
from pipeline.effects.contract import EffectName

from tests.helpers.sessions_kit import FORMS, RECORDS, REF


def test_the_order_is_the_rule():
    assert [cls.name for cls in effects.ordered()] == [
        EffectName.RULE,  # decisions carried out before the tracker: "Suspended
        # until" in the same sync as the session's row
        EffectName.SIGNIFICANT_EVENT,  # the social worker hears at once
        EffectName.MAIL,  # before the tracker: "Acknowledgement sent" filled in
        # the sync of the pass that sent it
        EffectName.TRACKER,
        EffectName.COMMITMENTS_MET,  # after the tracker: reads the rows just reconciled
        EffectName.PAPERWORK,  # after them: "Pack made" reaches the tracker's second run
        EffectName.LAC_REPORT,  # found by date, not owed by an item
        EffectName.DIGEST,  # last: a summary of everything above
    ]
    assert effects.ordered() == effects.EFFECTS  # the classes, not instances
    assert all(isinstance(cls, type) for cls in effects.EFFECTS)


def _tracker_first(monkeypatch) -> None:
    """The order as it must not be: the tracker moved to the front."""
    real = effects.ordered

    def moved():
        order = real()
        [tracker] = [c for c in order if c.name == EffectName.TRACKER]
        return [tracker] + [c for c in order if c is not tracker]

    monkeypatch.setattr(effects, "ordered", moved)


def _referral_row(session) -> dict:
    ws = openpyxl.load_workbook(session.workbook)["Referrals"]
    head = [c.value for c in ws[1]]
    [row] = [
        dict(zip(head, (c.value for c in r)))
        for r in ws.iter_rows(min_row=2)
        if r[head.index("Reference")].value == REF
    ]
    return row


def _count_syncs(monkeypatch) -> list[dict]:
    """The tracker's syncs in order, each as the keyword arguments it was given."""
    real_sync = pipeline.tracker.sync
    syncs: list[dict] = []

    def counted(items, *a, **k):
        syncs.append(k)
        return real_sync(items, *a, **k)

    monkeypatch.setattr(pipeline.tracker, "sync", counted)
    return syncs


@pytest.mark.parametrize("order", ["the rule", "tracker first"])
def test_the_acknowledgement_is_in_the_first_sync_of_the_pass_that_sends_it(
    session, monkeypatch, order
):
    if order == "tracker first":
        _tracker_first(monkeypatch)
    syncs = _count_syncs(monkeypatch)
    [item], report = session.process(
        FORMS / "referral-complete.docx", dt.datetime(2026, 10, 26, 10)
    )  # one pass
    assert item.reference == REF and report.done.get("mail") == 1
    first = syncs[0]["acknowledged"]
    if order == "the rule":
        # the row is written with what became of it (no mail server here: only written)
        assert str(first.get(REF)).startswith("Written to outbox/mail on ")
        assert _referral_row(session)["Acknowledgement sent"]
    else:
        assert REF not in first  # the row went without it: why the order is the rule


@pytest.mark.parametrize("order", ["the rule", "tracker first"])
def test_suspended_until_goes_in_the_same_sync_as_the_session_row(referred, monkeypatch, order):
    """A decision typed and a session record arriving before the same pass: the tracker's
    sync that writes the record's row also says "Suspended until" (one sync, not two)."""
    from pipeline.intake.process import process_file

    from tests.helpers.sessions_kit import decide

    referred.record("2026-11-02-took-place-late-written")
    referred.record("2026-11-04-did-not-attend")
    referred.record("2026-11-09-late-cancelled", dt.datetime(2026, 11, 10, 18))
    assert referred.ledger.rule_actions(REF)[0].done_at is None  # a proposal, undecided
    # the decision is typed and saved, and a record arrives, before the next pass
    monkeypatch.setattr(effects, "run_effects", lambda *a, **k: None)  # no pass yet
    decide(referred, on=dt.datetime(2026, 11, 10))
    monkeypatch.undo()
    if order == "tracker first":
        _tracker_first(monkeypatch)
    process_file(
        referred.drop(RECORDS / "2026-11-11-child-unwell.docx", dt.datetime(2026, 11, 11, 18)),
        referred.config,
        referred.profile,
        referred.ledger,
    )
    syncs = _count_syncs(monkeypatch)
    effects.run_effects(referred.ledger, referred.config, referred.profile)
    assert referred.ledger.rule_actions(REF)[0].done_at is not None  # carried out this pass
    status = syncs[0]["extras"]["status"]
    if order == "the rule":
        assert status.get(REF, "").startswith("Suspended until ")
        assert _referral_row(referred)["Status"].startswith("Suspended until ")
    else:
        assert REF not in status  # the record's row went first, Status a sync later


def test_a_memory_passed_in_is_the_one_used_and_the_default_is_kept_between_calls(session):
    """The watcher passes its own EffectMemory; a call without one uses the module's
    DEFAULT_MEMORY, so repeated calls remember what they saw (the effects keep nothing)."""
    from pipeline.effects.contract import EffectMemory

    session.process(FORMS / "referral-complete.docx", dt.datetime(2026, 10, 26, 10))
    folder = str(session.config.state_dir)
    assert (EffectName.PAPERWORK, folder) in effects.DEFAULT_MEMORY.workbook_seen
    before = dict(effects.DEFAULT_MEMORY.workbook_seen)
    mine = EffectMemory()
    effects.run_effects(session.ledger, session.config, session.profile, memory=mine)
    assert (EffectName.PAPERWORK, folder) in mine.workbook_seen
    assert effects.DEFAULT_MEMORY.workbook_seen == before  # left as it was
