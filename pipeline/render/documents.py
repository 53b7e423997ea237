"""Render the paperwork for one referral: the agreement, letters, pre-filled session records,
the review report and the missed-session letters.

Each document is rendered in memory from a docxtpl template (the layout) with its sentences
from form_templates/documents/wording.toml and the service's own wording (pipeline.render.
wording), autoescape on, so "Jo & Sam <Smith>" prints as typed, and then written as a
private file with a name that carries no person's name. Templates are read once per
process; rendering is deterministic for a given `today`.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from functools import lru_cache
from pathlib import Path

from pipeline.clock import today as clock_today
from pipeline.files import private_dir, write_private
from pipeline.models import Allocation, Item, RuleAction, SessionRecord
from pipeline.paths import DOCUMENT_TEMPLATES
from pipeline.profile import Profile
from pipeline.render import context as C
from pipeline.render import wording as W
from pipeline.sessions.plan import planned_sessions

log = logging.getLogger(__name__)


class PaperworkProblem(Exception):
    """Paperwork that cannot be made from what we were given; the message says why, plainly."""


@lru_cache(maxsize=16)
def _template_bytes(name: str) -> bytes:
    path = DOCUMENT_TEMPLATES / name
    try:
        return path.read_bytes()
    except OSError:
        raise PaperworkProblem(
            f"The paperwork template {name} is missing from "
            f"{DOCUMENT_TEMPLATES}; run form_templates/build_documents.py."
        ) from None


class _CachingEnvironment:
    """Made on first use: a Jinja environment that compiles each template part once per
    process (compiling, not filling in, is most of a render's cost)."""

    env = None

    @classmethod
    def get(cls):
        if cls.env is None:
            from jinja2 import Environment

            class Env(Environment):
                def from_string(self, source, globals=None, template_class=None):
                    key = (source, self.autoescape)
                    tpl = self._compiled.get(key)
                    if tpl is None:
                        tpl = super().from_string(source, globals, template_class)
                        if len(self._compiled) < 256:
                            self._compiled[key] = tpl
                    return tpl

            cls.env = Env(autoescape=True)
            cls.env._compiled = {}
        return cls.env


def warm_templates() -> None:
    """Compile every template part now, as rendering would, so the first pack after start-up
    is as quick as the rest. Optional: for a caller with idle time (not done by preflight,
    which must keep `watch` start-up quick)."""
    import re

    from docxtpl import DocxTemplate

    import pipeline.render.record_form  # noqa: F401  (imported now rather than mid-pack)
    import pipeline.sessions.schedule  # noqa: F401

    env = _CachingEnvironment.get()
    env.autoescape = True
    for spec in C.settings()["templates"].values():
        tpl = DocxTemplate(io.BytesIO(_template_bytes(spec["file"])))
        tpl.init_docx()
        sources = [tpl.patch_xml(tpl.get_xml())]
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            sources += [
                tpl.patch_xml(tpl.get_part_xml(part)) for _, part in tpl.get_headers_footers(uri)
            ]
        for src in sources:
            env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", src))


def _spec(key: str) -> dict:
    return C.settings()["templates"][key]


def _name(key: str, **fields) -> str:
    return C.settings()["names"][key].format(**fields)


def _render(
    key: str, ctx: C.DocumentContext, out_path: Path, profile: Profile, images: dict | None = None
) -> Path:
    """Render template `key` with `ctx` and the service's wording, and write it privately to
    out_path. The wording's snippets are filled in first, as plain text; docxtpl escapes them
    with every other value."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    tpl = DocxTemplate(io.BytesIO(_template_bytes(_spec(key)["file"])))
    data = ctx.model_dump()
    data["words"] = W.words_for(key, data, profile.id)
    for field, (png, width_mm) in (images or {}).items():
        data[field] = InlineImage(tpl, io.BytesIO(png), width=Mm(width_mm))
    tpl.render(data, _CachingEnvironment.get(), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return write_private(out_path, buf.getvalue())


def _check(item: Item, allocation: Allocation | None) -> None:
    if not item.reference:
        raise PaperworkProblem(
            "This item has no referral reference, so no paperwork can be "
            "made for it (only accepted referrals get paperwork)."
        )
    if item.verdict is None or item.verdict.kind not in (None, "referral"):
        raise PaperworkProblem(
            f"{item.reference} is not a referral form, so there is no paperwork to make for it."
        )
    if allocation is not None and allocation.reference and allocation.reference != item.reference:
        raise PaperworkProblem(
            f"The allocation is for {allocation.reference}, not {item.reference}."
        )


def _planned(item, allocation, profile, **limits) -> list:
    """The schedule, or a PaperworkProblem saying which tracker cell to correct."""
    try:
        return planned_sessions(item, allocation, profile, **limits)
    except ValueError as exc:
        raise PaperworkProblem(
            f"The session dates for {item.reference} cannot be worked out "
            f"from the tracker row: {exc}"
        ) from None


def _title(key: str) -> str:
    return _spec(key).get("title", "")


# ---------------------------------------------------------------- agreement


def _restart_after(item, allocation, profile, until: dt.date | None) -> dt.date | None:
    """The first planned session after a suspension ends."""
    if until is None:
        return None
    planned = _planned(item, allocation, profile, until=until + dt.timedelta(days=70))
    return next((s.date for s in planned if s.date > until), until + dt.timedelta(days=1))


def render_agreement(
    item: Item,
    allocation: Allocation | None,
    profile: Profile,
    out_dir: Path,
    resigned_after: RuleAction | None = None,
    *,
    today: dt.date | None = None,
) -> Path:
    """The Family Time Agreement; with `resigned_after`, the copy signed again after a
    suspension (it names the missed sessions and the restart date)."""
    _check(item, allocation)
    out_dir = private_dir(Path(out_dir))
    restart = _restart_after(
        item, allocation, profile, resigned_after.suspended_until if resigned_after else None
    )
    ctx = C.document_context(
        C.AgreementContext,
        item,
        allocation,
        profile,
        today=today,
        title=_spec("agreement")["title_resigned" if resigned_after else "title"],
        resigned=resigned_after is not None,
        **C.action_fields(resigned_after, restart),
    )
    if resigned_after is None:
        name = _name("agreement", reference=item.reference, agreement=profile.agreement.title)
    else:
        when = (
            resigned_after.suspended_until
            or resigned_after.suspended_from
            or (today or clock_today())
        )
        name = _name(
            "agreement_resigned",
            reference=item.reference,
            date=when.isoformat(),
            agreement=profile.agreement.title,
        )
    path = _render("agreement", ctx, out_dir / name, profile)
    log.info("paperwork: agreement written for %s", item.reference)
    return path


# ---------------------------------------------------------------- the pack


def render_pack(
    item: Item,
    allocation: Allocation,
    profile: Profile,
    out_dir: Path,
    sessions: list[SessionRecord] | None = None,
    *,
    today: dt.date | None = None,
    pdf: bool = False,
    change: str = "",
) -> list[Path]:
    """The whole pack for an allocated referral, written into out_dir (the caller picks
    outbox/<reference>/): the agreement, a letter to each parent, a letter to the carer and
    pre-filled Family Time Records for the first sessions; with `sessions` (records received)
    and a review date on the referral, the review report too. `pdf`: add LibreOffice PDF
    copies when LibreOffice is installed. `change`: for a remade pack, what changed and which
    sessions are off (pipeline/render/change.py), said at the top of the letters."""
    _check(item, allocation)
    if allocation is None:
        raise PaperworkProblem(
            f"{item.reference} has not been allocated in the tracker yet, so "
            "there are no arrangements to write about."
        )
    pack = C.settings()["pack"]
    out_dir = private_dir(Path(out_dir))
    first = _planned(
        item, allocation, profile, count=max(pack["letter_sessions"], pack["session_records"])
    )
    written = [render_agreement(item, allocation, profile, out_dir, today=today)]

    letter_sessions = first[: pack["letter_sessions"]]
    family = C.family_rows(item.verdict.values)
    for parent in C.parents_to_write_to(family):
        ctx = C.document_context(
            C.ParentLetterContext,
            item,
            allocation,
            profile,
            today=today,
            planned=letter_sessions,
            title=_title("letter_parent"),
            parent=parent,
            change=change,
        )
        written.append(
            _render("letter_parent", ctx, out_dir / _name("letter_parent", n=parent.n), profile)
        )

    start, end = C.session_times(allocation.time, item)
    drop = C.minutes_before(start, int(pack["carer_arrive_minutes_before"]))
    ctx = C.document_context(
        C.CarerLetterContext,
        item,
        allocation,
        profile,
        today=today,
        planned=letter_sessions,
        title=_title("letter_carer"),
        change=change,
        drop_off=(
            W.say("notes", "carer_drop_off", profile.id, start=C.clock(start), drop=C.clock(drop))
            if start
            else C.NOT_GIVEN
        ),
    )
    written.append(_render("letter_carer", ctx, out_dir / _name("letter_carer"), profile))

    written += _session_records(
        item, allocation, profile, out_dir, first[: pack["session_records"]]
    )

    review = item.verdict.values.get("review.next_date")
    if sessions is not None and isinstance(review, dt.date) and allocation.first_date:
        written.append(
            render_lac_report(
                item,
                allocation,
                profile,
                out_dir,
                sessions,
                allocation.first_date,
                review,
                today=today,
            )
        )
    if pdf:
        written += pdf_copies(written)
    log.info("paperwork: pack of %d documents written for %s", len(written), item.reference)
    return written


def _session_records(item, allocation, profile, out_dir: Path, planned) -> list[Path]:
    """Blank Family Time Records with the session's facts filled in (the supervisor fills the
    rest); made from the record form itself so they read back as records."""
    from pipeline.interpreters import interpreter_text
    from pipeline.render.record_form import prefill_record

    values = item.verdict.values
    ctx = C.document_context(C.DocumentContext, item, allocation, profile, today=None)
    start, end = C.session_times(allocation.time, item)
    child = " ".join(
        x
        for x in (
            C.text(values.get("child.first_name"), ""),
            C.text(values.get("child.last_name"), ""),
        )
        if x
    )
    venue = ctx.arrangement.venue + (f", {ctx.arrangement.room}" if ctx.arrangement.room else "")
    out = []
    for s in planned:
        path = out_dir / _name("session_record", date=s.date.isoformat())
        out.append(
            prefill_record(
                path,
                reference=item.reference,
                child_names=child,
                date=s.date,
                planned_start=start,
                planned_end=end,
                venue=venue,
                supervisor=ctx.arrangement.supervisor,
                family_expected=ctx.family_names,
                words=profile.words,
                interpreter=interpreter_text(values),
            )
        )
    return out


def pdf_copies(paths: list[Path]) -> list[Path]:
    """PDF copies of .docx files via LibreOffice, in one run. A copy that fails is logged and
    skipped: the Word documents are the pack, the PDFs a convenience."""
    from pipeline.render.pdf import PdfProblem, libreoffice_available, to_pdfs

    if not libreoffice_available():
        log.warning("paperwork: LibreOffice is not installed; no PDF copies made")
        return []
    docs = [p for p in paths if p.suffix.lower() == ".docx"]
    try:
        return to_pdfs(docs)
    except PdfProblem as exc:
        log.warning("paperwork: some PDF copies were not made: %s", exc)
        return [p.with_suffix(".pdf") for p in docs if p.with_suffix(".pdf").is_file()]


def time_pack(
    item: Item, allocation: Allocation, profile: Profile, out_dir: Path, runs: int = 10
) -> dict[str, float]:
    """Milliseconds to render one pack without PDFs: the first (cold: imports, template
    compilation) and the median and slowest of `runs` more. For the benchmark script."""
    import statistics
    import time

    t = time.perf_counter()
    render_pack(item, allocation, profile, out_dir)
    cold = (time.perf_counter() - t) * 1000
    times = []
    for _ in range(max(1, runs)):
        t = time.perf_counter()
        render_pack(item, allocation, profile, out_dir)
        times.append((time.perf_counter() - t) * 1000)
    return {
        "cold_ms": round(cold, 1),
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
    }


# ---------------------------------------------------------------- review report


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
    from pipeline.cases.review import approved_suspensions
    from pipeline.reports.review import closed_agreed_days, review_figures

    _check(item, allocation)
    if period_to < period_from:
        raise PaperworkProblem(
            f"The report period ends ({C.uk_date(period_to)}) before it "
            f"starts ({C.uk_date(period_from)})."
        )
    today = today or clock_today()
    out_dir = private_dir(Path(out_dir))
    own = [s for s in (sessions or []) if s.reference == item.reference]
    schedule = _planned(item, allocation, profile, until=period_to)
    planned = [s.date for s in schedule]
    closed = closed_agreed_days(item, allocation, profile, schedule, until=period_to)
    table = C.settings()["attendance"]
    if suspensions is None:
        suspensions = approved_suspensions(actions or [])
    figures = review_figures(
        own, planned, suspensions, period_from, period_to, today, table, closed=closed
    )
    records = figures.records
    if significant_events is None:
        significant_events = [r for r in records if r.significant_event]
    events = sorted({r.date for r in _in_period(significant_events, period_from, period_to)})
    if review is None:
        review = item.verdict.values.get("review.next_date")
        review = review if isinstance(review, dt.date) else None
    images = {}
    if records:
        from pipeline.render.chart import stacked_by_month

        shown = [row.get("short", row["label"]) for row in table if row.get("chart", True)]
        png = stacked_by_month(
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
        images["chart"] = (png, 150)
    quotes = _quotes(records, words or {})
    ctx = C.document_context(
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
        has_records=bool(records),
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
    if iro_name:
        ctx.iro = C.ProfessionalCtx(name=iro_name)
    name = _name("lac_report", date=(review or period_to).isoformat())
    path = _render("lac_report", ctx, _unused(out_dir / name), profile, images)
    log.info("paperwork: review report written for %s", item.reference)
    return path


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


# ---------------------------------------------------------------- missed sessions


def render_suspension_letters(
    item: Item,
    allocation: Allocation | None,
    profile: Profile,
    out_dir: Path,
    action: RuleAction,
    *,
    today: dt.date | None = None,
) -> list[Path]:
    """Everything an approved suspension makes, none of it sent by the service: a letter to
    each parent (a parent with no address gets a copy named "to be given by hand"), a letter
    to the carer, the agreement to be signed again, and the notice to the social worker, which
    lists each of them and whom it is for, and names the children's guardian as to be told.
    For legal advice, the notice only."""
    _check(item, allocation)
    if action.reference and action.reference != item.reference:
        raise PaperworkProblem(
            f"The missed-session decision is for {action.reference}, not {item.reference}."
        )
    if action.kind == "suspension" and (
        action.suspended_from is None or action.suspended_until is None
    ):
        raise PaperworkProblem(
            f"The suspension for {item.reference} has no start or end date, "
            "so the letters cannot say when family time is paused."
        )
    out_dir = private_dir(Path(out_dir))
    restart = _restart_after(item, allocation, profile, action.suspended_until)
    fields = C.action_fields(action, restart)
    when = (
        action.suspended_from
        or (action.session_dates[-1] if action.session_dates else today or clock_today())
    ).isoformat()
    written: list[Path] = []
    made: list[C.MadeCtx] = []
    if action.kind == "suspension":
        written, made = _suspension_documents(
            item, allocation, profile, out_dir, action, fields, when, today
        )
    from pipeline.sessions.proposals import guardian_name

    ctx = C.document_context(
        C.SocialWorkerNoticeContext,
        item,
        allocation,
        profile,
        today=today,
        title=_title("notice_social_worker"),
        kind=action.kind,
        further_misses=len(action.session_dates),
        made=made,
        guardian=guardian_name(item) if made else "",
        **fields,
    )
    _court(ctx, court_directed_action=action.court_directed)
    kind_words = "suspension" if action.kind == "suspension" else "legal advice"
    written.append(
        _render(
            "notice_social_worker",
            ctx,
            out_dir / _name("notice_social_worker_dated", kind=kind_words, date=when),
            profile,
        )
    )
    log.info("paperwork: %s letters written for %s", action.kind, item.reference)
    return Written(written, made)


class Written(list):
    """The paths written, with `made`: the notice's list of what each document is and how it
    reaches its reader, so the email to the social worker lists the same documents."""

    def __init__(self, paths: list[Path], made: list):
        super().__init__(paths)
        self.made = made


def _suspension_documents(
    item, allocation, profile, out_dir: Path, action: RuleAction, fields: dict, when: str, today
) -> tuple[list[Path], list]:
    """The letters and the agreement to sign again, with the notice's line for each."""
    how = lambda key: W.say("notice_social_worker", key, profile.id)  # noqa: E731
    written, made = [], []

    def add(path: Path, recipient: str, how_key: str) -> None:
        written.append(path)
        made.append(C.MadeCtx(document=path.name, recipient=recipient, how=how(how_key)))

    court = dict(court_directed_action=action.court_directed)
    for parent in C.parents_to_write_to(C.family_rows(item.verdict.values)):
        by_hand = parent.address == C.NOT_GIVEN
        ctx = C.document_context(
            C.SuspensionLetterContext,
            item,
            allocation,
            profile,
            today=today,
            title=_title("suspension_letter"),
            parent=parent,
            by_hand=by_hand,
            **fields,
        )
        _court(ctx, **court)
        name = _name(
            "suspension_letter_by_hand" if by_hand else "suspension_letter", n=parent.n, date=when
        )
        who = (
            parent.name
            if parent.relationship == C.NOT_GIVEN
            else f"{parent.name} ({parent.relationship.lower()})"
        )
        add(
            _render("suspension_letter", ctx, out_dir / name, profile),
            who if by_hand else f"{who}, {parent.address}",
            "by_hand" if by_hand else "by_post",
        )

    ctx = C.document_context(
        C.CarerSuspensionLetterContext,
        item,
        allocation,
        profile,
        today=today,
        title=_title("suspension_letter_carer"),
        paused_sessions=_paused_sessions(item, allocation, profile, action),
        **fields,
    )
    _court(ctx, **court)
    if ctx.carer.name != C.NOT_GIVEN:
        add(
            _render(
                "suspension_letter_carer",
                ctx,
                out_dir / _name("suspension_letter_carer", date=when),
                profile,
            ),
            f"{ctx.carer.name}, carer",
            "to_carer",
        )

    agreement = render_agreement(
        item, allocation, profile, out_dir, resigned_after=action, today=today
    )
    family = (
        C.join_words([p.name for p in C.parents_to_write_to(C.family_rows(item.verdict.values))])
        or C.NOT_GIVEN
    )
    add(agreement, family, "to_sign")
    return written, made


def _paused_sessions(item, allocation, profile, action: RuleAction) -> list[str]:
    """The planned sessions inside the pause: the ones not taking place."""
    if allocation is None or not allocation.first_date:
        return []
    planned = _planned(item, allocation, profile, until=action.suspended_until)
    return [
        C.uk_date(s.date)
        for s in planned
        if action.suspended_from <= s.date <= action.suspended_until
    ]


def _court(ctx: C.DocumentContext, court_directed_action: bool) -> None:
    """The rule's own decision says whether the court limit applies to this suspension."""
    ctx.arrangement.court_directed = bool(court_directed_action or ctx.arrangement.court_directed)
