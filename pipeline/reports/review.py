"""The figures of a Looked After Child review report, as a pure function of the records.

Why a module of its own: an IRO reads "planned 6, took place 1" as five misses, so every
count here says what it is (offered, still to come, inside a suspension) and is traceable to
the session records, listed with their dates in the report's appendix. The rows and which
record outcomes each counts are data (form_templates/documents/documents.toml [[attendance]]).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.models import RuleAction, SessionRecord


@dataclass
class ReviewFigures:
    rows: list[tuple[str, str, str, int]]          # (key, label, short label, count)
    records: list[SessionRecord]                   # the current records of the period, by date
    planned: list[dt.date]                         # every date of the period: the three below
    suspended: list[dt.date]                       # planned dates inside a suspension, no record
    to_come: list[dt.date]                         # planned dates after today with no record
    by_month: dict[str, dict[str, int]] = field(default_factory=dict)  # "2026-11" -> short -> n
    offered: list[dt.date] = field(default_factory=list)   # dates that came, or have a record

    def count(self, key: str) -> int:
        return next(n for k, _, _, n in self.rows if k == key)


def current(records: list[SessionRecord]) -> list[SessionRecord]:
    """Records not replaced by a later one for the same session."""
    replaced = {r.replaces for r in records if r.replaces is not None}
    return [r for r in records if r.item_id not in replaced]


def suspended_on(day: dt.date, actions: list[RuleAction]) -> bool:
    return any(a.kind == "suspension" and a.suspended_from and a.suspended_until
               and a.suspended_from <= day <= a.suspended_until for a in actions)


def row_of(record: SessionRecord, rows: list[dict]) -> str | None:
    """The attendance row a record counts in: a reason naming a court day first (the outcome
    says who cancelled, the reason says it was for court), else the row of its outcome."""
    reason = (record.reason or "").casefold()
    for row in rows:
        words = row.get("reason_words")
        if words and any(w.casefold() in reason for w in words) \
                and record.outcome in row.get("outcomes", []):
            return row["key"]
    for row in rows:
        if not row.get("reason_words") and record.outcome in row.get("outcomes", []):
            return row["key"]
    return None


def review_figures(records: list[SessionRecord], planned: list[dt.date],
                   actions: list[RuleAction], period_from: dt.date, period_to: dt.date,
                   today: dt.date, rows: list[dict]) -> ReviewFigures:
    """Counts for the period. `planned` is the schedule's dates; `rows` the [[attendance]]
    table. Every date of the period is counted once, in one of three: offered (a record, or
    a planned date that has come outside a suspension), inside a suspension (no record), or
    still to come; "planned" is their sum, so the report's sentence adds up. (A record on a
    suspended date, or on a date the schedule did not plan, is a session offered.)"""
    recs = sorted((r for r in current(records) if period_from <= r.date <= period_to),
                  key=lambda r: (r.date, r.item_id))
    in_period = sorted({d for d in planned if period_from <= d <= period_to})
    recorded = {r.date for r in recs}
    suspended = [d for d in in_period if suspended_on(d, actions) and d not in recorded]
    kept = [d for d in in_period if d not in set(suspended)]
    to_come = [d for d in kept if d >= today and d not in recorded]
    offered = sorted((set(kept) - set(to_come)) | recorded)
    every = sorted(set(offered) | set(suspended) | set(to_come))
    counts: dict[str, int] = {}
    months: dict[str, dict[str, int]] = {}
    shorts = {row["key"]: row.get("short", row["label"]) for row in rows}
    for r in recs:
        key = row_of(r, rows)
        if key:
            counts[key] = counts.get(key, 0) + 1
            m = months.setdefault(f"{r.date:%Y-%m}", {})
            m[shorts[key]] = m.get(shorts[key], 0) + 1
    special = {"planned": len(every), "offered": len(offered), "to_come": len(to_come),
               "suspended": len(suspended),
               "late": sum(1 for r in recs if (r.late_minutes or 0) > 0
                           and r.outcome in ("Took place", "Ended early"))}
    out = []
    for row in rows:
        key = row["key"]
        n = special[key] if key in special else counts.get(key, 0)
        out.append((key, row["label"], row.get("short", row["label"]), n))
    return ReviewFigures(out, recs, every, suspended, to_come, dict(sorted(months.items())),
                         offered=offered)
