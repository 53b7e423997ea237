"""Render the paperwork for one referral: the agreement, letters and pre-filled session
records (the pack), with the review report when it is due (pipeline/render/lac_report.py);
the missed-session letters are pipeline/render/suspension_letters.py.

Each document is rendered in memory from a docxtpl template (the layout) with its sentences
from form_templates/documents/wording.toml and the service's own wording (pipeline.render.
wording), autoescape on, so "Jo & Sam <Smith>" prints as typed, and then written as a
private file with a name that carries no person's name (pipeline/render/rendering.py).
Templates are read once per process; rendering is deterministic for a given `today`.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from pipeline.clock import today as clock_today
from pipeline.files import private_dir
from pipeline.models import Allocation, Item, RuleAction, SessionRecord
from pipeline.profile import Profile
from pipeline.render import context as C
from pipeline.render import wording as W
from pipeline.render.lac_report import render_lac_report
from pipeline.render.rendering import (
    PaperworkProblem,
    _check,
    _name,
    _planned,
    _render,
    _restart_after,
    _spec,
    _title,
)

log = logging.getLogger(__name__)


def render_agreement(
    item: Item,
    allocation: Allocation | None,
    profile: Profile,
    out_dir: Path,
    resigned_after: RuleAction | None = None,
    *,
    today: dt.date | None = None,
    version: int = 1,
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
    path = _coded(_render("agreement", ctx, out_dir / name, profile), item, "agreement", version)
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
    version: int = 1,
    planning_meeting: dt.date | None = None,
) -> list[Path]:
    """The whole pack for an allocated referral, written into out_dir (the caller picks
    outbox/<reference>/): the agreement, a letter to each parent, a letter to the carer and
    pre-filled Family Time Records for the first sessions; with `sessions` (records received)
    and a review date on the referral, the review report too. `pdf`: add LibreOffice PDF
    copies when LibreOffice is installed. `change`: for a remade pack, what changed and which
    sessions are off (pipeline/render/change.py), said at the top of the letters.
    `planning_meeting`: the day the tracker says the planning meeting was held (None: not
    typed, and no letter names one)."""
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
    written = [render_agreement(item, allocation, profile, out_dir, today=today, version=version)]

    letter_sessions = first[: pack["letter_sessions"]]
    written += _parent_letters(
        item, allocation, profile, out_dir, letter_sessions, today, change, planning_meeting
    )
    written.append(
        _carer_letter(item, allocation, profile, out_dir, letter_sessions, today, change)
    )
    safety = _safety_notes(item, allocation, profile, out_dir, today)
    written += safety
    written += _session_records(
        item, allocation, profile, out_dir, first[: pack["session_records"]], version, bool(safety)
    )
    written += _review_report_if_due(item, allocation, profile, out_dir, sessions, today)
    if pdf:
        written += pdf_copies(written)
    log.info("paperwork: pack of %d documents written for %s", len(written), item.reference)
    return written


def _parent_letters(
    item, allocation, profile, out_dir: Path, letter_sessions, today, change: str, meeting=None
) -> list[Path]:
    """A letter to each parent the service writes to (pipeline/render/context.py)."""
    written = []
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
            planning_meeting=C.uk_date(meeting, ""),
        )
        written.append(
            _render("letter_parent", ctx, out_dir / _name("letter_parent", n=parent.n), profile)
        )
    return written


def _carer_letter(
    item, allocation, profile, out_dir: Path, letter_sessions, today, change: str
) -> Path:
    """The letter to the carer, with when to drop the child off before the session."""
    pack = C.settings()["pack"]
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
            W.say(
                "notes",
                "carer_drop_off" if profile.lateness else "carer_arrive_by",  # no rule: the start
                profile.id,
                start=C.clock(start),
                drop=C.clock(drop),
            )
            if start
            else C.NOT_GIVEN
        ),
    )
    return _render("letter_carer", ctx, out_dir / _name("letter_carer"), profile)


def _review_report_if_due(item, allocation, profile, out_dir: Path, sessions, today) -> list[Path]:
    """The review report, when records were given and the referral names a review date: from
    the first session to the review."""
    review = item.verdict.values.get("review.next_date")
    if sessions is None or not isinstance(review, dt.date) or not allocation.first_date:
        return []
    return [
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
    ]


def _safety_notes(item, allocation, profile, out_dir: Path, today) -> list[Path]:
    """The referral's safety answers on a sheet for the supervisor and the social worker (the
    pack's email goes to them alone), when the referral gives any: never in the family's
    letters or agreement, nor on a session record, which parents may read."""
    safety = C.safety_context(item.verdict.values if item.verdict else {})
    if safety is None:
        return []
    ctx = C.document_context(
        C.SafetyNotesContext,
        item,
        allocation,
        profile,
        today=today,
        title=_title("safety_notes"),
        safety=safety,
    )
    name = _name("safety_notes", role=profile.supervisor_role)
    return [_render("safety_notes", ctx, out_dir / name, profile)]


def _session_records(
    item, allocation, profile, out_dir: Path, planned, version=1, safety: bool = False
) -> list[Path]:
    """Blank Family Time Records with the session's facts filled in (the supervisor fills the
    rest); made from the record form itself so they read back as records. With `safety`, each
    says at its top where the safety notes are (never the notes)."""
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
    case_note = W.fill(  # "" where the service states no case-note heading
        W.wording(profile.id)[W.SHARED]["case_note"],
        ctx.model_dump(),
        f"[{W.SHARED}] case_note",
    )
    out = []
    for s in planned:
        path = out_dir / _name("session_record", date=s.date.isoformat())
        out.append(
            _coded(
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
                    case_note=case_note,
                    notice=W.say("notes", "record_safety", profile.id, role=profile.supervisor_role)
                    if safety
                    else "",
                ),
                item,
                "record",
                version,
                s.date,
            )
        )
    return out


def _coded(path: Path, item: Item, kind: str, version: int, on: dt.date | None = None) -> Path:
    """The page code in the corner (pipeline/scans/stamp.py), so the signed or handwritten
    copy scanned back is filed to this referral by its code alone."""
    from pipeline.scans.code import PageCode
    from pipeline.scans.stamp import stamp_docx

    return stamp_docx(path, PageCode(item.reference, kind, version, "1", on))


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
