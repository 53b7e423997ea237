"""The review report's part of the timeline: the suspensions it reads, the event it writes.

Why here: the report says "inside a suspension" only for days a suspension really covered, so it
reads the SUSPENSION_STARTED / SUSPENSION_ENDED events (written by the code that starts and
ends a suspension), and it says a report "was made" only through its own REVIEW_REPORT_MADE
event, keyed so that a retried pass writes nothing twice.

Detail keys read: SUSPENSION_STARTED {"from": ISO date, "until": ISO date (optional: open
until an end event)}; SUSPENSION_ENDED {"until": ISO date, the last day suspended (optional:
the day before the event's date), "from": ISO date (optional: which suspension it ends)}.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from pipeline.ledger.names import EventKind
from pipeline.ledger.timeline import Event

ONE_DAY = dt.timedelta(days=1)
SUSPENSION_KINDS = (EventKind.SUSPENSION_STARTED, EventKind.SUSPENSION_ENDED)

Period = tuple[dt.date, dt.date | None]  # first and last day suspended (None: not ended)


def _day(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def suspensions_of(case, by: dt.date | None = None) -> list[Period] | None:
    """The suspensions the timeline holds, oldest first; None when it holds no suspension
    event at all (the caller then reads the approved decisions, as before the timeline)."""
    events = case.of(*SUSPENSION_KINDS, by=by) if case is not None else []
    if not events:
        return None
    periods: list[list] = []
    for e in events:
        if e.kind == EventKind.SUSPENSION_STARTED:
            start = _day(e.detail.get("from")) or e.on
            periods.append([start, _day(e.detail.get("until"))])
            continue
        until = _day(e.detail.get("until")) or (e.on - ONE_DAY)
        which = _day(e.detail.get("from"))
        match = [p for p in periods if (which is None or p[0] == which) and p[0] <= until + ONE_DAY]
        if match:
            p = match[-1]
            p[1] = until if p[1] is None else min(p[1], until)
    return [(p[0], p[1]) for p in periods]


def approved_suspensions(actions: Iterable) -> list[Period]:
    """Before suspension events existed: the suspensions a person approved (a proposal nobody
    decided, or one declined, suspended nothing)."""
    return [
        (a.suspended_from, a.suspended_until)
        for a in actions
        if getattr(a, "kind", "") == "suspension"
        and getattr(a, "decision", None) == "Approved"
        and a.suspended_from
    ]


def suspended_on(day: dt.date, periods: Iterable[Period]) -> bool:
    return any(start <= day and (until is None or day <= until) for start, until in periods)


def report_made(reference: str, review_date: dt.date, path: Path | str, on: dt.date) -> Event:
    """The review report for `review_date` was made, as the file `path` (one event per file:
    a second report for the same review is a new file, so a new event)."""
    name = Path(path).name
    return Event(
        reference,
        EventKind.REVIEW_REPORT_MADE,
        on,
        f"review_report_made:{reference}:{review_date.isoformat()}:{name}",
        {"review_date": review_date.isoformat(), "file": name},
    )


def report_checked(
    case, reference: str, review_date: dt.date, name: str, sha: str, on: dt.date
) -> Event | None:
    """A named person checked the report for `review_date`, as the file then was (`sha`);
    `name` "" : the name was cleared. None when the timeline already says so."""
    before = [
        e
        for e in (case.of(EventKind.REVIEW_REPORT_CHECKED) if case is not None else [])
        if e.detail.get("review_date") == review_date.isoformat()
    ]
    if before and before[-1].detail.get("name") == name:
        return None
    if not before and not name:
        return None
    return Event(
        reference,
        EventKind.REVIEW_REPORT_CHECKED,
        on,
        f"review_report_checked:{reference}:{review_date.isoformat()}:{len(before) + 1}:{sha[:12]}",
        {"review_date": review_date.isoformat(), "name": name, "sha256": sha},
    )


def last_check(case, review_date: dt.date) -> dict | None:
    """The latest check of the report for `review_date` ({"name", "sha256", "on"}), or None."""
    found = [
        e
        for e in (case.of(EventKind.REVIEW_REPORT_CHECKED) if case is not None else [])
        if e.detail.get("review_date") == review_date.isoformat()
    ]
    if not found:
        return None
    return {**found[-1].detail, "on": found[-1].on}
