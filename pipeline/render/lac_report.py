"""The Family Time report for the Looked After Child review: attendance counted from the
records, the plan and the calendar, a chart by month, the records' own words quoted, the
approved suspensions, and an appendix of every date counted.

A report speaks only for days that have come: its period ends on the day it is made at the
latest (the sessions booked after that, up to the review, are a count, never "planned in this
period"), and a report made before any session says so instead of reporting.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

from pipeline.clock import today as clock_today
from pipeline.files import private_dir
from pipeline.models import Allocation, Item, SessionRecord
from pipeline.profile import Profile
from pipeline.render import context as C
from pipeline.render import wording as W
from pipeline.render.rendering import PaperworkProblem, _check, _name, _planned, _render, _title

log = logging.getLogger(__name__)


def _in_period(records, period_from, period_to) -> list[SessionRecord]:
    return [r for r in records if period_from <= r.date <= period_to]


def render_lac_report(
    item: Item,
    allocation: Allocation | None,
    profile: Profile,
    out_dir: Path,
    sessions: list[SessionRecord] | None,
    period_from: dt.date,
    period_to: dt.date,
    significant_events: list[SessionRecord] | None = None,
    *,
    today: dt.date | None = None,
    review: dt.date | None = None,
    actions: list | None = None,
    words: dict[int, dict] | None = None,
    iro_name: str | None = None,
    suspensions: list | None = None,
) -> Path:
    """The Family Time report for the Looked After Child review (to the IRO, copy to the
    social worker): arrangements; attendance for the period, which ends on `today` at the
    latest, every planned date counted once (by its record, else inside a suspension, a
    closed day, today's still to come or no record yet) with a chart by month, and the count
    of sessions booked after it up to the review; significant events; the child's views,
    parents' engagement, what went well (sessions that went ahead without concern) and what
    worried the supervisor quoted from the records (`words`: item id -> the record's
    answers), only when there are records; the recommendation box; and an appendix listing
    every date counted and what it is counted from. Before any session has taken place, one
    sentence says so in place of the attendance, the records and the appendix.
    `suspensions`: the periods suspended (the case timeline's, pipeline/cases/review.py); when
    None, those of the approved decisions in `actions`; `review`: the review date (default:
    the referral form's)."""
    _check(item, allocation)
    if period_to < period_from:
        raise PaperworkProblem(
            f"The report period ends ({C.uk_date(period_to)}) before it "
            f"starts ({C.uk_date(period_from)})."
        )
    today = today or clock_today()
    out_dir = private_dir(Path(out_dir))
    if review is None:
        review = item.verdict.values.get("review.next_date")
        review = review if isinstance(review, dt.date) else None
    end = min(period_to, today)  # never a day that has not come
    own = [s for s in (sessions or []) if s.reference == item.reference]
    schedule = _planned(item, allocation, profile, until=max(period_to, review or period_to))
    before_first = not any(r.date <= end for r in own) and not any(s.date < today for s in schedule)
    if period_from > end and not before_first:
        raise PaperworkProblem(
            f"The report period starts ({C.uk_date(period_from)}) after the date of this "
            f"report ({C.uk_date(today)}): a report covers days that have passed."
        )
    period = (period_from, end)
    table = C.settings()["attendance"]
    figures, suspensions = _figures(
        item, allocation, profile, own, period, today, table, actions, suspensions
    )
    records = figures.records
    if significant_events is None:
        significant_events = [r for r in records if r.significant_event]
    events = sorted({r.date for r in _in_period(significant_events, period_from, end)})
    # before any session, today's session (if any) is the first booked; else it is counted
    after = today - dt.timedelta(days=1) if before_first else end
    booked = _booked(schedule, suspensions, after, review)
    images = {"chart": (_chart(figures, table, profile, period), 150)} if records else {}
    ctx = _report_context(
        item,
        allocation,
        profile,
        figures,
        table,
        today=today,
        review=review,
        period=None if before_first else period,
        events=events,
        actions=actions,
        suspensions=suspensions,
        words=words,
        booked=booked,
    )
    if iro_name:
        ctx.iro = C.ProfessionalCtx(name=iro_name)
    name = _name(
        "lac_report", meeting=report_meeting(profile), date=(review or period_to).isoformat()
    )
    path = _render("lac_report", ctx, _unused(out_dir / name), profile, images)
    log.info("paperwork: review report written for %s", item.reference)
    return path


def _booked(schedule, suspensions, after: dt.date, review: dt.date | None) -> list:
    """The sessions booked after the report's period, up to and including the review day (none
    when no review date is known): said as one count, never as part of the period. Dates
    inside a suspension are not booked."""
    from pipeline.cases.review import suspended_on

    if review is None:
        return []
    return [
        s
        for s in schedule
        if after < s.date <= review and not suspended_on(s.date, suspensions or [])
    ]


def report_meeting(profile: Profile) -> str:
    """The review the report is for, as the service calls it (its profile's [review]
    meeting_name: "Looked After Child review", "statutory review"), fit for a file name on
    Windows too; "review" where the service names none, or names a meeting of its own it
    states no report for (Milton Keynes' review meetings, 004): the report's date is the
    child's next review, typed in the tracker, not that meeting."""
    if profile.review.report == "not stated":
        return "review"
    said = " ".join(re.sub(r'[<>:"/\\|?*]', " ", profile.review.meeting_name or "").split())
    return said if said and said.casefold() != "not stated" else "review"


def _figures(item, allocation, profile, own, period, today, table, actions, suspensions):
    """The period's attendance, every planned date counted once (pipeline/reports/review.py),
    and the suspensions it was counted with: `suspensions` as given, else those approved in
    `actions`. An empty period (it starts after the report's day) counts nothing."""
    from pipeline.cases.review import approved_suspensions
    from pipeline.reports.review import closed_agreed_days, review_figures

    period_from, period_to = period
    schedule = _planned(item, allocation, profile, until=period_to)
    planned = [s.date for s in schedule]
    closed = closed_agreed_days(item, allocation, profile, schedule, until=period_to)
    if suspensions is None:
        suspensions = approved_suspensions(actions or [])
    figures = review_figures(
        own, planned, suspensions, period_from, period_to, today, table, closed=closed
    )
    return figures, suspensions


def _chart(figures, table: list[dict], profile: Profile, period) -> bytes:
    """The chart of the period's sessions by month, split by outcome (a PNG)."""
    from pipeline.render.chart import stacked_by_month

    period_from, period_to = period
    shown = [row.get("short", row["label"]) for row in table if row.get("chart", True)]
    return stacked_by_month(
        figures.by_month,
        shown,
        W.say(
            "notes",
            "chart_title",
            profile.id,
            period_from=C.date_in_words(period_from),
            period_to=C.date_in_words(period_to),
        ),
    )


def _report_context(
    item,
    allocation,
    profile,
    figures,
    table,
    *,
    today,
    review,
    period,
    events,
    actions,
    suspensions,
    words,
    booked,
) -> C.LacReportContext:
    """The report's context: the shared facts, the figures said in words and as a table, the
    records quoted, the suspensions and the appendix. `period` None: no session had taken
    place by the report's day (its period is said as none, period_from and period_to empty);
    `booked`: the sessions booked after the period up to the review (`sessions`, the list
    every document has of the sessions to come)."""
    if period is None:
        period_from = period_to = None
        shown = ("", "")
    else:
        period_from, period_to = period
        shown = (C.uk_date(period_from), C.uk_date(period_to))
    quotes = _quotes(figures.records, words or {})
    return C.document_context(
        C.LacReportContext,
        item,
        allocation,
        profile,
        today=today,
        planned=booked,
        title=_title("lac_report"),
        review_date=C.uk_date(review),
        period_from=shown[0],
        period_to=shown[1],
        planned_count=figures.count("planned"),
        not_planned_count=figures.count("not_planned"),
        attendance_said=_attendance_said(figures, table),
        from_plan_rows=C.join_words(
            [
                f"\u201c{label}\u201d"
                for key, label, _, n in figures.rows
                if n and _from_plan(key, table)
            ]
        ),
        has_records=bool(figures.records),
        counts=[
            C.CountCtx(label=label, count=n)
            for key, label, _, n in figures.rows
            if n or key not in ("not_planned", "to_come")
        ],  # those rows only when they have one
        significant_events=[C.uk_date(d) for d in events],
        appendix=_appendix(figures, table, profile.id) if period is not None else [],
        suspensions=_suspensions(actions or [], period_from, period_to, suspensions)
        if period is not None
        else [],
        **quotes,
    )


def _from_plan(key: str, table: list[dict]) -> bool:
    return any(row["key"] == key and row.get("from") == "plan" for row in table)


def _attendance_said(figures, table: list[dict]) -> str:
    """The rows with a count, each said as its [[attendance]] `said` words (one or many), in
    the table's order: "4 took place, 1 was cancelled by the carer and 2 are still to come"."""
    parts = []
    for row in table:
        n = figures.count(row["key"])
        if n and row.get("said"):
            one, many = row["said"]
            parts.append((one if n == 1 else many).format(n=n))
    return C.join_words(parts)


def _appendix(figures, table: list[dict], profile_id: str) -> list[C.RecordLineCtx]:
    """One line per date counted: a record's outcome and notes, or, with no record, what the
    plan and the calendar say of the date (the words: [notes] of wording.toml)."""
    labels = {
        row["key"]: row.get("short", row["label"]) if row.get("from") == "plan" else row["label"]
        for row in table
    }
    out = []
    for ln in figures.lines:
        r = ln.record
        if r is not None:
            notes = [r.reason] if r.reason else []
            if (r.late_minutes or 0) > 0:
                notes.append(f"{r.late_minutes} minutes late")
            if r.significant_event:
                notes.append("significant event")
            if not ln.planned:
                notes.append(W.say("notes", "review_not_planned", profile_id))
            outcome = r.outcome
        else:
            notes = [ln.closure] if ln.closure else []
            outcome = W.say("notes", "review_no_record", profile_id)
        out.append(
            C.RecordLineCtx(
                date=C.date_in_words(ln.date),
                outcome=outcome,
                counted_as=labels.get(ln.key, ""),
                note="; ".join(notes),
            )
        )
    return out


def _unused(path: Path) -> Path:
    """`path`, or "<name> (2).docx" and so on when a report by that name exists: a report
    already made (perhaps mailed, perhaps with the supervisor's recommendation written in) is
    never overwritten."""
    n = 2
    target = path
    while target.exists():
        target = path.with_name(f"{path.stem} ({n}){path.suffix}")
        n += 1
    return target


def _suspensions(
    actions: list, period_from: dt.date, period_to: dt.date, periods: list | None = None
) -> list[C.SuspensionCtx]:
    """The suspensions approved (a person's decision, not a proposal) that touched the
    period, oldest first, for the report to say plainly; with `periods` (the timeline's),
    only those the timeline holds, with the days it gives (a suspension ended early says
    so), so this section and the attendance figures never disagree."""
    out = []
    for a in sorted(
        (
            a
            for a in actions
            if a.kind == "suspension"
            and a.decision == "Approved"
            and a.suspended_from
            and a.suspended_until
        ),
        key=lambda a: a.suspended_from,
    ):
        start, until = a.suspended_from, a.suspended_until
        if periods is not None:
            held = [p for p in periods if p[0] == start]
            if not held:
                continue
            until = held[-1][1] or until
        if start > period_to or until < period_from or until < start:
            continue
        out.append(
            C.SuspensionCtx(
                start=C.uk_date(start),
                until=C.uk_date(until),
                meeting=C.uk_date(a.meeting_on) if a.meeting_on else "",
                missed=[C.date_in_words(d) for d in a.session_dates],
                court_directed=a.court_directed,
                approved_by=a.decided_by or "",
                approved_on=C.uk_date(a.decided_on) if a.decided_on else "",
            )
        )
    return out


# The record's answer each quoted section of the review report carries (catalogue keys).
# "What went well" is quoted only from sessions that went ahead without concern; a session that
# ended early or raised a concern is said under "What worried the supervisor" (`concerns`).
QUOTED = {
    "child_views": "session.child_views",
    "parenting": "session.parenting",
    "went_well": "session.summary",
}


def _quotes(records: list[SessionRecord], words: dict[int, dict]) -> dict[str, list]:
    from pipeline.reports.review import concern

    out: dict[str, list] = {k: [] for k in QUOTED}
    out["concerns"] = []
    for r in records:
        values = words.get(r.item_id) or {}
        for section, key in QUOTED.items():
            said = C.text(values.get(key), "")
            if not said or (section == "went_well" and (r.outcome != "Took place" or concern(r))):
                continue
            out[section].append(C.QuoteCtx(date=C.date_in_words(r.date), text=said))
        if concern(r):
            out["concerns"].append(
                C.ConcernCtx(
                    date=C.date_in_words(r.date),
                    ended_early=r.outcome == "Ended early",
                    reason=C.text(r.reason, ""),
                    significant=r.significant_event,
                    details=C.text(values.get("session.significant_details"), ""),
                    summary=C.text(values.get("session.summary"), ""),
                )
            )
    return out
