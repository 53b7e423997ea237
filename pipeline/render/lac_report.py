"""The Family Time report for the Looked After Child review: attendance counted from the
records, the plan and the calendar, a chart by month, the records' own words quoted, the
approved suspensions, and an appendix of every date counted.
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
    social worker): arrangements; attendance for the period, every planned date counted once
    (by its record, else inside a suspension, a closed day, still to come or no record yet)
    with a chart by month; significant events; the child's views, parents' engagement, what
    went well (sessions that went ahead without concern) and what worried the supervisor
    quoted from the records (`words`: item id -> the record's answers); the recommendation
    box; and an appendix listing every date counted and what it is counted from.
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
    period = (period_from, period_to)
    table = C.settings()["attendance"]
    figures, suspensions = _figures(
        item, allocation, profile, sessions, period, today, table, actions, suspensions
    )
    records = figures.records
    if significant_events is None:
        significant_events = [r for r in records if r.significant_event]
    events = sorted({r.date for r in _in_period(significant_events, period_from, period_to)})
    if review is None:
        review = item.verdict.values.get("review.next_date")
        review = review if isinstance(review, dt.date) else None
    images = {"chart": (_chart(figures, table, profile, period), 150)} if records else {}
    ctx = _report_context(
        item,
        allocation,
        profile,
        figures,
        table,
        today=today,
        review=review,
        period=period,
        events=events,
        actions=actions,
        suspensions=suspensions,
        words=words,
    )
    if iro_name:
        ctx.iro = C.ProfessionalCtx(name=iro_name)
    name = _name(
        "lac_report", meeting=report_meeting(profile), date=(review or period_to).isoformat()
    )
    path = _render("lac_report", ctx, _unused(out_dir / name), profile, images)
    log.info("paperwork: review report written for %s", item.reference)
    return path


def report_meeting(profile: Profile) -> str:
    """The review the report is for, as the service calls it (its profile's [review]
    meeting_name: "Looked After Child review", "statutory review", "review meeting"), fit for a
    file name on Windows too; "review" where the service names none."""
    said = " ".join(re.sub(r'[<>:"/\\|?*]', " ", profile.review.meeting_name or "").split())
    return said if said and said.casefold() != "not stated" else "review"


def _figures(item, allocation, profile, sessions, period, today, table, actions, suspensions):
    """The period's attendance, every planned date counted once (pipeline/reports/review.py),
    and the suspensions it was counted with: `suspensions` as given, else those approved in
    `actions`."""
    from pipeline.cases.review import approved_suspensions
    from pipeline.reports.review import closed_agreed_days, review_figures

    period_from, period_to = period
    own = [s for s in (sessions or []) if s.reference == item.reference]
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
) -> C.LacReportContext:
    """The report's context: the shared facts, the figures said in words and as a table, the
    records quoted, the suspensions and the appendix."""
    period_from, period_to = period
    quotes = _quotes(figures.records, words or {})
    return C.document_context(
        C.LacReportContext,
        item,
        allocation,
        profile,
        today=today,
        title=_title("lac_report"),
        review_date=C.uk_date(review),
        period_from=C.uk_date(period_from),
        period_to=C.uk_date(period_to),
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
            if n or key != "not_planned"
        ],  # that row only when it has one
        significant_events=[C.uk_date(d) for d in events],
        appendix=_appendix(figures, table, profile.id),
        suspensions=_suspensions(actions or [], period_from, period_to, suspensions),
        day_and_time=_day_and_time(item, allocation),
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


def _day_and_time(item: Item, allocation: Allocation | None) -> str:
    """ "Wednesdays 16:00-17:30": the agreed days and the session's start and end (the end
    from the referral's length when the tracker gives a start alone)."""
    from pipeline.dates import times_text
    from pipeline.sessions.schedule import parse_session_days

    if allocation is None or not allocation.day:
        return C.NOT_GIVEN
    try:
        days = C.join_words([f"{d}s" for d in parse_session_days(allocation.day)])
    except ValueError:
        days = C.text(allocation.day)
    start, end = C.parse_times(allocation.time)
    if start is None:
        return f"{days}, {C.text(allocation.time)}" if allocation.time else days
    if end is None:
        minutes = item.verdict.values.get("request.duration") if item.verdict else None
        if isinstance(minutes, (int, float)) and not isinstance(minutes, bool) and minutes > 0:
            end = (
                dt.datetime.combine(dt.date(2000, 1, 3), start) + dt.timedelta(minutes=int(minutes))
            ).time()
    return f"{days} {times_text(start, end)}"


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
