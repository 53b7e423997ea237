"""The figures of a Looked After Child review report, as a pure function of the records.

Why a module of its own: an IRO reads "10 offered" as ten sessions somebody could come to, so
every planned date of the period is accounted for once, by what is known of it: the session
record's outcome (held, ended early, missed by the parent, cancelled and by whom, service
closed), else the plan and the calendar (inside a suspension, a day the service was closed,
still to come, or no record yet). The rows add up to the dates planned; which rows come from a
record and which from the plan is data (form_templates/documents/documents.toml
[[attendance]], `from`), so the report can say which figures a record stands behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.cases.review import Period, suspended_on
from pipeline.models import SessionRecord

# Rows whose figure is worked out from the plan and the calendar, never from a record.
FROM_PLAN = ("suspended", "closed_day", "no_record", "to_come")


@dataclass(frozen=True)
class DateLine:
    """One date of the period and how it is counted: by its record, or by the plan."""

    date: dt.date
    key: str  # the [[attendance]] row it counts in
    record: SessionRecord | None = None  # None: counted from the plan
    planned: bool = True  # False: a record on a date the plan lacks
    closure: str = ""  # why the service was closed that day


@dataclass
class ReviewFigures:
    rows: list[tuple[str, str, str, int]]  # (key, label, short label, count)
    records: list[SessionRecord]  # the current records of the period, by date
    lines: list[DateLine]  # every date counted, once, by date
    by_month: dict[str, dict[str, int]] = field(default_factory=dict)  # "2026-11" -> short -> n

    def count(self, key: str) -> int:
        return next((n for k, _, _, n in self.rows if k == key), 0)

    def dates(self, key: str) -> list[dt.date]:
        return [ln.date for ln in self.lines if ln.key == key]

    @property
    def planned(self) -> list[dt.date]:
        return [ln.date for ln in self.lines if ln.planned]

    @property
    def unplanned(self) -> list[DateLine]:
        return [ln for ln in self.lines if not ln.planned]

    @property
    def from_plan(self) -> list[DateLine]:
        return [ln for ln in self.lines if ln.record is None]


def current(records: list[SessionRecord]) -> list[SessionRecord]:
    """Records not replaced by a later one for the same session."""
    replaced = {r.replaces for r in records if r.replaces is not None}
    return [r for r in records if r.item_id not in replaced]


def row_of(record: SessionRecord, rows: list[dict]) -> str | None:
    """The attendance row a record counts in: a reason naming a court day first (the outcome
    says who cancelled, the reason says it was for court), else the row of its outcome."""
    reason = (record.reason or "").casefold()
    for row in rows:
        words = row.get("reason_words")
        if (
            words
            and any(w.casefold() in reason for w in words)
            and record.outcome in row.get("outcomes", [])
        ):
            return row["key"]
    for row in rows:
        if not row.get("reason_words") and record.outcome in row.get("outcomes", []):
            return row["key"]
    return None


def concern(record: SessionRecord) -> bool:
    """The record says the session ended early or raised a concern: its words are never
    quoted as what went well."""
    return record.outcome == "Ended early" or record.significant_event


def review_figures(
    records: list[SessionRecord],
    planned: list[dt.date],
    suspensions: list[Period],
    period_from: dt.date,
    period_to: dt.date,
    today: dt.date,
    rows: list[dict],
    closed: dict[dt.date, str] | None = None,
) -> ReviewFigures:
    """Every date of the period counted once. `planned`: the schedule's dates; `closed`: the
    agreed days the service was closed with no replacement (date -> why); `suspensions`: the
    periods suspended; `rows`: the [[attendance]] table. A planned date with a record counts
    by its record (the first one; a second record that day counts as a session the plan did
    not have); without one, inside a suspension, else a closed day, else still to come (today
    or later), else no record yet."""
    recs = sorted(
        (r for r in current(records) if period_from <= r.date <= period_to),
        key=lambda r: (r.date, r.item_id),
    )
    closed = {d: why for d, why in (closed or {}).items() if period_from <= d <= period_to}
    in_period = sorted({d for d in planned if period_from <= d <= period_to} | set(closed))
    by_date: dict[dt.date, list[SessionRecord]] = {}
    for r in recs:
        by_date.setdefault(r.date, []).append(r)
    lines: list[DateLine] = []
    for d in in_period:
        found = by_date.pop(d, [])
        if found:
            first, *more = found
            lines.append(
                DateLine(d, row_of(first, rows) or "no_record", first, closure=closed.get(d, ""))
            )
            lines += [DateLine(d, row_of(r, rows) or "no_record", r, planned=False) for r in more]
        elif suspended_on(d, suspensions):
            lines.append(DateLine(d, "suspended"))
        elif d in closed:
            lines.append(DateLine(d, "closed_day", closure=closed[d]))
        elif d >= today:
            lines.append(DateLine(d, "to_come"))
        else:
            lines.append(DateLine(d, "no_record"))
    for d, found in by_date.items():  # records on dates the plan did not have
        lines += [DateLine(d, row_of(r, rows) or "no_record", r, planned=False) for r in found]
    lines.sort(key=lambda ln: (ln.date, not ln.planned))
    counts: dict[str, int] = {}
    months: dict[str, dict[str, int]] = {}
    shorts = {row["key"]: row.get("short", row["label"]) for row in rows}
    for ln in lines:
        counts[ln.key] = counts.get(ln.key, 0) + 1
        if ln.record is not None and ln.key in shorts:
            m = months.setdefault(f"{ln.date:%Y-%m}", {})
            m[shorts[ln.key]] = m.get(shorts[ln.key], 0) + 1
    special = {
        "planned": sum(1 for ln in lines if ln.planned),
        "not_planned": sum(1 for ln in lines if not ln.planned),
        "late": sum(
            1
            for r in recs
            if (r.late_minutes or 0) > 0 and r.outcome in ("Took place", "Ended early")
        ),
    }
    out = []
    for row in rows:
        key = row["key"]
        n = special[key] if key in special else counts.get(key, 0)
        out.append((key, row["label"], row.get("short", row["label"]), n))
    return ReviewFigures(out, recs, lines, dict(sorted(months.items())))


class _OpenCalendar:
    """The service's session weekdays with no closures: the agreed pattern as it would run if
    the service never closed (to find the agreed days a closure took away)."""

    profile = None

    def __init__(self, calendar):
        self.session_weekdays = calendar.session_weekdays

    def closure_reason(self, d: dt.date) -> str | None:
        return None if d.weekday() in self.session_weekdays else "closed"

    def is_session_day(self, d: dt.date) -> bool:
        return self.closure_reason(d) is None


def closed_agreed_days(item, allocation, profile, schedule, until: dt.date) -> dict[dt.date, str]:
    """The agreed session days up to `until` that the service's calendar closed and no
    replacement took (date -> why: "Christmas Day", "Team training day"). `schedule`: the
    planned sessions (pipeline/sessions/plan.py), whose replacements say which day they
    replace. Empty when the plan cannot be worked out."""
    from pipeline.sessions.plan import frequency_of
    from pipeline.sessions.schedule import session_dates
    from pipeline.validate.calendar import ServiceCalendar

    if allocation is None or allocation.first_date is None or not allocation.day:
        return {}
    calendar = ServiceCalendar(profile)
    try:
        pattern = session_dates(
            allocation.first_date,
            allocation.day,
            frequency_of(item),
            _OpenCalendar(calendar),
            until=until,
        )
    except ValueError:
        return {}
    kept = {s.date for s in schedule} | {s.replaces for s in schedule if s.replaces}
    return {
        s.date: why
        for s in pattern
        if s.date not in kept and (why := calendar.closure_reason(s.date)) is not None
    }
