"""The due dates a service commits to, worded for people from form_templates/commitments.toml.

Which dates a service promises is its profile's business (`Timescales.due_keys`); what each is
called is data, so the mail, the tracker, `validate`, `calendar` and `status` say the same.
"""

from __future__ import annotations

import datetime as dt

from pipeline import words

WORDING = "commitments.toml"


def _wording() -> dict:
    return words.load(WORDING)


def label(key: str, profile, short: bool = False) -> str:
    """ "Planning meeting"; short: the tracker's header ("Planning meeting by")."""
    table = "short" if short else "labels"
    text = _wording()[table].get(key, key.replace("_", " ").capitalize())
    return words.fill(text, f"{WORDING} [{table}] {key}", **profile.words)


def alert(key: str, profile) -> str | None:
    """Who is told at once when a promise will not be kept, as the service says
    (Blackpool: "Manager to alert Service Manager immediately if there is a delay"); None
    where the service states no one."""
    who = profile.referrals.first_session_alert if key == "first_session" else None
    if not who:
        return None
    return words.fill(_wording()["alerts"][key], f"{WORDING} [alerts] {key}", who=who)


def chase_due(asked: dt.date, profile, calendar) -> dt.date | None:
    """The day the social worker is to be chased for a planning meeting asked for on `asked`
    (the acknowledgement that offers it) and not yet held, where the service says so
    (Blackpool: "If no response to request for planning meeting within 1 working day, Manager
    to call and chase"); None where it states no chase or no planning meeting. `calendar`: the
    service's calendar (pipeline/validate/calendar.py), so closed days are skipped."""
    t = profile.timescales
    if t.planning_meeting_chase is None or t.planning_meeting is None:
        return None
    return calendar.add_working_days(asked, t.planning_meeting_chase)


def describe_timescales(profile) -> list[str]:
    """One line per promise, in the service's order ("Planning meeting: within 2 working days")."""
    t = profile.timescales

    def line(entry: str, key: str, **values) -> str:
        return words.fill(
            _wording()["timescales"][entry],
            f"{WORDING} [timescales] {entry}",
            label=label(key, profile),
            **values,
        )

    lines = []
    for key in ("acknowledgement", "contact", "planning_meeting", "allocation", "first_session"):
        n = getattr(t, key)
        entry = (
            "not_stated" if n is None else "same_day" if n == 0 else "one_day" if n == 1 else "days"
        )
        said = line(entry, key, n=n)
        if n is not None and (told := alert(key, profile)):
            said += words.fill(_wording()["timescales"]["alert"], "alert", alert=told)
        lines.append(said)
    if profile.review.report == "promised" and t.review_report is not None:
        lines.append(line("review_report", "review_report", n=t.review_report))
    else:
        lines.append(line("review_not_promised", "review_report", how=profile.review.report))
    return lines
