"""What a changed allocation says to the people it affects: from which day the sessions move,
from what to what, and which sessions of the old pattern will not take place.

The facts are worked out once, when the pack is remade (`change_facts`, kept in the pack's
PACK_MADE event); the sentences are the service's own ([changes] of
form_templates/documents/wording.toml and <profile>/wording.toml), so the letters and the
pack's email say the same thing, and a service that states no notice rule says nothing about
notice.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pipeline.dates import long_date
from pipeline.models import Allocation
from pipeline.render import wording as W

TABLE = "changes"
PATTERN_FIELDS = ("day", "venue", "time", "room")  # where and when sessions happen
_DAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def change_facts(
    item,
    previous: dict[str, Any],
    now: Allocation,
    changed: list[str],
    starts: dt.date | None,
    profile,
    today: dt.date,
    listed_before: list[dt.date] | None = None,
) -> dict[str, Any] | None:
    """The move as plain facts, or None when nothing people see has changed (a pack made
    again for an updated referral). `starts`: the new pattern's first session still to come;
    `listed_before`: the sessions the previous letters named. The sessions of the old pattern
    that are off: those still to come before the new pattern starts, and those the previous
    letters named that the new pattern does not keep."""
    from pipeline.render.formatting import session_times
    from pipeline.sessions.plan import planned_sessions

    moved = [k for k in changed if k != "referral"]
    if not moved:
        return None
    old = Allocation(
        **{
            "reference": now.reference,
            "status": "Allocated",
            **{k: previous.get(k) or None for k in ("supervisor", "venue", "room", "day", "time")},
            "first_date": _date(previous.get("first_date")),
        }
    )
    horizon = max([d for d in [starts, *(listed_before or [])] if d] or [today])
    try:
        old_dates = [s.date for s in planned_sessions(item, old, profile, until=horizon)]
        new_dates = {s.date for s in planned_sessions(item, now, profile, until=horizon)}
    except ValueError:
        old_dates, new_dates = [], set()
    named = set(listed_before or [])
    off = sorted(
        d
        for d in old_dates
        if d >= today and d not in new_dates and ((starts is not None and d < starts) or d in named)
    )
    start, end = session_times(now.time, item)
    return {
        "from": starts.isoformat() if starts else None,
        "changed": moved,
        "was": {k: previous.get(k) or "" for k in (*PATTERN_FIELDS, "supervisor")},
        "now": {k: (getattr(now, k) or "") for k in (*PATTERN_FIELDS, "supervisor")},
        "off": [d.isoformat() for d in off],
        "times_read": bool(start and end),
    }


def change_text(
    change: dict[str, Any] | None,
    profile,
    *,
    short_notice: bool = False,
    referral_updated: bool = False,
) -> str:
    """The sentences for a remade pack: the move and the sessions off, the new supervisor,
    the notice (only where the service states a notice rule and the change is short of it);
    for a pack made again only because the referral was updated, that, and that the
    arrangements stand. "" for a first pack."""
    pid = profile.id
    if not change:
        return W.say(TABLE, "referral_updated", pid) if referral_updated else ""
    moved = [k for k in change.get("changed", []) if k in PATTERN_FIELDS]
    was, now = change.get("was", {}), change.get("now", {})
    starts = _date(change.get("from"))
    off = [_date(d) for d in change.get("off", [])]
    said = []
    if moved or "first_date" in change.get("changed", []):
        said.append(
            W.say(
                TABLE,
                "moved",
                pid,
                starts=long_date(starts) if starts else "",
                was=_pattern(was, moved, pid),
                now=_pattern(now, moved, pid),
                off=_dates_text(off),
                off_count=len(off),
                only_first_date=not moved,
            )
        )
    if "supervisor" in change.get("changed", []):
        said.append(
            W.say(
                TABLE,
                "supervisor",
                pid,
                starts=long_date(starts) if starts else "",
                supervisor=now.get("supervisor", ""),
                was_supervisor=was.get("supervisor", ""),
                supervisor_role=profile.supervisor_role,
            )
        )
    days = profile.notice_days()
    if short_notice and days:
        said.append(W.say(TABLE, "notice", pid, days=days))
    return " ".join(s for s in said if s.strip())


def _pattern(side: dict[str, str], moved: list[str], pid: str) -> str:
    """ "Thursdays at The Forum": the days always, the rest where it changed."""
    from pipeline.render.formatting import clock, parse_times

    start, end = parse_times(side.get("time"))
    time = f"{clock(start)} to {clock(end)}" if start and end else side.get("time", "")
    return W.say(
        TABLE,
        "pattern",
        pid,
        days=_DAY.sub(r"\1s", side.get("day", "")),
        venue=side.get("venue", "") if "venue" in moved else "",
        time=time if "time" in moved else "",
        room=side.get("room", "") if "room" in moved else "",
    )


def _dates_text(days: list[dt.date]) -> str:
    """ "Thursday 17 December 2026 and Thursday 24 December 2026"."""
    from pipeline.render.formatting import join_words

    return join_words([long_date(d) for d in days])


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
