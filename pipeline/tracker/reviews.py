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

from pipeline import clock
from pipeline.tracker.columns import load_spec
from pipeline.tracker.rows import parse_date
from pipeline.tracker.typed_rows import typed_rows


COLUMNS = {"next_review", "iro_name", "iro_email", "review_checked_by"}


@dataclass(frozen=True)
class Review:
    reference: str
    date: dt.date | None              # the next review; None: no date anywhere
    iro_name: str = ""
    iro_email: str = ""
    from_tracker: bool = False        # the date came from the tracker (else the referral form)
    checked_by: str = ""              # who checked the report (blank: it is not sent)


def _text(v: Any) -> str:
    return " ".join(str(v).split()) if v not in (None, "") else ""


def tracker_reviews(config, profile, years=None) -> dict[str, dict[str, Any]]:
    """reference -> {"next_review", "iro_name", "iro_email"} typed in the tracker ({} when the
    workbook cannot be read)."""
    spec = load_spec()
    sheet = next((s for s in spec.enabled_sheets if "accepted" in s.outcomes), None)
    if sheet is None or not COLUMNS <= {c.key for c in sheet.columns}:
        return {}
    if years is None:
        this = clock.today().year
        years = [this - 1, this]
    out: dict[str, dict[str, Any]] = {}
    for ref, values in typed_rows(config, profile, spec, sheet, years, COLUMNS,
                                  "reviews").items():
        day = values.get("next_review")
        out[ref] = {"next_review": day if isinstance(day, dt.date) else parse_date(day),
                    "iro_name": _text(values.get("iro_name")),
                    "iro_email": _text(values.get("iro_email")),
                    "checked_by": _text(values.get("review_checked_by"))}
    return out


def review_of(item, typed: dict[str, Any] | None) -> Review:
    """The referral's next review: the tracker's date, else the form's."""
    typed = typed or {}
    values = item.verdict.values if item.verdict else {}
    form_date = values.get("review.next_date")
    form_date = form_date if isinstance(form_date, dt.date) else None
    day = typed.get("next_review")
    iro = typed.get("iro_name") or _text(values.get("iro.name"))
    return Review(reference=item.reference, date=day or form_date, iro_name=iro,
                  iro_email=typed.get("iro_email") or _text(values.get("iro.email")),
                  from_tracker=day is not None, checked_by=typed.get("checked_by") or "")


def reviews(ledger, config, profile) -> dict[str, Review]:
    """reference -> Review for every accepted referral (the latest accepted item wins)."""
    latest = {i.reference: i for i in ledger.items(outcome="accepted") if i.reference}
    typed = tracker_reviews(config, profile)
    return {ref: review_of(item, typed.get(ref)) for ref, item in latest.items()}
