"""Sessions in Outlook: the pack email to the supervisor carries one recurring invitation per
referral (a stable UID, closures as exceptions) whose occurrences are the session plan's, read
back by two parsers (icalendar, and vobject expanding the recurrence with dateutil); a changed
allocation is an update (SEQUENCE + 1); a suspension takes its sessions out and a restart
puts them back; an ended referral cancels the series. Reference, initials, venue, room only."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import vobject

from pipeline.profile import load_profile
from pipeline.rota import diary as D
from pipeline.rota import invitation as I

from tests.helpers.allocation_kit import SUPERVISOR_EMAIL, Desk

TODAY = "2026-12-01"
REF = "FT-2026-00001"
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _occurrences_vobject(ics: bytes) -> list[dt.date]:
    cal = vobject.readOne(ics.decode())
    return sorted({d.date() for d in cal.vevent.getrruleset(addRDate=True)})


def _occurrences_icalendar(ics: bytes) -> list[dt.date]:
    """RFC 5545's recurrence set from icalendar's own parse: DTSTART, RRULE, RDATE less
    EXDATE (the rule expanded by dateutil, as calendar programs in Python do)."""
    from dateutil.rrule import rrulestr

    ev = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
    start = ev.decoded("dtstart")
    found = {start.date()}
    found |= {d.date() for d in rrulestr(ev["rrule"].to_ical().decode(), dtstart=start)}
    for prop in _list(ev.get("rdate")):
        found |= {d.dt.date() for d in prop.dts}
    for prop in _list(ev.get("exdate")):
        found -= {d.dt.date() for d in prop.dts}
    return sorted(found)


def _list(v):
    return [] if v is None else v if isinstance(v, list) else [v]


CASES = [
    ("Monday", None, dt.date(2026, 12, 7)),  # Boxing Day substitute: replaced on the Tuesday
    ("Tuesday and Thursday", "Twice a week", dt.date(2026, 12, 8)),
    ("Friday", "Fortnightly", dt.date(2026, 12, 4)),  # Christmas Day falls on its week
    ("Monday", "Monthly", dt.date(2027, 5, 3)),  # May bank holidays
    ("Saturday", "Once a week", dt.date(2027, 3, 20)),  # across the clocks going forward
]


@pytest.mark.parametrize("day, frequency, first", CASES)
def test_two_parsers_read_the_session_plan_back(day, frequency, first):
    profile = load_profile("northamptonshire")
    b = D.Booking(
        REF,
        "Robin",
        "Penfold Centre",
        "Room 2",
        day,
        dt.time(10),
        dt.time(11, 30),
        first,
        frequency,
        "A.B.",
    )
    planned = I.plan_dates(b, profile)
    assert len(planned) > 10
    ics = I.calendar(
        b,
        planned,
        sequence=0,
        organizer="ft@nct.example.org",
        attendee="robin@nct.example.org",
        now=NOW,
    )
    assert _occurrences_vobject(ics) == planned
    assert _occurrences_icalendar(ics) == planned
    ev = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
    assert ev.decoded("dtstart").hour == 10  # local time in every season
    text = ics.decode()
    assert "METHOD:REQUEST" in text and "family-time-ft-2026-00001@nct.example.org" in text
    assert "Penfold Centre\\, Room 2" in text and "(A.B.)" in text


def test_a_suspension_takes_its_sessions_out_and_an_end_cancels():
    profile = load_profile("northamptonshire")
    b = D.Booking(
        REF,
        "Robin",
        "Penfold Centre",
        "",
        "Tuesday",
        dt.time(10),
        dt.time(11),
        dt.date(2026, 12, 8),
        None,
        "A.B.",
    )
    from pipeline.cases import suspension as S
    from pipeline.cases.case import Case
    from pipeline.ledger.names import EventKind
    from pipeline.ledger.timeline import Event

    raised = Event(
        REF,
        EventKind.PROPOSAL_RAISED,
        dt.date(2027, 1, 6),
        "k1",
        {"proposal": "P1", "kind": "suspension", "sessions": ["2027-01-05"]},
    )
    started = S.suspension_started(
        REF, 1, S.Span(dt.date(2027, 1, 11), dt.date(2027, 1, 24)), "Manager", dt.date(2027, 1, 7)
    )
    case = Case(REF, [raised, started])
    held = I.plan_dates(b, profile, case)
    full = I.plan_dates(b, profile)
    assert set(full) - set(held) == {dt.date(2027, 1, 12), dt.date(2027, 1, 19)}
    update = I.calendar(b, held, sequence=1, organizer="ft@nct.example.org", attendee=None, now=NOW)
    assert _occurrences_vobject(update) == held == _occurrences_icalendar(update)
    assert "SEQUENCE:1" in update.decode()
    cancel = I.calendar(
        b, held, sequence=2, organizer="ft@nct.example.org", attendee=None, now=NOW, cancel=True
    )
    assert "METHOD:CANCEL" in cancel.decode() and "STATUS:CANCELLED" in cancel.decode()
    assert vobject.readOne(cancel.decode()).vevent.uid.value == (
        "family-time-ft-2026-00001@nct.example.org"
    )


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    d = Desk(tmp_path / "work")
    d.receive()
    return d


def _invitation(mail) -> bytes | None:
    for part in mail.walk():
        if part.get_content_type() == "text/calendar":
            assert part.get_param("method") == "REQUEST"
            return part.get_payload(decode=True)
    return None


def test_the_pack_mail_carries_the_invitation_and_a_change_updates_it(desk):
    desk.allocate(REF, Room="Room 3")
    desk.effects()
    mails = desk.mails("pack")
    assert len(mails) == 1 and SUPERVISOR_EMAIL in mails[0]["To"]
    ics = _invitation(mails[0])
    assert ics is not None
    ev = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
    assert int(ev["sequence"]) == 0
    assert str(ev["location"]) == f"{desk.profile.venues[0].name}, Room 3"
    item = desk.ledger.item_by_reference(REF)
    child = " ".join(str(v) for k, v in item.verdict.values.items() if k.startswith("child.name"))
    for name in child.split():
        assert name not in ics.decode()
    assert _occurrences_vobject(ics)[0] == dt.date(2026, 12, 8)
    desk.allocate(REF, Room="Room 3", Time="14:00-15:30")
    desk.effects()
    mails = desk.mails("pack")
    assert len(mails) == 2
    again = _invitation(mails[-1])
    ev2 = next(iter(icalendar.Calendar.from_ical(again).walk("VEVENT")))
    assert int(ev2["sequence"]) == 1 and str(ev2["uid"]) == str(ev["uid"])
    assert ev2.decoded("dtstart").hour == 14


def _vevent(ics: bytes):
    return next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))


def _calendar_mail(mail) -> tuple[str, bytes]:
    part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    return part.get_param("method"), part.get_payload(decode=True)


def test_a_suspension_a_restart_and_an_end_update_the_supervisors_calendar(desk):
    from pipeline.cases import suspension as S
    from pipeline.ledger.names import EventKind
    from pipeline.ledger.timeline import Event

    desk.allocate(REF)
    desk.effects()
    first = _invitation(desk.mails("pack")[0])
    before = _occurrences_vobject(first)
    assert desk.mails("invitation") == []  # nothing changed: no update
    # approved and its letters made: held until a review meeting not yet dated
    desk.ledger.record_event(
        Event(
            REF,
            EventKind.PROPOSAL_RAISED,
            dt.date(2026, 12, 16),
            "raised:test",
            {"proposal": "P1", "kind": "suspension", "sessions": ["2026-12-15"]},
        )
    )
    span = S.Span(dt.date(2026, 12, 21), dt.date(2027, 1, 3), to_meeting=True)
    desk.ledger.record_event(S.suspension_started(REF, 1, span, "Manager", dt.date(2026, 12, 17)))
    desk.effects()
    [mail] = desk.mails("invitation")
    assert SUPERVISOR_EMAIL in mail["To"] and REF in mail["Subject"]
    assert "is suspended" in mail.get_body(("plain",)).get_content()
    method, ics = _calendar_mail(mail)
    held = _occurrences_vobject(ics)
    assert method == "REQUEST" and int(_vevent(ics)["sequence"]) == 1
    assert held == [d for d in before if d < dt.date(2026, 12, 21)]
    assert _occurrences_icalendar(ics) == held
    # the meeting ends it: the sessions after 3 January come back
    desk.ledger.record_event(S.suspension_ended(REF, 1, dt.date(2027, 1, 3), "meeting"))
    desk.effects()
    mails = desk.mails("invitation")
    assert len(mails) == 2
    assert "starts again" in mails[-1].get_body(("plain",)).get_content()
    method, ics = _calendar_mail(mails[-1])
    again = _occurrences_vobject(ics)
    assert int(_vevent(ics)["sequence"]) == 2
    assert dt.date(2027, 1, 5) in again and dt.date(2026, 12, 22) not in again
    assert [d for d in before if d not in again] == [dt.date(2026, 12, 22), dt.date(2026, 12, 29)]
    # the referral ends: the series is cancelled, once
    desk.ledger.record_event(Event(REF, EventKind.CLOSED, dt.date(2027, 1, 20), "closed:t", {}))
    desk.effects()
    desk.effects()
    mails = desk.mails("invitation")
    assert len(mails) == 3
    assert "has ended" in mails[-1].get_body(("plain",)).get_content()
    method, ics = _calendar_mail(mails[-1])
    assert method == "CANCEL" and int(_vevent(ics)["sequence"]) == 3
    assert str(_vevent(ics)["uid"]) == str(_vevent(first)["uid"])
