"""A missed-session proposal and the suspension it may start, as the timeline tells it.

One module for the writers (pipeline/effects/rule.py) and the readers (`sessions`, the
tracker's Status cell, the digest, the month report), so they agree on the keys and the words.

Per proposal the states are: proposed (PROPOSAL_RAISED, nobody decided) -> declined (DECIDED
Declined) or approved (DECIDED Approved) -> suspended (SUSPENSION_STARTED, written with
LETTERS_MADE: the letters are what cancel the sessions) -> ended (SUSPENSION_ENDED: the end date,
the meeting, the service's minimum or maximum, the court's limit, or a person changing the
decision). A meeting date typed later is SUSPENSION_CHANGED. Keys name the proposal ("P12") and,
for a decision, what was decided, so reading the Decisions sheet again writes nothing twice and
a changed decision is a new event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import words as house
from pipeline.cases.case import Case
from pipeline.dates import numeric_date
from pipeline.ledger.names import EventKind
from pipeline.ledger.timeline import Event

KINDS = (
    EventKind.PROPOSAL_RAISED,
    EventKind.DECIDED,
    EventKind.SUSPENSION_STARTED,
    EventKind.SUSPENSION_CHANGED,
    EventKind.SUSPENSION_ENDED,
    EventKind.LETTERS_MADE,
    EventKind.DECISION_REFUSED,
)
OPEN = dt.date.max  # a suspension held until a meeting not yet dated


def words() -> dict[str, Any]:
    """form_templates/cases/suspension.toml, read by the wording house."""
    return house.load("cases/suspension.toml")


def proposal_id(action_id: int) -> str:
    """The proposal's number, as the Decisions sheet shows it ("P12")."""
    return f"P{action_id}"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


# --- the state machine: the dates a decision and a meeting set -------------------------------


@dataclass
class Span:
    """An approved suspension's days: from `start` to `until` (inclusive); `to_meeting`: held
    until a review meeting not yet dated (`until` is then the least it runs); `why`: what
    ends it."""

    start: dt.date
    until: dt.date
    why: str = "end_date"
    to_meeting: bool = False
    meeting_on: dt.date | None = None
    notes: list[dict] = field(default_factory=list)

    def detail(self) -> dict:
        return {
            "from": _iso(self.start),
            "until": _iso(self.until),
            "why": self.why,
            "to_meeting": self.to_meeting,
            "meeting_on": _iso(self.meeting_on),
            "notes": self.notes,
        }


def span(
    sessions: list[dt.date],
    decided_on: dt.date,
    meeting_on: dt.date | None,
    rules,
    court_directed: bool,
) -> Span:
    """The days an approved suspension holds family time, by the service's rules: from the day
    after the decision (or the last miss); `suspension_days` unless a meeting is dated; never
    below the stated minimum (a meeting earlier does not cut it), never above the stated
    maximum or, when the court directed family time, the court's limit."""
    last = max(sessions) if sessions else decided_on
    start = max(last, decided_on) + dt.timedelta(days=1)

    def end(days: int) -> dt.date:
        return start + dt.timedelta(days=max(1, days) - 1)

    proposed = end(rules.suspension_days)
    minimum = rules.minimum_suspension_days
    maximum = rules.maximum_suspension_days
    s = Span(start, proposed, "end_date", meeting_on=meeting_on)
    if minimum and end(minimum) > s.until:
        s.until, s.why = end(minimum), "minimum"
    if meeting_on is None:
        if rules.suspension_ends == "the meeting":
            s.to_meeting = True
            s.notes.append({"note": "no_meeting"})
    else:
        s.until, s.why = max(start, meeting_on - dt.timedelta(days=1)), "meeting"
        if minimum and s.until < end(minimum):
            s.until, s.why = end(minimum), "minimum"
            s.notes.append(
                {
                    "note": "meeting_before_minimum",
                    "meeting": numeric_date(meeting_on),
                    "days": minimum,
                    "until": numeric_date(s.until),
                }
            )
        elif s.until > proposed:
            s.notes.append(
                {
                    "note": "late_meeting",
                    "meeting": numeric_date(meeting_on),
                    "days": rules.suspension_days,
                }
            )
    if maximum and s.until > end(maximum):
        s.until, s.why, s.to_meeting = end(maximum), "maximum", False
        s.notes.append({"note": "maximum", "days": maximum, "until": numeric_date(s.until)})
    limit = rules.court_directed_max_suspension_days
    if court_directed and (s.to_meeting or s.until > end(limit)):
        s.until, s.why, s.to_meeting = min(s.until, end(limit)), "court_limit", False
        s.notes.append({"note": "court_limit", "days": limit, "until": numeric_date(s.until)})
    return s


def note_text(note: dict) -> str:
    return words()["notes"][note["note"]].format(**{k: v for k, v in note.items() if k != "note"})


# --- the events (the writers' side) ----------------------------------------------------------


def proposal_raised(action_id: int, action, on: dt.date) -> Event:
    """The rule proposed; nobody has decided."""
    pid = proposal_id(action_id)
    dates = ",".join(d.isoformat() for d in action.session_dates)
    return Event(
        action.reference,
        EventKind.PROPOSAL_RAISED,
        on,
        f"proposal_raised:{action.reference}:{pid}:{action.kind}:{dates}",
        {
            "proposal": pid,
            "kind": action.kind,
            "sessions": [d.isoformat() for d in action.session_dates],
            "court_directed": bool(action.court_directed),
            "proposed_from": _iso(action.suspended_from),
            "proposed_until": _iso(action.suspended_until),
        },
    )


def decided(case: Case, action_id: int, decision: str, by: str | None, on: dt.date) -> Event | None:
    """A person's decision as read from the Decisions sheet; None when it is what the timeline
    already holds (reading the sheet again writes nothing)."""
    pid = proposal_id(action_id)
    content = {"proposal": pid, "decision": decision, "by": by, "on": on.isoformat()}
    before = [e for e in case.of(EventKind.DECIDED) if e.detail.get("proposal") == pid]
    if before and {k: before[-1].detail.get(k) for k in content} == content:
        return None
    digest = hashlib.blake2b(repr(sorted(content.items())).encode(), digest_size=6).hexdigest()
    return Event(
        case.reference,
        EventKind.DECIDED,
        on,
        f"decided:{case.reference}:{pid}:{len(before) + 1}:{digest}",
        content,
    )


def letters_made(
    reference: str,
    action_id: int,
    documents: Iterable[str],
    on: dt.date,
    until: dt.date | None = None,
) -> Event:
    """The letters and notice made; `until`: new letters for a suspension made longer (a
    meeting later than the letters said), one event per new end."""
    pid = proposal_id(action_id)
    key = f"letters_made:{reference}:{pid}" + (f":until:{until.isoformat()}" if until else "")
    return Event(
        reference,
        EventKind.LETTERS_MADE,
        on,
        key,
        {"proposal": pid, "documents": [str(d) for d in documents], "until": _iso(until)},
    )


def decision_refused(
    case: Case, action_id: int, digest: str, problems: list[tuple[str, dict]], on: dt.date
) -> Event | None:
    """What was typed in the proposal's row cannot be applied, and why (problems [] : nothing
    is refused any more, e.g. the cells were cleared); None when the timeline already says so.
    A refusal because the row's cells were moved marks what was typed (`digest`): the same
    cells are never applied later, once the row is put right."""
    pid = proposal_id(action_id)
    content = {
        "proposal": pid,
        "digest": digest,
        "problems": [{"problem": k, **v} for k, v in problems],
    }
    before = [e for e in case.of(EventKind.DECISION_REFUSED) if e.detail.get("proposal") == pid]
    if before and before[-1].detail == content:
        return None
    if not before and not problems:
        return None
    raw = repr(sorted((k, repr(v)) for k, v in content.items()))
    key = hashlib.blake2b(raw.encode(), digest_size=6).hexdigest()
    return Event(
        case.reference,
        EventKind.DECISION_REFUSED,
        on,
        f"decision_refused:{case.reference}:{pid}:{len(before) + 1}:{key}",
        content,
    )


def suspension_started(
    reference: str, action_id: int, s: Span, by: str | None, decided_on: dt.date
) -> Event:
    """Written with the letters: they are what cancel the sessions in the span."""
    pid = proposal_id(action_id)
    return Event(
        reference,
        EventKind.SUSPENSION_STARTED,
        s.start,
        f"suspension_started:{reference}:{pid}",
        {"proposal": pid, "by": by, "decided_on": decided_on.isoformat(), **s.detail()},
    )


def suspension_changed(reference: str, action_id: int, s: Span, on: dt.date) -> Event:
    """A meeting date typed (or changed) after the start moves the end."""
    pid = proposal_id(action_id)
    return Event(
        reference,
        EventKind.SUSPENSION_CHANGED,
        on,
        f"suspension_changed:{reference}:{pid}:{s.until}:{s.meeting_on}:{s.to_meeting}",
        {"proposal": pid, **s.detail()},
    )


def suspension_ended(
    reference: str, action_id: int, last_day: dt.date, why: str, by: str | None = None
) -> Event:
    """Family time resumes the day after `last_day`."""
    pid = proposal_id(action_id)
    return Event(
        reference,
        EventKind.SUSPENSION_ENDED,
        last_day + dt.timedelta(days=1),
        f"suspension_ended:{reference}:{pid}",
        {"proposal": pid, "until": last_day.isoformat(), "why": why, "by": by},
    )


# --- the reading -----------------------------------------------------------------------------


@dataclass
class Proposal:
    """One proposal's story, folded from its events in the order they were written."""

    id: str
    reference: str
    kind: str
    sessions: list[dt.date]
    raised_on: dt.date
    court_directed: bool = False
    decision: str | None = None
    decided_by: str | None = None
    decided_on: dt.date | None = None
    decisions: list[dict] = field(default_factory=list)
    approved_by: str | None = None  # the approval the suspension rests on
    approved_on: dt.date | None = None
    documents: list[str] | None = None  # None: no letters made
    start: dt.date | None = None
    until: dt.date | None = None
    to_meeting: bool = False
    meeting_on: dt.date | None = None
    why_end: str = ""
    notes: list[dict] = field(default_factory=list)
    letters_until: dt.date | None = None  # the furthest day the letters cancelled
    ended_on: dt.date | None = None  # the first day of family time again
    ended_why: str = ""
    ended_by: str | None = None
    refused: list[dict] = field(default_factory=list)  # why what is typed is not applied
    moved_digests: set[str] = field(default_factory=set)  # typed while the row's cells moved
    letters_on: dt.date | None = None  # the day the (last) letters were made

    @property
    def state(self) -> str:
        if self.decision is None:
            return "proposed"
        if self.decision == "Declined" and self.start is None:
            return "declined"
        if self.ended_on is not None:
            return "ended"
        if self.start is not None:
            return "suspended"
        return "approved"

    def cancelled(self, dated: bool = False) -> tuple[dt.date, dt.date] | None:
        """The days the suspension took out of the plan (never awaited as missing records):
        while it is held until a meeting not yet dated, every day from its start; `dated`:
        only the days the letters named (a record there is not a miss)."""
        if self.start is None:
            return None
        if self.ended_on is None and self.to_meeting and not dated:
            return self.start, OPEN
        return self.start, self.letters_until or self.until or self.start

    def holds(self, day: dt.date) -> bool:
        c = self.cancelled()
        return c is not None and c[0] <= day <= c[1]


def proposals(case: Case | None) -> list[Proposal]:
    """Every proposal of a referral, oldest first, with what became of it."""
    if case is None:
        return []
    out: dict[str, Proposal] = {}
    for e in sorted(case.of(*KINDS), key=lambda e: (e.id or 0, e.on)):
        d, pid = e.detail, e.detail.get("proposal")
        if e.kind == EventKind.PROPOSAL_RAISED:
            out[pid] = Proposal(
                pid,
                e.reference,
                d["kind"],
                [_day(x) for x in d["sessions"]],
                e.on,
                bool(d.get("court_directed")),
            )
            continue
        p = out.get(pid)
        if p is None:
            continue
        if e.kind == EventKind.DECIDED:
            p.refused = []
            p.decision, p.decided_by, p.decided_on = d["decision"], d.get("by"), _day(d["on"])
            p.decisions.append(d)
            if p.decision == "Approved":
                p.approved_by, p.approved_on = p.decided_by, p.decided_on
        elif e.kind == EventKind.LETTERS_MADE:
            p.documents = list(d.get("documents") or [])
            p.letters_on = e.on
        elif e.kind == EventKind.DECISION_REFUSED:
            p.refused = list(d.get("problems") or [])
            if not p.refused:  # the cells were cleared: what is typed next is new
                p.moved_digests.clear()
            if any(x.get("problem") in ("moved", "moved_before") for x in p.refused):
                p.moved_digests.add(d.get("digest"))
        elif e.kind in (EventKind.SUSPENSION_STARTED, EventKind.SUSPENSION_CHANGED):
            if e.kind == EventKind.SUSPENSION_STARTED:
                p.start = _day(d["from"])
            p.until, p.to_meeting = _day(d["until"]), bool(d.get("to_meeting"))
            p.meeting_on, p.why_end, p.notes = (
                _day(d.get("meeting_on")),
                d.get("why", ""),
                list(d.get("notes") or []),
            )
            p.letters_until = max(filter(None, [p.letters_until, p.until]))
        elif e.kind == EventKind.SUSPENSION_ENDED:
            p.ended_on, p.ended_why, p.ended_by = e.on, d.get("why", ""), d.get("by")
            p.until = _day(d["until"])
    return list(out.values())


def of_action(case: Case | None, action_id: int) -> Proposal | None:
    pid = proposal_id(action_id)
    return next((p for p in proposals(case) if p.id == pid), None)


def cancelled_spans(case: Case | None, dated: bool = False) -> list[tuple[dt.date, dt.date]]:
    """The days approved suspensions cancelled, for every proposal of the referral (`dated`:
    only the days their letters named)."""
    return [c for p in proposals(case) if (c := p.cancelled(dated)) is not None]


def suspended_on(case: Case | None, day: dt.date) -> bool:
    """Whether family time was held by an approved suspension (with its letters) that day."""
    return any(p.holds(day) for p in proposals(case))


def end_due(p: Proposal, today: dt.date) -> bool:
    """A suspension whose last day has passed and whose end is not yet written."""
    return p.state == "suspended" and not p.to_meeting and p.until is not None and p.until < today


# --- the words -------------------------------------------------------------------------------


def _dates(days: Iterable[dt.date]) -> str:
    return " and ".join(numeric_date(d) for d in days)


def why_ended(p: Proposal, rules=None) -> str:
    w = words()["why_ended"]
    days = {
        "minimum": getattr(rules, "minimum_suspension_days", None),
        "maximum": getattr(rules, "maximum_suspension_days", None),
        "court_limit": getattr(rules, "court_directed_max_suspension_days", None),
    }
    return w.get(p.ended_why, w["end_date"]).format(
        meeting=numeric_date(p.meeting_on) if p.meeting_on else "",
        days=days.get(p.ended_why) or "",
        by=p.ended_by or "",
        on=numeric_date(p.decided_on) if p.decided_on else "",
    )


def sessions_lines(p: Proposal, who: str, what: str, rules=None) -> list[str]:
    """What `family-time sessions` says of a proposal, in its state."""
    w = words()["sessions"]
    common = dict(
        proposal=p.id,
        dates=_dates(p.sessions),
        raised=numeric_date(p.raised_on),
        who=who,
        what=what,
        by=p.decided_by or "",
        on=numeric_date(p.decided_on) if p.decided_on else "",
    )
    state = p.state
    if state == "proposed":
        return [w[f"proposed_{p.kind}"].format(**common)]
    if state == "declined":
        return [w["declined"].format(**common), w["no_letters"]]
    lines = []
    if p.approved_by is not None:
        common.update(by=p.approved_by, on=numeric_date(p.approved_on))
    if p.kind == "legal_advice":
        lines.append(w["legal_advice"].format(**common))
    elif state == "approved":
        lines.append(w["approved_no_letters"].format(**common))
    else:
        key = "suspended_to_meeting" if p.to_meeting and state == "suspended" else "suspended"
        lines.append(
            w[key].format(start=numeric_date(p.start), until=numeric_date(p.until), **common)
        )
        lines += ["  " + note_text(n) for n in p.notes]
        if state == "ended":
            lines.append(
                w["ended"].format(
                    until=numeric_date(p.until),
                    why=why_ended(p, rules),
                    resumed=numeric_date(p.ended_on),
                )
            )
    if p.documents is not None:
        lines.append(w["letters"].format(documents="; ".join(Path(d).stem for d in p.documents)))
    elif p.kind == "legal_advice" or state == "approved":
        lines.append(w["pending_letters"])
    return lines


def status_text(p: Proposal) -> str | None:
    """The tracker's Status cell for a suspension (None: nothing to write)."""
    w = words()["status"]
    if p.kind != "suspension" or p.start is None:
        return None
    if p.state == "ended":
        return w["ended"]
    key = "suspended_to_meeting" if p.to_meeting else "suspended"
    return w[key].format(until=numeric_date(p.until))


def refused_text(p: Proposal, who: str = "") -> str:
    """Why what is typed in the proposal's row is not applied ('' when nothing is refused)."""
    if not p.refused:
        return ""
    w = words()["refused"]
    parts = [house.fill(w["heading"], "cases/suspension.toml [refused] heading", proposal=p.id)]
    for x in p.refused:
        key = x.get("problem", "")
        values = {k: v for k, v in x.items() if k != "problem"}
        parts.append(
            house.fill(
                w[key],
                f"cases/suspension.toml [refused] {key}",
                **{"who": who, "proposal": p.id, **values},
            )
        )
    return " ".join(parts)


def withdrawn(p: Proposal) -> bool:
    """Approved, its letters made, then changed to Declined: the suspension was withdrawn."""
    return p.ended_why == "withdrawn" and p.documents is not None


def withdrawn_row_text(p: Proposal) -> str:
    w = words()["withdrawn"]
    return house.fill(w["row"], "cases/suspension.toml [withdrawn] row", **_withdrawn_values(p))


def _withdrawn_values(p: Proposal) -> dict:
    return dict(
        by=p.ended_by or p.decided_by or "",
        on=numeric_date(p.decided_on),
        resumed=numeric_date(p.ended_on),
        made=numeric_date(p.letters_on),
        documents="; ".join(Path(d).stem for d in p.documents or []),
        until=numeric_date(p.letters_until),
        approved=numeric_date(p.approved_on),
    )


def team_lines(case: Case | None, today: dt.date, who: str = "") -> list[str]:
    """What the team must hear about a referral's proposals (the digest): a decision typed
    that is not applied, and a suspension withdrawn after its letters while the letters'
    dates have not passed (the service's documents give no letter undoing it)."""
    w = words()
    out = []
    for p in proposals(case):
        key = f"{p.id} {p.reference}"
        text = refused_text(p, who)
        if text:
            out.append(
                house.fill(
                    w["refused"]["digest"],
                    "cases/suspension.toml [refused] digest",
                    key=key,
                    problems=text,
                )
            )
        if withdrawn(p) and p.letters_until is not None and today <= p.letters_until:
            out.append(
                house.fill(
                    w["withdrawn"]["no_letter_step"],
                    "cases/suspension.toml [withdrawn] no_letter_step",
                    key=key,
                    **_withdrawn_values(p),
                )
            )
    return out
