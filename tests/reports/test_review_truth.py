"""The review report says only what the record shows: every planned date counted once, by its
record or, without one, by the plan (suspended, closed, still to come, no record yet); a session
that ended early or raised a concern is never "what went well"; the day and time in full."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import RuleAction, SessionRecord
from pipeline.render import render_lac_report

from tests.helpers.render_kit import docx_text, make_allocation, make_item

REF = "FT-2026-00001"
WEDNESDAYS = [dt.date(2026, 9, 2) + dt.timedelta(days=7 * i) for i in range(10)]  # to 4 Nov
TODAY = dt.date(2026, 11, 20)
PLANNED = "Sessions planned"
NOT_DATES = (
    PLANNED,
    "Family arrived late (session went ahead)",
    "Sessions recorded on a date not in the plan (counted below by outcome)",
)


@pytest.fixture
def nct():
    from pipeline.profile import load_profile

    return load_profile("northamptonshire")


def rec(day, outcome, n, **kw) -> SessionRecord:
    return SessionRecord(item_id=n, reference=REF, date=day, outcome=outcome, **kw)


def said(path) -> str:
    return " ".join(docx_text(path).split())


def rows(path) -> dict[str, int]:
    """The attendance table: label -> number (docx_text gives a cell per line)."""
    lines = docx_text(path).splitlines()
    lines = lines[lines.index(PLANNED) : lines.index(NOT_DATES[1]) + 2]
    out = {}
    for i, line in enumerate(lines[:-1]):
        if lines[i + 1].strip().isdigit() and not line.strip().isdigit():
            out[line.strip()] = int(lines[i + 1])
    return out


def adds_up(table: dict[str, int]) -> bool:
    dates = sum(n for label, n in table.items() if label not in NOT_DATES)
    return dates == table[PLANNED] + table.get(NOT_DATES[2], 0)


def report(
    tmp_path,
    profile,
    records,
    *,
    today=TODAY,
    period=(WEDNESDAYS[0], WEDNESDAYS[-1]),
    day="Wednesday",
    time="16:00-17:30",
    words=None,
    **kw,
):
    return render_lac_report(
        make_item(),
        make_allocation(profile, day=day, time=time, first_date=period[0]),
        profile,
        tmp_path,
        records,
        period[0],
        period[1],
        today=today,
        words=words or {},
        **kw,
    )


@pytest.fixture
def the_case(tmp_path, nct):
    """Ten Wednesdays planned: two held, one ended early because the father had been
    drinking, one missed by the parent, one inside an approved suspension and five that have
    passed with no session record."""
    records = [
        rec(WEDNESDAYS[0], "Took place", 1),
        rec(WEDNESDAYS[1], "Ended early", 2, reason="Father had been drinking"),
        rec(WEDNESDAYS[2], "Parent did not attend", 3, valid_reason=False),
        rec(WEDNESDAYS[3], "Took place", 4),
    ]
    words = {
        1: {"session.summary": "A relaxed session; they baked together."},
        2: {
            "session.summary": "Father smelled of alcohol; the session ended after twenty minutes."
        },
        4: {"session.summary": "They played football in the garden."},
    }
    approved = RuleAction(
        reference=REF,
        kind="suspension",
        session_dates=[WEDNESDAYS[2]],
        suspended_from=dt.date(2026, 9, 28),
        suspended_until=dt.date(2026, 10, 4),
        decision="Approved",
        decided_by="Jo Manager-Example",
        decided_on=dt.date(2026, 9, 25),
    )
    return report(tmp_path, nct, records, words=words, actions=[approved])


def test_every_planned_session_is_counted_once_and_the_sentence_says_the_same(the_case):
    table = rows(the_case)
    assert table[PLANNED] == 10 and adds_up(table)
    assert table["Took place"] == 2 and table["Ended early"] == 1
    assert table["Parent did not attend"] == 1
    assert table["Planned dates inside a suspension (not offered)"] == 1
    assert table["Date passed, no session record received yet"] == 5
    text = said(the_case)
    assert (
        "Of 10 sessions planned in this period, 2 took place, 1 ended early, 1 was missed "
        "because the parent did not attend, 1 fell while family time was suspended and was "
        "not offered and 5 have no session record yet."
    ) in text
    assert "offered so far" not in text


def test_the_figures_from_the_plan_are_named_not_claimed_as_records(the_case):
    text = said(the_case)
    assert "Every figure can be traced to a session record" not in text
    assert (
        "The figures for \u201cPlanned dates inside a suspension (not offered)\u201d and "
        "\u201cDate passed, no session record received yet\u201d come from the session "
        "plan and the service's calendar, not from a session record"
    ) in text
    appendix = text[text.index("Appendix") :]
    assert appendix.count("No session record") == 1 + 6  # the intro, then 6 dates
    assert "7 October 2026 No session record No record yet" in appendix


def test_a_session_ended_because_the_father_had_been_drinking_is_not_what_went_well(the_case):
    text = said(the_case)
    well = text[text.index("What went well") : text.index("What worried the")]
    worried = text[text.index("What worried the") : text.index("4. The ")]
    assert "baked together" in well and "football" in well
    assert "alcohol" not in well and "drinking" not in well
    assert (
        "9 September 2026: the session ended early; the reason given: \u201cFather had "
        "been drinking\u201d; the record's summary of the session: \u201cFather smelled of "
        "alcohol"
    ) in worried


def test_day_and_time_has_the_end_time_as_the_letters_say_it(the_case, tmp_path, nct):
    assert "Day and time Wednesday, 16:00 to 17:30" in said(the_case)
    # a start alone in the tracker: the end from the referral's length (90 minutes)
    path = report(tmp_path / "start", nct, [], time="16:00")
    assert "Day and time Wednesday, 16:00 to 17:30" in said(path)
    path = report(
        tmp_path / "two",
        nct,
        [],
        day="Tuesday and Thursday",
        period=(dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
    )
    assert "Day and time Tuesday and Thursday, 16:00 to 17:30" in said(path)


def test_every_figure_traced_to_a_record_only_when_it_is(tmp_path, nct):
    records = [rec(d, "Took place", i + 1) for i, d in enumerate(WEDNESDAYS[:3])]
    path = report(tmp_path, nct, records, period=(WEDNESDAYS[0], WEDNESDAYS[2]))
    text = said(path)
    assert (
        "Of 3 sessions planned in this period, 3 took place. Every figure can be traced to "
        "a session record listed in the appendix."
    ) in text


def test_one_of_each_is_said_in_the_singular(tmp_path, nct):
    path = report(
        tmp_path,
        nct,
        [rec(WEDNESDAYS[0], "Took place", 1)],
        period=(WEDNESDAYS[0], WEDNESDAYS[1]),
        today=WEDNESDAYS[1],
    )
    assert (
        "Of 2 sessions planned in this period, 1 took place and 1 is still to come. The "
        "figures for \u201cStill to come in this period (not counted as held or "
        "missed)\u201d come from"
    ) in said(path)
    path = report(
        tmp_path / "none", nct, [], period=(WEDNESDAYS[0], WEDNESDAYS[0]), today=WEDNESDAYS[0]
    )
    assert (
        "No family time session had taken place by the date of this report: the first is "
        "booked for Wednesday 2 September 2026"
    ) in said(path)


def test_an_agreed_day_the_service_was_closed_is_counted_as_closed(tmp_path, nct):
    """Tuesdays and Fridays: Christmas Day 2026 is a Friday, with no replacement for a family
    seen twice a week; the day is counted as closed, from the calendar, and says why."""
    period = (dt.date(2026, 12, 22), dt.date(2026, 12, 29))
    records = [
        rec(dt.date(2026, 12, 22), "Took place", 1),
        rec(dt.date(2026, 12, 29), "Took place", 2),
    ]
    path = report(
        tmp_path, nct, records, day="Tuesday and Friday", period=period, today=dt.date(2027, 1, 5)
    )
    table = rows(path)
    assert table[PLANNED] == 3 and adds_up(table)
    assert table["Agreed day the service was closed (bank holiday or closure day)"] == 1
    text = said(path)
    assert "2 took place and 1 fell on a day the service was closed" in text
    assert "25 December 2026 No session record Service closed that day Christmas Day" in text


def test_a_session_on_a_date_not_in_the_plan_is_said_apart(tmp_path, nct):
    records = [
        rec(WEDNESDAYS[0], "Took place", 1),
        rec(WEDNESDAYS[1], "Took place", 2),
        rec(WEDNESDAYS[0] + dt.timedelta(days=1), "Took place", 3),
    ]  # a Thursday
    path = report(tmp_path, nct, records, period=(WEDNESDAYS[0], WEDNESDAYS[1]))
    table = rows(path)
    assert table[PLANNED] == 2 and table[NOT_DATES[2]] == 1 and adds_up(table)
    text = said(path)
    assert (
        "Of 2 sessions planned in this period (and 1 more recorded on a date not in the "
        "plan), 3 took place."
    ) in text
    assert "3 September 2026 Took place Took place not a planned date" in text


def test_the_suspension_periods_given_win_over_the_decisions(tmp_path, nct):
    """The case timeline's suspensions, when given, decide which dates were suspended."""
    path = report(tmp_path, nct, [], suspensions=[(WEDNESDAYS[4], WEDNESDAYS[5])])
    assert (
        "10 sessions were planned in this period: 2 fell while family time was suspended "
        "and were not offered and 8 have no session record yet."
    ) in said(path)
    unapproved = RuleAction(
        reference=REF,
        kind="suspension",
        session_dates=[WEDNESDAYS[2]],
        suspended_from=WEDNESDAYS[4],
        suspended_until=WEDNESDAYS[5],
    )
    path = report(tmp_path / "b", nct, [], actions=[unapproved])
    assert ("10 sessions were planned in this period: 10 have no session record yet.") in said(path)


def test_making_the_report_writes_its_event_once(season, tmp_path, monkeypatch):
    from pipeline.cases import case_of
    from pipeline.cases.review import report_made
    from pipeline.effects import review_report as effect
    from pipeline.effects.contract import EffectPass, EffectsReport
    from pipeline.ledger.names import EventKind
    from pipeline.tracker.reviews import Review

    from tests.helpers.season_kit import ALLOCATIONS

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-24")
    config, profile, ledger, _ = season
    monkeypatch.setattr(effect, "allocations_or_none", lambda *a: ALLOCATIONS)
    review = Review(reference=REF, date=dt.date(2026, 12, 1), iro_name="Robin Reviewer-Example")
    run = EffectPass(ledger, config, profile, 0.0, EffectsReport())
    effect.ReviewReportEffect().make([review], run, dt.date(2026, 11, 24))
    made = case_of(ledger, REF).of(EventKind.REVIEW_REPORT_MADE)
    from pathlib import Path

    path = Path(ledger.report_made(REF, review.date))
    assert len(made) == 1 and made[0].on == dt.date(2026, 11, 24)
    assert made[0].detail == {"review_date": "2026-12-01", "file": path.name}
    assert not ledger.record_event(report_made(REF, review.date, path, dt.date(2026, 11, 25)))
    assert len(case_of(ledger, REF).of(EventKind.REVIEW_REPORT_MADE)) == 1
