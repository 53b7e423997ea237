"""The date of the child's next review ("Next review": seeded from the referral form, then the
co-ordinator's) is checked like the dates typed for commitments: one that cannot be right is
said in the row's "Dates to correct" cell, naming the fix, and on `status` and the digest,
until it is corrected; it is never taken silently."""

from __future__ import annotations

import datetime as dt

from pipeline.tracker.reviews import reviews

D = dt.date
NEXT = "Next review"
TO_CORRECT = "Dates to correct"
FIX = "type the date of the child's next review as dd/mm/yyyy"


def _status_lines(team) -> set[str]:
    from pipeline.commands.status import gather

    return {r["text"] for r in gather(team.ledger, team.config, team.profile)["reminders"]}


def test_a_review_date_that_cannot_be_right_is_said_until_corrected(team):
    # the person's trial: the form says 21/04/2026, the referral arrives on 30/11/2026
    ref = team.referral(dt.datetime(2026, 11, 30, 9), review=D(2026, 4, 21))
    team.effects()
    row = team.row(ref)
    assert row[NEXT] == dt.datetime(2026, 4, 21)  # seeded, as before
    said = (
        "To correct: 'Next review' (21/04/2026) is before the referral was received "
        f"(30/11/2026): {FIX}"
    )
    assert row[TO_CORRECT] == said
    lines = team.reminder_texts(D(2026, 11, 30))
    assert f"{ref}: {said}" in lines  # the digest
    assert f"{ref}: {said}" in _status_lines(team)  # and `status`

    # words, not a date: said, and the form's date is not used behind the person's back
    team.type_on(D(2026, 12, 1), ref, **{NEXT: "after Xmas"})
    assert team.row(ref)[TO_CORRECT] == (
        f"To correct: 'Next review' says \"after Xmas\", which is not a date: {FIX}"
    )
    assert reviews(team.ledger, team.config, team.profile)[ref].date is None

    # corrected (typed as text, dd/mm/yyyy): the sentence goes, the date is used
    team.type_on(D(2026, 12, 1), ref, **{NEXT: "15/01/2027"})
    assert team.row(ref)[TO_CORRECT] in (None, "")
    assert reviews(team.ledger, team.config, team.profile)[ref].date == D(2027, 1, 15)
    assert not any(t.startswith(f"{ref}: To correct") for t in team.reminder_texts(D(2026, 12, 1)))

    # the review goes by with no report made (no family time yet): said on the next day's
    # pass, with nothing typed
    team.type_on(D(2026, 12, 2), ref, **{"Contact made on": D(2026, 12, 1)})
    team.on(D(2027, 1, 18))
    team.effects()
    past = (
        "'Next review' (15/01/2027) has passed (today is 18/01/2027) and no review report "
        f"was made for it: {FIX}"
    )
    assert team.row(ref)[TO_CORRECT] == f"To correct: {past}"

    # with a commitment date to correct too: both, in one cell
    team.type_on(D(2027, 1, 18), ref, **{"Contact made on": D(2027, 2, 1)})
    assert team.row(ref)[TO_CORRECT] == (
        "To correct: 'Contact made on' (01/02/2027) is in the future (today is 18/01/2027): "
        f"type the day it happened; {past}"
    )

    # both corrected: nothing left to say, anywhere
    team.type_on(D(2027, 1, 18), ref, **{"Contact made on": D(2026, 12, 1), NEXT: D(2027, 7, 15)})
    assert team.row(ref)[TO_CORRECT] in (None, "")
    assert not any(t.startswith(f"{ref}: To correct") for t in _status_lines(team))


def test_the_forms_date_while_the_cell_is_blank_and_a_closed_referral(team):
    ref = team.referral(dt.datetime(2026, 11, 30, 9), review=D(2026, 4, 21))
    team.type_on(D(2026, 11, 30), ref, **{NEXT: ""})  # cleared
    assert team.row(ref)[TO_CORRECT] == (
        "To correct: the referral form's review date (21/04/2026), used while 'Next review' is "
        f"blank, is before the referral was received (30/11/2026): {FIX}"
    )

    # a good review date that has gone by: not said once the referral is closed
    team.type_on(D(2026, 12, 1), ref, **{NEXT: D(2026, 12, 20)})
    assert team.row(ref)[TO_CORRECT] in (None, "")
    team.on(D(2026, 12, 21))
    team.effects()
    assert "has passed (today is 21/12/2026)" in team.row(ref)[TO_CORRECT]
    team.type_on(D(2026, 12, 21), ref, Status="Closed")
    assert team.row(ref)[TO_CORRECT] in (None, "")


def test_a_good_review_date_says_nothing(team):
    ref = team.referral(dt.datetime(2026, 11, 2, 9))  # the form's review: ten weeks on
    team.effects()
    assert team.row(ref)[NEXT] == dt.datetime(2027, 1, 11)
    assert team.row(ref)[TO_CORRECT] in (None, "")
    assert team.ledger.met_problems() == {}
