"""Reviews as data: each referral's next Looked After Child review and its IRO.

A co-ordinator types `Next review`, `IRO` and `IRO email` into the Referrals sheet, and
whoever checks the review report types their name in `Review report checked (name)`
(form_templates/tracker.toml); while `Next review` is blank, the review date on the referral
form stands (the form seeds the first review). Reading is allowed while the workbook is open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pipeline.tracker.columns import load_spec
from pipeline.tracker.rows import parse_date
from pipeline.tracker.typed_rows import cell_text, typed_rows

COLUMNS = {"next_review", "iro_name", "iro_email", "review_checked_by"}


@dataclass(frozen=True)
class Review:
    reference: str
    date: dt.date | None  # the next review; None: no date anywhere
    iro_name: str = ""
    iro_email: str = ""
    from_tracker: bool = False  # the date came from the tracker (else the referral form)
    checked_by: str = ""  # who checked the report (blank: it is not sent)


def tracker_reviews(config, profile) -> dict[str, dict[str, Any]]:
    """reference -> {"next_review", "iro_name", "iro_email"} typed in the tracker ({} when the
    workbook cannot be read)."""
    spec = load_spec()
    sheet = next((s for s in spec.enabled_sheets if "accepted" in s.outcomes), None)
    if sheet is None or not {c.key for c in sheet.columns} >= COLUMNS:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for ref, values in typed_rows(config, profile, spec, sheet, COLUMNS, "reviews").items():
        day = values.get("next_review")
        out[ref] = {
            "next_review": day if isinstance(day, dt.date) else parse_date(day),
            "next_review_typed": bool(cell_text(day)),
            "iro_name": cell_text(values.get("iro_name")) or "",
            "iro_email": cell_text(values.get("iro_email")) or "",
            "checked_by": cell_text(values.get("review_checked_by")) or "",
        }
    return out


def review_of(item, typed: dict[str, Any] | None) -> Review:
    """The referral's next review: the tracker's date, else the form's. Something typed in
    `Next review` that is not a date gives no date (said in "Dates to correct"): the form's
    date is not used behind the person's back."""
    typed = typed or {}
    values = item.verdict.values if item.verdict else {}
    form_date = form_review_date(item)
    day = typed.get("next_review")
    if day is None and typed.get("next_review_typed"):
        form_date = None
    iro = typed.get("iro_name") or cell_text(values.get("iro.name")) or ""
    return Review(
        reference=item.reference,
        date=day or form_date,
        iro_name=iro,
        iro_email=typed.get("iro_email") or cell_text(values.get("iro.email")) or "",
        from_tracker=day is not None,
        checked_by=typed.get("checked_by") or "",
    )


def form_review_date(item) -> dt.date | None:
    """The review date written on the referral form, if any."""
    values = item.verdict.values if item.verdict else {}
    day = values.get("review.next_date")
    return day if isinstance(day, dt.date) else None


def review_date_problems(
    value: Any,
    column: str,
    form_date: dt.date | None,
    received: dt.date,
    today: dt.date,
    made,
    past_matters: bool,
) -> list[str]:
    """What is wrong with the date of the next review, in plain words naming the fix ([] when
    nothing is). `value`: what `column` ("Next review") holds (blank: the form's date stands);
    `made(day)`: a report was made for the review on `day`; `past_matters`: a review gone by
    with no report is said (a service that makes reports unasked, the referral not closed).
    Wording: form_templates/commitments.toml [met]."""
    from pipeline import words
    from pipeline.commitments import _wording
    from pipeline.dates import numeric_date

    w = _wording()["met"]

    def say(key: str, **values: Any) -> str:
        return words.fill(w[key], f"commitments.toml [met] {key}", **values)

    text = cell_text(value) or ""
    if text:
        day = value if isinstance(value, dt.date) else parse_date(value)
        if isinstance(day, dt.datetime):
            day = day.date()
        if day is None:
            return [say("review_not_a_date", column=column, text=text)]
        what = say("review_column", column=column, date=numeric_date(day))
    else:
        day = form_date
        if day is None:
            return []
        what = say("review_form", column=column, date=numeric_date(day))
    if day < received:
        return [say("review_before_referral", what=what, received=numeric_date(received))]
    if past_matters and day < today and not made(day):
        return [say("review_past", what=what, today=numeric_date(today))]
    return []


def reviews(ledger, config, profile) -> dict[str, Review]:
    """reference -> Review for every accepted referral (the latest accepted item wins)."""
    latest = {i.reference: i for i in ledger.items(outcome="accepted") if i.reference}
    typed = tracker_reviews(config, profile)
    return {ref: review_of(item, typed.get(ref)) for ref, item in latest.items()}
