"""A validated Family Time Record -> the SessionRecord the ledger keeps and the rule reads.

Only facts the record states: lateness is read from the supervisor's own words about the
arrival ("arrived 20 minutes late", "arrived at 16:25"), never guessed; a record written
after the profile's recording deadline is flagged.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.models import SessionRecord, Verdict
from pipeline.profile import Profile

_NUMBERS = {
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "sixty": 60,
    "half an hour": 30,
    "an hour": 60,
    "a quarter of an hour": 15,
    "quarter of an hour": 15,
}
_LATE_MINUTES = re.compile(
    r"(\d{1,3}|five|ten|fifteen|twenty-five|twenty|thirty|forty-five|forty|sixty)\s*"
    r"(?:mins?|minutes?)\s+late",
    re.I,
)
_LATE_PHRASE = re.compile(
    r"(a quarter of an hour|quarter of an hour|half an hour|an hour)\s+late", re.I
)
_EARLY_MINUTES = re.compile(
    r"(\d{1,3}|five|ten|fifteen|twenty-five|twenty|thirty|forty-five|forty|sixty)\s*"
    r"(?:mins?|minutes?)\s+early",
    re.I,
)
_ARRIVED_AT = re.compile(r"arrived\s+(?:at\s+)?(\d{1,2})[:.](\d{2})", re.I)
PARENT_MISSES = (
    "Cancelled by parent (reason given)",
    "Parent did not attend",
    "Parent late, session cancelled",
)
_ON_TIME = re.compile(r"\b(on time|early)\b", re.I)


# The minutes late as the service counts them (from before the start where it says so), kept
# with a linked record's answers for the Sessions sheet
LATE_MINUTES = "session.minutes_late"
# On a linked record's verdict: the service's lateness rule and the record disagree (the
# Sessions sheet's Lateness cell says so)
LATE_FLAG = "held_though_late"
WITHIN_FLAG = "cancelled_within_limit"


def arrive_before(profile) -> int:
    """Minutes before the start a parent must be there where being late for any reason
    cancels the session (Milton Keynes' early-arrival protocol, 004: "minimum fifteen minutes
    ... If they are late for any reason, the session will be cancelled"): lateness counts
    from then. 0 where lateness is counted from the start (Northamptonshire allows 15 minutes
    after it) or the service states no rule."""
    rule = getattr(profile, "lateness", None)
    if rule is None or rule.max_late_minutes > 0:
        return 0
    return max(0, rule.arrive_minutes_before)


def late_minutes(
    arrival: str | None, planned_start: dt.time | str | None, before: int = 0
) -> int | None:
    """How late the family arrived, from the record's words; None when it does not say.
    before: minutes before the start the service expects them (arrive_before), so a 09:58
    arrival for 10:00 is 13 minutes late where they must be there by 09:45."""
    if not arrival:
        return None
    if isinstance(planned_start, str):  # a verdict read back from the ledger's JSON
        try:
            planned_start = dt.time.fromisoformat(planned_start)
        except ValueError:
            planned_start = None
    text = " ".join(str(arrival).split())
    m = _LATE_MINUTES.search(text)
    if m:
        word = m.group(1).lower()
        return (int(word) if word.isdigit() else _NUMBERS[word]) + before
    m = _LATE_PHRASE.search(text)
    if m:
        return _NUMBERS[m.group(1).lower()] + before
    m = _EARLY_MINUTES.search(text)
    if m and before:
        word = m.group(1).lower()
        return max(0, before - (int(word) if word.isdigit() else _NUMBERS[word]))
    m = _ARRIVED_AT.search(text)
    if m and planned_start is not None:
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour < 24 and minute < 60:
            arrived = hour * 60 + minute
            if arrived < 12 * 60 and planned_start.hour >= 12 and hour < 12 and hour + 12 < 24:
                arrived += 12 * 60  # "arrived at 4.25" for a 16:00 session
            planned = planned_start.hour * 60 + planned_start.minute - before
            return max(0, arrived - planned)
    if _ON_TIME.search(text):
        return 0
    return None


def recording_due(profile: Profile, session_day: dt.date) -> dt.date:
    """The last day a record of this session counts as written on time."""
    from pipeline.validate.rules import recording_deadline

    return recording_deadline(profile, session_day)


# The form version whose single "valid reason" box cannot tell "No" from "not answered".
SINGLE_BOX_VERSIONS = ("2025.1",)
NO_REASON = ("none given", "none", "no reason given", "no reason")


def valid_reason_answer(verdict: Verdict) -> bool | None:
    """Was the parent's reason accepted? True, False, or None when not answered.

    On 2026.1 and later the form asks Yes / No with neither ticked, so a blank is blank. On
    2025.1 an unticked box is "No" only when no reason was written: with a reason written it
    may simply not have been ticked (a mother in hospital), so it is not answered.
    """
    v = verdict.values
    if v.get("session.outcome") not in PARENT_MISSES:
        return None  # asked only for the parent's misses
    valid = v.get("session.valid_reason")
    if valid is True:
        return True
    if verdict.form_version in SINGLE_BOX_VERSIONS:
        reason = " ".join(str(v.get("session.reason") or "").split()).strip(" .").lower()
        return False if not reason or reason in NO_REASON else None
    return valid if isinstance(valid, bool) else None


def unanswered_valid_reason(verdict: Verdict) -> bool:
    """A parent's miss whose "reason accepted as valid" is not answered: back to the supervisor."""
    return (
        verdict.values.get("session.outcome") in PARENT_MISSES
        and valid_reason_answer(verdict) is None
    )


HELD = ("Took place", "Ended early")
LATE_CANCELLED = "Parent late, session cancelled"


def held_though_late(record: SessionRecord, profile) -> bool:
    """A session recorded as held although the parent came later than the service's rule
    allows (Milton Keynes: any lateness, counted from the time parents must be there;
    Northamptonshire: more than 15 minutes after the start): counted as held, as recorded
    (it happened), and flagged for a person. A service with no rule flags nothing."""
    rule = getattr(profile, "lateness", None)
    if rule is None or record.outcome not in HELD or not record.late_minutes:
        return False
    return record.late_minutes > max(0, rule.max_late_minutes)


def cancelled_within_limit(record: SessionRecord, profile) -> bool:
    """A session recorded as cancelled for lateness although the record's own arrival is
    within the lateness the service allows (Northamptonshire: 10 minutes late of the 15): it
    counts as the parent's miss, as recorded, so towards the missed-session rule, and a person
    should check it. Only where the service allows some minutes: where any lateness cancels,
    "Parent late" is the supervisor's own judgement of the arrival time, and an arrival the
    record words as "on time" cannot be read against it."""
    rule = getattr(profile, "lateness", None)
    if rule is None or rule.max_late_minutes <= 0 or record.outcome != LATE_CANCELLED:
        return False
    return record.late_minutes is not None and record.late_minutes <= rule.max_late_minutes


def session_record(
    verdict: Verdict, item_id: int, reference: str, profile: Profile, replaces: int | None = None
) -> SessionRecord:
    """The SessionRecord of a complete record's verdict (values typed by the validator)."""
    v = verdict.values
    day = v["session.date"]
    written = v.get("session.written_on")
    late = bool(written and written > recording_due(profile, day))
    valid = valid_reason_answer(verdict)
    return SessionRecord(
        item_id=item_id,
        reference=reference,
        date=day,
        outcome=str(v.get("session.outcome") or ""),
        reason=str(v.get("session.reason") or ""),
        valid_reason=valid if isinstance(valid, bool) else None,
        planned_start=v.get("session.planned_start"),
        planned_end=v.get("session.planned_end"),
        actual_start=v.get("session.actual_start"),
        actual_end=v.get("session.actual_end"),
        late_minutes=late_minutes(
            v.get("session.arrival"), v.get("session.planned_start"), arrive_before(profile)
        ),
        significant_event=v.get("session.significant_event") is True,
        written_on=written,
        late_recording=late,
        replaces=replaces,
    )
