"""An allocation as typed, checked before any pack is made from it.

A co-ordinator types times, dates, venues and names the way people do. What can be read is
made plain (the time as "10:00-11:30", the venue and supervisor as listed); what cannot, or
what would put something wrong in a letter (a first session already past, a date that is not
on the allocated day, a venue the service does not have, someone not on the Staff sheet),
stops the pack and is said back in the row's Paperwork cell. Wording:
form_templates/allocation.toml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pipeline import words as house
from pipeline.dates import numeric_date, weekday_name
from pipeline.models import Allocation, Item
from pipeline.paths import FORM_TEMPLATES
from pipeline.profile import Profile
from pipeline.tracker.typed import read_days, read_times, times_text

WORDING = FORM_TEMPLATES / "allocation.toml"
REQUIRED = ("supervisor", "venue", "day", "time", "first_date")
# what a pack depends on: a change in any of these makes the pack again
PACK_FIELDS = ("supervisor", "venue", "room", "day", "time", "first_date")


class TypedAllocation(Allocation):
    """An allocation with what was typed in First session when it is not a date."""

    first_date_text: str | None = None
    acceptance_asked: bool = False  # the row has an "Accepted by" cell (the service's layout)


def wording() -> dict[str, Any]:
    return house.load(WORDING)


def _say(table: str, key: str, **kw: Any) -> str:
    return house.fill(wording()[table][key], f"allocation.toml [{table}] {key}", **kw)


def same_name(a: str | None, b: str | None) -> bool:
    """Names and places compared as people mean them: case and spacing aside."""
    return _same(a, b)


def _same(a: str | None, b: str | None) -> bool:
    return " ".join(str(a or "").split()).casefold() == " ".join(str(b or "").split()).casefold()


@dataclass
class Checked:
    """The allocation made plain, or what the co-ordinator must correct first."""

    allocation: Allocation | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The Paperwork cell's words for the problems ("To correct: ...")."""
        separator = wording()["paperwork"]["separator"]
        return _say("paperwork", "to_correct", problems=separator.join(self.problems))


def is_allocated(a: Allocation | None) -> bool:
    return bool(a and _same(a.status, "Allocated"))


def session_minutes(item: Item | None) -> int:
    asked = item.verdict.values.get("request.duration") if item and item.verdict else None
    if isinstance(asked, int) and not isinstance(asked, bool) and 15 <= asked <= 6 * 60:
        return asked
    return int(wording()["default_session_minutes"])


def check_allocation(
    a: Allocation,
    profile: Profile,
    staff: list[dict],
    today: dt.date,
    item: Item | None = None,
    previous: dict | None = None,
) -> Checked:
    """Check an Allocated row. `previous` is the allocation the last pack was made from: a
    first session already past is then fine if it has not been changed."""
    from pipeline.validate.calendar import ServiceCalendar

    problems: list[str] = []
    missing = [
        k
        for k in REQUIRED
        if not getattr(a, k) and not (k == "first_date" and getattr(a, "first_date_text", None))
    ]
    if missing:
        fields = [wording()["fields"][k] for k in missing]
        joined = ", ".join(fields[:-1]) + " and " + fields[-1] if len(fields) > 1 else fields[0]
        return Checked(problems=[_say("problems", "missing", fields=joined)])
    start, end = read_times(a.time, session_minutes(item))
    if start is None:
        problems.append(_say("problems", "time", text=a.time))
    days = read_days(a.day)
    if not days:
        problems.append(_say("problems", "day", text=a.day))
    first = a.first_date
    if first is None:
        problems.append(_say("problems", "first_date", text=getattr(a, "first_date_text", "")))
    else:
        kept = previous is not None and previous.get("first_date") == first.isoformat()
        if first < today and not kept:
            problems.append(
                _say("problems", "past", date=numeric_date(first), today=numeric_date(today))
            )
        if days and weekday_name(first) not in days:
            problems.append(
                _say(
                    "problems",
                    "wrong_day",
                    date=numeric_date(first),
                    weekday=weekday_name(first),
                    day=a.day,
                )
            )
        elif not kept:
            why = ServiceCalendar(profile).closure_reason(first)
            if why:
                problems.append(_say("problems", "closed", date=numeric_date(first), why=why))
    venue = profile.venue(a.venue or "")
    venue_name = venue.name if venue else (a.venue or "").strip()
    if venue is None:
        problems += venue_kind_problems(a.venue or "", profile)
    elif not venue.address_known:  # letters would tell the family "address to follow"
        problems.append(_say("problems", "venue_no_address", venue=venue.name))
    problems += acceptance_problems(a, profile, staff)
    supervisor = a.supervisor
    problem = supervisor_problem(a.supervisor, staff)
    if problem:
        problems.append(problem)
    else:
        supervisor = next(p["name"] for p in staff if _same(p.get("name"), a.supervisor))
    if problems:
        return Checked(problems=problems)
    plain = Allocation(**{k: getattr(a, k) for k in Allocation.model_fields})
    plain = plain.model_copy(
        update={
            "status": "Allocated",
            "time": times_text(start, end),
            "venue": venue_name,
            "supervisor": supervisor,
            # "Monday, Wednesday and Friday", as the letters say a list
            "day": ", ".join(days[:-1]) + " and " + days[-1] if len(days) > 1 else "".join(days),
        }
    )
    return Checked(allocation=plain)


def venue_kind_problems(typed: str, profile: Profile) -> list[str]:
    """A venue not on the service's list: fine where it names a kind of place the service
    uses (a carer's home, the community) followed by its address, which the letters print;
    else what to correct, in plain words."""
    from pipeline.profile import VENUE_KIND_WORDS

    kind, address = profile.venue_kind(typed)
    if kind is None:
        return [_say("problems", "venue", text=typed)]
    kinds = house.load(VENUE_KIND_WORDS)
    if kind not in profile.venue_kinds:
        allowed = ", ".join(kinds["in_a_sentence"][k] for k in profile.venue_kinds)
        listed = (
            house.fill(kinds["problems"]["kinds_listed"], "kinds_listed", kinds=allowed)
            if allowed
            else ""
        )
        return [
            house.fill(
                kinds["problems"]["not_allowed"],
                f"{VENUE_KIND_WORDS} [problems] not_allowed",
                kind=kinds["in_a_sentence"][kind],
                kinds=listed,
            )
        ]
    if not address:
        return [
            house.fill(
                kinds["problems"]["no_address"],
                f"{VENUE_KIND_WORDS} [problems] no_address",
                kind=typed.split(",")[0].strip(),
            )
        ]
    return []


def supervisor_problem(name: str | None, staff: list[dict]) -> str | None:
    """What stops the pack reaching the allocated supervisor, or None. The pack email finds
    their address on the Staff sheet; without it the pack would go to the social worker alone,
    and nobody would know the supervisor never had it. So the pack waits and the Paperwork
    cell says what to add (an empty Staff sheet too: nobody can be found on it)."""
    from pipeline.notify.addresses import clean_address

    names = [p.get("name", "") for p in staff if p.get("name")]
    listed = next((p for p in staff if p.get("name") and _same(p.get("name"), name)), None)
    if listed is None:
        return _say("problems", "supervisor" if names else "no_supervisor", text=name)
    if not clean_address(listed.get("email")):
        return _say("problems", "supervisor_email", text=listed["name"])
    return None


def snapshot(a: Allocation) -> dict[str, str]:
    """What the ledger keeps of the allocation a pack was made from."""
    return {
        k: (
            getattr(a, k).isoformat()
            if isinstance(getattr(a, k), dt.date)
            else (getattr(a, k) or "")
        )
        for k in PACK_FIELDS
    }


def acceptance_problems(a: Allocation, profile: Profile, staff: list[dict]) -> list[str]:
    """Where a person accepts referrals (the profile's [acceptance]), no pack before a person
    on the Staff sheet is named in "Accepted by": allocating is not accepting."""
    if profile.acceptance.automatic or not getattr(a, "acceptance_asked", False):
        return []
    who = profile.acceptance.by or wording()["fields"]["someone"]
    if not a.accepted_by:
        return [_say("problems", "not_accepted", by=who)]
    if not any(_same(p.get("name"), a.accepted_by) for p in staff):
        return [_say("problems", "accepted_by_unknown", text=a.accepted_by)]
    return []


def changes(previous: dict, now: Allocation) -> list[str]:
    """The pack fields that differ from the allocation the last pack was made from."""
    new = snapshot(now)
    return [k for k in PACK_FIELDS if not _same(previous.get(k), new.get(k))]


def changed_words(keys: list[str]) -> str:
    names = wording()["paperwork"]["changed"]
    return ", ".join(names.get(k, k) for k in keys)


def paperwork_text(
    made,
    allocation: dict | None,
    notice_days: int | None,
    first_session_due: dt.date | None = None,
    alert: str | None = None,
) -> str:
    """ "Pack made 30/11/2026", or "Pack remade 30/11/2026 (time changed); less than 7 days'
    notice: ..." for the tracker's Paperwork cell, from the pack's PACK_MADE event (`made`,
    its day the day it was made) and the allocation it was made from; with a warning when the
    first session is later than the service promised (its profile's first_session
    timescale): the pack is made, and the co-ordinator sees that the promise is not kept."""
    w = wording()["paperwork"]
    detail = made.detail
    date = numeric_date(made.on)
    if int(detail.get("version", 1)) <= 1:
        text = _say("paperwork", "made", date=date)
    else:
        said = (
            changed_words(detail.get("changed") or []) or detail.get("changed_words") or "changed"
        )  # changed_words: a pack from before the timeline
        text = _say("paperwork", "remade", date=date, changed=said)
    for said in request_notes(detail.get("against_request") or {}):
        text += w["separator"] + said
    if detail.get("short_notice") and notice_days:
        text += w["separator"] + _say("paperwork", "short_notice", days=notice_days)
    late = late_first_session(allocation or {}, first_session_due, alert)
    if late:
        text += w["separator"] + late
    return text


def late_first_session(
    allocation: dict, due: dt.date | None, alert: str | None = None
) -> str | None:
    """The warning for a first session after the promised date, or None; with who is to be
    told at once where the service names someone (`alert`, from commitments.alert)."""
    first = allocation.get("first_date")
    if due is None or not first:
        return None
    first = dt.date.fromisoformat(first) if isinstance(first, str) else first
    if first <= due:
        return None
    said = _say("paperwork", "late_first_session", date=numeric_date(first), due=numeric_date(due))
    return f"{said}{wording()['paperwork']['separator']}{alert}" if alert else said


# ---------------------------------------------------------------- the pack against the request


def _minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def against_request(
    item: Item | None, plain: Allocation, today: dt.date, *, first_pack: bool = True
) -> dict[str, Any]:
    """What a pack made today from `plain` gives against what the referral asked, as facts for
    its PACK_MADE event: fewer sessions a week, shorter sessions, a requested start already
    past (only for a first pack, or one made again for an updated referral: `first_pack`).
    {} when it gives what was asked or the referral's answer cannot be compared. The
    co-ordinator sees these in the Paperwork cell and the digest; the documents say only what
    was allocated."""
    values = item.verdict.values if item is not None and item.verdict else {}
    out: dict[str, Any] = {}
    asked = wording()["request"]["per_week"].get(str(values.get("request.frequency") or ""))
    days = read_days(plain.day)
    if asked and days and len(days) < int(asked):
        out["per_week"] = {"allocated": len(days), "asked": int(asked)}
    asked_minutes = values.get("request.duration")
    start, end = read_times(plain.time, session_minutes(item))
    if (
        isinstance(asked_minutes, int)
        and not isinstance(asked_minutes, bool)
        and start is not None
        and end is not None
        and _minutes(start, end) < asked_minutes
    ):
        out["minutes"] = {"allocated": _minutes(start, end), "asked": asked_minutes}
    requested = values.get("request.start_date")
    if first_pack and isinstance(requested, dt.date) and requested < today and plain.first_date:
        read = item.received_at.date() if item is not None and item.received_at else None
        out["start"] = {
            "asked": requested.isoformat(),
            "first": plain.first_date.isoformat(),
            "read": read.isoformat() if read and requested < read else "",
        }
    return out


def _length(minutes: int) -> str:
    """90 -> "1 hour 30 minutes", as the letters say a session's length."""
    w = wording()["paperwork"]["length"]
    h, m = divmod(minutes, 60)
    parts = [w["hour" if h == 1 else "hours"].format(n=h)] if h else []
    return " ".join(parts + ([w["minutes"].format(n=m)] if m else []))


def request_notes(against: dict[str, Any]) -> list[str]:
    """The Paperwork cell's (and the digest's) words for `against_request`'s facts:
    "2 sessions a week allocated; the referral asked for 3"."""
    notes = []
    if against.get("per_week"):
        n, asked = int(against["per_week"]["allocated"]), int(against["per_week"]["asked"])
        sessions = wording()["paperwork"]["sessions"][0 if n == 1 else 1]
        notes.append(
            _say("paperwork", "fewer_sessions", allocated=n, sessions=sessions, asked=asked)
        )
    if against.get("minutes"):
        m = against["minutes"]
        notes.append(
            _say(
                "paperwork",
                "shorter_sessions",
                allocated=_length(int(m["allocated"])),
                asked=_length(int(m["asked"])),
            )
        )
    start = against.get("start")
    if start:
        when = {
            "asked": numeric_date(dt.date.fromisoformat(start["asked"])),
            "first": numeric_date(dt.date.fromisoformat(start["first"])),
        }
        if start.get("read"):
            read = numeric_date(dt.date.fromisoformat(start["read"]))
            notes.append(_say("paperwork", "start_passed_when_read", read=read, **when))
        else:
            notes.append(_say("paperwork", "start_passed", **when))
    return notes


def read_late(item: Item | None) -> str | None:
    """Before any pack: a referral read after the start date it asks for, said to the
    co-ordinator (the Paperwork cell, the digest); None otherwise."""
    values = item.verdict.values if item is not None and item.verdict else {}
    requested = values.get("request.start_date")
    if item is None or not item.received_at or not isinstance(requested, dt.date):
        return None
    read = item.received_at.date()
    if requested >= read:
        return None
    return _say("paperwork", "read_late", asked=numeric_date(requested), read=numeric_date(read))
