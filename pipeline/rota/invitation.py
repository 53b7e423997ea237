"""The supervisor's calendar invitation for a referral's sessions (RFC 5545 / iTIP RFC 5546).

One recurring event per referral with a stable UID, so Outlook (or any calendar) keeps one
series and updates it in place: the agreed pattern as an RRULE, the days the service calendar
closes as EXDATEs, and a replacement session (or a first session off the pattern) as an RDATE,
so the occurrences are exactly the session plan's (pipeline/sessions/plan.py). It holds the
referral's reference, the child's initials, the venue and the room only: the names are in
the pack.

- a first pack: METHOD:REQUEST, SEQUENCE 0;
- a changed allocation, or a suspension (its sessions become EXDATEs) or a restart (they
  come back): METHOD:REQUEST with SEQUENCE + 1;
- an ended referral: METHOD:CANCEL of the whole series, SEQUENCE + 1.

Each invitation made is an INVITED event on the case timeline (its sequence and method), from
which the next sequence is counted. Wording: form_templates/rota.toml [invitation].
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from pipeline import words as house
from pipeline.dates import DAYS
from pipeline.rota import diary as D

WORDING = "rota.toml"
ZONE = "Europe/London"
PRODID = "-//Family Time//Session invitations//EN"
HORIZON_DAYS = 365  # as far as the session plan looks without an end date
_BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _say(key: str, **kw: Any) -> str:
    return house.fill(house.load(WORDING)["invitation"][key], f"rota.toml [invitation] {key}", **kw)


def uid(reference: str, domain: str) -> str:
    """The same for every invitation of a referral, so calendars update one series."""
    return f"family-time-{reference.lower()}@{domain}"


def _pattern(b: D.Booking) -> str:
    from pipeline.sessions.schedule import pattern_for

    return pattern_for(b.frequency)


def _rule(b: D.Booking, planned: list[dt.date]) -> dict[str, Any]:
    """The agreed pattern as an RRULE (until the plan's last session)."""
    days = [DAYS.index(d) for d in b.day.split(" and ")]
    pattern = _pattern(b)
    until = dt.datetime.combine(planned[-1], b.start, ZoneInfo(ZONE)).astimezone(dt.UTC)
    if pattern == "monthly":
        anchor = planned[0]
        nth = min((anchor.day - 1) // 7 + 1, 5)
        return {
            "FREQ": "MONTHLY",
            "BYDAY": [f"{-1 if nth == 5 else nth}{_BYDAY[anchor.weekday()]}"],
            "UNTIL": until,
        }
    return {
        "FREQ": "WEEKLY",
        "INTERVAL": 2 if pattern == "fortnightly" else 1,
        "BYDAY": [_BYDAY[i] for i in days],
        "WKST": "MO",
        "UNTIL": until,
    }


def _rule_dates(rule: dict[str, Any], start: dt.datetime) -> set[dt.date]:
    """The dates the RRULE gives from `start` (DTSTART counts, RFC 5545 3.8.5.3)."""
    from dateutil.rrule import rrulestr
    from icalendar import vRecur

    text = vRecur(rule).to_ical().decode()
    return {d.date() for d in rrulestr(text, dtstart=start)} | {start.date()}


def plan_dates(b: D.Booking, profile, case=None, today: dt.date | None = None) -> list[dt.date]:
    """The sessions the invitation holds: the plan from the first session for a year, less
    those a suspension holds or after the referral ended."""
    last = b.first_date + dt.timedelta(days=HORIZON_DAYS)
    return [s.date for s in D.sessions_of(b, profile, b.first_date, last, case) if s.takes_place]


def calendar(
    b: D.Booking,
    planned: list[dt.date],
    *,
    sequence: int,
    organizer: str,
    attendee: str | None,
    now: dt.datetime,
    cancel: bool = False,
) -> bytes:
    """The .ics: one VEVENT, REQUEST (the sessions `planned`) or CANCEL (the whole series)."""
    from icalendar import Calendar, Event, vCalAddress

    zone = ZoneInfo(ZONE)
    domain = organizer.rpartition("@")[2] or "family-time.invalid"
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    ev = Event()
    ev.add("uid", uid(b.reference, domain))
    ev.add("sequence", sequence)
    ev.add("dtstamp", now.astimezone(dt.UTC))
    ev.add("summary", _say("summary", reference=b.reference, initials=b.initials or "-"))
    room = _say("room", room=b.room) if b.room else ""
    ev.add("location", _say("location", venue=b.venue, room=room))
    ev.add("description", _say("description", reference=b.reference, initials=b.initials or "-"))
    first = planned[0] if planned else b.first_date
    start = dt.datetime.combine(first, b.start, zone)
    ev.add("dtstart", start)
    ev.add("dtend", dt.datetime.combine(first, b.end, zone))
    organizer_address = vCalAddress(f"mailto:{organizer}")
    ev.add("organizer", organizer_address)
    if attendee:
        person = vCalAddress(f"mailto:{attendee}")
        person.params["ROLE"] = "REQ-PARTICIPANT"
        person.params["PARTSTAT"] = "NEEDS-ACTION"
        person.params["RSVP"] = "FALSE"
        ev.add("attendee", person)
    if cancel:
        ev.add("status", "CANCELLED")
    else:
        ev.add("status", "CONFIRMED")
    if planned:
        rule = _rule(b, planned)
        ev.add("rrule", rule)
        made = _rule_dates(rule, start)
        wanted = set(planned)
        off = sorted(made - wanted)
        extra = sorted(wanted - made)
        if off:
            ev.add("exdate", [dt.datetime.combine(d, b.start, zone) for d in off])
        if extra:
            ev.add("rdate", [dt.datetime.combine(d, b.start, zone) for d in extra])
    ev.add("transp", "OPAQUE")
    cal.add_component(_london())
    cal.add_component(ev)
    return cal.to_ical()


def _london():
    """Europe/London as a compact VTIMEZONE (the UK rule since 1996: last Sunday of March
    and of October), the form Outlook and Evolution write themselves."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    tz = Timezone()
    tz.add("tzid", ZONE)
    summer = TimezoneDaylight()
    summer.add("dtstart", dt.datetime(1981, 3, 29, 1, 0))
    summer.add("tzoffsetfrom", dt.timedelta(hours=0))
    summer.add("tzoffsetto", dt.timedelta(hours=1))
    summer.add("tzname", "BST")
    summer.add("rrule", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    winter = TimezoneStandard()
    winter.add("dtstart", dt.datetime(1996, 10, 27, 2, 0))
    winter.add("tzoffsetfrom", dt.timedelta(hours=1))
    winter.add("tzoffsetto", dt.timedelta(hours=0))
    winter.add("tzname", "GMT")
    winter.add("rrule", {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


# ---------------------------------------------------------------- on the timeline


def invited(reference: str, sequence: int, method: str, detail: dict, on: dt.date):
    from pipeline.ledger.names import EventKind
    from pipeline.ledger.timeline import Event

    data = {"sequence": sequence, "method": method, **detail}
    return Event(reference, EventKind.INVITED, on, f"invited:{reference}:{sequence}", data)


def next_sequence(case) -> int:
    """0 for a referral never invited; one more than the last invitation otherwise."""
    from pipeline.ledger.names import EventKind

    last = case.latest(EventKind.INVITED) if case is not None else None
    return int(last.detail["sequence"]) + 1 if last is not None else 0


def add_to_pack_mail(ledger, profile, item, allocation, message, staff: list, version: int):
    """The paperwork effect's one call: the pack email to the supervisor carries the
    invitation (REQUEST; SEQUENCE + 1 for a remade pack). Nothing when the supervisor has no
    address on the Staff sheet or the allocation places no session."""
    from pipeline import clock

    email = next(
        (
            s.get("email")
            for s in staff
            if D._fold(s.get("name")) == D._fold(allocation.supervisor) and s.get("email")
        ),
        None,
    )
    if email is None or email.lower() not in (a.lower() for a in message.recipients):
        return None
    made = for_pack(ledger, profile, item, allocation, email, clock.today(), clock.now(), version)
    if made is not None:
        attach(message, *made)
    return made


def for_pack(
    ledger, profile, item, allocation, supervisor_email: str | None, today, now, version=None
):
    """(filename, .ics bytes) for a pack's email, with its INVITED event written; None when
    the allocation places no session or nobody could be invited."""
    from pipeline.cases import case_of

    ref = item.reference
    b = D.booking(ref, allocation, item)
    if b is None or not supervisor_email:
        return None
    case = case_of(ledger, ref)
    planned = plan_dates(b, profile, case)
    if not planned:
        return None
    sequence = next_sequence(case)
    ics = calendar(
        b,
        planned,
        sequence=sequence,
        organizer=profile.mail.from_address,
        attendee=supervisor_email,
        now=now,
    )
    detail = {
        "first": planned[0].isoformat(),
        "sessions": len(planned),
        "plan": plan_digest(planned),
        "to": "supervisor",
        "pack": version,
    }
    ledger.record_event(invited(ref, sequence, "REQUEST", detail, today))
    return f"{ref} sessions.ics", ics


def attach(message, name: str, ics: bytes, method: str = "REQUEST") -> None:
    """The invitation as a text/calendar part with its iTIP method (what Outlook reads)."""
    message.message.add_attachment(
        ics, maintype="text", subtype="calendar", filename=name, params={"method": method}
    )


def plan_digest(planned: list[dt.date]) -> str:
    """A short fingerprint of the sessions an invitation held: what a later look at the
    timeline compares, to know whether a suspension, a restart or an end changed them."""
    import hashlib

    return hashlib.sha256(",".join(d.isoformat() for d in planned).encode()).hexdigest()[:16]


def follow_timeline(ledger, config, profile) -> int:
    """Updates the case timeline owes the supervisors' calendars since each referral's last
    invitation: a suspension takes its sessions out and a restart puts them back (REQUEST,
    SEQUENCE + 1), an ended referral cancels the series (CANCEL). A changed allocation is the
    pack email's (its own invitation). Each is written once (INVITED, its sequence); returns
    how many were made. The email goes to the supervisor on the current allocation."""
    from pipeline import clock
    from pipeline.cases import cases_of
    from pipeline.cases import paperwork as PW
    from pipeline.ledger.names import EventKind

    cases = cases_of(ledger, kinds=D.KINDS + (EventKind.INVITED,))
    owed = []
    items = None
    for ref, case in cases.items():
        last = case.latest(EventKind.INVITED)
        if last is None or last.detail.get("method") == "CANCEL":
            continue
        if items is None:
            items = D.newest_items(ledger)
        b = D.booking(ref, PW.current_allocation(case), items.get(ref))
        if b is None:
            continue
        ended = case.has(EventKind.CLOSED)
        planned = plan_dates(b, profile, case)
        if not ended and planned and plan_digest(planned) == last.detail.get("plan"):
            continue
        owed.append((ref, case, b, planned, ended or not planned))
    if not owed:
        return 0
    from pipeline.notify.compose import MailNotReady, our_addresses
    from pipeline.notify.outbox import MailOutbox
    from pipeline.tracker.sync import read_staff

    try:
        our_addresses(profile)
    except MailNotReady:  # no mail set up: nothing can carry an update (the pack says so)
        return 0
    staff = read_staff(config, profile)
    outbox = MailOutbox(config, profile)
    made = 0
    for ref, case, b, planned, cancel in owed:
        email = next(
            (
                s.get("email")
                for s in staff
                if D._fold(s.get("name")) == D._fold(b.supervisor) and s.get("email")
            ),
            None,
        )
        if not email:
            continue  # nobody to tell: looked at again next pass
        sequence = next_sequence(case)
        method = "CANCEL" if cancel else "REQUEST"
        ics = calendar(
            b,
            planned or [b.first_date],
            sequence=sequence,
            organizer=profile.mail.from_address,
            attendee=email,
            now=clock.now(),
            cancel=cancel,
        )
        message = _update_message(profile, b, email, sequence, _why(case, cancel), planned)
        attach(message, f"{ref} sessions.ics", ics, method)
        outbox.deliver(message)
        detail = {"sessions": len(planned), "plan": plan_digest(planned), "to": "supervisor"}
        ledger.record_event(invited(ref, sequence, method, detail, clock.today()))
        made += 1
    return made


def _why(case, cancel: bool) -> str:
    """What the update email says happened, from the timeline alone: ended, suspended (a
    suspension started or moved), resumed (it ended), or updated (the plan moved otherwise)."""
    from pipeline.cases import suspension as S
    from pipeline.ledger.names import EventKind

    if cancel:
        return "ended"
    latest = case.latest(
        EventKind.SUSPENSION_STARTED, EventKind.SUSPENSION_CHANGED, EventKind.SUSPENSION_ENDED
    )
    if latest is None or not any(p.start for p in S.proposals(case)):
        return "updated"
    return "resumed" if latest.kind == EventKind.SUSPENSION_ENDED else "suspended"


def _update_message(profile, b: D.Booking, email: str, sequence: int, why: str, planned):
    """The short email carrying an updated (or cancelled) invitation: reference and initials
    only, like the pack's (form_templates/mail/invitation.*)."""
    from pipeline import paths
    from pipeline.notify.compose import our_addresses, service_context, service_message
    from pipeline.notify.templates import templates_for

    team, _ = our_addresses(profile)
    context = {
        "kind": "invitation",
        "reference": b.reference,
        "initials": b.initials or "-",
        "why": why,
        "sessions": len(planned),
        "next": planned[0] if planned else None,
        "fallback": {"sw": None, "used": None},  # to the supervisor: no social worker involved
        "service": service_context(profile),
    }
    templates = templates_for(profile.id, paths.MAIL_TEMPLATES)
    key = f"{b.reference}:invitation:{sequence}"
    return service_message("invitation", key, profile, templates, (email,), (team,), context)
