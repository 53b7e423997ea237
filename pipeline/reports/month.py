"""The service's monthly figures: referrals, commitments met on time, sessions, suspensions,
time to first session and workload, worked out from the ledger alone (so any past month can be
made again and gives the same numbers), then written as a Word report (a chart and a table per
section) and an Excel workbook of the same figures into outbox/reports/.

Labels are data (form_templates/reports/month.toml). Proposals and decisions about
suspensions come from the ledger's record of the Decisions sheet (`decisions_in`); the days a
contact or planning meeting happened from the ledger's record of what co-ordinators typed in
the tracker (`Ledger.commitments_met`, read when the workbook is saved): the workbook itself is
never read here. A commitment the service does not make is said to be not promised.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import dates
from pipeline import words as house
from pipeline.validate.calendar import ServiceCalendar, complete_referrals, due_dates, promised

HELD = ("Took place", "Ended early")
MISSED = ("Parent did not attend", "Parent late, session cancelled")
REFERRAL_OUTCOMES = ("accepted", "incomplete", "old_form")
# the commitments measured, in the order the report gives them
COMMITMENTS = ("acknowledge", "contact", "planning_meeting", "allocation", "first_session")


def words() -> dict[str, Any]:
    return house.load("reports/month.toml")


@dataclass
class Section:
    key: str
    title: str
    rows: list[tuple[str, Any]]  # (label, value) for the table
    chart: dict[str, float]  # label -> number for the chart
    chart_title: str
    lists: dict[str, list[str]] = field(default_factory=dict)  # e.g. late references


@dataclass
class MonthFigures:
    month: dt.date  # the first of the month
    title: str
    intro: str
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def value(self, key: str, label: str) -> Any:
        return dict(self.section(key).rows)[label]


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, dates.add_months(first, 1) - dt.timedelta(days=1)


def decisions_in(ledger, first: dt.date, last: dt.date) -> dict[str, int]:
    """Suspensions proposed in the month, and how many of them people approved or declined
    (the tracker's Decisions sheet, as the ledger keeps it)."""
    out = Counter()
    for sa in ledger.rule_actions():
        a = sa.action
        if a.kind != "suspension" or not first <= sa.created_at.date() <= last:
            continue
        out["proposed"] += 1
        if a.decision in ("Approved", "Declined"):
            out[a.decision.lower()] += 1
    return dict(out)


def month_figures(
    ledger, profile, month: dt.date, *, made: dt.date | None = None, staff: list | None = None
) -> MonthFigures:
    """Every figure of the month, from the ledger: one step per section of the report, in the
    report's order, each given only what it counts from. `staff`: the Staff sheet's people
    (name, hours), for each worker's sessions against their hours (none: not said)."""
    from pipeline import clock

    w = words()
    first, last = month_bounds(month)
    cal = ServiceCalendar(profile)
    items = ledger.items()
    by_ref = submissions_by_reference(items)
    sessions = ledger.all_sessions()
    first_held = _first_sessions_held(sessions)
    recs = _records_of_month(sessions, first, last)
    referrals, accepted = _referrals_section(w["sections"]["referrals"], by_ref, first, last)
    sections = [
        referrals,
        _commitments_section(
            w["sections"]["commitments"],
            ledger,
            profile,
            cal,
            by_ref,
            accepted,
            first_held,
            first,
            last,
        ),
        _sessions_section(w["sections"]["sessions"], recs),
        _suspensions_section(w["sections"]["suspensions"], ledger, first, last),
        _waiting_section(w["sections"]["waiting"], cal, by_ref, first_held, first, last),
        _workload_section(
            w["sections"]["workload"], recs, {i.id: i for i in items}, staff, profile
        ),
        _rooms_section(w["sections"]["rooms"], ledger, recs, {i.id: i for i in items}),
    ]
    made = made or clock.today()
    title = w["title"].format(
        council=profile.name, service=profile.service_name, month=dates.month_year(first)
    )
    return MonthFigures(first, title, w["intro"].format(made=dates.date_in_words(made)), sections)


def _first_sessions_held(sessions) -> dict[str, dt.date]:
    """Each referral's first session that took place (or ended early), from the records still
    current: what the first-session promise and the wait are measured to."""
    first_held: dict[str, dt.date] = {}
    for rec, live in sessions.values():
        if (
            live
            and rec.outcome in HELD
            and (rec.reference not in first_held or rec.date < first_held[rec.reference])
        ):
            first_held[rec.reference] = rec.date
    return first_held


def _records_of_month(sessions, first: dt.date, last: dt.date) -> list:
    """The current session records whose session date is in the month (the sessions and the
    workload sections count the same records)."""
    from pipeline.reports.review import current

    return [r for r in current([r for r, _ in sessions.values()]) if first <= r.date <= last]


def _referrals_section(
    s: dict, by_ref: dict[str, list], first: dt.date, last: dt.date
) -> tuple[Section, list[str]]:
    """1. Referrals received in the month, counted by reference: a re-submission (an update,
    or a copy) is the same referral, said apart as an update. Also returns the references
    accepted in the month, which the commitments are measured for."""
    got = [ref for ref, subs in by_ref.items() if first <= subs[0].received_at.date() <= last]
    accepted = sorted(
        ref
        for ref, subs in by_ref.items()
        if (day := _first_day(subs, ("accepted",))) and first <= day <= last
    )
    returned: dict[str, dict[str, set[str]]] = {"incomplete": {}, "old_form": {}}
    updates = 0
    for ref, subs in by_ref.items():
        for k, i in enumerate(subs):
            if not first <= i.received_at.date() <= last:
                continue
            updates += k > 0
            if i.outcome in returned:
                labels = returned[i.outcome].setdefault(ref, set())
                labels.update(p.label for p in (i.verdict.problems if i.verdict else []))
    reasons = Counter(label for labels in returned["incomplete"].values() for label in labels)
    top = [
        f"{label} ({k})" for label, k in sorted(reasons.items(), key=lambda x: (-x[1], x[0]))[:5]
    ]
    rows = [
        (s["received"], len(got)),
        (s["accepted"], len(accepted)),
        (s["returned"], len(returned["incomplete"])),
        (s["old_forms"], len(returned["old_form"])),
        (s["updates"], updates),
    ]
    section = Section(
        "referrals",
        s["title"],
        rows,
        {label: v for label, v in rows[1:4]},
        s["chart"],
        {s["reasons"]: top},
    )
    return section, accepted


def _commitments_judged(
    ledger,
    profile,
    cal,
    by_ref: dict[str, list],
    accepted: list[str],
    first_held: dict[str, dt.date],
    last: dt.date,
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """For each commitment, the referrals accepted in the month that met it and those late,
    due from the day the COMPLETE referral was received (calendar.promised: the tracker's
    due-date cells, the digest and the chase count from the same day; an incomplete first
    submission starts nothing) and judged at the month's end (so the answer is the same
    whenever it is run). The acknowledgement is met by the first reply to any submission.
    Allocation is the day the timeline first says the referral was allocated (its first
    ALLOCATED or PACK_MADE event, as it was by the month's end), never when an effect last
    ran; the first session, one held by the month's end."""
    from pipeline.cases import cases_of
    from pipeline.cases import paperwork as PW
    from pipeline.ledger.names import EventKind

    acks = cases_of(ledger, accepted, kinds=(EventKind.ACKNOWLEDGED,))
    allocations = cases_of(ledger, accepted, kinds=(EventKind.ALLOCATED, EventKind.PACK_MADE))
    kept = ledger.commitments_met()  # dates co-ordinators typed, as the ledger read them
    today = last
    met: dict[str, list[str]] = defaultdict(list)
    late: dict[str, list[str]] = defaultdict(list)
    complete = complete_referrals(i for subs in by_ref.values() for i in subs)
    for ref in accepted:
        start, due = promised(complete[ref], profile)
        due["acknowledge"] = due.get("acknowledgement", start)
        typed = kept.get(ref, {})
        held = first_held.get(ref)
        done = {
            "acknowledge": _first_sent(acks.get(ref), last),
            "allocation": PW.allocated_on(allocations.get(ref), by=last),
            "first_session": held if held is not None and held <= last else None,
            "contact": typed.get("contact"),
            "planning_meeting": typed.get("planning_meeting"),
        }
        for key in COMMITMENTS:
            if key not in due:
                continue
            when = done[key]
            if when is not None and when <= due[key]:
                met[key].append(ref)
            elif when is not None or due[key] < today:
                late[key].append(ref)
    return met, late


def _commitments_section(
    s: dict,
    ledger,
    profile,
    cal,
    by_ref: dict[str, list],
    accepted: list[str],
    first_held: dict[str, dt.date],
    first: dt.date,
    last: dt.date,
) -> Section:
    """2. Commitments, once per referral accepted in the month: the share met on time, the
    late references listed; a commitment the service does not make is said to be not
    promised (a first session without a timescale is left out)."""
    met, late = _commitments_judged(ledger, profile, cal, by_ref, accepted, first_held, last)
    promises = set(due_dates(dt.datetime.combine(first, dt.time(9)), profile))
    rows, chart, lists = [], {}, {}
    for key in COMMITMENTS:
        if key in ("contact", "planning_meeting") and key not in promises:
            rows.append((s[key], s["not_promised"].format(name=profile.name)))
            continue
        if key == "first_session" and profile.timescales.first_session is None:
            continue
        total = len(met[key]) + len(late[key])
        pct = round(100 * len(met[key]) / total) if total else None
        rows.append((s[key], f"{pct}% ({len(met[key])} of {total})" if total else "none due"))
        if pct is not None:
            chart[s[key]] = pct
        if late[key]:
            lists[f"{s['late']}: {s[key]}"] = sorted(set(late[key]))
    return Section("commitments", s["title"], rows, chart, s["chart"], lists)


def _sessions_section(s: dict, recs: list) -> Section:
    """3. Sessions by session date: offered, held, missed, then one row per attendance row
    of the service's settings (the chart leads with those held)."""
    from pipeline.render.context import settings
    from pipeline.reports.review import row_of

    table = settings()["attendance"]
    counted = Counter(row_of(r, table) for r in recs)
    rows = [
        (s["offered"], len(recs)),
        (s["held"], sum(1 for r in recs if r.outcome in HELD)),
        (s["missed"], sum(1 for r in recs if r.outcome in MISSED)),
    ]
    chart = {}
    for row in table:
        if row.get("outcomes") and row["key"] not in ("took_place", "ended_early"):
            rows.append((row["label"], counted.get(row["key"], 0)))
            chart[row.get("short", row["label"])] = counted.get(row["key"], 0)
    chart = {s["held_short"]: rows[1][1], **chart}
    return Section("sessions", s["title"], rows, chart, s["chart"])


def _suspensions_section(s: dict, ledger, first: dt.date, last: dt.date) -> Section:
    """4. Suspensions started in the month (approved, letters made: the case timeline's
    SUSPENSION_STARTED) and legal advice approved, then the suspensions proposed in the month
    and what had become of them by its last day: approved, declined, undecided, counted apart.
    From events alone, and only those written by the month's end, so the same month gives the
    same figures when run again later."""
    from pipeline.cases import Case, cases_of
    from pipeline.cases import suspension as S

    def by_end(e) -> bool:
        return e.on <= last and (e.written_at is None or e.written_at.date() <= last)

    counts: Counter = Counter()
    for case in cases_of(ledger, kinds=S.KINDS).values():
        known = [e for e in case.events if by_end(e)]
        for p in S.proposals(Case(case.reference, known)):
            if p.start is not None and first <= p.start <= last:
                counts["started"] += 1
            if (
                p.kind == "legal_advice"
                and p.decision == "Approved"
                and first <= p.decided_on <= last
            ):
                counts["legal_advice"] += 1
            if p.kind == "suspension" and first <= p.raised_on <= last:
                counts["proposed"] += 1
                counts[(p.decision or "undecided").lower()] += 1
    rows = [
        (s[key], counts.get(key, 0))
        for key in ("started", "legal_advice", "proposed", "approved", "declined", "undecided")
    ]
    return Section(
        "suspensions",
        s["title"],
        rows,
        {label: v for label, v in rows if isinstance(v, int)},
        s["chart"],
    )


def _waiting_section(
    s: dict,
    cal,
    by_ref: dict[str, list],
    first_held: dict[str, dt.date],
    first: dt.date,
    last: dt.date,
) -> Section:
    """5. Referral to first session in working days (from the complete referral), for first
    sessions held in the month of referrals ever accepted: count, median, the slowest, and a
    chart of BUCKETS."""
    complete = complete_referrals(i for subs in by_ref.values() for i in subs)
    received = {ref: promised(item, cal.profile)[0] for ref, item in complete.items()}
    waits = sorted(
        (cal.working_days_between(received[ref], day), ref)
        for ref, day in first_held.items()
        if first <= day <= last and ref in received
    )
    rows = [
        (s["count"], len(waits)),
        (s["median"], statistics.median(w_ for w_, _ in waits) if waits else "none"),
        (s["slowest"], waits[-1][0] if waits else "none"),
        (s["slowest_ref"], waits[-1][1] if waits else "none"),
    ]
    buckets = Counter(_bucket(w_) for w_, _ in waits)
    return Section("waiting", s["title"], rows, {b: buckets.get(b, 0) for b in BUCKETS}, s["chart"])


def _workload_section(
    s: dict, recs: list, by_id: dict, staff: list | None = None, profile=None
) -> Section:
    """6. Workload: sessions recorded in the month by the worker named on the record, with
    each worker's busiest ISO week and, from the Staff sheet, their hours of sessions against
    the hours they work a week; then the sessions a week the service plans for a full-time
    worker, where its profile states them (to read the busiest weeks against). Siblings who
    share one session send a record each: counted once (same worker, date, start and venue)."""
    per: Counter = Counter()
    weeks: dict[str, Counter] = defaultdict(Counter)
    minutes: Counter = Counter()
    for who, day, length in _shared_once(recs, by_id).values():
        per[who] += 1
        weeks[who][day.isocalendar()[:2]] += 1
        minutes[who] += length
    hours = _staff_hours(staff or [])
    rows = []
    for who, k in sorted(per.items(), key=lambda x: (-x[1], x[0])):
        text = f"{k} ({s['busiest_week']} {max(weeks[who].values())})"
        contracted = hours.get(_fold(who))
        if contracted:
            text += house.fill(
                s["against_hours"],
                "month.toml [sections.workload] against_hours",
                hours=_hours(minutes[who] / 60),
                contracted=_hours(contracted),
            )
        rows.append((who, text))
    rota = getattr(profile, "rota", None)
    least, most = (
        getattr(rota, "weekly_sessions_min", None),
        getattr(rota, "weekly_sessions_max", None),
    )
    if least is not None or most is not None:
        key = (
            "planned_range"
            if least is not None and most is not None
            else ("planned_least" if least is not None else "planned_most")
        )
        said = house.fill(s[key], f"month.toml [sections.workload] {key}", least=least, most=most)
        rows.append((s["planned"], said))
    return Section("workload", s["title"], rows, dict(per.most_common(15)), s["chart"])


def _fold(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def _hours(h: float) -> str:
    return f"{h:g}" if h == int(h) else f"{h:.1f}"


def _staff_hours(staff: list) -> dict[str, float]:
    out = {}
    for person in staff:
        try:
            h = float(str(person.get("hours") or "").replace(",", "."))
        except ValueError:
            continue
        if h > 0 and person.get("name"):
            out[_fold(person["name"])] = h
    return out


def _shared_once(recs: list, by_id: dict) -> dict:
    """One entry per session held with a worker (siblings' records of one session share a
    key: worker, date, planned or actual start, venue): (worker, date, minutes)."""
    out: dict = {}
    for r in recs:
        rec_item = by_id.get(r.item_id)
        values = rec_item.verdict.values if rec_item and rec_item.verdict else {}
        who = " ".join(str(values.get("session.supervisor") or "Not named").split())
        start = r.planned_start or r.actual_start
        end = r.planned_end or r.actual_end
        key = (
            (_fold(who), r.date, start, _fold(values.get("session.venue")))
            if start is not None
            else ("record", r.item_id)
        )
        length = 0
        if start is not None and end is not None:
            length = max(0, (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute))
        out.setdefault(key, (who, r.date, length))
    return out


def _rooms_section(s: dict, ledger, recs: list, by_id: dict) -> Section:
    """7. Rooms used per venue: the sessions recorded in the month at each venue, by the room
    the referral was allocated (its allocation on the case timeline on that day), a session
    siblings shared counted once."""
    from pipeline.cases import cases_of
    from pipeline.ledger.names import EventKind

    cases = cases_of(ledger, {r.reference for r in recs}, kinds=(EventKind.ALLOCATED,))
    used: dict[str, Counter] = defaultdict(Counter)
    seen: set = set()
    for r in recs:
        rec_item = by_id.get(r.item_id)
        values = rec_item.verdict.values if rec_item and rec_item.verdict else {}
        case = cases.get(r.reference)
        allocated = case.latest(EventKind.ALLOCATED, by=r.date) if case else None
        detail = allocated.detail if allocated else {}
        venue = " ".join(str(values.get("session.venue") or detail.get("venue") or "").split())
        room = detail.get("room") or s["no_room"]
        if not venue:
            continue
        start = r.planned_start or r.actual_start
        key = (_fold(venue), _fold(room), r.date, start) if start else ("record", r.item_id)
        if key in seen:
            continue
        seen.add(key)
        used[venue][room] += 1
    rows = [
        (venue, ", ".join(f"{room}: {n}" for room, n in sorted(rooms.items())))
        for venue, rooms in sorted(used.items())
    ]
    return Section("rooms", s["title"], rows, {}, "")  # a table: a chart would add nothing


BUCKETS = ["0-5", "6-10", "11-20", "21-40", "over 40"]


def _bucket(days: int) -> str:
    for label, top in zip(BUCKETS, (5, 10, 20, 40)):
        if days <= top:
            return label
    return BUCKETS[-1]


def _day(stamp: str | None) -> dt.date | None:
    return dt.datetime.fromisoformat(stamp).date() if stamp else None


def submissions_by_reference(items) -> dict[str, list]:
    """Each referral's submissions (its first, then updates), by reference: a referral is
    counted once however many times it was sent. Copies are recorded as duplicates (no
    reference) and so are not among them."""
    out: dict[str, list] = defaultdict(list)
    for i in sorted(items, key=lambda i: (i.received_at, i.id)):
        if i.outcome in REFERRAL_OUTCOMES and i.reference:
            out[i.reference].append(i)
    return dict(out)


def _first_day(subs, outcomes) -> dt.date | None:
    return next((i.received_at.date() for i in subs if i.outcome in outcomes), None)


def _first_sent(case, by: dt.date) -> dt.date | None:
    """The day the referral's first acknowledgement reached the mail server, by `by` (the
    timeline): one only written to the folder, or withheld, acknowledged nobody."""
    from pipeline.ledger.names import MailHow

    if case is None:
        return None
    sent = [e.on for e in case.of(by=by) if e.detail.get("how") == MailHow.SENT]
    return min(sent) if sent else None


# ---------------------------------------------------------------- writing


def write_month_report(fig: MonthFigures, profile, out_dir: Path) -> tuple[Path, Path]:
    """The Word report and the Excel workbook of the same figures."""
    from pipeline.files import private_dir

    out_dir = private_dir(Path(out_dir))
    stem = words()["file_name"].format(month=f"{fig.month:%Y-%m}")
    return _docx(fig, out_dir / f"{stem}.docx"), _xlsx(fig, out_dir / f"{stem}.xlsx")


def _docx(fig: MonthFigures, path: Path) -> Path:
    import io

    from docx import Document
    from docx.shared import Mm

    from pipeline.files import write_private
    from pipeline.render.chart import attendance_chart

    doc = Document()
    doc.add_heading(fig.title, 0)
    doc.add_paragraph(fig.intro)
    for sec in fig.sections:
        doc.add_heading(sec.title, 1)
        if sec.chart:
            png = attendance_chart(sec.chart, sec.chart_title)
            doc.add_picture(io.BytesIO(png), width=Mm(150))
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in sec.rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = str(label), str(value)
        for label, refs in sec.lists.items():
            doc.add_paragraph(f"{label}: {', '.join(refs) if refs else 'none'}")
    buf = io.BytesIO()
    doc.save(buf)
    return write_private(path, buf.getvalue())


def _xlsx(fig: MonthFigures, path: Path) -> Path:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from pipeline.files import write_private

    wb = Workbook()
    ws = wb.active
    ws.title = "Figures"
    ws.append([fig.title])
    ws["A1"].font = Font(bold=True, size=13)
    for sec in fig.sections:
        ws.append([])
        ws.append([sec.title])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for label, value in sec.rows:
            ws.append([str(label), value])
        for label, refs in sec.lists.items():
            ws.append([label, ", ".join(refs)])
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 40
    buf = io.BytesIO()
    wb.save(buf)
    return write_private(path, buf.getvalue())
