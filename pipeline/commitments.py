"""The due dates a service commits to, worded for people from form_templates/commitments.toml.

Which dates a service promises is its profile's business (`Timescales.due_keys`); what each is
called is data, so the mail, the tracker, `validate`, `calendar` and `status` say the same.
"""

from __future__ import annotations

from pipeline import words

WORDING = "commitments.toml"


def _wording() -> dict:
    return words.load(WORDING)


def label(key: str, profile, short: bool = False) -> str:
    """"Planning meeting"; short: the tracker's header ("Planning meeting by")."""
    table = "short" if short else "labels"
    text = _wording()[table].get(key, key.replace("_", " ").capitalize())
    return words.fill(text, f"{WORDING} [{table}] {key}", **profile.words)


def describe_timescales(profile) -> list[str]:
    """One line per promise, in the service's order ("Planning meeting: within 2 working days")."""
    t = profile.timescales
    lines = []
    for key in ("acknowledgement", "contact", "planning_meeting", "allocation", "first_session"):
        n = getattr(t, key)
        if n is None:
            lines.append(f"{label(key, profile)}: not stated by the service (no date promised)")
        elif n == 0:
            lines.append(f"{label(key, profile)}: on the day it arrives")
        else:
            lines.append(f"{label(key, profile)}: within {n} working day{'s' if n != 1 else ''}")
    if profile.review.report == "promised" and t.review_report is not None:
        lines.append(f"{label('review_report', profile)}: {t.review_report} working days before "
                     "the review")
    else:
        lines.append(f"{label('review_report', profile)}: {profile.review.report} "
                     "(not made automatically)")
    return lines
