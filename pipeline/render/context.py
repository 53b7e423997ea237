"""Typed contexts for the paperwork templates, built from an Item, an Allocation and a Profile.

Templates only ever see these models, so a template can be checked at start against the
model's fields (preflight) and a missing answer never prints as "None": every text field is a
string, blank when optional and "Not given" where a reader expects a fact. Dates read
"Tuesday 4 March 2025". Escaping is left to docxtpl (autoescape), so values stay as typed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, Field

from pipeline import words as house
from pipeline.clock import today as clock_today
from pipeline.dates import (
    DAYS,
    add_months,  # also re-exported: callers used it from here
)
from pipeline.interpreters import interpreter_needs
from pipeline.models import Allocation, Item, RuleAction, SessionRecord, is_court_directed
from pipeline.paths import DOCUMENT_TEMPLATES
from pipeline.profile import Profile
from pipeline.render import wording
from pipeline.render.formatting import (
    NOT_GIVEN,
    clock,
    date_in_words,
    duration_text,
    how_often,
    join_words,
    minutes_before,
    session_times,
    text,
    training_days_unknown,
    uk_date,
    yes_no,
)
from pipeline.render.formatting import parse_times as parse_times  # callers read it from here

ADDRESS_TO_FOLLOW = "address to follow"  # a venue whose address the profile does not state


def settings() -> dict[str, Any]:
    """form_templates/documents/documents.toml: templates, file names, attendance labels."""
    return house.load(DOCUMENT_TEMPLATES / "documents.toml")


# ---------------------------------------------------------------- context models


class ServiceCtx(BaseModel):
    name: str
    service_name: str
    address: str
    phone: str
    out_of_hours_phone: str = ""
    supervisor_role: str
    coordinator_role: str
    case_system: str
    contact_email: str = ""
    senior_role: str = ""
    # The lateness and missed-session rules, where the service has them (0 / False: none)
    has_lateness_rule: bool = False
    arrive_minutes_before: int = 0
    max_late_minutes: int = 0
    any_lateness_cancels: bool = False
    has_missed_rule: bool = False
    missed_count: int = 0
    suspension_days: int = 0
    legal_advice_after: int = 0
    court_max_days: int = 0
    resign_agreement: bool = False  # the agreement is signed again after a pause
    replacement: bool
    decides_suspension: str = ""  # who decides (the service's policy), "" where not stated
    agreement_name: str = "Family Time Agreement"
    agreement_title: str = "Family Time Agreement"
    signed_before_first_session: bool = False  # the service signs the agreement before sessions
    no_session_days: str = ""  # "Sundays", "Saturdays and Sundays": weekdays with no sessions
    review_report: str = "not stated"  # "promised" | "on request" | "not stated"
    review_meeting: str = ""
    change_notice_days: int = 0
    # The heading session observations carry in the case system (profile recording.
    # case_note_heading); "" where the service states none, so no sentence is printed
    case_note_heading: str = ""
    first_session_at_service_venue: bool = False
    home_joint_risk_assessment: bool = False
    # before the first session, where the service says so (profile [allocation], Blackpool)
    photo_of_worker_to_carer: bool = False
    transport_agreed_with_carer: bool = False


class ChildCtx(BaseModel):
    first_name: str = NOT_GIVEN
    last_name: str = ""
    full_name: str = NOT_GIVEN
    known_as: str = ""
    call_name: str = "your child"  # what letters call the child: known as, else first name
    dob: str = NOT_GIVEN
    case_id: str = NOT_GIVEN


class PersonCtx(BaseModel):
    n: int = 0  # the family row (1..4)
    name: str = NOT_GIVEN
    relationship: str = NOT_GIVEN
    phone: str = NOT_GIVEN
    address: str = NOT_GIVEN
    parental_responsibility: str = NOT_GIVEN
    interpreter: str = ""  # the language, where an interpreter is needed


class CarerCtx(BaseModel):
    name: str = NOT_GIVEN
    address: str = NOT_GIVEN
    postcode: str = ""
    phone: str = NOT_GIVEN


class ProfessionalCtx(BaseModel):
    name: str = NOT_GIVEN
    phone: str = NOT_GIVEN
    email: str = NOT_GIVEN
    team: str = NOT_GIVEN


class ArrangementCtx(BaseModel):
    supervisor: str = NOT_GIVEN
    venue: str = NOT_GIVEN
    venue_address: str = NOT_GIVEN
    venue_full: str = NOT_GIVEN  # name and address, the name not said twice
    room: str = ""
    day: str = NOT_GIVEN
    time: str = NOT_GIVEN  # "10:00 to 11:30"
    start: str = ""
    end: str = ""
    arrive_by: str = ""  # start minus the profile's arrival minutes
    frequency: str = NOT_GIVEN
    duration: str = NOT_GIVEN
    supervision: str = NOT_GIVEN
    purpose: str = NOT_GIVEN
    transport: str = NOT_GIVEN
    first_date: str = NOT_GIVEN
    court_directed: bool = False
    venue_arrival_note: str = ""  # how people come in at this venue (the profile's)
    # the last day of time-limited family time ("" where none: pipeline/cases/family_time.py)
    family_time_ends: str = ""


class SessionCtx(BaseModel):
    date: str
    note: str = ""  # "in place of Tuesday 4 March 2025 (Team training day)"


class ClosureCtx(BaseModel):
    date: str
    reason: str


class CountCtx(BaseModel):
    label: str
    count: int


class DocumentContext(BaseModel):
    """What every document knows about the referral and its arrangements."""

    reference: str
    today: str
    document_title: str = ""
    service: ServiceCtx
    child: ChildCtx
    family: list[PersonCtx] = Field(default_factory=list)
    family_names: str = NOT_GIVEN  # "Jo Sample-Parent (mother) and ..."
    carer: CarerCtx = Field(default_factory=CarerCtx)
    social_worker: ProfessionalCtx = Field(default_factory=ProfessionalCtx)
    team_manager: ProfessionalCtx = Field(default_factory=ProfessionalCtx)
    iro: ProfessionalCtx = Field(default_factory=ProfessionalCtx)
    arrangement: ArrangementCtx = Field(default_factory=ArrangementCtx)
    sessions: list[SessionCtx] = Field(default_factory=list)
    closures: list[ClosureCtx] = Field(default_factory=list)
    closures_from: str = ""
    closures_to: str = ""
    training_days_unknown: str = ""  # "2027": years in the period whose training days the
    # service has not set yet (it lists other years')
    photos_consent: str = NOT_GIVEN
    # A remade pack's letters: what changed, from when, which sessions are off (the
    # service's [changes] wording, filled in by pipeline/render/change.py); "" otherwise.
    change: str = ""
    # The document's sentences (form_templates/documents/wording.toml), filled in with the
    # fields above just before rendering: {{ words.<table>.<key> }} in the templates.
    words: dict[str, Any] = Field(default_factory=dict)


class AgreementContext(DocumentContext):
    resigned: bool = False
    missed_dates: list[str] = Field(default_factory=list)
    missed_text: str = ""
    suspended_from: str = ""
    suspended_until: str = ""
    restart_date: str = ""


class ParentLetterContext(DocumentContext):
    parent: PersonCtx = Field(default_factory=PersonCtx)
    # the day the tracker's "Planning meeting on" says the meeting was held; "" when none is
    # typed (a letter then never reads as if one were fixed)
    planning_meeting: str = ""


class CarerLetterContext(DocumentContext):
    drop_off: str = NOT_GIVEN


class QuoteCtx(BaseModel):
    date: str  # the session's date
    text: str  # the record's words, as written


class SuspensionCtx(BaseModel):
    """An approved suspension that touched the report's period, for the IRO in plain words."""

    start: str  # the first day without family time
    until: str  # the last day (the day before the meeting, if set)
    meeting: str = ""  # the meeting that ends it; "" when none is set yet
    missed: list[str] = Field(default_factory=list)  # the sessions missed that led to it
    court_directed: bool = False
    approved_by: str = ""  # who approved it (the Decisions sheet)
    approved_on: str = ""


class RecordLineCtx(BaseModel):
    """One date in the review report's appendix: its record, or what the plan says of it."""

    date: str
    outcome: str
    counted_as: str = ""
    note: str = ""  # reason given, lateness, significant event


class ConcernCtx(BaseModel):
    """A session whose record says it ended early or raised a concern (never "went well")."""

    date: str
    ended_early: bool = False
    reason: str = ""  # the record's "Reason given"
    significant: bool = False  # "Significant event or concern": Yes
    details: str = ""  # "Details, action taken, who was told"
    summary: str = ""  # the record's summary of the session


class LacReportContext(DocumentContext):
    review_date: str = NOT_GIVEN
    period_from: str = NOT_GIVEN
    period_to: str = NOT_GIVEN
    planned_count: int = 0  # planned dates of the period (the rows add up to it)
    not_planned_count: int = 0  # sessions recorded on a date the plan did not have
    attendance_said: str = ""  # "4 took place, ... and 2 are still to come"
    from_plan_rows: str = ""  # the rows worked out from the plan, not a record
    day_and_time: str = NOT_GIVEN  # "Wednesdays 16:00-17:30"
    has_records: bool = False
    counts: list[CountCtx] = Field(default_factory=list)
    chart: Any = ""  # docxtpl InlineImage, or "" when there is no chart
    significant_events: list[str] = Field(default_factory=list)
    child_views: list[QuoteCtx] = Field(default_factory=list)
    parenting: list[QuoteCtx] = Field(default_factory=list)
    went_well: list[QuoteCtx] = Field(default_factory=list)
    concerns: list[ConcernCtx] = Field(default_factory=list)
    appendix: list[RecordLineCtx] = Field(default_factory=list)
    suspensions: list[SuspensionCtx] = Field(default_factory=list)


class SuspensionLetterContext(AgreementContext):
    parent: PersonCtx = Field(default_factory=PersonCtx)
    by_hand: bool = False  # no address on the referral: the copy to give by hand


class CarerSuspensionLetterContext(AgreementContext):
    paused_sessions: list[str] = Field(default_factory=list)  # planned dates not taking place


class MadeCtx(BaseModel):
    """One document made for a suspension, as the notice lists it."""

    document: str  # the file's name
    recipient: str  # who it is for
    how: str  # how it reaches them (nothing is posted by the service)


class SocialWorkerNoticeContext(AgreementContext):
    kind: str = "suspension"
    further_misses: int = 0
    made: list[MadeCtx] = Field(default_factory=list)
    guardian: str = ""  # the children's guardian, to be told ("" when none)


# ---- the safety notes for the worker supervising the sessions (issue 26)
# What the referral says about keeping the child and the staff safe (its section 8, who must
# not attend, health and care needs): on a sheet of its own for the supervisor and the social
# worker, never in the family's letters or agreement, a session record or an email.
SAFETY_KEYS = {
    "level": "risk.level",
    "to_child": "risk.to_child",
    "to_staff": "risk.to_staff",
    "watch_for": "risk.supervision_notes",
    "not_to_attend": "family.not_to_attend",
    "needs": "child.needs",
}


class SafetyCtx(BaseModel):
    """The referral's safety answers as typed ("" where the form gives none)."""

    level: str = ""
    to_child: str = ""
    to_staff: str = ""
    watch_for: str = ""
    not_to_attend: str = ""
    needs: str = ""


def safety_context(values: dict[str, Any]) -> SafetyCtx | None:
    """The safety answers of a referral, or None when it gives none at all."""
    found = {k: text(values.get(key), "") for k, key in SAFETY_KEYS.items()}
    for k, said in found.items():  # the form's "None known" read as an answer, not a gap
        if said.strip().casefold() in ("none", "none known", "not known"):
            found[k] = said.strip().lower()
    return SafetyCtx(**found) if any(found.values()) else None


class SafetyNotesContext(DocumentContext):
    safety: SafetyCtx = Field(default_factory=SafetyCtx)


CONTEXTS: dict[str, type[DocumentContext]] = {
    cls.__name__: cls
    for cls in (
        AgreementContext,
        ParentLetterContext,
        CarerLetterContext,
        LacReportContext,
        SuspensionLetterContext,
        CarerSuspensionLetterContext,
        SocialWorkerNoticeContext,
        SafetyNotesContext,
    )
}


def submodel(annotation) -> type[BaseModel] | None:
    """The context model a field holds (directly or as list items), or None: how the checks at
    start (preflight, wording_check) follow `child.dob` to ChildCtx's fields."""
    args = getattr(annotation, "__args__", ())
    for cand in (annotation, *args):
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            return cand
    return None


# ---------------------------------------------------------------- building


def service_context(profile: Profile) -> ServiceCtx:
    """The service's own facts and rules; a rule its documents do not state stays off."""
    ms, late = profile.missed_sessions, profile.lateness
    rules: dict[str, Any] = {}
    if late is not None:
        rules.update(
            has_lateness_rule=True,
            arrive_minutes_before=late.arrive_minutes_before,
            max_late_minutes=late.max_late_minutes,
            any_lateness_cancels=late.max_late_minutes <= 0,
        )
    if ms is not None:  # printed as a rule only where the service states it
        rules.update(
            has_missed_rule=ms.published,
            missed_count=ms.count,
            suspension_days=ms.suspension_days,
            legal_advice_after=ms.legal_advice_after or 0,
            court_max_days=ms.court_directed_max_suspension_days,
            resign_agreement=ms.resign_agreement,
        )
    if profile.recording.case_note_heading:  # the session record's case-note sentence
        rules["case_note_heading"] = profile.recording.case_note_heading
    agreement = profile.agreement.name
    return ServiceCtx(
        name=profile.name,
        service_name=profile.service_name,
        address=profile.address,
        phone=profile.phone,
        out_of_hours_phone=profile.out_of_hours_phone or "",
        supervisor_role=profile.supervisor_role,
        coordinator_role=profile.coordinator_role,
        case_system=profile.words["case_system"],
        contact_email=profile.contact_email,
        senior_role=profile.senior_role or "",
        replacement=profile.closures.replacement_for_single_weekly_session,
        decides_suspension=profile.decisions.suspend_or_cease or "",
        agreement_name=agreement,
        agreement_title=profile.agreement.title,
        signed_before_first_session=profile.agreement.signed_before_first_session,
        no_session_days=join_words([f"{d}s" for d in DAYS if d not in profile.hours.session_days]),
        review_report=profile.review.report,
        review_meeting=profile.review.meeting_name,
        change_notice_days=profile.timescales.change_notice_days or 0,
        first_session_at_service_venue=profile.allocation.first_session_at_service_venue,
        home_joint_risk_assessment=profile.allocation.home_sessions_joint_risk_assessment,
        photo_of_worker_to_carer=profile.allocation.photo_of_worker_to_carer,
        transport_agreed_with_carer=profile.allocation.transport_agreed_with_carer,
        **rules,
    )


def family_rows(values: dict[str, Any]) -> list[PersonCtx]:
    """The family table's filled rows, in row order (row numbers kept for file names)."""
    rows = sorted({int(m.group(1)) for k in values if (m := re.match(r"family\[(\d+)\]\.", k))})
    out = []
    for n in rows:
        g = lambda f, n=n: values.get(f"family[{n}].{f}")  # noqa: E731
        if g("name") in (None, ""):
            continue
        out.append(
            PersonCtx(
                n=n,
                name=text(g("name")),
                relationship=text(g("relationship")),
                phone=text(g("phone")),
                address=text(g("address")),
                parental_responsibility=yes_no(g("parental_responsibility")),
                interpreter=dict(interpreter_needs(values)).get(text(g("name")), ""),
            )
        )
    return out


def parents_to_write_to(family: list[PersonCtx]) -> list[PersonCtx]:
    """Each family member with parental responsibility; if the form shows none, everyone named
    (the service writes to each parent, and the form may leave the column blank)."""
    with_pr = [p for p in family if p.parental_responsibility == "Yes"]
    return with_pr or family


def arrangement_context(
    item: Item, allocation: Allocation | None, profile: Profile
) -> ArrangementCtx:
    values = item.verdict.values if item.verdict else {}
    from pipeline.cases.family_time import family_time_end

    a = allocation or Allocation(reference=item.reference or "")
    start, end = session_times(a.time, item)
    venue = profile.venue(a.venue) if a.venue else None
    venue_address = (
        venue.printed_address
        if venue and venue.address_known
        else ADDRESS_TO_FOLLOW
        if venue
        else text(a.venue)
    )
    when = f"{clock(start)} to {clock(end)}" if start and end else text(a.time)
    venue_name = venue.name if venue else text(a.venue)
    short_name = venue_name.split(",")[0].strip().lower()
    venue_full = (
        venue_address
        if venue and short_name in venue_address.lower()
        else venue_address
        if venue_address == venue_name
        else f"{venue_name}, {venue_address}"
    )
    return ArrangementCtx(
        supervisor=text(a.supervisor),
        venue=venue_name,
        venue_address=venue_address,
        venue_full=venue_full,
        room=text(a.room, ""),
        day=_days_said(a.day),
        time=when,
        start=clock(start),
        end=clock(end),
        arrive_by=clock(minutes_before(start, profile.lateness.arrive_minutes_before))
        if profile.lateness is not None
        else "",
        frequency=how_often(a, values.get("request.frequency")),
        # the allocated length where the time says it (never the referral's request as if met)
        duration=duration_text(_allocated_minutes(start, end) or values.get("request.duration")),
        supervision=text(values.get("request.supervision")),
        purpose=text(values.get("request.purpose")),
        transport=text(values.get("request.transport")),
        first_date=uk_date(a.first_date),
        court_directed=is_court_directed(item),
        venue_arrival_note=(venue.arrival_note or "") if venue else "",
        family_time_ends=uk_date(family_time_end(item, a), ""),
    )


def _allocated_minutes(start, end) -> int | None:
    """The session's length as allocated (start to end), or None when the time gives none."""
    if start is None or end is None:
        return None
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return minutes if minutes > 0 else None


def closures_between(profile: Profile, start: dt.date, end: dt.date) -> list[ClosureCtx]:
    """Closed days (bank holidays, training days, other closures) from start to end."""
    from pipeline.validate.calendar import ServiceCalendar

    cal = ServiceCalendar(profile)
    out = []
    for year in range(start.year, end.year + 1):
        for day, reason in cal.closed_days(year):
            if start <= day <= end:
                out.append(ClosureCtx(date=uk_date(day), reason=reason))
    return out


def session_context(s, profile_id: str | None = None) -> SessionCtx:
    """A planned session; one moved off a closed day says which day it replaces (wording:
    [notes] replaces)."""
    note = ""
    if getattr(s, "replaces", None):
        from pipeline.validate.calendar import substitute_for

        closure = getattr(s, "closure", None) or ""
        if (holiday := substitute_for(closure)) is not None:  # said once, without brackets
            closure = wording.say("notes", "substitute_day", profile_id, holiday=holiday)
        note = wording.say(
            "notes", "replaces", profile_id, date=uk_date(s.replaces), closure=closure
        )
    return SessionCtx(date=uk_date(s.date), note=note)


def _unborn(child: ChildCtx, values: dict) -> ChildCtx:
    """A child not yet born: the expected date of delivery where the date of birth would be
    ("Expected 15 January 2027", not "Not given"), and a baby with no name yet called plainly
    ("the baby", never "Unborn baby") in the letters. documents.toml [unborn]."""
    if values.get("child.unborn") is not True:
        return child
    said = settings()["unborn"]
    update: dict[str, str] = {}
    edd = values.get("child.edd")
    if child.dob == NOT_GIVEN and isinstance(edd, dt.date):
        update["dob"] = said["dob"].format(date=date_in_words(edd))
    name = " ".join(str(child.known_as or child.first_name).split()).casefold()
    unnamed = {" ".join(w.split()).casefold() for w in said["unnamed"]}
    if (
        (child.first_name == NOT_GIVEN and not child.known_as)
        or name in unnamed
        or name.startswith(tuple(w.casefold() for w in said["unnamed_starts"]))
    ):
        update["call_name"] = said["call_name"]
    return child.model_copy(update=update) if update else child


def document_context(
    cls: type[DocumentContext],
    item: Item,
    allocation: Allocation | None,
    profile: Profile,
    *,
    today: dt.date | None = None,
    planned: list | None = None,
    title: str = "",
    **extra,
) -> DocumentContext:
    """Any document's context: the shared facts plus the document's own `extra` fields."""
    values = item.verdict.values if item.verdict else {}
    today = today or clock_today()
    first = text(values.get("child.first_name"))
    last = text(values.get("child.last_name"), "")
    known = text(values.get("child.known_as"), "")
    child = ChildCtx(
        first_name=first,
        last_name=last,
        full_name=" ".join(x for x in (first, last) if x) or NOT_GIVEN,
        known_as=known,
        call_name=known or (first if first != NOT_GIVEN else "your child"),
        dob=date_in_words(
            values.get("child.dob") if isinstance(values.get("child.dob"), dt.date) else None,
            text(values.get("child.dob")),
        ),
        case_id=text(values.get("child.case_id") or item.case_id),
    )
    child = _unborn(child, values)
    family = family_rows(values)
    names = [
        f"{p.name} ({p.relationship})" if p.relationship != NOT_GIVEN else p.name for p in family
    ]
    start = allocation.first_date if allocation and allocation.first_date else today
    end = add_months(start, int(settings()["pack"]["closure_months"])) - dt.timedelta(days=1)
    from pipeline.cases.family_time import family_time_end

    limit = family_time_end(item, allocation)  # time-limited: no closed days after its end
    end = min(end, limit) if limit is not None and limit >= start else end
    planned = planned or []
    return cls(
        reference=item.reference or NOT_GIVEN,
        today=uk_date(today),
        document_title=title,
        service=_service_for_child(profile, values),
        child=child,
        family=family,
        family_names=join_words(names) or NOT_GIVEN,
        carer=CarerCtx(
            name=text(values.get("carer.name")),
            address=text(values.get("carer.address")),
            postcode=text(values.get("carer.postcode"), ""),
            phone=text(values.get("carer.phone")),
        ),
        social_worker=ProfessionalCtx(
            name=text(values.get("social_worker.name")),
            phone=text(values.get("social_worker.phone")),
            email=text(values.get("social_worker.email")),
            team=text(values.get("social_worker.team")),
        ),
        team_manager=ProfessionalCtx(
            name=text(values.get("team_manager.name")), email=text(values.get("team_manager.email"))
        ),
        iro=ProfessionalCtx(name=text(values.get("iro.name"))),
        arrangement=arrangement_context(item, allocation, profile),
        sessions=[session_context(s, profile.id) for s in planned],
        closures=closures_between(profile, start, end),
        closures_from=uk_date(start),
        closures_to=uk_date(end),
        training_days_unknown=training_days_unknown(profile, start, end),
        photos_consent=yes_no(values.get("consent.photos")),
        **extra,
    )


def _service_for_child(profile: Profile, values: dict) -> ServiceCtx:
    """The service's facts, with who decides on suspending family time for this child: under
    a Special Guardianship or Placement Order, the guardian or adoptive parent where the
    service's policy says so (Blackpool, 003), not the social worker."""
    from pipeline.sessions.proposals import words as proposal_words

    service = service_context(profile)
    guardian = profile.decisions.adoption_or_special_guardianship
    if guardian and values.get("legal.status") in proposal_words()["who"]["adoption_statuses"]:
        service = service.model_copy(update={"decides_suspension": guardian})
    return service


def _days_said(day: str | None) -> str:
    """The session days as a list is said ("Monday, Wednesday and Friday"), whatever way the
    tracker wrote them ("Monday and Wednesday and Friday", "Mon/Wed/Fri")."""
    from pipeline.sessions.schedule import parse_session_days

    try:
        return join_words(parse_session_days(day)) or text(day)
    except ValueError:
        return text(day)


def action_fields(action: RuleAction | None, restart: dt.date | None) -> dict[str, Any]:
    """The missed-session rule's facts for the agreement, letters and notices."""
    if action is None:
        return {}
    dates = [uk_date(d) for d in action.session_dates]
    return dict(
        missed_dates=dates,
        missed_text=join_words(dates),
        suspended_from=uk_date(action.suspended_from, ""),
        suspended_until=uk_date(action.suspended_until, ""),
        restart_date=uk_date(restart, ""),
    )


# ---------------------------------------------------------------- attendance


def attendance_counts(
    records: list[SessionRecord], planned: int
) -> list[tuple[str, str, str, int]]:
    """(key, label, short label, count) per row of the review report's attendance table, with
    `planned` given (the other worked-out rows are pipeline/reports/review.py's job).

    A record that a later one replaces (same session written again) is not counted twice."""
    from pipeline.reports.review import current, row_of

    table = settings()["attendance"]
    recs = current(records)
    counts: dict[str, int] = {}
    for r in recs:
        key = row_of(r, table)
        if key:
            counts[key] = counts.get(key, 0) + 1
    rows = []
    for row in table:
        key = row["key"]
        if key == "planned":
            n = planned
        elif key == "late":
            n = sum(
                1
                for r in recs
                if (r.late_minutes or 0) > 0 and r.outcome in ("Took place", "Ended early")
            )
        else:
            n = counts.get(key, 0)
        rows.append((key, row["label"], row.get("short", row["label"]), n))
    return rows
