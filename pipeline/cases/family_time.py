"""When time-limited family time ends: the one answer the plan, the paperwork, the digest and
`status` share.

A service may limit some family time in time (its profile's [limits]: Blackpool's supported
family time under a child protection plan lasts "the first 2 weeks of the plan"). The
validator works the end out from the referral (pipeline/validate/rules.py `time_limited`,
flag "time_limited:<date>"); the tracker's "Family time ends (date)" column starts as that day
and is the co-ordinator's: a later date typed there is the decision to carry on. So no session
is planned, written to a family or chased after the end unless a person moved it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

LIMIT_FLAG = "time_limited"
_LIMIT = re.compile(r"(\d+)\s*(week|month)s?", re.I)
# the profile's [limits] entries that limit family time in time (not a worker's weekly load)
LIMIT_KEYS = ("child_protection_supported", "special_guardianship_supervised")


def limit_end(item: Any) -> dt.date | None:
    """The end of the service's time limit the validator worked out for this referral (None:
    the service states no limit for this family time)."""
    verdict = getattr(item, "verdict", None)
    for flag in getattr(verdict, "flags", None) or []:
        name, _, day = str(flag).partition(":")
        if name == LIMIT_FLAG and day:
            try:
                return dt.date.fromisoformat(day)
            except ValueError:
                return None
    return None


def family_time_end(item: Any, allocation: Any = None) -> dt.date | None:
    """The last day of family time: the date a co-ordinator typed in "Family time ends
    (date)", else the service's limit; None when neither says (family time goes on)."""
    typed = getattr(allocation, "family_time_ends", None)
    if isinstance(allocation, dict):
        typed = allocation.get("family_time_ends")
        typed = dt.date.fromisoformat(typed) if isinstance(typed, str) and typed else typed
    if isinstance(typed, dt.datetime):
        typed = typed.date()
    if isinstance(typed, dt.date):
        return typed
    return limit_end(item)


def states_limits(profile: Any) -> bool:
    """The service states a time limit on some family time (Milton Keynes states none)."""
    limits = getattr(profile, "limits", None)
    return any(_LIMIT.search(str(getattr(limits, k, "") or "")) for k in LIMIT_KEYS)


def capped(until: dt.date | None, end: dt.date | None) -> dt.date | None:
    """The last day to plan sessions for: `until`, but never past the end of family time."""
    if end is None:
        return until
    return end if until is None else min(until, end)
