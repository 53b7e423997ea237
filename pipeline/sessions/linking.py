"""Which referral a returned Family Time Record belongs to, or why it goes to Attention.

A record joins a referral's sessions only when it is complete, names a referral that was
received and that referral's child, is for one of its planned sessions on a day the service
was open, and answers whether a missed session's reason was valid: the missed-session rule
must never act on a guess, nor on another child's record. The words are
form_templates/intake/reasons.toml's [session_link].
What a record then owes (the rule, the tracker, mail) is the caller's to say: the effects'
contract sits above sessions (pipeline/intake/process.py applies owed_by).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pipeline.dates import numeric_date
from pipeline.extract.reasons import say
from pipeline.ledger import ItemDraft, Ledger
from pipeline.models import Allocation, SessionRecord
from pipeline.outcomes import REFERRAL_OUTCOMES
from pipeline.paths import FORM_TEMPLATES
from pipeline.sessions.names import child_names_of, names_match
from pipeline.sessions.plan import planned_sessions
from pipeline.sessions.record import (
    LATE_FLAG,
    LATE_MINUTES,
    WITHIN_FLAG,
    arrive_before,
    cancelled_within_limit,
    held_though_late,
    session_record,
    unanswered_valid_reason,
)
from pipeline.validate.calendar import ServiceCalendar

WORDS = FORM_TEMPLATES / "intake"  # form_templates/intake/reasons.toml
REFERENCE_KEY = "session.reference"


def _words(key: str, profile, **values) -> str:
    return say(f"session_link.{key}", profile, root=WORDS, **values)


def normalise_reference(value) -> str | None:
    """ "ft-2026-00001 " is FT-2026-00001."""
    if value in (None, ""):
        return None
    return "".join(str(value).split()).upper() or None


def link_sessions(
    drafts: list[ItemDraft],
    ledger: Ledger,
    profile,
    allocations: Callable[[], dict[str, Allocation]] | None = None,
) -> list[ItemDraft]:
    """Give each completed session record its referral, or send it to Attention saying why
    (the effects each then owes are set by the caller: owed_by reads outcome and session).

    A record the validator found incomplete is not added to the sessions (the missed-session
    rule must not act on a guess); a person asks the supervisor for the missing answers. So
    is one about another child than the referral's, or for a day no session was planned or
    the service was closed: counted against the wrong child, it could suspend their family
    time. allocations: what the tracker says now, read only when the timeline's allocations
    do not plan the record's day (an allocation typed since the last pass).
    """
    for d in drafts:
        v = d.verdict
        if d.outcome != "session_record" or v is None:
            continue
        ref = normalise_reference(v.values.get(REFERENCE_KEY))
        if v.verdict != "complete":
            missing = "; ".join(p.message for p in v.problems[:6]) or v.reason
            _to_attention(d, _words("incomplete", profile, missing=missing))
            continue
        referral = ledger.item_by_reference(ref) if ref else None
        if referral is None or referral.outcome not in REFERRAL_OUTCOMES:
            _to_attention(d, _words("no_referral", profile, reference=ref or "none"))
            continue
        problem = _not_this_session(v, ref, ledger, profile, allocations)
        if problem:
            _to_attention(d, problem)
            continue
        if unanswered_valid_reason(v):
            _to_attention(
                d,
                _words(
                    "valid_reason_unanswered",
                    profile,
                    reference=ref,
                    date=numeric_date(v.values["session.date"]),
                    outcome=v.values.get("session.outcome"),
                ),
            )
            continue
        d.session = session_record(v, 0, ref, profile)
        if arrive_before(profile) and d.session.late_minutes is not None:
            # the service counts lateness from before the start: the Sessions sheet's
            # Lateness cell says what the service counts, not minutes after the start
            values = {**v.values, LATE_MINUTES: d.session.late_minutes}
            v = d.verdict = v.model_copy(update={"values": values})
        d.reason = _words(
            "linked",
            profile,
            reference=ref,
            date=numeric_date(d.session.date),
            outcome=d.session.outcome,
        )
        if d.session.late_recording:
            d.reason += " " + _words("late", profile)
        note, flag = _lateness_note(d.session, profile)
        if flag:
            d.reason += " " + note
            d.verdict = v.model_copy(update={"flags": [*v.flags, flag]})
        d.reason += _replacement_note(d.session, ledger, profile)
    return drafts


def _lateness_note(record: SessionRecord, profile) -> tuple[str, str]:
    """What a person should check when the record and the service's lateness rule disagree,
    and the flag the Sessions sheet shows; ("", "") where they agree or there is no rule.
    The record is counted as it says (held, or missed by the parent) either way: the pipeline
    never rewrites what the supervisor recorded."""
    rule = profile.lateness
    if held_though_late(record, profile):
        if rule.max_late_minutes <= 0:  # late for any reason cancels (Milton Keynes)
            note = _words(
                "held_though_late",
                profile,
                minutes=record.late_minutes,
                before=arrive_before(profile),
            )
        else:  # some minutes allowed (Northamptonshire: 15)
            note = _words(
                "held_over_limit",
                profile,
                minutes=record.late_minutes,
                limit=rule.max_late_minutes,
            )
        return note, LATE_FLAG
    if cancelled_within_limit(record, profile):
        arrived = (
            _words("arrived_late", profile, minutes=record.late_minutes)
            if record.late_minutes
            else _words("arrived_on_time", profile)
        )
        note = _words(
            "cancelled_within_limit", profile, arrived=arrived, limit=rule.max_late_minutes
        )
        if profile.missed_sessions is not None:
            note += " " + _words("counts_as_missed", profile)
        return note, WITHIN_FLAG
    return "", ""


def _not_this_session(v, ref: str, ledger: Ledger, profile, allocations) -> str | None:
    """Why a complete record cannot be counted for this referral (plain words), or None: it
    names another child, or its day was closed or not one of the planned sessions."""
    day = v.values["session.date"]
    shown = {"reference": ref, "date": numeric_date(day)}
    written = str(v.values.get("session.child_names") or "").strip()
    versions = ledger.referral_items(ref)
    children = child_names_of(versions)
    if children and not names_match(written, versions):
        return _words("other_child", profile, names=written, child=" or ".join(children), **shown)
    closed = ServiceCalendar(profile).closure_reason(day)
    if closed is not None:
        return _words("closed_day", profile, closure=closed, **shown)
    if not _planned(day, ref, ledger, profile, allocations):
        return _words("not_planned", profile, **shown)
    return None


def _planned(day: dt.date, ref: str, ledger: Ledger, profile, allocations) -> bool:
    """The day is one of the planned sessions of any allocation the referral has had (the
    timeline's versions, then what the tracker says now)."""
    from pipeline.cases import case_of
    from pipeline.cases.paperwork import allocations as allocated

    referral = ledger.item_by_reference(ref)
    versions = [
        Allocation(
            reference=ref,
            day=e.detail.get("day") or None,
            first_date=_date(e.detail.get("first_date")),
        )
        for e in allocated(case_of(ledger, ref))
    ]

    def plans(allocation: Allocation | None) -> bool:
        try:
            dates = planned_sessions(referral, allocation, profile, until=day)
        except ValueError:  # days a person typed that cannot be read
            return False
        return any(s.date == day for s in dates)

    if any(plans(a) for a in versions):
        return True
    return allocations is not None and plans(allocations().get(ref))


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _replacement_note(record: SessionRecord, ledger: Ledger, profile=None) -> str:
    """A second record for the same session replaces the first (the ledger keeps both); say so,
    and when the rule already acted on the first, ask a person to check the decision."""
    earlier = [r for r in ledger.sessions_of(record.reference) if r.date == record.date]
    if not earlier:
        return ""
    note = " " + _words(
        "replaces", profile, date=numeric_date(record.date), item=max(r.item_id for r in earlier)
    )
    acted = next(
        (
            sa.action
            for sa in ledger.rule_actions(record.reference)
            if record.date in sa.action.session_dates
        ),
        None,
    )
    if acted is not None and not record.missed_by_parent:
        words = _words("suspension" if acted.kind == "suspension" else "legal_advice", profile)
        note += " " + _words("rule_acted", profile, decision=words)
    return note


def _to_attention(d: ItemDraft, reason: str) -> None:
    d.outcome, d.reason = "session_attention", reason
