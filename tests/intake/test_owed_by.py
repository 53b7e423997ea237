"""Which effects an item owes is said in one place (pipeline.effects.contract.owed_by), from
what the item is: the lists intake used to spell out by hand, case by case."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.effects.contract import EffectName as E
from pipeline.effects.contract import owe, owed_by
from pipeline.ledger import ItemDraft
from pipeline.models import SessionRecord


def _draft(outcome: str, **kw) -> ItemDraft:
    return ItemDraft(original_name="form.docx", outcome=outcome, reason="", **kw)


@pytest.mark.parametrize(
    "outcome, owed",
    [
        ("accepted", [E.TRACKER, E.MAIL, E.PAPERWORK]),
        ("incomplete", [E.TRACKER, E.MAIL]),
        ("old_form", [E.TRACKER, E.MAIL]),
        ("not_referral", [E.TRACKER, E.MAIL]),
        ("unreadable", [E.TRACKER, E.MAIL]),
        ("session_attention", [E.TRACKER, E.MAIL]),
        ("duplicate", [E.TRACKER]),
        ("session_record", [E.TRACKER]),  # not linked to its referral (yet): no rule
    ],
)
def test_what_each_outcome_owes(outcome, owed):
    assert owed_by(_draft(outcome)) == owed


def test_a_file_sent_with_a_form_owes_no_mail_of_its_own():
    assert owed_by(_draft("not_referral"), mail=False) == [E.TRACKER]


@pytest.mark.parametrize(
    "significant, owed",
    [
        (False, [E.RULE, E.TRACKER]),
        (True, [E.SIGNIFICANT_EVENT, E.RULE, E.TRACKER]),
    ],
)
def test_a_linked_session_record_owes_the_rule_and_a_significant_event_the_email(significant, owed):
    record = SessionRecord(
        item_id=0,
        reference="FT-2026-00001",
        date=dt.date(2026, 11, 4),
        outcome="Took place",
        significant_event=significant,
    )
    assert owed_by(_draft("session_record", session=record)) == owed


def test_owe_sets_the_list_on_the_draft():
    d = owe(_draft("accepted"))
    assert d.effects == [E.TRACKER, E.MAIL, E.PAPERWORK]
