"""The missed-session rule over sequences of records: by session date, once per run."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from pipeline.models import RuleAction, SessionRecord
from pipeline.profile import MissedSessions, load_profile
from pipeline.sessions.plan import weekly_plan
from pipeline.sessions.rule import current_records, rule_actions, rule_state

RULES = load_profile("northamptonshire").missed_sessions
REF = "FT-2026-00007"
TODAY = dt.date(2026, 11, 23)
MISS, DNA, LATE = (
    "Cancelled by parent (reason given)",
    "Parent did not attend",
    "Parent late, session cancelled",
)


def d(day: int, month: int = 11) -> dt.date:
    return dt.date(2026, month, day)


_ids = itertools.count(100)


def rec(day, outcome="Took place", valid=None, item_id=None) -> SessionRecord:
    return SessionRecord(
        item_id=item_id or next(_ids),
        reference=REF,
        date=day if isinstance(day, dt.date) else d(day),
        outcome=outcome,
        valid_reason=valid,
    )


def arrive(records, rules=RULES, today=TODAY, court=False, planned=None, first=None, decide=None):
    """Records arriving one at a time, as the pipeline sees them; every action fired (with
    `decide`, each proposal decided so as it fires)."""
    seen, fired = [], []
    for r in records:
        seen.append(r)
        new = rule_actions(seen, fired, rules, today, court, REF, planned, first)
        fired += [a.model_copy(update={"decision": decide}) if decide else a for a in new]
    return fired


def test_two_misses_in_a_row_suspend_for_seven_days():
    fired = arrive([rec(2), rec(4, DNA, False), rec(6, LATE, False)])
    assert [(a.kind, a.session_dates) for a in fired] == [("suspension", [d(4), d(6)])]
    a = fired[0]
    assert a.suspended_from == d(24) and a.suspended_until == d(30)  # 7 days from tomorrow
    assert not a.court_directed


def test_suspension_starts_the_day_after_the_second_miss_when_the_record_is_prompt():
    fired = arrive([rec(4, DNA, False), rec(6, DNA, False)], today=d(6))
    assert (fired[0].suspended_from, fired[0].suspended_until) == (d(7), d(13))


@pytest.mark.parametrize("outcome", [MISS, DNA, LATE])
def test_every_kind_of_parent_miss_without_valid_reason_counts(outcome):
    assert len(arrive([rec(4, outcome, False), rec(6, outcome, False)])) == 1


@pytest.mark.parametrize("outcome", [MISS, DNA, LATE])
def test_a_miss_whose_valid_reason_is_not_answered_counts_toward_nothing(outcome):
    assert arrive([rec(4, outcome, False), rec(6, outcome, None)]) == []


@pytest.mark.parametrize("between", ["Took place", "Ended early"])
def test_a_session_the_parent_came_to_breaks_the_run(between):
    assert arrive([rec(4, DNA, False), rec(5, between), rec(6, DNA, False)]) == []


@pytest.mark.parametrize(
    "between", ["Cancelled by carer", "Child unwell", "Cancelled by service", "Service closed"]
)
def test_a_session_cancelled_for_someone_elses_reason_neither_counts_nor_breaks(between):
    fired = arrive([rec(4, DNA, False), rec(5, between), rec(6, DNA, False)])
    assert [a.session_dates for a in fired] == [[d(4), d(6)]]


def test_misses_with_a_valid_reason_do_not_count():
    assert arrive([rec(4, MISS, True), rec(6, DNA, True), rec(9, LATE, True)]) == []


def test_two_more_in_a_row_after_resuming_ask_for_legal_advice_once():
    seq = [
        rec(2, DNA, False),
        rec(4, DNA, False),
        rec(16, "Took place"),
        rec(18, DNA, False),
        rec(20, MISS, False),
        rec(23, DNA, False),
    ]
    fired = arrive(seq)
    assert [(a.kind, a.session_dates) for a in fired] == [
        ("suspension", [d(2), d(4)]),
        ("legal_advice", [d(18), d(20)]),
    ]
    assert fired[1].suspended_until is None


MON_WED = weekly_plan("Monday and Wednesday")  # 2, 4, 9, 11, 16 November 2026


@pytest.mark.parametrize("order", list(itertools.permutations(range(5))))
def test_arrival_order_does_not_matter_with_the_allocated_days_known(order):
    base = [
        rec(2, DNA, False),
        rec(4, DNA, False),
        rec(9, "Took place"),
        rec(11, DNA, False),
        rec(16, LATE, False),
    ]
    fired = arrive([base[i] for i in order], planned=MON_WED, first=d(2))
    assert [(a.kind, a.session_dates) for a in fired] == [
        ("suspension", [d(2), d(4)]),
        ("legal_advice", [d(11), d(16)]),
    ]


def test_a_planned_session_without_a_record_keeps_the_run_open():
    assert arrive([rec(4, DNA, False), rec(11, DNA, False)], planned=MON_WED) == []
    fired = arrive([rec(4, DNA, False), rec(11, DNA, False), rec(9, DNA, False)], planned=MON_WED)
    assert [a.session_dates for a in fired] == [[d(4), d(9)]]


def test_nothing_is_decided_while_an_earlier_planned_session_has_no_record():
    st = rule_state(
        [rec(11, DNA, False), rec(16, DNA, False)],
        [],
        RULES,
        TODAY,
        reference=REF,
        planned=MON_WED,
        first_planned=d(2),
    )
    assert st.new == [] and st.waiting_for == [d(2), d(4), d(9)]


def test_weekly_plan_reads_the_allocated_days_and_skips_closures():
    plan = weekly_plan("Tuesday and Thursday", lambda day: day != d(5))
    assert plan(d(2), d(12)) == [d(3), d(10)]
    assert weekly_plan("") is None and weekly_plan(None) is None


def test_a_late_record_never_fires_a_second_letter_about_the_same_sessions():
    # 6 and 9 arrive first: a suspension for them. Then 4 arrives (also missed): nothing new.
    fired = arrive([rec(6, DNA, False), rec(9, DNA, False), rec(4, DNA, False)])
    assert [(a.kind, a.session_dates) for a in fired] == [("suspension", [d(6), d(9)])]


def test_misses_before_an_action_already_taken_are_history():
    fired = arrive(
        [rec(16, DNA, False), rec(18, DNA, False), rec(2, DNA, False), rec(4, DNA, False)]
    )
    assert [a.session_dates for a in fired] == [[d(16), d(18)]]


def test_the_same_records_again_fire_nothing():
    records = [rec(2, DNA, False), rec(4, DNA, False)]
    first = rule_actions(records, [], RULES, TODAY, reference=REF)
    assert len(first) == 1
    assert rule_actions(records, first, RULES, TODAY, reference=REF) == []
    assert rule_actions(list(reversed(records)), first, RULES, TODAY, reference=REF) == []


def test_a_correction_replaces_the_record_for_the_same_date():
    wrong = rec(4, DNA, False, item_id=1)
    corrected = rec(4, "Took place", item_id=2)
    assert current_records([wrong, corrected]) == [corrected]
    assert (
        arrive(
            [
                wrong,
                rec(6, DNA, False, item_id=3),
            ]
        )
        != []
    )
    assert (
        rule_actions(
            [wrong, corrected, rec(6, DNA, False, item_id=3)], [], RULES, TODAY, reference=REF
        )
        == []
    )


def test_court_directed_suspension_is_capped_by_the_profile():
    rules = MissedSessions(
        published=True,
        count=2,
        suspension_days=14,
        legal_advice_after=2,
        court_directed_max_suspension_days=7,
    )
    [a] = arrive([rec(4, DNA, False), rec(6, DNA, False)], rules=rules, court=True)
    assert a.court_directed and (a.suspended_until - a.suspended_from).days + 1 == 7
    [b] = arrive([rec(4, DNA, False), rec(6, DNA, False)], rules=rules, court=False)
    assert (b.suspended_until - b.suspended_from).days + 1 == 14


def test_a_profile_with_three_in_a_row():
    rules = MissedSessions(
        published=True,
        count=3,
        suspension_days=7,
        legal_advice_after=3,
        court_directed_max_suspension_days=7,
    )
    assert arrive([rec(4, DNA, False), rec(6, DNA, False)], rules=rules) == []
    assert (
        len(arrive([rec(4, DNA, False), rec(6, DNA, False), rec(8, DNA, False)], rules=rules)) == 1
    )


def test_state_says_where_the_referral_stands():
    st = rule_state(
        [rec(2, DNA, False), rec(4, DNA, False), rec(9, DNA, False)],
        [],
        RULES,
        TODAY,
        reference=REF,
    )
    assert st.phase == "resumed" and st.run == [d(9)] and len(st.new) == 1


def test_previous_actions_survive_a_json_round_trip():
    a = arrive([rec(2, DNA, False), rec(4, DNA, False)])[0]
    again = RuleAction.model_validate_json(a.model_dump_json())
    assert (
        rule_actions([rec(2, DNA, False), rec(4, DNA, False)], [again], RULES, TODAY, reference=REF)
        == []
    )


def test_planned_sessions_during_a_suspension_need_no_record():
    # suspended 5 to 11 November (approved): the planned 9 and 11 have no record, and nothing
    # waits for them
    fired = arrive(
        [rec(2, DNA, False), rec(4, DNA, False), rec(16, DNA, False), rec(18, DNA, False)],
        today=d(4),
        planned=MON_WED,
        first=d(2),
        decide="Approved",
    )
    assert [(a.kind, a.session_dates) for a in fired] == [
        ("suspension", [d(2), d(4)]),
        ("legal_advice", [d(16), d(18)]),
    ]
    assert fired[0].suspended_until == d(11)


def test_a_service_with_no_missed_session_rule_acts_on_nothing():
    """A profile whose missed_sessions is "not stated": misses are recorded, and nothing is
    ever proposed for them."""
    assert arrive([rec(d, DNA, False) for d in (4, 6, 8, 10, 12)], rules=None) == []


def test_a_team_setting_proposes_but_is_not_published():
    """Blackpool and Milton Keynes state no number of misses: their profiles' team setting
    only proposes a decision; no letter states it as the service's rule."""
    from pipeline.profile import load_profile

    for service in ("blackpool", "milton-keynes"):
        rules = load_profile(service).missed_sessions
        assert rules is not None and rules.published is False
        assert len(arrive([rec(4, DNA, False), rec(6, DNA, False)], rules=rules)) == 1


def test_sessions_during_a_suspension_nobody_approved_are_still_awaited():
    """A proposal cancels nothing: while nobody has decided, the planned 9 and 11 go ahead,
    so the rule waits for their records before it weighs 16 and 18."""
    fired = arrive(
        [rec(2, DNA, False), rec(4, DNA, False), rec(16, DNA, False), rec(18, DNA, False)],
        today=d(4),
        planned=MON_WED,
        first=d(2),
    )
    assert [a.kind for a in fired] == ["suspension"]
    st = rule_state(
        [rec(2, DNA, False), rec(4, DNA, False), rec(16, DNA, False), rec(18, DNA, False)],
        fired,
        RULES,
        d(4),
        reference=REF,
        planned=MON_WED,
        first_planned=d(2),
    )
    assert st.waiting_for == [d(9), d(11)]


def test_a_record_of_a_session_the_letters_cancelled_neither_counts_nor_breaks_the_run():
    """Suspended 5 to 11 November (approved): a "did not attend" written for the cancelled
    9 November is not a miss, so 16 alone does not ask for legal advice; 16 and 18 do."""
    fired = arrive([rec(2, DNA, False), rec(4, DNA, False)], today=d(4), decide="Approved")
    st = rule_state(
        [rec(2, DNA, False), rec(4, DNA, False), rec(9, DNA, False), rec(16, DNA, False)],
        fired,
        RULES,
        d(4),
        reference=REF,
    )
    assert st.new == [] and st.run == [d(16)]
    st = rule_state(
        [
            rec(2, DNA, False),
            rec(4, DNA, False),
            rec(9, DNA, False),
            rec(16, DNA, False),
            rec(18, DNA, False),
        ],
        fired,
        RULES,
        d(4),
        reference=REF,
    )
    assert [(a.kind, a.session_dates) for a in st.new] == [("legal_advice", [d(16), d(18)])]
