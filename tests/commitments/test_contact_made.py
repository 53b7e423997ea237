"""Northamptonshire promises the co-ordinator discusses each referral with the social worker
within 2 working days. The co-ordinator types the day it happened into "Contact made on"; the
pipeline refuses a date it cannot use (said in "Dates to correct"), keeps the good ones in the
ledger, reminds the team of those due or overdue, and the month's figures count them, worked
out from the ledger alone."""

from __future__ import annotations

import datetime as dt
import shutil

from pipeline.commitments import label
from pipeline.reports.month import month_figures

D = dt.date
CONTACT = "Contact made on"
TO_CORRECT = "Dates to correct"


def test_contact_dates_through_november(team):
    # three referrals, each in the morning (before the 17:00 closing time, so counted that day)
    a = team.referral(dt.datetime(2026, 11, 2, 9))  # Mon: contact due Wed 4 Nov
    b = team.referral(dt.datetime(2026, 11, 3, 9))  # Tue: due Thu 5 Nov
    c = team.referral(dt.datetime(2026, 11, 4, 9))  # Wed: due Fri 6 Nov
    due = {r: team.row(r)["Discuss with social worker by"] for r in (a, b, c)}
    assert due == {
        a: dt.datetime(2026, 11, 4),
        b: dt.datetime(2026, 11, 5),
        c: dt.datetime(2026, 11, 6),
    }
    row = team.row(a)
    assert row[CONTACT] is None and row[TO_CORRECT] in (None, "")
    assert "Planning meeting on" not in row  # Northamptonshire gives no such date
    contact = label("contact", team.profile)

    # Wed 4 Nov: A's contact made that day (on time); B is due tomorrow
    team.type_on(D(2026, 11, 4), a, **{CONTACT: D(2026, 11, 4)})
    assert team.ledger.commitments_met() == {a: {"contact": D(2026, 11, 4)}}
    lines = team.reminder_texts(D(2026, 11, 4))
    assert f"{b}: {contact} due tomorrow (05/11/2026)" in lines
    # nothing about A's contact (the fixture's requested start, long past, is its own line)
    assert not any(line.startswith(f"{a}:") and "requested start" not in line for line in lines)

    # Thu 5 Nov: B typed as words, which is not a date: refused, said in the row
    team.type_on(D(2026, 11, 5), b, **{CONTACT: "rang SW, left msg"})
    said = team.row(b)[TO_CORRECT]
    assert said == (
        "To correct: 'Contact made on' says \"rang SW, left msg\", which is not a "
        "date: type it as dd/mm/yyyy"
    )
    assert b not in team.ledger.commitments_met()
    lines = team.reminder_texts(D(2026, 11, 5))
    assert f"{b}: {contact} due today (05/11/2026)" in lines
    assert f"{c}: {contact} due tomorrow (06/11/2026)" in lines

    # Mon 9 Nov: a date in the future, then one before the referral, then the right one
    team.type_on(D(2026, 11, 9), b, **{CONTACT: D(2026, 11, 20)})
    assert team.row(b)[TO_CORRECT] == (
        "To correct: 'Contact made on' (20/11/2026) is in the "
        "future (today is 09/11/2026): type the day it happened"
    )
    team.type_on(D(2026, 11, 9), b, **{CONTACT: D(2026, 11, 1)})
    assert team.row(b)[TO_CORRECT] == (
        "To correct: 'Contact made on' (01/11/2026) is before "
        "the referral was received (03/11/2026)"
    )
    assert b not in team.ledger.commitments_met()
    team.type_on(D(2026, 11, 9), b, **{CONTACT: D(2026, 11, 9)})  # late: due 5 Nov
    assert team.row(b)[TO_CORRECT] in (None, "")
    assert team.row(b)[CONTACT] == dt.datetime(2026, 11, 9)  # the person's cell kept
    lines = team.reminder_texts(D(2026, 11, 9))
    assert (
        f"{c}: {contact} overdue: it was due 06/11/2026 and no date is in the tracker's "
        f"'Contact made on'"
    ) in lines
    assert not any(line.startswith(f"{b}:") and "requested start" not in line for line in lines)
    # a month on, C's overdue contact is still asked for: a reminder stays until a person
    # types the date (or closes the referral), it never quietly drops off the list
    lines = team.reminder_texts(D(2026, 12, 9))
    assert (
        f"{c}: {contact} overdue: it was due 06/11/2026 and no date is in the tracker's "
        f"'Contact made on'"
    ) in lines

    # status shows the same lines as the digest
    from pipeline.commands.status import gather

    got = {r["text"] for r in gather(team.ledger, team.config, team.profile)["reminders"]}
    assert set(lines) <= got

    # the ledger keeps when each date was read (the day it was typed)
    rows = team.ledger._query(
        "SELECT reference, met_on, read_at FROM commitments_met ORDER BY read_at"
    )
    assert [(r["reference"], r["met_on"], r["read_at"][:10]) for r in rows] == [
        (a, "2026-11-04", "2026-11-04"),
        (b, "2026-11-09", "2026-11-09"),
    ]

    # November's figures, worked out by hand: A on time; B late (9 Nov > 5 Nov); C has no
    # date and its due day (6 Nov) has passed by the month's end: late. 1 of 3 = 33%.
    # Made with the workbook gone: the ledger alone.
    shutil.move(str(team.workbook), str(team.config.state_dir / "away.xlsx"))
    team.on(D(2026, 12, 1))
    f = month_figures(team.ledger, team.profile, D(2026, 11, 1), made=D(2026, 12, 1))
    assert f.value("commitments", "Discussed with the social worker") == "33% (1 of 3)"
    assert f.section("commitments").lists[
        "Late, by reference: Discussed with the social worker"
    ] == [b, c]
    assert f.value("commitments", "Planning meeting held") == (
        "not promised: Northamptonshire Children's Trust's documents make no such promise"
    )
    again = month_figures(team.ledger, team.profile, D(2026, 11, 1), made=D(2027, 3, 1))
    assert [s.rows for s in again.sections] == [s.rows for s in f.sections]


def test_a_cleared_cell_is_no_longer_counted(team):
    a = team.referral(dt.datetime(2026, 11, 2, 9))
    team.type_on(D(2026, 11, 3), a, **{CONTACT: "03/11/2026"})  # typed as text
    assert team.ledger.commitments_met() == {a: {"contact": D(2026, 11, 3)}}
    team.type_on(D(2026, 11, 5), a, **{CONTACT: ""})  # cleared
    assert team.ledger.commitments_met() == {}
    # ...but what was read on 3 November is still in the ledger's history
    assert team.ledger.commitments_met(read_by=dt.datetime(2026, 11, 4)) == {
        a: {"contact": D(2026, 11, 3)}
    }
