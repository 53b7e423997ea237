"""The team's daily digest: one email a working day of what needs doing, and the same lines
that `family-time status` shows (one function makes both, so the digest never says anything
the status does not).

What it lists: session records overdue under the recording deadline; proposals waiting for a
decision (the tracker's Decisions sheet); returned referrals not sent again
after the profile's working days; due dates (contact, planning meeting, allocation, first
session) from today to the next working day and not met (the service's own commitments;
worded in form_templates/digest.toml), and a contact or planning meeting overdue with no
date typed in the tracker (until a person types it or closes the referral, once the team
records that promise); a planning meeting to chase with the social worker, where the service
says so; what the service does before a first session (a photo of the worker and transport
agreed with the carer, where its profile says so); reviews coming with no report, and review
reports made but not mailed (and why); a worker over the weekly sessions, and one under the
service's least (room for more). The effect that mails it once a working day is
pipeline/effects/digest.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass

from pipeline import clock, dates
from pipeline import words as house

log = logging.getLogger("pipeline.effects")

WORDING = "digest.toml"  # the digest's words, under form_templates/
DIGEST_TIME = dt.time(8, 0)  # when Oversight.digest_time is not set
RESUBMISSION_CHASE_DAYS = 5  # when Oversight.resubmission_chase_working_days is not set
REVIEW_AHEAD_DAYS = 21  # reviews this close with no report are listed
REPORT_LOOKBACK_DAYS = 14  # planned sessions looked at for missing records
LATE_EVENT_SHOWN_DAYS = 7  # a late significant event is on the digest for a week


@dataclass(frozen=True)
class Reminder:
    kind: str  # rows_moved, significant_late, records_overdue, proposals, not_resubmitted, due,
    # to_do, dates_to_correct, review, family_time_ends,
    # workload, room; said_before, not_yet_mailed (STATUS_ONLY: in `status`, never mailed)
    text: str  # one line, references and dates only (no names but the worker's own)


# Lines that are news, not work: they are listed with the day's work and in `status`, but a
# day with nothing else sends no digest (a worker with room would otherwise mail every day).
ALONE_NO_MAIL = frozenset({"room", "said_before", "not_yet_mailed"})


def _closed_in_tracker(allocation) -> bool:
    """A co-ordinator set the row's Status to Closed (the referral needs nothing more)."""
    return allocation is not None and (allocation.status or "").strip() == "Closed"


def _setting(profile, name: str, default):
    value = getattr(getattr(profile, "oversight", None), name, None)
    return default if value is None else value


def proposals_waiting(ledger, profile) -> list[Reminder]:
    """Proposals waiting for a person's decision, and suspensions with no meeting date: the
    same lines `status` shows (pipeline/sessions/proposals.py)."""
    from pipeline.sessions.proposals import status_lines

    return [Reminder("proposals", line) for line in status_lines(ledger, profile)]


def reminders(
    ledger, config, profile, today: dt.date | None = None, allocations: dict | None = None
) -> list[Reminder]:
    """Everything the team should see to today, in a fixed order: one step per kind of
    reminder, each given the same day, calendar and accepted referrals, so the order of the
    digest is the order of the steps here."""
    from pipeline.tracker import allocations_or_none
    from pipeline.validate.calendar import ServiceCalendar

    today = today or clock.today()
    cal = ServiceCalendar(profile)
    if allocations is None:
        allocations = allocations_or_none(config, profile)
    items = ledger.items()
    accepted = _accepted_by_reference(items)
    return (
        _rows_moved(config, profile)
        + _significant_events_late(items, profile, today)
        + _records_overdue(ledger, accepted, allocations, profile, today)
        + proposals_waiting(ledger, profile)
        + _not_resubmitted(items, accepted, profile, cal, today)
        + _due_dates(ledger, accepted, allocations, profile, cal, today)
        + _planning_meeting_chase(ledger, accepted, allocations, profile, cal, today)
        + _before_first_session(ledger, accepted, allocations, profile, today)
        + _family_time_ending(ledger, accepted, allocations, profile, cal, today)
        + _dates_to_correct(ledger, accepted)
        + _against_request(ledger, accepted, today)
        + _reviews_coming(ledger, config, profile, accepted, today)
        + _workload(accepted, allocations, profile, today, _supervisors(config, profile))
        + _mail_followup(ledger, config, profile, today)
        + _paper(ledger, accepted, profile, today)
    )


def _rows_moved(config, profile) -> list[Reminder]:
    """Workbook rows whose cells were moved (a sort of one column): nothing is done for them
    until a person puts them right (pipeline/tracker/rowcheck.py)."""
    from pipeline.tracker.typed_rows import moved_sentences

    try:
        return [Reminder("rows_moved", line) for line in moved_sentences(config, profile)]
    except Exception:  # the workbook is read again for the next digest
        log.warning("digest: could not look for moved rows in the workbook")
        return []


def _mail_followup(ledger, config, profile, today: dt.date) -> list[Reminder]:
    """Mail held from an address outside the allowed domains, of unknown delivery, or
    bounced, this past week (pipeline/notify/followup.py: the same lines `status` shows)."""
    from pipeline.notify import followup

    try:
        found = followup.lines(ledger, config, profile, today=today, digest=True)
    except Exception:  # the outbox unreadable must not stop the digest: `status` says why
        log.warning("digest: the outbox's mail could not be read", exc_info=True)
        return []
    return [Reminder("mail", line) for line in found]


def _paper(ledger, accepted: dict, profile, today: dt.date) -> list[Reminder]:
    """Paper back or missing (pipeline/scans/agreement.py): a first session with no signed
    agreement on file, a session record scanned and not yet typed in."""
    from pipeline.cases import cases_of
    from pipeline.ledger.names import EventKind
    from pipeline.scans.agreement import digest_lines

    cases = cases_of(ledger, accepted, kinds=(EventKind.ALLOCATED, EventKind.SCAN_FILED))
    attached = {ref: bool(getattr(i, "agreement_attached", False)) for ref, i in accepted.items()}
    have = {ref: {s.date for s in ledger.sessions_of(ref)} for ref in cases}
    lines = digest_lines(cases, profile, attached, have, today)
    return [Reminder("paper", line) for line in lines]


def _accepted_by_reference(items) -> dict:
    """Each accepted referral's first accepted item (the complete referral every promise
    counts from: calendar.complete_referrals), by reference: most reminders are only about
    referrals the service took on."""
    from pipeline.validate.calendar import complete_referrals

    return complete_referrals(items)


def _significant_events_late(items, profile, today: dt.date) -> list[Reminder]:
    """Significant events recorded later than the service's limit, shown for a week after
    the record arrived (long enough to be seen, not forever)."""
    out: list[Reminder] = []
    for i in items:
        v = i.verdict
        if (
            i.outcome == "session_record"
            and v
            and "significant_event_late" in v.flags
            and (today - i.received_at.date()).days <= LATE_EVENT_SHOWN_DAYS
        ):
            session, written = v.values.get("session.date"), v.values.get("session.written_on")
            out.append(
                Reminder(
                    "significant_late",
                    _say(
                        "significant_late",
                        ref=i.reference,
                        session=dates.numeric_date(session),
                        written=dates.numeric_date(written),
                        hours=profile.recording.significant_event_hours,
                    ),
                )
            )
    return out


def _records_overdue(
    ledger, accepted: dict, allocations: dict, profile, today: dt.date
) -> list[Reminder]:
    """Planned sessions with no record once the recording deadline has passed, asked for until
    the record arrives or the referral is closed. Only the sessions an approved suspension's
    letters cancelled (the case timeline) are not asked for: those after it are, whatever the
    Status cell begins with. A referral a person marked "Suspended" with no suspension on the
    timeline, or half-allocated, plans nothing."""
    from pipeline.cases import cases_of
    from pipeline.cases import suspension as S
    from pipeline.ledger.names import EventKind
    from pipeline.scans.filing import scanned_session_dates
    from pipeline.sessions.plan import planned_sessions
    from pipeline.sessions.record import recording_due

    kinds = S.KINDS + (EventKind.CLOSED, EventKind.SCAN_FILED, EventKind.PACK_MADE)
    cases = cases_of(ledger, accepted, kinds=kinds)
    out: list[Reminder] = []
    for ref, item in accepted.items():
        a = allocations.get(ref)
        if a is None or not a.complete:
            continue
        case = cases.get(ref)
        if case is None or not case.has(EventKind.PACK_MADE):
            continue  # no pack made (an allocation still to correct): no session is planned
        status = (a.status or "").strip()
        cancelled = S.cancelled_spans(case)
        if (
            status == "Closed"
            or (case is not None and case.has(EventKind.CLOSED))
            or (status.startswith("Suspended") and not cancelled)
        ):
            continue
        try:
            plan = planned_sessions(item, a, profile, until=today)
        except ValueError:
            continue
        have = {s.date for s in ledger.sessions_of(ref)}
        have |= scanned_session_dates(case)  # a record back on paper was received in time
        for s in plan:
            if (
                s.date < today
                and s.date not in have
                and recording_due(profile, s.date) < today
                and not any(f <= s.date <= u for f, u in cancelled)
            ):
                out.append(
                    Reminder(
                        "records_overdue",
                        _say(
                            "records_overdue",
                            ref=ref,
                            date=dates.numeric_date(s.date),
                            due=dates.numeric_date(recording_due(profile, s.date)),
                        ),
                    )
                )
    return out


def _not_resubmitted(items, accepted: dict, profile, cal, today: dt.date) -> list[Reminder]:
    """Referrals returned (incomplete or on an old form) and not sent again after the
    profile's chase working days: the latest submission of a reference is the one that
    counts, and an accepted reference is never chased."""
    chase = _setting(profile, "resubmission_chase_working_days", RESUBMISSION_CHASE_DAYS)
    out: list[Reminder] = []
    for i in items:
        if (
            i.outcome in ("incomplete", "old_form")
            and i.reference
            and i.reference not in accepted
            and not any(j.reference == i.reference and j.id > i.id for j in items)
        ):
            waited = cal.working_days_between(i.received_at.date(), today)
            if waited >= chase:
                out.append(
                    Reminder(
                        "not_resubmitted",
                        _say(
                            "not_resubmitted",
                            ref=i.reference,
                            date=dates.numeric_date(i.received_at.date()),
                            waited=waited,
                        ),
                    )
                )
    return out


def _due_dates(
    ledger, accepted: dict, allocations: dict, profile, cal, today: dt.date
) -> list[Reminder]:
    """Due dates from today to the next working day, not met: the service's own
    commitments, in its words; those a co-ordinator records (contact, planning meeting) also
    once overdue, for a while; and a first session allocated later than promised."""
    from pipeline.commitments import label
    from pipeline.tracker.met import met_headers
    from pipeline.validate.calendar import promised

    tomorrow = (
        cal.next_working_day(today + dt.timedelta(days=1))
        if not cal.is_working_day(today + dt.timedelta(days=1))
        else today + dt.timedelta(days=1)
    )
    from pipeline.cases import paperwork as case_paperwork
    from pipeline.cases.case import cases_of
    from pipeline.ledger.names import EventKind

    # allocations and packs as the timeline has them (what the Paperwork cell says too)
    cases = cases_of(ledger, accepted, kinds=(EventKind.ALLOCATED, EventKind.PACK_MADE))
    kept = ledger.commitments_met()
    # promise -> the column it is typed in; overdue ones are listed only once the team records
    # that promise (a date is in the ledger): an older ledger, or a team not yet using the
    # column, is not flooded with every past referral
    in_use = {key for typed in kept.values() for key in typed}
    recorded = {k: h for k, h in met_headers(profile).items() if k in in_use}
    out: list[Reminder] = []
    for ref, item in accepted.items():
        a = allocations.get(ref)
        _, due = promised(item, profile)  # from the complete referral: the tracker's days
        case = cases.get(ref)
        met = _promises_met(ledger, ref, kept.get(ref, {}), case_paperwork.latest_pack(case), a)
        closed = a is not None and (a.status or "") == "Closed"
        for key, day in due.items():
            if key not in met or met[key] or closed:
                continue
            if today <= day <= tomorrow:
                out.append(Reminder("due", _due_words(ref, label(key, profile), day, today)))
            elif key in recorded and day < today:  # until a person types the date
                out.append(
                    Reminder(
                        "due",
                        _words()["due"]["overdue"].format(
                            ref=ref,
                            what=label(key, profile),
                            date=dates.numeric_date(day),
                            column=recorded[key],
                        ),
                    )
                )
        # a first session allocated later than promised: mailed once, then shown in `status`
        # (and the Paperwork cell) until it has taken place
        if not met["first_session"]:
            out += _late_first_session(case, due.get("first_session"), profile, cal, today)
    return out


# Lines `status` shows every day but the digest does not mail again: said once already.
STATUS_ONLY = frozenset({"said_before", "not_yet_mailed"})


def _late_first_session(case, due: dt.date | None, profile, cal, today: dt.date) -> list:
    """A first session allocated later than the service promises, with who is to be told at
    once (Blackpool: the Service Manager). The digest mails it ONCE, on the first working day
    after the allocation that made it late (the morning after it was typed: a day's digest
    has gone before most allocations are typed); `status` keeps showing it, saying when it
    was mailed, until the first session (kinds in STATUS_ONLY, never mailed). An
    allocation moved to another late date is the same delay; one put right and made late
    again is news and is mailed again."""
    from pipeline.cases import paperwork as case_paperwork
    from pipeline.commitments import alert
    from pipeline.tracker.allocation import late_first_session

    who = alert("first_session", profile)
    late_since = None
    for e in case_paperwork.allocations(case):
        if late_first_session(e.detail, due, who) is None:
            late_since = None
        elif late_since is None:
            late_since = e.on
    allocation = case_paperwork.current_allocation(case)
    late = late_first_session(allocation, due, who) if allocation else None
    if late is None or late_since is None:
        return []
    mailed_on = cal.next_working_day(late_since)
    ref = case.reference
    if today < mailed_on:  # the allocation typed today: `status` says it, tomorrow's digest
        return [Reminder("not_yet_mailed", f"{ref}: {late}")]
    if today == mailed_on:
        return [Reminder("due", f"{ref}: {late}")]
    said = _words()["due"]["said_before"].format(
        ref=ref, line=late, date=dates.numeric_date(mailed_on)
    )
    return [Reminder("said_before", said)]


def _planning_meeting_chase(
    ledger, accepted: dict, allocations: dict, profile, cal, today: dt.date
) -> list[Reminder]:
    """The social worker to be chased for a planning meeting the service asked for (in the
    acknowledgement) when no meeting date is in the tracker after the service's working days
    (Blackpool 003): from that day until a date is typed, the pack is made (the meeting was
    held) or the referral is closed. Nothing where the service states no chase, or its tracker
    has no column to type the meeting's date in."""
    from pipeline.cases.case import cases_of
    from pipeline.commitments import chase_due
    from pipeline.ledger.names import EventKind, MailHow
    from pipeline.tracker.met import met_headers
    from pipeline.validate.calendar import promised

    column = met_headers(profile).get("planning_meeting")
    if column is None or profile.timescales.planning_meeting_chase is None:
        return []
    kinds = (EventKind.ACKNOWLEDGED, EventKind.PACK_MADE, EventKind.CLOSED)
    cases = cases_of(ledger, accepted, kinds=kinds)
    kept = ledger.commitments_met()
    out: list[Reminder] = []
    for ref in accepted:
        case = cases.get(ref)
        a = allocations.get(ref)
        if (
            case is None
            or "planning_meeting" in kept.get(ref, {})
            or case.has(EventKind.PACK_MADE, EventKind.CLOSED)
            or _closed_in_tracker(a)
        ):
            continue
        # the acknowledgement that asked for the meeting: the COMPLETE referral's (a reply to
        # an earlier incomplete form asked for nothing), one the mail server took or one
        # written for a person to send (a withheld one asked nobody), counted no earlier than
        # the day the complete referral's clock starts (calendar.promised)
        start, _ = promised(accepted[ref], profile)
        asked = next(
            (
                max(e.on, start)
                for e in case.of(EventKind.ACKNOWLEDGED)
                if e.detail.get("how") in (MailHow.SENT, MailHow.WRITTEN)
                and e.on >= accepted[ref].received_at.date()
            ),
            None,
        )
        day = chase_due(asked, profile, cal) if asked else None
        if day is None or day > today:
            continue
        n = profile.timescales.planning_meeting_chase
        out.append(
            Reminder(
                "due",
                _words()["due"]["chase_one" if n == 1 else "chase_many"].format(
                    ref=ref, column=column, n=n, asked=dates.numeric_date(asked)
                ),
            )
        )
    return out


def _before_first_session(
    ledger, accepted: dict, allocations: dict, profile, today: dt.date
) -> list[Reminder]:
    """What the service does before a first session, where its profile says so (Blackpool
    003: a photo of the worker to the carer, transport agreed with the carer): said for each
    referral whose pack is made, from then until its first session (or any session record),
    unless the referral is closed. The worker is the one the latest allocation names."""
    from pipeline.cases import paperwork as case_paperwork
    from pipeline.cases.case import cases_of
    from pipeline.ledger.names import EventKind

    wanted = [
        key
        for key in ("photo_of_worker_to_carer", "transport_agreed_with_carer")
        if getattr(profile.allocation, key)
    ]
    if not wanted:
        return []
    words = _words()["to_do"]
    kinds = (EventKind.ALLOCATED, EventKind.PACK_MADE, EventKind.CLOSED)
    cases = cases_of(ledger, accepted, kinds=kinds)
    out: list[Reminder] = []
    for ref in accepted:
        case = cases.get(ref)
        a = allocations.get(ref)
        if (
            case is None
            or not case.has(EventKind.PACK_MADE)
            or case.has(EventKind.CLOSED)
            or _closed_in_tracker(a)
            or ledger.sessions_of(ref)
        ):
            continue
        allocation = case_paperwork.current_allocation(case) or {}
        first, worker = allocation.get("first_date"), allocation.get("supervisor")
        if not first or not worker:
            continue
        first = dt.date.fromisoformat(first) if isinstance(first, str) else first
        if first < today:
            continue
        to_do = words["separator"].join(words[key].format(worker=worker) for key in wanted)
        out.append(
            Reminder(
                "to_do",
                _say("before_first_session", ref=ref, date=dates.numeric_date(first), to_do=to_do),
            )
        )
    return out


ENDING_AHEAD_WORKING_DAYS = 3  # time-limited family time: said this many working days ahead


def _family_time_ending(
    ledger, accepted: dict, allocations: dict, profile, cal, today: dt.date
) -> list[Reminder]:
    """Time-limited family time coming to its end (pipeline/cases/family_time.py), only where
    the service states a limit: said from a few working days before the end, on the end day and
    after it, until a person types a later date in the tracker's column for it or closes the
    referral, because no session is planned after the end without that decision."""
    from pipeline.cases.case import cases_of
    from pipeline.cases.family_time import family_time_end, states_limits
    from pipeline.ledger.names import EventKind
    from pipeline.tracker.columns import load_spec

    if not states_limits(profile):
        return []
    spec = load_spec(profile=profile)
    sheet = next((s for s in spec.enabled_sheets if "accepted" in s.outcomes), None)
    columns = sheet.columns if sheet is not None else []
    column = next((c for c in columns if c.key == "family_time_ends"), None)
    if column is None:
        return []
    header = column.header_for(profile)
    cases = cases_of(ledger, accepted, kinds=(EventKind.CLOSED,))
    out: list[Reminder] = []
    for ref, item in accepted.items():
        a = allocations.get(ref)
        end = family_time_end(item, a)
        case = cases.get(ref)
        if (
            end is None
            or _closed_in_tracker(a)
            or (case is not None and case.has(EventKind.CLOSED))
            or today < cal.add_working_days(end, -ENDING_AHEAD_WORKING_DAYS)
        ):
            continue
        key = "family_time_ended" if end < today else "family_time_ends"
        out.append(
            Reminder(
                "family_time_ends", _say(key, ref=ref, date=dates.numeric_date(end), column=header)
            )
        )
    return out


def _due_words(ref: str, what: str, day: dt.date, today: dt.date) -> str:
    """ "due today", "due tomorrow", or the day named when it is further off (a Friday's or a
    Saturday's list looks to Monday: "due Monday 7 December", never "tomorrow")."""
    words = _words()["due"]
    if day == today:
        form = words["today"]
    elif day == today + dt.timedelta(days=1):
        form = words["tomorrow"]
    else:
        form = words["on_day"]
    return form.format(
        ref=ref,
        what=what,
        date=dates.numeric_date(day),
        weekday=dates.weekday_name(day),
        day=day.day,
        month=dates.month_name(day),
    )


def _words() -> dict:
    return house.load(WORDING)


def _say(key: str, /, **values) -> str:
    """One of the digest's lines ([reminders] in digest.toml), filled in."""
    return house.entry(WORDING, "reminders", key, **values)


def _promises_met(ledger, ref: str, typed: dict, pack, a) -> dict[str, bool]:
    """Which of a referral's promises are kept: contact and planning meeting when a
    co-ordinator typed their date, allocation once the pack is made (or the tracker row is
    complete), the first session once any session is recorded."""
    return {
        "acknowledgement": True,  # the mail effect's (and status's) business
        "contact": "contact" in typed,
        "planning_meeting": "planning_meeting" in typed,
        "allocation": pack is not None or (a is not None and a.complete),
        "first_session": bool(ledger.sessions_of(ref)),
    }


def _against_request(ledger, accepted: dict, today: dt.date) -> list[Reminder]:
    """A pack that gives fewer or shorter sessions than the referral asked, or starts after a
    requested start already past (its PACK_MADE event's facts, in the Paperwork cell's words),
    for a week after it was made; before any pack, a referral read after its requested start,
    for a week after it was read."""
    from pipeline.cases import cases_of
    from pipeline.cases import paperwork as PW
    from pipeline.ledger.names import EventKind
    from pipeline.tracker.allocation import read_late, request_notes

    w = _words()["request"]
    since = today - dt.timedelta(days=int(w["shown_days"]))
    cases = cases_of(ledger, accepted, kinds=(EventKind.PACK_MADE,))
    out: list[Reminder] = []
    for ref, item in sorted(accepted.items()):
        made = PW.latest_pack(cases.get(ref))
        if made is not None:
            notes = request_notes(made.detail.get("against_request") or {})
            if notes and since <= made.on <= today:
                text = w["pack"].format(
                    ref=ref, date=dates.numeric_date(made.on), notes="; ".join(notes)
                )
                out.append(Reminder("due", text))
            continue
        note = read_late(item)
        if note and item.received_at and since <= item.received_at.date() <= today:
            out.append(Reminder("due", w["read_late"].format(ref=ref, note=note)))
    return out


def _dates_to_correct(ledger, accepted: dict) -> list[Reminder]:
    """Dates typed in the tracker that cannot be used (commitments kept, the next review):
    the row's "Dates to correct" cell, the same words."""
    problems = ledger.met_problems()
    return [
        Reminder("dates_to_correct", f"{ref}: {problems[ref]}")
        for ref in sorted(problems)
        if ref in accepted
    ]


def _reviews_coming(ledger, config, profile, accepted: dict, today: dt.date) -> list[Reminder]:
    """Review reports made whose email has not gone, then reviews within REVIEW_AHEAD_DAYS
    with no report made yet."""
    from pipeline.notify.review import unsent_lines
    from pipeline.tracker.reviews import reviews

    out = [Reminder("review", line) for line in unsent_lines(ledger)]
    for r in reviews(ledger, config, profile).values():
        if (
            r.date
            and today <= r.date <= today + dt.timedelta(days=REVIEW_AHEAD_DAYS)
            and r.reference in accepted
            and not ledger.report_made(r.reference, r.date)
        ):
            out.append(
                Reminder(
                    "review",
                    _say("review_no_report", ref=r.reference, date=dates.numeric_date(r.date)),
                )
            )
    return out


def _supervisors(config, profile) -> list[str]:
    """The workers on the Staff sheet whose role is the service's supervising worker's, so a
    worker with nothing booked is seen to have room too; [] when the sheet cannot be read."""
    from pipeline.tracker.sync import read_staff

    role = " ".join(profile.supervisor_role.split()).casefold()
    try:
        staff = read_staff(config, profile)
    except Exception:  # the workbook is read again for the next digest
        log.warning("digest: could not read the Staff sheet for the workload lines")
        return []
    return [
        p["name"]
        for p in staff
        if p.get("name") and role in " ".join(str(p.get("role") or "").split()).casefold()
    ]


def _workload(
    accepted: dict, allocations: dict, profile, today: dt.date, supervisors: list[str] = ()
) -> list[Reminder]:
    """Each worker's sessions in this week's plan (Monday to Sunday) against the service's
    own figures ([rota], seed line): over the most, and, where the service states a least,
    under it, so a manager allocating sees who has room (a worker on the Staff sheet with
    nothing booked included). Nothing for a figure the profile does not state. One session a
    worker runs for siblings is one session."""
    from pipeline.sessions.plan import planned_sessions

    out: list[Reminder] = []
    most = profile.rota.weekly_sessions_max
    least = profile.rota.weekly_sessions_min
    if most is None and least is None:
        return out
    monday = today - dt.timedelta(days=today.weekday())
    sunday = monday + dt.timedelta(days=6)
    # one session a supervisor runs is one, however many children (siblings) it is for
    slots: dict[str, set] = defaultdict(set)
    for ref, item in accepted.items():
        a = allocations.get(ref)
        if a is None or not a.complete or (a.status or "") == "Closed":
            continue
        try:
            plan = planned_sessions(item, a, profile, until=sunday)
        except ValueError:
            continue
        slots[a.supervisor] |= {
            (s.date, str(a.time or ""), " ".join(str(a.venue or "").split()).casefold())
            for s in plan
            if monday <= s.date <= sunday
        }
    per = Counter({who: len(days) for who, days in slots.items()})
    booked = {" ".join(str(w).split()).casefold() for w in per}
    for who in supervisors:
        if " ".join(who.split()).casefold() not in booked:
            per[who] = 0
    room: list[Reminder] = []
    for who, n in sorted(per.items()):
        if most is not None and n > most:
            out.append(
                Reminder(
                    "workload",
                    _say("workload_one" if n == 1 else "workload_many", who=who, n=n, most=most),
                )
            )
        elif least is not None and n < least:
            sessions = _say(
                "sessions_none" if n == 0 else "sessions_one" if n == 1 else "sessions_many", n=n
            )
            key = "room" if most is not None else "room_at_least"
            room.append(
                Reminder("room", _say(key, who=who, sessions=sessions, least=least, most=most))
            )
    return out + room


def digest_message(lines: list[Reminder], profile, today: dt.date):
    from pipeline import paths
    from pipeline.notify.compose import our_addresses, service_context
    from pipeline.notify.message import OutgoingMessage, build_email
    from pipeline.notify.templates import templates_for

    templates = templates_for(profile.id, paths.MAIL_TEMPLATES)
    team, sender = our_addresses(profile)
    groups: dict[str, list[str]] = defaultdict(list)
    lines = [r for r in lines if r.kind not in STATUS_ONLY]  # mailed once already
    for r in lines:
        groups[r.kind].append(r.text)
    context = {
        "kind": "digest",
        "today": today,
        "count": len(lines),
        "groups": dict(groups),
        "service": service_context(profile),
        "fallback": {"sw": None, "used": None},
    }
    key = f"digest:{today.isoformat()}"
    subject = templates.subject("digest", context)
    msg = build_email(
        key=key,
        subject=subject,
        sender=sender,
        sender_name=profile.mail.from_name,
        to=(team,),
        cc=(),
        reply_to=team,
        auto_submitted="auto-generated",
        text=templates.body("digest", "txt", context),
        html=templates.body("digest", "html", context),
    )
    return OutgoingMessage(key=key, to=(team,), cc=(), subject=subject, message=msg, kind="digest")
