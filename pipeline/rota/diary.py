"""The sessions every allocation plans, one line per session, in any window of days.

Drawn from the allocation each pack was made from (its ALLOCATED event on the case timeline),
the referral's frequency and the service calendar (pipeline/sessions/plan.py, the one session
plan), and what the timeline says happened since: a session held by an approved suspension is
"suspended", one after the referral ended is "ended", one the service calendar closes is
"closed" (with why). The clash check, the Rota sheet, the printed rota, the invitations and
the month report's workload all read this one list, so they never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.cases import paperwork as PW
from pipeline.cases import suspension as S
from pipeline.cases.case import Case
from pipeline.cases.family_time import capped, family_time_end
from pipeline.initials import child_initials
from pipeline.ledger.names import EventKind
from pipeline.models import Allocation, Item
from pipeline.sessions.plan import frequency_of
from pipeline.sessions.schedule import session_dates
from pipeline.tracker.allocation import session_minutes
from pipeline.tracker.typed import read_days, read_times
from pipeline.validate.calendar import ServiceCalendar

PLANNED, SUSPENDED, ENDED, CLOSED = "planned", "suspended", "ended", "closed"
KINDS = (EventKind.ALLOCATED, EventKind.CLOSED) + S.KINDS  # what the diary reads of a case


@dataclass(frozen=True)
class Booking:
    """One referral's allocation, as the sessions need it: who, where, from when to when."""

    reference: str
    supervisor: str
    venue: str
    room: str
    day: str
    start: dt.time
    end: dt.time
    first_date: dt.date
    frequency: str | None = None
    initials: str = ""
    # the family members the referral names (folded): two bookings share a session only when
    # they are one family's (siblings), never two unrelated children put in the same slot
    family: frozenset[str] = frozenset()
    # the last day of time-limited family time (pipeline/cases/family_time.py); None: no end
    ends: dt.date | None = None

    def same_family(self, other: Booking) -> bool:
        return bool(self.family & other.family)

    @property
    def minutes(self) -> int:
        return _minutes(self.end) - _minutes(self.start)

    @property
    def time(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Session:
    """One session of a booking on one date, and what became of it (`state`, `why`)."""

    booking: Booking
    date: dt.date
    state: str = PLANNED
    why: str = ""  # the closure ("Christmas Day"); a replacement: the date it replaces

    @property
    def takes_place(self) -> bool:
        return self.state == PLANNED

    def slot(self) -> tuple:
        """What siblings sharing one session have in common (counted once)."""
        b = self.booking
        return (_fold(b.supervisor), self.date, b.start, b.end, _fold(b.venue), _fold(b.room))


def _fold(text: str | None) -> str:
    return " ".join(str(text or "").split()).casefold()


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


class _OpenCalendar(ServiceCalendar):
    """The service calendar with nothing closed: the pattern as agreed, so the days the real
    calendar takes out can be shown as cancelled, with why."""

    def closure_reason(self, d: dt.date) -> str | None:
        return None


def booking(
    reference: str, allocation: dict | Allocation | None, item: Item | None
) -> Booking | None:
    """The booking of an allocation (a timeline snapshot or a checked Allocation), or None
    when it does not say enough to place a session (nothing allocated, a time not read)."""
    if allocation is None:
        return None
    a = allocation.model_dump() if isinstance(allocation, Allocation) else dict(allocation)
    first = a.get("first_date")
    if isinstance(first, str):
        first = dt.date.fromisoformat(first) if first else None
    days = read_days(a.get("day"))
    start, end = read_times(a.get("time"), session_minutes(item))
    if not (first and days and start and end and a.get("supervisor") and a.get("venue")):
        return None
    values = item.verdict.values if item and item.verdict else {}
    return Booking(
        reference=reference,
        supervisor=" ".join(str(a["supervisor"]).split()),
        venue=" ".join(str(a["venue"]).split()),
        room=" ".join(str(a.get("room") or "").split()),
        day=" and ".join(days),
        start=start,
        end=end,
        first_date=first,
        frequency=frequency_of(item),
        initials=child_initials(values) if values else "",
        family=_family(values),
        ends=family_time_end(item, allocation),
    )


def _family(values: dict) -> frozenset[str]:
    """The family members' names on the referral, folded (family[1].name ...)."""
    return frozenset(
        _fold(v)
        for k, v in values.items()
        if k.startswith("family[") and k.endswith("].name") and _fold(v)
    )


def sessions_of(
    b: Booking,
    profile,
    first: dt.date,
    last: dt.date,
    case: Case | None = None,
    calendars: tuple | None = None,
) -> list[Session]:
    """The booking's sessions from `first` to `last` (inclusive), each with its state."""
    real, open_ = calendars or (ServiceCalendar(profile), _OpenCalendar(profile))
    last = capped(last, b.ends) or last  # none after time-limited family time ends
    try:
        planned = session_dates(b.first_date, b.day, b.frequency, real, until=last)
        agreed = session_dates(b.first_date, b.day, b.frequency, open_, until=last)
    except ValueError:  # a frequency or days that cannot be read: nothing placed
        return []
    ended = case.latest(EventKind.CLOSED) if case is not None else None
    out: dict[dt.date, Session] = {}
    held = {s.date for s in planned}
    for s in agreed:
        if first <= s.date <= last and s.date not in held:
            out[s.date] = Session(b, s.date, CLOSED, real.closure_reason(s.date) or "")
    for s in planned:
        if not first <= s.date <= last:
            continue
        state, why = PLANNED, ""
        if s.replaces is not None:
            why = s.replaces.isoformat()
        if ended is not None and s.date > ended.on:
            state = ENDED
        elif case is not None and S.suspended_on(case, s.date):
            state = SUSPENDED
        out[s.date] = Session(b, s.date, state, why)
    return [out[d] for d in sorted(out)]


def current_bookings(
    cases: dict[str, Case],
    items: dict[str, Item],
    skip: Iterable[str] = (),
    ends: dict[str, dt.date] | None = None,
) -> dict[str, Booking]:
    """reference -> the booking of the allocation its latest pack was made from; `ends`: the
    end of time-limited family time a person typed in the tracker (else the service's limit)."""
    skipped = set(skip)
    out: dict[str, Booking] = {}
    for ref, case in cases.items():
        if ref in skipped:
            continue
        allocation = PW.current_allocation(case)
        if allocation is not None and (ends or {}).get(ref):
            allocation = {**allocation, "family_time_ends": ends[ref]}
        found = booking(ref, allocation, items.get(ref))
        if found is not None:
            out[ref] = found
    return out


def diary(
    bookings: dict[str, Booking],
    cases: dict[str, Case],
    profile,
    first: dt.date,
    last: dt.date,
) -> list[Session]:
    """Every booking's sessions from `first` to `last`, by date and time."""
    calendars = (ServiceCalendar(profile), _OpenCalendar(profile))
    out: list[Session] = []
    for ref, b in bookings.items():
        out.extend(sessions_of(b, profile, first, last, cases.get(ref), calendars))
    out.sort(key=lambda s: (s.date, s.booking.start, s.booking.supervisor, s.booking.reference))
    return out


def newest_items(ledger) -> dict[str, Item]:
    """reference -> its newest accepted submission (the frequency and length it asks)."""
    out: dict[str, Item] = {}
    for item in ledger.items(outcome="accepted"):
        if item.reference and (item.reference not in out or item.id > out[item.reference].id):
            out[item.reference] = item
    return out


def from_ledger(
    ledger, profile, first: dt.date, last: dt.date, ends: dict[str, dt.date] | None = None
) -> list[Session]:
    """The diary of every allocated referral in the ledger from `first` to `last` (`ends`: see
    current_bookings)."""
    from pipeline.cases import cases_of

    cases = cases_of(ledger, kinds=KINDS)
    if not any(c.has(EventKind.ALLOCATED) for c in cases.values()):
        return []  # nothing allocated yet: the referrals need not be read
    bookings = current_bookings(cases, newest_items(ledger), ends=ends)
    return diary(bookings, cases, profile, first, last)
