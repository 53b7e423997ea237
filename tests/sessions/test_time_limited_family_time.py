"""Time-limited family time goes nowhere past its end unless a person carries it on.

Blackpool (003) limits supported family time under a child protection plan to "the first 2
weeks of the plan"; Northamptonshire (002 §3.9) supervised family time under a Special
Guardianship Order to "up to 3 months". Milton Keynes (004) states no limit: nothing is said
and nothing stops. A Blackpool referral whose limit ends on Monday 16 November 2026, with
sessions on Mondays, Wednesdays and Fridays from 2 November: the plan, the letters, the Rota,
the records chased, the suspension letter, `status` and the digest all stop at the 16th, until
a co-ordinator types a later date in the tracker's "Family time ends (date)".
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from pipeline.models import RuleAction
from pipeline.profile import load_profile
from pipeline.sessions.plan import planned_sessions

from tests.helpers.render_kit import (
    assert_clean,
    docx_text,
    make_allocation,
    make_item,
    referral_values,
)

D = dt.date
END = D(2026, 11, 16)  # Monday: two weeks from the referral, as the validator works it out
CP = {"legal.status": "Child Protection Plan", "request.supervision": "Supported"}
SGO = {"legal.status": "Special Guardianship Order", "request.supervision": "Supervised"}
MWF = "Monday, Wednesday and Friday"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-02")


def limited(end: dt.date = END, values: dict = CP, reference: str = "FT-2026-00001"):
    return make_item(referral_values(**values), reference=reference, flags=[f"time_limited:{end}"])


def allocation(profile, **changes):
    base = dict(day=MWF, first_date=D(2026, 11, 2), venue="Family home, 7 Thistlewood Row")
    if profile.id != "blackpool":
        base.pop("venue")
    return make_allocation(profile, **{**base, **changes})


def dates(sessions) -> list[dt.date]:
    return [s.date for s in sessions]


# -- the validator, the tracker ---------------------------------------------------------


def test_the_limit_is_worked_out_where_the_service_states_one():
    from tests.validate.test_rules import check, referral_fields

    fields = {"legal__status": "Child Protection Plan", "request__supervision": "Supported"}
    fields["referral__date"] = "02/11/2026"
    blackpool = check(load_profile("blackpool"), referral_fields(**fields))
    assert "time_limited:2026-11-16" in blackpool.flags
    mk = check(load_profile("milton-keynes"), referral_fields(**fields))
    assert not [f for f in mk.flags if f.startswith("time_limited")]


@pytest.mark.parametrize("service", ["blackpool", "northamptonshire"])
def test_the_tracker_has_the_end_in_plain_words_and_a_column_for_it(service):
    from pipeline.tracker.columns import load_spec
    from pipeline.tracker.rows import desired_rows

    spec = load_spec(profile=load_profile(service))
    row = desired_rows([limited()], spec)["Referrals"]["FT-2026-00001"]
    assert "time-limited family time ends by 16/11/2026" in row["verdict"]
    assert "time limited:" not in row["verdict"] and "2026-11-16" not in row["verdict"]
    header = next(c for c in spec.sheet("Referrals").columns if c.key == "family_time_ends")
    assert header.header == "Family time ends (date)" and header.owner == "person"
    assert row["seed:family_time_ends"] == END  # starts as the limit's end, then a person's


def test_milton_keynes_has_no_column_for_an_end():
    from pipeline.tracker.columns import load_spec

    spec = load_spec(profile=load_profile("milton-keynes"))
    assert "family_time_ends" not in {c.key for c in spec.sheet("Referrals").columns}


# -- the plan and what lists it ---------------------------------------------------------


def test_blackpool_sessions_stop_at_the_end_unless_a_person_extends_it():
    profile = load_profile("blackpool")
    a = allocation(profile)
    assert dates(planned_sessions(limited(), a, profile))[-1] == END
    assert len(planned_sessions(limited(), a, profile)) == 7  # 2 Nov to 16 Nov, Mon/Wed/Fri
    extended = a.model_copy(update={"family_time_ends": D(2026, 11, 27)})
    assert dates(planned_sessions(limited(), extended, profile))[-1] == D(2026, 11, 27)


def test_northamptonshire_three_months_stop_too():
    profile = load_profile("northamptonshire")
    end = D(2027, 2, 2)
    planned = planned_sessions(limited(end, SGO), allocation(profile), profile)
    assert planned and planned[-1].date <= end
    assert planned[-1].date > end - dt.timedelta(days=7)


def test_milton_keynes_sessions_go_on():
    profile = load_profile("milton-keynes")
    planned = planned_sessions(make_item(referral_values(**CP)), allocation(profile), profile)
    assert planned[-1].date > D(2027, 6, 1)  # a year of sessions, no end


def test_the_rota_sheet_places_no_session_after_the_end():
    from pipeline.rota.diary import booking, sessions_of

    profile = load_profile("blackpool")
    a = allocation(profile)
    placed = sessions_of(
        booking(a.reference, a, limited()), profile, D(2026, 11, 1), D(2026, 12, 13)
    )
    assert max(s.date for s in placed) == END
    snapshot = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in dict(a).items()}
    placed = sessions_of(booking(a.reference, snapshot, limited()), profile, END, D(2026, 12, 13))
    assert [s.date for s in placed] == [END]  # the timeline's snapshot: the limit still holds


# -- the paperwork ----------------------------------------------------------------------


def _pack(tmp_path, service: str, item) -> dict[str, str]:
    from pipeline.render.documents import render_pack

    profile = load_profile(service)
    files = render_pack(
        item, allocation(profile), profile, tmp_path / service, today=D(2026, 11, 2)
    )
    texts = {p.name: docx_text(p) for p in files if p.suffix == ".docx"}
    for text in texts.values():
        assert_clean(text)
    return texts


SAID = "it ends on Monday 16 November 2026 and is reviewed with the social worker before then"


def test_blackpool_agreement_and_letters_say_when_it_ends(tmp_path):
    texts = _pack(tmp_path, "blackpool", limited())
    family = {n: t for n, t in texts.items() if "safety" not in n.lower()}
    for word in ("agreement", "parent", "carer"):
        said = "\n".join(t for n, t in family.items() if word in n.lower())
        assert said, word
        assert " ".join(said.split()).count(SAID) >= 1, word
    letters = "\n".join(t for n, t in family.items() if "letter" in n.lower())
    assert "Wednesday 18 November 2026" not in letters  # no session listed after the end
    # the closed days listed are those up to the end, not a year of them
    assert "Christmas Day" not in letters
    assert "to Monday 16 November 2026 we know of no closed days" in " ".join(letters.split())


def test_northamptonshire_agreement_says_when_it_ends(tmp_path):
    texts = _pack(tmp_path, "northamptonshire", limited(D(2027, 2, 2), SGO))
    agreement = " ".join("\n".join(t for n, t in texts.items() if "agreement" in n.lower()).split())
    assert "it ends on Tuesday 2 February 2027 and is reviewed with the social worker" in agreement


def test_milton_keynes_pack_says_nothing_of_an_end(tmp_path):
    texts = _pack(tmp_path, "milton-keynes", make_item(referral_values(**CP)))
    assert not [n for n, t in texts.items() if "time-limited" in t or "Family time ends" in t]


def _suspension_text(tmp_path, service: str, item, until: dt.date) -> str:
    from pipeline.render.suspension_letters import render_suspension_letters

    profile = load_profile(service)
    action = RuleAction(
        reference=item.reference,
        kind="suspension",
        session_dates=[D(2026, 11, 6), D(2026, 11, 9)],
        suspended_from=D(2026, 11, 10),
        suspended_until=until,
    )
    files = render_suspension_letters(
        item, allocation(profile), profile, tmp_path / service, action, today=D(2026, 11, 10)
    )
    return " ".join(" ".join(docx_text(p) for p in files if p.suffix == ".docx").split())


@pytest.mark.parametrize("service", ["blackpool", "northamptonshire"])
def test_a_pause_past_the_end_promises_no_session_after_it(tmp_path, service):
    text = _suspension_text(tmp_path, service, limited(), D(2026, 11, 19))
    assert "20 November 2026" not in text
    assert "ends on Monday 16 November 2026, before the pause is over" in text
    assert "next session" not in text.lower()


def test_a_pause_before_the_end_still_names_the_next_session(tmp_path):
    text = _suspension_text(tmp_path, "blackpool", limited(D(2026, 11, 30)), D(2026, 11, 17))
    assert "The next session in the plan after the pause is on Wednesday 18 November 2026" in text


# -- status and the digest --------------------------------------------------------------


def _record(ledger, root, item):
    from pipeline.ledger.referrals import ItemDraft

    draft = ItemDraft(
        original_name="referral.docx",
        outcome="accepted",
        reason="",
        verdict=item.verdict,
        case_id="123456",
    )
    _, [recorded] = ledger.record_file(
        sha256=hashlib.sha256(str(root).encode()).hexdigest(),
        original_name=draft.original_name,
        size=1,
        received_at=dt.datetime(2026, 11, 2, 10),
        source_path=root / "in",
        archive_root=root / "archive",
        drafts=[draft],
    )
    return recorded


@pytest.fixture
def ledger(tmp_path):
    from pipeline.ledger import Ledger

    led = Ledger(tmp_path / "ledger.sqlite")
    yield led
    led.close()


def test_status_never_says_family_time_resumes_after_the_end(ledger, tmp_path, monkeypatch):
    from pipeline.cases import suspension as S
    from pipeline.cases.case import case_of
    from pipeline.sessions.proposals import status_lines

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-12")
    ref = _record(ledger, tmp_path, limited()).reference
    action = RuleAction(
        reference=ref,
        kind="suspension",
        session_dates=[D(2026, 11, 6), D(2026, 11, 9)],
        suspended_from=D(2026, 11, 10),
        suspended_until=D(2026, 11, 19),
    )
    ledger.add_rule_action(action)
    sa = next(x for x in ledger.rule_actions() if x.action.reference == ref)
    ledger.record_event(S.proposal_raised(sa.id, action, D(2026, 11, 10)))
    ledger.record_event(S.decided(case_of(ledger, ref), sa.id, "Approved", "Pat", D(2026, 11, 10)))
    span = S.Span(D(2026, 11, 10), D(2026, 11, 19), why="days")
    ledger.record_event(S.suspension_started(ref, sa.id, span, "Pat", D(2026, 11, 10)))

    profile = load_profile("blackpool")
    lines = " ".join(status_lines(ledger, profile, resuming=True))
    assert "resumes on 20/11/2026" not in lines
    assert "after time-limited family time ends (16/11/2026)" in lines
    # a co-ordinator typed a later end in the tracker: family time resumes after the pause
    typed = {ref: allocation(profile, reference=ref, family_time_ends=D(2026, 12, 18))}
    lines = " ".join(status_lines(ledger, profile, resuming=True, allocations=typed))
    assert "family time resumes on 20/11/2026" in lines


def _digest(ledger, item, profile_id: str, day: dt.date, **typed) -> list[str]:
    from pipeline.notify.digest import _family_time_ending
    from pipeline.validate.calendar import ServiceCalendar

    profile = load_profile(profile_id)
    a = allocation(profile, reference=item.reference, **typed)
    lines = _family_time_ending(
        ledger, {item.reference: item}, {item.reference: a}, profile, ServiceCalendar(profile), day
    )
    return [r.text for r in lines]


def test_blackpool_digest_asks_for_a_decision_before_and_on_the_end_day(ledger):
    item = limited()
    ref = item.reference
    assert _digest(ledger, item, "blackpool", D(2026, 11, 10)) == []  # not yet
    said = (
        f"{ref}: time-limited family time ends on 16/11/2026: decide with the social worker "
        "whether it continues (if it does, type the new end in the tracker's "
        "'Family time ends (date)'; if not, close the referral)"
    )
    assert _digest(ledger, item, "blackpool", D(2026, 11, 11)) == [said]  # 3 working days
    assert _digest(ledger, item, "blackpool", END) == [said]
    [after] = _digest(ledger, item, "blackpool", D(2026, 11, 20))
    assert after.startswith(f"{ref}: time-limited family time ended on 16/11/2026")
    # a person typed a later end: quiet until that one comes near; closed: nothing
    later = {"family_time_ends": D(2026, 12, 18)}
    assert _digest(ledger, item, "blackpool", D(2026, 11, 20), **later) == []
    assert _digest(ledger, item, "blackpool", D(2026, 11, 20), status="Closed") == []


def test_northamptonshire_digest_too_and_milton_keynes_never(ledger):
    end = D(2027, 2, 2)
    assert _digest(ledger, limited(end, SGO), "northamptonshire", end)
    assert _digest(ledger, make_item(referral_values(**CP)), "milton-keynes", END) == []


def test_no_record_is_chased_for_a_session_after_the_end(tmp_path, ledger, monkeypatch):
    from pipeline.cases import paperwork as PW
    from pipeline.notify.digest import _records_overdue

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    item = _record(ledger, tmp_path, limited())
    ledger.record_event(
        PW.pack_made(
            item.reference,
            1,
            allocation_version=1,
            item_id=item.id,
            documents=[],
            changed=[],
            change=None,
            short_notice=False,
            on=D(2026, 11, 2),
        )
    )
    profile = load_profile("blackpool")
    a = allocation(profile, reference=item.reference)
    chased = _records_overdue(
        ledger, {item.reference: item}, {item.reference: a}, profile, D(2026, 12, 1)
    )
    said = " ".join(r.text for r in chased)
    assert "16/11/2026" in said and "18/11/2026" not in said and "27/11/2026" not in said


def test_a_date_typed_in_the_tracker_carries_family_time_on(tmp_path, monkeypatch):
    """The column is in Blackpool's workbook, and what a co-ordinator types in it is read as the
    new end (a cell that is not a date leaves the service's limit standing)."""
    from pipeline.tracker import allocations_or_none

    from tests.helpers.commitments_kit import Team

    team = Team(tmp_path / "blackpool", "blackpool")
    try:
        ref = team.referral(dt.datetime(2026, 11, 2, 9))
        team.type_in(ref, **{"Family time ends (date)": D(2026, 11, 27)})
        typed = allocations_or_none(team.config, team.profile)[ref]
        assert typed.family_time_ends == D(2026, 11, 27)
        team.type_in(ref, Status="Waiting", **{"Family time ends (date)": "when the plan ends"})
        assert allocations_or_none(team.config, team.profile)[ref].family_time_ends is None
    finally:
        team.ledger.close()


def test_the_rota_sheet_follows_an_end_typed_in_the_tracker(tmp_path, ledger):
    from pipeline.cases import paperwork as PW
    from pipeline.rota.diary import from_ledger

    profile = load_profile("blackpool")
    item = _record(ledger, tmp_path, limited())
    a = allocation(profile, reference=item.reference)
    snapshot = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in dict(a).items()}
    ledger.record_event(
        PW.allocated(item.reference, 1, snapshot, "Together Worker", D(2026, 11, 2))
    )
    weeks = (D(2026, 11, 2), D(2026, 12, 13))
    assert max(s.date for s in from_ledger(ledger, profile, *weeks)) == END
    later = {item.reference: D(2026, 11, 27)}
    assert max(s.date for s in from_ledger(ledger, profile, *weeks, ends=later)) == D(2026, 11, 27)
