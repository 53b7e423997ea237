"""Proposals: what the missed-session rule puts before a person, and what a decision settles.

The rule never acts by itself. It records a proposal (a RuleAction with no decision); this
module words the proposal for the tracker's Decisions sheet (what, why, who decides, decide
by) and, once a person has decided, works out the dates the decision sets: a suspension runs
from the day after the decision (or the last miss) for the profile's days, or until the day
before the meeting; court-directed family time at most the court limit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline import words as house
from pipeline.dates import numeric_date
from pipeline.models import Item, RuleAction, is_court_directed
from pipeline.profile import Profile

DEFAULT_OVERDUE_WORKING_DAYS = 2
SECTION_20 = "Section 20 (accommodated)"


def proposal_key(action_id: int) -> str:
    """A proposal's name, the ledger's number ("P12"): the key of its Decisions row."""
    return f"P{action_id}"


def words() -> dict[str, Any]:
    return house.load("sessions/proposals.toml")


def _values(referral: Item | None) -> dict[str, Any]:
    return referral.verdict.values if referral is not None and referral.verdict else {}


def who_decides(referral: Item | None, profile: Profile) -> str:
    """The role the profile names; adoption and SGO cases: the adoptive parent or guardian."""
    d = profile.decisions
    status = _values(referral).get("legal.status")
    if status in words()["who"]["adoption_statuses"] and d.adoption_or_special_guardianship:
        return d.adoption_or_special_guardianship
    return d.suspend_or_cease or words()["who"]["default"]


def section_20_warning(referral: Item | None, profile: Profile) -> str:
    """The policy's warning for a Section 20 child not in proceedings ('' otherwise)."""
    values = _values(referral)
    if (
        not profile.decisions.section_20_warning
        or values.get("legal.status") != SECTION_20
        or is_court_directed(referral)
    ):
        return ""
    return words()["why"]["section_20"]


def guardian_name(referral: Item | None) -> str:
    """The children's guardian, when the referral names one (key `guardian.name`)."""
    return " ".join(str(_values(referral).get("guardian.name") or "").split())


def suspension_days(action: RuleAction, profile: Profile) -> int:
    rules = profile.missed_sessions
    days = rules.suspension_days if rules else 7
    if action.court_directed and rules:
        days = min(days, rules.court_directed_max_suspension_days)
    return max(1, days)


def court_limit(profile: Profile) -> int:
    rules = profile.missed_sessions
    return rules.court_directed_max_suspension_days if rules else 7


def why(action: RuleAction, referral: Item | None, profile: Profile) -> str:
    """The sessions and dates it rests on, the legal status and any warning, in words."""
    w = words()["why"]
    values = _values(referral)
    parts = [w["missed"].format(dates=", ".join(numeric_date(d) for d in action.session_dates))]
    parts.append(
        w["legal_status"].format(
            status=values.get("legal.status") or "not given",
            court=w["court"] if action.court_directed else "",
        )
    )
    if action.kind == "suspension":
        start = action.suspended_from
        parts.append(
            w["suspension"].format(
                start=numeric_date(start) if start else "", days=suspension_days(action, profile)
            )
        )
        if action.court_directed and start:
            until = start + dt.timedelta(days=court_limit(profile) - 1)
            parts.append(
                w["court_limit"].format(days=court_limit(profile), until=numeric_date(until))
            )
        warning = section_20_warning(referral, profile)
        if warning:
            parts.append(warning)
    else:
        parts.append(w["legal_advice"])
    guardian = guardian_name(referral)
    if guardian:
        parts.append(w["guardian"].format(name=guardian))
    return " ".join(parts)


def what(action: RuleAction) -> str:
    return what_kind(action.kind)


def what_kind(kind: str) -> str:
    return words()["what"][kind]


def decide_by(created: dt.date, profile: Profile) -> dt.date:
    """The last day to decide: the profile's working days after the proposal was made."""
    from pipeline.validate.calendar import ServiceCalendar

    days = profile.decisions.decision_overdue_working_days
    if days is None:
        days = DEFAULT_OVERDUE_WORKING_DAYS
    return ServiceCalendar(profile).add_working_days(created, days)


def settle(
    action: RuleAction,
    decision: str,
    decided_by: str | None,
    decided_on: dt.date | None,
    meeting_on: dt.date | None,
    profile: Profile,
    today: dt.date,
) -> RuleAction:
    """The proposal with the person's decision and the dates it sets."""
    decided_on = decided_on or today
    update: dict[str, Any] = dict(
        decision=decision, decided_by=decided_by, decided_on=decided_on, meeting_on=meeting_on
    )
    if action.kind == "suspension" and decision == "Approved" and profile.missed_sessions:
        from pipeline.cases.suspension import span

        s = span(
            action.session_dates,
            decided_on,
            meeting_on,
            profile.missed_sessions,
            action.court_directed,
        )
        update.update(suspended_from=s.start, suspended_until=s.until)
    return action.model_copy(update=update)


def status_lines(
    ledger, profile, resuming: bool = False, allocations: dict | None = None
) -> list[str]:
    """Proposals nobody has decided (overdue ones said so), and suspensions with no meeting:
    what waits for a person (the digest). `resuming`: also when each suspension's family time
    resumes (`status`), which waits for nobody, never after time-limited family time ends
    (`allocations`: the tracker's, for an end a person typed). Read from the case timeline, so
    a line says "suspended" only where the suspension started (its letters made)."""
    from pipeline.cases import suspension
    from pipeline.cases.case import cases_of
    from pipeline.cases.family_time import family_time_end
    from pipeline.clock import today
    from pipeline.dates import numeric_date

    w = words()["status"]
    where = "sessions/proposals.toml [status] "
    lines, now = [], today()

    def ends_of(reference: str) -> dt.date | None:
        typed = (allocations or {}).get(reference)
        return family_time_end(ledger.item_by_reference(reference), typed)

    def resumes_line(key: str, day: dt.date, ends: dt.date | None) -> str:
        """When family time resumes; never a day after time-limited family time ends."""
        if ends is not None and day > ends:
            return house.fill(
                w["resumes_after_end"],
                where + "resumes_after_end",
                key=key,
                date=numeric_date(day),
                end=numeric_date(ends),
            )
        return house.fill(w["resumes"], where + "resumes", key=key, date=numeric_date(day))

    for case in cases_of(ledger, kinds=suspension.KINDS).values():
        for p in suspension.proposals(case):
            key = f"{p.id} {p.reference}"
            if p.state == "proposed":
                due = decide_by(p.raised_on, profile)
                lines.append(
                    house.fill(
                        w["waiting"],
                        where + "waiting",
                        key=key,
                        what=what_kind(p.kind),
                        who=who_decides(ledger.item_by_reference(p.reference), profile),
                        date=numeric_date(due),
                        late=w["overdue"] if due < now else "",
                    )
                )
            elif p.state != "suspended":
                continue
            elif p.to_meeting and p.meeting_on is None:
                lines.append(house.fill(w["no_meeting"], where + "no_meeting", key=key))
            elif resuming and p.until is not None and p.until != suspension.OPEN:
                resumes = p.until + dt.timedelta(days=1)
                if resumes >= now:
                    lines.append(resumes_line(key, resumes, ends_of(p.reference)))
        if resuming:
            for p in suspension.proposals(case):
                if p.state == "ended" and p.ended_on and p.ended_on >= now:
                    lines.append(
                        resumes_line(f"{p.id} {p.reference}", p.ended_on, ends_of(p.reference))
                    )
        lines += suspension.team_lines(
            case, now, who_decides(ledger.item_by_reference(case.reference), profile)
        )
    return lines
