"""Outcomes: what became of a submission, worded once (form_templates/intake/outcomes.toml)
for every place that
shows one (the archive's reason file, `status`), with the rules that follow from it: which
outcomes are referrals, which a re-submission replaces, which owe an email.
"""

from __future__ import annotations

from typing import get_args

from pipeline import words as wording
from pipeline.models import Outcome, Verdict

DATA = wording.path_of("intake/outcomes.toml")


def _data() -> dict:
    data = wording.load(DATA)
    missing = set(get_args(Outcome)) - set(data["outcomes"])
    if missing:
        raise ValueError(f"{DATA} has no words for the outcome(s) {sorted(missing)}")
    return data


def words(where: str) -> dict[str, str]:
    """outcome -> its words in one place ("archive", "status"), in the file's order."""
    return {name: o[where] for name, o in _data()["outcomes"].items()}


def status_words() -> dict[str, str]:
    """The `status` lines that are not an outcome (updates of a referral)."""
    return dict(_data().get("status", {}))


def _with(flag: str) -> tuple[str, ...]:
    return tuple(name for name, o in _data()["outcomes"].items() if o.get(flag))


REFERRAL_OUTCOMES: tuple[str, ...] = _with("referral")
RESUBMITTABLE: tuple[str, ...] = _with("resubmittable")
MAIL_OUTCOMES: tuple[str, ...] = _with("mail")


def outcome_of(verdict: Verdict) -> Outcome:
    """The outcome a verdict leads to; a complete or incomplete session record is a record."""
    outcome = _data()["verdicts"].get(verdict.verdict, "unreadable")
    if verdict.kind == "session_record" and outcome in ("accepted", "incomplete"):
        return "session_record"
    return outcome


def takes_reference(outcome: str, verdict: Verdict | None) -> bool:
    """A referral gets a reference (a new one, or its case's when it re-submits)."""
    is_record = verdict is not None and verdict.kind == "session_record"
    return outcome in REFERRAL_OUTCOMES and not is_record


def email_folder(outcomes: set[str]) -> str:
    """An email with several forms is archived under its most important outcome."""
    return next(
        (o for o in _data()["archive"]["email_folder_order"] if o in outcomes), "unreadable"
    )
