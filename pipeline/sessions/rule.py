"""The missed-session rule, as a pure function of a referral's records and what already fired.

Records are taken in SESSION-DATE order, whatever order they arrived in. Sessions the parent
missed without a valid reason count; a session the parent came to breaks the run; a session
that did not happen for someone else's reason (the carer, the child's health, the service, a
closure), or a miss with a valid reason, neither counts nor breaks it.

The profile decides the numbers (MissedSessions): `count` misses in a row suspend family time
for `suspension_days`; after that, `legal_advice_after` more in a row ask the social worker to
take legal advice (section 34(4) Children Act 1989). Each run of sessions fires once: sessions
an earlier action used are never used again, and a run that ends before the latest action
already taken is history (letters about the past help nobody), so a late record never makes a
second letter about the same sessions.

"In a row" needs the plan: given `planned` (the allocated session dates between two dates),
a planned session with no record yet stands between two misses until its record arrives, so
a late record can still break the run. With the first planned date as well, nothing is
decided while an earlier planned session has no record (it could change which action is due),
so the same records give the same actions whatever order they came in. Without a plan, the
records known are the sessions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pipeline.models import RuleAction, SessionRecord
from pipeline.profile import MissedSessions

ATTENDED = ("Took place", "Ended early")
Planned = Callable[[dt.date, dt.date], Iterable[dt.date]]


def current_records(records: list[SessionRecord]) -> list[SessionRecord]:
    """One record per session date (the latest arrival wins), sorted by session date."""
    latest: dict[dt.date, SessionRecord] = {}
    for r in sorted(records, key=lambda r: r.item_id):
        latest[r.date] = r
    return [latest[d] for d in sorted(latest)]


@dataclass
class RuleState:
    """Where a referral stands under the rule (for `family-time sessions`)."""

    phase: str = "normal"  # "normal" or "resumed" (after a suspension)
    run: list[dt.date] = field(default_factory=list)  # misses in a row not yet acted on
    actions: list[RuleAction] = field(default_factory=list)  # every action, old and new
    new: list[RuleAction] = field(default_factory=list)  # the ones this call added
    waiting_for: list[dt.date] = field(default_factory=list)  # planned sessions with no record


def suspension_length(rules: MissedSessions, court_directed: bool) -> int:
    """Days of a suspension; court-directed family time at most the court-directed limit."""
    days = rules.suspension_days
    if court_directed:
        days = min(days, rules.court_directed_max_suspension_days)
    return max(1, days)


def rule_state(
    records: list[SessionRecord],
    previous: list[RuleAction],
    rules: MissedSessions | None,
    today: dt.date,
    court_directed: bool = False,
    reference: str | None = None,
    planned: Planned | None = None,
    first_planned: dt.date | None = None,
    cancelled: Iterable[tuple[dt.date, dt.date]] = (),
    named: Iterable[tuple[dt.date, dt.date]] | None = None,
) -> RuleState:
    """Walk the records by session date; return the state and the actions newly due.
    `cancelled`: the days approved suspensions took out of the plan (the case timeline's); a
    session there is never waited for. `named`: the days their letters named (default: the
    same); a record of a session there is not a miss."""
    state = RuleState(actions=list(previous))
    if rules is None:  # the service states no missed-session rule
        return state
    used: dict[dt.date, RuleAction] = {d: a for a in previous for d in a.session_dates}
    latest_acted = max((max(a.session_dates) for a in previous if a.session_dates), default=None)
    ref = reference or next((r.reference for r in records), "")  # the records' referral
    ordered = current_records(records)
    recorded = {r.date for r in ordered}

    spans, lettered = _suspended_days(previous, cancelled, named)

    def unrecorded(a: dt.date, b: dt.date) -> list[dt.date]:
        """Planned sessions between a and b with no record; none are held while an approved
        suspension's letters cancel them (a proposal nobody decided cancels nothing)."""
        return [
            day
            for day in planned(a, b)
            if day not in recorded and not any(f <= day <= u for f, u in spans)
        ]

    gap = unrecorded if planned is not None else None
    for rec in ordered:
        if not _extends_run(state, rec, used, lettered, gap):
            continue
        needed = (rules.count if state.phase == "normal" else rules.legal_advice_after) or 0
        if needed <= 0 or len(state.run) < needed:
            continue
        dates = state.run[-needed:]
        if planned is not None and first_planned is not None:
            missing = unrecorded(_since_last_action(state, first_planned, dates[0]), dates[-1])
            if missing:
                state.waiting_for = missing  # decided once those records are in
                break
        state.run = []
        if latest_acted is not None and dates[-1] < latest_acted:
            continue  # history, before an action already taken
        action = _action(ref, state.phase, dates, rules, today, court_directed)
        state.new.append(action)
        state.actions.append(action)
        state.phase = "resumed"
    return state


def _suspended_days(
    previous: list[RuleAction],
    cancelled: Iterable[tuple[dt.date, dt.date]],
    named: Iterable[tuple[dt.date, dt.date]] | None,
) -> tuple[list[tuple[dt.date, dt.date]], list[tuple[dt.date, dt.date]]]:
    """The spans no session is waited for in, and the spans the letters named (a record
    there is not a miss): each with the suspensions approved through earlier actions."""
    approved = [
        (x.suspended_from, x.suspended_until)
        for x in previous
        if x.decision == "Approved" and x.suspended_from and x.suspended_until
    ]
    spans = list(cancelled) + approved
    lettered = (list(cancelled) if named is None else list(named)) + approved
    return spans, lettered


def _extends_run(
    state: RuleState,
    rec: SessionRecord,
    used: dict[dt.date, RuleAction],
    lettered: list[tuple[dt.date, dt.date]],
    gap: Callable[[dt.date, dt.date], list[dt.date]] | None,
) -> bool:
    """Fold one record into the run of missed sessions; True when it added a miss (only
    then can the rule newly fall due)."""
    if rec.date in used:
        action = used[rec.date]
        state.run = []
        if rec.date == max(action.session_dates):
            # a declined proposal leaves family time as it was
            state.phase = "normal" if action.decision == "Declined" else "resumed"
        return False
    if any(f <= rec.date <= u for f, u in lettered):
        return False  # a session the letters cancelled: not missed
    if rec.missed_by_parent:
        if state.run and gap is not None and gap(state.run[-1], rec.date):
            state.run = []  # a planned session not recorded yet between
        state.run.append(rec.date)
        return True
    if rec.outcome in ATTENDED:
        state.run = []
    return False  # otherwise it neither counts nor breaks the run


def _since_last_action(state: RuleState, first_planned: dt.date, first_miss: dt.date) -> dt.date:
    """The day after which planned sessions must all be recorded before the rule is decided:
    the last session an earlier action covered, or the day before the plan began."""
    return max(
        [first_planned - dt.timedelta(days=1)]
        + [
            max(a.session_dates)
            for a in state.actions
            if a.session_dates and max(a.session_dates) < first_miss
        ]
    )


def _action(
    reference: str,
    phase: str,
    dates: list[dt.date],
    rules: MissedSessions,
    today: dt.date,
    court_directed: bool,
) -> RuleAction:
    if phase == "normal":
        start = max(dates[-1], today) + dt.timedelta(days=1)
        length = suspension_length(rules, court_directed)
        return RuleAction(
            reference=reference,
            kind="suspension",
            session_dates=list(dates),
            suspended_from=start,
            suspended_until=start + dt.timedelta(days=length - 1),
            court_directed=court_directed,
        )
    return RuleAction(
        reference=reference,
        kind="legal_advice",
        session_dates=list(dates),
        court_directed=court_directed,
    )


def rule_actions(
    records: list[SessionRecord],
    previous: list[RuleAction],
    rules: MissedSessions,
    today: dt.date,
    court_directed: bool = False,
    reference: str | None = None,
    planned: Planned | None = None,
    first_planned: dt.date | None = None,
) -> list[RuleAction]:
    """The actions newly due (none when everything has fired already)."""
    return rule_state(
        records, previous, rules, today, court_directed, reference, planned, first_planned
    ).new
