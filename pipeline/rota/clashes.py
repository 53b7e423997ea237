"""What a new or changed allocation would clash with, said where the co-ordinator typed it.

Checked against the sessions every other referral's pack already plans (diary.py), over the
weeks ahead (CHECK_WEEKS from the first session to come):

- blocking (no pack until it is resolved): the supervisor in two places at once, with the
  travel time between two venues from the profile's [rota] (0 where none is listed); a room of
  a venue booked twice; a day of the week the service runs no sessions (no pack can list it).
  Siblings who share one session (same supervisor, venue, room and time) are one session.
- warnings (the pack is made, the Paperwork cell says so): a session past the service's
  opening hours (profile [hours.opening]); the supervisor over the service's usual sessions a
  week (profile [rota] weekly_sessions_max) or over the hours a week on the Staff sheet.

Each sentence names the other referral by its reference, never a child.
Wording: form_templates/rota.toml [clashes].
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pipeline import words as house
from pipeline.dates import numeric_date
from pipeline.rota import diary as D

WORDING = "rota.toml"
CHECK_WEEKS = 12  # how far ahead a new allocation is checked against the others
MOST_SAID = 3  # clashes named in the cell; the rest counted ("and 2 more")


@dataclass
class Found:
    """The clashes (blocking) and warnings of one allocation, in plain words."""

    clashes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # the references clashed with

    @property
    def warning_text(self) -> str:
        if not self.warnings:
            return ""
        sep = house.load("allocation.toml")["paperwork"]["separator"]
        return _say("warning", warnings=sep.join(self.warnings))


def _say(key: str, **kw: Any) -> str:
    return house.fill(house.load(WORDING)["clashes"][key], f"rota.toml [clashes] {key}", **kw)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _clock(t: dt.time) -> str:
    return f"{t:%H:%M}"


def check(
    ledger,
    profile,
    reference: str,
    allocation,
    item,
    staff: list[dict],
    today: dt.date,
) -> Found:
    """The clashes and warnings of `reference`'s checked allocation against every other
    referral's planned sessions (read from the ledger's timeline)."""
    from pipeline.cases import cases_of

    mine = D.booking(reference, allocation, item)
    if mine is None:
        return Found()
    cases = cases_of(ledger, kinds=D.KINDS)
    others = D.current_bookings(cases, D.newest_items(ledger), skip=[reference])
    start = max(today, mine.first_date)
    first = start - dt.timedelta(days=start.weekday())  # whole weeks, for the weekly load
    last = first + dt.timedelta(weeks=CHECK_WEEKS, days=6)
    return compare(mine, D.diary(others, cases, profile, first, last), profile, staff, first, last)


def compare(
    mine: D.Booking,
    theirs: list[D.Session],
    profile,
    staff: list[dict],
    first: dt.date,
    last: dt.date,
) -> Found:
    """The clashes and warnings of booking `mine` against the sessions `theirs`."""
    found = Found()
    own = [
        s for s in D.sessions_of(mine, profile, first, last) if s.takes_place and s.date >= first
    ]
    by_date: dict[dt.date, list[D.Session]] = defaultdict(list)
    for s in theirs:
        if s.takes_place and s.booking.reference != mine.reference:
            by_date[s.date].append(s)
    said: set[tuple[str, str]] = set()
    clashes: list[str] = []
    for s in own:
        for o in by_date.get(s.date, ()):
            if o.slot() == s.slot() and o.booking.same_family(mine):
                continue  # siblings sharing one session
            text = _clash(mine, o, profile, s.date)
            if text is None:
                continue
            kind = "room" if text[0] == "room" else "supervisor"
            if (kind, o.booking.reference) in said:
                continue
            said.add((kind, o.booking.reference))
            clashes.append(text[1])
            if o.booking.reference not in found.others:
                found.others.append(o.booking.reference)
    if len(clashes) > MOST_SAID:
        clashes = clashes[:MOST_SAID] + [_say("more", count=len(clashes) - MOST_SAID)]
    found.clashes = _closed_days(mine, profile) + clashes
    found.warnings = _opening(mine, profile) + _load(mine, own, theirs, profile, staff)
    return found


def _clash(mine: D.Booking, o: D.Session, profile, day: dt.date) -> tuple[str, str] | None:
    """("supervisor" | "room", the sentence) when session `o` clashes with `mine` on `day`."""
    b = o.booking
    a0, a1 = _minutes(mine.start), _minutes(mine.end)
    b0, b1 = _minutes(b.start), _minutes(b.end)
    common = {
        "other": b.reference,
        "other_venue": b.venue,
        "other_time": b.time,
        "date": numeric_date(day),
        "venue": mine.venue,
    }
    if D._fold(b.supervisor) == D._fold(mine.supervisor):
        travel = profile.rota.minutes_between(b.venue, mine.venue)
        if a0 < b1 + travel and b0 < a1 + travel:
            if a0 < b1 and b0 < a1 or not travel:
                return "supervisor", _say("supervisor", supervisor=mine.supervisor, **common)
            return "supervisor", _say(
                "supervisor_travel", supervisor=mine.supervisor, minutes=travel, **common
            )
    if (
        mine.room
        and D._fold(b.venue) == D._fold(mine.venue)
        and D._fold(b.room) == D._fold(mine.room)
        and a0 < b1
        and b0 < a1
    ):
        return "room", _say("room", room=mine.room, **common)
    return None


def _closed_days(mine: D.Booking, profile) -> list[str]:
    """Days of the week the service runs no sessions (the pack could not list them)."""
    return [
        _say("closed_day", day=day)
        for day in mine.day.split(" and ")
        if day not in profile.hours.session_days
    ]


def _opening(mine: D.Booking, profile) -> list[str]:
    """Sessions past the service's opening hours, where its profile states them."""
    out = []
    for day in mine.day.split(" and "):
        hours = profile.hours.opening.get(day)
        if hours and (mine.start < hours.opens or mine.end > hours.closes):
            out.append(
                _say(
                    "after_closing",
                    day=day,
                    time=mine.time,
                    opens=_clock(hours.opens),
                    closes=_clock(hours.closes),
                )
            )
    return out


def _hours_of(staff: list[dict], supervisor: str) -> float | None:
    person = next((p for p in staff if D._fold(p.get("name")) == D._fold(supervisor)), None)
    try:
        hours = float(str((person or {}).get("hours") or "").replace(",", "."))
    except ValueError:
        return None
    return hours if hours > 0 else None


def _load(
    mine: D.Booking, own: list[D.Session], theirs: list[D.Session], profile, staff: list[dict]
) -> list[str]:
    """The supervisor's busiest week with this allocation added, against the service's usual
    most sessions a week and the hours on the Staff sheet (siblings' shared session: once)."""
    who = D._fold(mine.supervisor)
    weeks: dict[tuple[int, int], dict[tuple, int]] = defaultdict(dict)
    for s in [*own, *theirs]:
        if s.takes_place and D._fold(s.booking.supervisor) == who:
            weeks[s.date.isocalendar()[:2]][s.slot()] = s.booking.minutes
    mine_weeks = {s.date.isocalendar()[:2] for s in own}
    out: list[str] = []
    most = profile.rota.weekly_sessions_max
    contracted = _hours_of(staff, mine.supervisor)
    busiest = max((w for w in weeks if w in mine_weeks), key=lambda w: len(weeks[w]), default=None)
    if busiest is not None and most and len(weeks[busiest]) > most:
        out.append(
            _say(
                "weekly_sessions",
                supervisor=mine.supervisor,
                count=len(weeks[busiest]),
                week=_monday(busiest),
                most=most,
            )
        )
    longest = max(
        (w for w in weeks if w in mine_weeks), key=lambda w: sum(weeks[w].values()), default=None
    )
    if longest is not None and contracted and sum(weeks[longest].values()) > contracted * 60:
        out.append(
            _say(
                "weekly_hours",
                supervisor=mine.supervisor,
                hours=_hours(sum(weeks[longest].values())),
                week=_monday(longest),
                contracted=_hours(contracted * 60),
            )
        )
    return out


def _monday(week: tuple[int, int]) -> str:
    return numeric_date(dt.date.fromisocalendar(week[0], week[1], 1))


def _hours(minutes: float) -> str:
    h = minutes / 60
    return f"{h:g}" if h == int(h) else f"{h:.1f}"


# ---------------------------------------------------------------- on the timeline


def settle(ledger, profile, item, checked, staff: list[dict], today: dt.date) -> Found:
    """The paperwork effect's one call: check a readable allocation (`checked`, from
    pipeline/tracker/allocation.py) against the others; its clashes join the problems to
    correct (so no pack is made), and what was found is written once on the case timeline
    (ROTA_CHECKED), from which the Paperwork cell shows the warnings beside the pack."""
    if checked.problems or checked.allocation is None or not item.reference:
        return Found()
    found = check(ledger, profile, item.reference, checked.allocation, item, staff, today)
    checked.problems.extend(found.clashes)
    ledger.record_event(rota_checked(item.reference, checked.allocation, found, today))
    return found


def rota_checked(reference: str, allocation, found: Found, on: dt.date):
    """ROTA_CHECKED: the allocation checked, the clashes and warnings found (references
    only), keyed by the day and what was found so the same finding is written once."""
    import hashlib
    import json

    from pipeline.ledger.names import EventKind
    from pipeline.ledger.timeline import Event
    from pipeline.tracker.allocation import snapshot

    detail = {
        "allocation": snapshot(allocation),
        "clashes": list(found.clashes),
        "warnings": list(found.warnings),
        "with": list(found.others),
    }
    digest = hashlib.sha256(json.dumps(detail, sort_keys=True).encode()).hexdigest()[:16]
    key = f"rota_checked:{reference}:{on.isoformat()}:{digest}"
    return Event(reference, EventKind.ROTA_CHECKED, on, key, detail)


def warnings_for_cells(ledger, texts: dict[str, str]) -> dict[str, str]:
    """The Paperwork cells with the warnings of the allocation each pack was made from
    appended ("Pack made 04/12/2026; check: ..."), from the timeline: a later allocation
    checked clean, or changed, says nothing of an earlier one's warnings."""
    from pipeline.cases import cases_of
    from pipeline.cases import paperwork as PW
    from pipeline.ledger.names import EventKind
    from pipeline.tracker.allocation import PACK_FIELDS

    sep = house.load("allocation.toml")["paperwork"]["separator"]
    out = dict(texts)
    kinds = (EventKind.ROTA_CHECKED, EventKind.ALLOCATED)
    for ref, case in cases_of(ledger, references=list(texts), kinds=kinds).items():
        latest = case.latest(EventKind.ROTA_CHECKED)
        current = PW.current_allocation(case)
        if latest is None or current is None or not latest.detail.get("warnings"):
            continue
        checked = latest.detail.get("allocation") or {}
        if any(D._fold(checked.get(k)) != D._fold(current.get(k)) for k in PACK_FIELDS):
            continue
        found = Found(warnings=list(latest.detail["warnings"]))
        out[ref] = texts[ref] + sep + found.warning_text
    return out
