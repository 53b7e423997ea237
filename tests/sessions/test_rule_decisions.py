"""The missed-session rule after a decision, with other profiles' numbers, and around the
edges of a suspension: the decisions a co-ordinator would see proposed (or not)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from pipeline.models import SessionRecord
from pipeline.profile import MissedSessions, load_profile
from pipeline.sessions.plan import weekly_plan
from pipeline.sessions.rule import rule_actions, rule_state

RULES = load_profile("northamptonshire").missed_sessions
REF = "FT-2026-00007"
TODAY = dt.date(2026, 11, 30)
DNA = "Parent did not attend"
MON_WED = weekly_plan("Monday and Wednesday")  # 2, 4, 9, 11, 16, 18, 23, 25 November 2026

_ids = itertools.count(500)


def d(day: int, month: int = 11) -> dt.date:
    return dt.date(2026, month, day)


def miss(day: int) -> SessionRecord:
    return SessionRecord(
        item_id=next(_ids), reference=REF, date=d(day), outcome=DNA, valid_reason=False
    )


def came(day: int) -> SessionRecord:
    return SessionRecord(item_id=next(_ids), reference=REF, date=d(day), outcome="Took place")


def rules(count=2, days=7, legal=2, court_max=7) -> MissedSessions:
    return MissedSessions(
        published=True,
        count=count,
        suspension_days=days,
        legal_advice_after=legal,
        court_directed_max_suspension_days=court_max,
    )


def arrive(records, rules=RULES, today=TODAY, planned=None, first=None, decide=None):
    """Records arriving one at a time; `decide` is the person's decision on each proposal."""
    seen, fired = [], []
    for r in records:
        seen.append(r)
        new = rule_actions(seen, fired, rules, today, False, REF, planned, first)
        fired += [a.model_copy(update={"decision": decide}) if decide else a for a in new]
    return fired


def kinds(actions):
    return [(a.kind, a.session_dates) for a in actions]


def test_a_declined_suspension_leaves_family_time_as_it_was():
    """Declined: the next two misses propose a suspension again, not legal advice."""
    fired = arrive([miss(2), miss(4), came(9), miss(11), miss(16)], decide="Declined")
    assert kinds(fired) == [("suspension", [d(2), d(4)]), ("suspension", [d(11), d(16)])]
    st = rule_state([miss(2), miss(4)], fired[:1], RULES, TODAY, reference=REF)
    assert st.phase == "normal" and st.new == []


def test_an_approved_suspension_read_back_from_the_ledger_says_resumed():
    fired = arrive([miss(2), miss(4)], decide="Approved")
    st = rule_state([miss(2), miss(4), came(9)], fired, RULES, TODAY, reference=REF)
    assert st.phase == "resumed" and st.new == []


def test_legal_advice_needs_its_own_number_of_misses_after_resuming():
    three = rules(count=2, legal=3)
    assert kinds(arrive([miss(2), miss(4), came(9), miss(11), miss(16)], rules=three)) == [
        ("suspension", [d(2), d(4)])
    ]
    assert kinds(arrive([miss(2), miss(4), came(9), miss(11), miss(16), miss(18)], rules=three))[
        1:
    ] == [("legal_advice", [d(11), d(16), d(18)])]


@pytest.mark.parametrize("service", ["blackpool", "milton-keynes"])
def test_a_service_stating_no_legal_advice_number_never_proposes_legal_advice(service):
    team = load_profile(service).missed_sessions
    assert team.legal_advice_after is None
    fired = arrive(
        [miss(2), miss(4), came(9)] + [miss(n) for n in (11, 16, 18, 23, 25)], rules=team
    )
    assert [a.kind for a in fired] == ["suspension"]


def test_a_service_where_one_miss_suspends_then_one_more_asks_for_legal_advice():
    one = rules(count=1, legal=1)
    fired = arrive(
        [came(2), miss(4), came(16), miss(18)],
        rules=one,
        planned=MON_WED,
        first=d(2),
        today=d(4),
        decide="Approved",
    )
    assert kinds(fired) == [("suspension", [d(4)]), ("legal_advice", [d(18)])]
    assert (fired[0].suspended_from, fired[0].suspended_until) == (d(5), d(11))


def test_a_one_day_suspension_lasts_one_day():
    [a] = arrive([miss(2), miss(4)], rules=rules(days=1), today=d(4))
    assert a.suspended_from == a.suspended_until == d(5)


def test_a_referral_not_said_to_be_court_directed_gets_the_full_suspension():
    long = rules(days=14, court_max=7)
    [a] = rule_actions([miss(2), miss(4)], [], long, d(4), reference=REF)
    assert not a.court_directed and a.suspended_until == d(18)
    st = rule_state([miss(2), miss(4)], [], long, d(4), reference=REF)
    assert not st.new[0].court_directed and st.new[0].suspended_until == d(18)


def test_legal_advice_on_court_directed_family_time_says_so():
    seen, fired = [], []
    for r in [miss(2), miss(4), came(9), miss(11), miss(16)]:
        seen.append(r)
        fired += rule_actions(seen, fired, RULES, TODAY, True, REF)
    assert [(a.kind, a.court_directed) for a in fired] == [
        ("suspension", True),
        ("legal_advice", True),
    ]


def test_actions_name_the_referral_of_the_records_when_no_reference_is_given():
    [a] = rule_actions([miss(2), miss(4)], [], RULES, TODAY)
    assert a.reference == REF


def test_a_referral_with_no_records_yet_stands_where_it_started():
    st = rule_state([], [], RULES, TODAY, planned=MON_WED, first_planned=d(2))
    assert (st.phase, st.run, st.new, st.waiting_for) == ("normal", [], [], [])


def test_a_planned_session_on_the_first_day_of_a_suspension_needs_no_record():
    # decided on Sunday 8: suspended Monday 9 to Sunday 15; the planned 9 and 11 are not held
    fired = arrive(
        [miss(2), miss(4), miss(16), miss(18)],
        today=d(8),
        planned=MON_WED,
        first=d(2),
        decide="Approved",
    )
    assert fired[0].suspended_from == d(9)
    assert kinds(fired) == [("suspension", [d(2), d(4)]), ("legal_advice", [d(16), d(18)])]


def test_after_a_suspension_a_planned_session_with_no_record_still_keeps_the_run_open():
    # suspended 5 to 11: the planned 18 has no record, so 16 and 23 are not "in a row" yet
    fired = arrive([miss(2), miss(4), miss(16), miss(23)], today=d(4), planned=MON_WED, first=d(2))
    assert kinds(fired) == [("suspension", [d(2), d(4)])]
    st = rule_state(
        [miss(2), miss(4), miss(16), miss(23)],
        fired,
        RULES,
        d(4),
        reference=REF,
        planned=MON_WED,
        first_planned=d(2),
    )
    assert st.run == [d(23)]


def test_misses_after_legal_advice_are_still_weighed_against_the_plan():
    fired = arrive(
        [miss(2), miss(4), miss(16), miss(18), miss(23), miss(25)],
        today=d(4),
        planned=MON_WED,
        first=d(2),
        decide="Approved",
    )
    assert [a.kind for a in fired] == ["suspension", "legal_advice", "legal_advice"]


def test_sessions_before_the_first_planned_one_are_never_awaited():
    # family time starts on Tuesday 3 November; Monday 2 was never a session
    mon_tue = weekly_plan("Monday and Tuesday")
    fired = arrive([miss(3), miss(9)], planned=mon_tue, first=d(3))
    assert kinds(fired) == [("suspension", [d(3), d(9)])]


def test_late_records_about_the_past_do_not_stop_later_misses_being_acted_on():
    fired = arrive([miss(16), miss(18), miss(2), miss(4), came(21), miss(23), miss(25)])
    assert kinds(fired) == [("suspension", [d(16), d(18)]), ("legal_advice", [d(23), d(25)])]
