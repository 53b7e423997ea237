"""Commitments kept, as co-ordinators type them: "Contact made on", "Planning meeting on".

The columns are data (form_templates/tracker.toml: a person's date column with `promise`),
and exist only for a service that makes that promise. What is typed is read the way an
allocation is (a date cell, or dd/mm/yyyy typed as text) and checked: not a date, before the
referral was received, or in the future is refused and said back in the row's "Dates to
correct" cell (wording: form_templates/commitments.toml [met]); a good date goes into the
ledger, which the monthly figures and the digest count from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pipeline import words
from pipeline.commitments import _wording
from pipeline.dates import numeric_date
from pipeline.tracker.columns import SheetSpec, load_spec
from pipeline.tracker.rows import parse_date
from pipeline.tracker.typed_rows import cell_text


def _say(key: str, **values: Any) -> str:
    """One entry of commitments.toml [met], filled (a missing value names the entry)."""
    return words.fill(_wording()["met"][key], f"commitments.toml [met] {key}", **values)


def met_columns(sheet: SheetSpec) -> dict[str, str]:
    """column key -> the promise it records, for this service's Referrals sheet."""
    return {
        c.key: c.promises[0]
        for c in sheet.columns
        if not c.pipeline and c.format == "date" and len(c.promises) == 1
    }


def _sheet(profile) -> SheetSpec | None:
    spec = load_spec(profile=profile)
    return next((s for s in spec.enabled_sheets if "accepted" in s.outcomes), None)


def promised_met(profile) -> list[str]:
    """The commitments this service's co-ordinators record (["contact"] in Northamptonshire)."""
    sheet = _sheet(profile)
    return list(met_columns(sheet).values()) if sheet else []


def met_headers(profile) -> dict[str, str]:
    """promise -> the header of the column it is typed in ("contact" -> "Contact made on")."""
    sheet = _sheet(profile)
    if sheet is None:
        return {}
    return {
        promise: sheet.column(k).header_for(profile) for k, promise in met_columns(sheet).items()
    }


@dataclass
class Checked:
    """What was typed on one row: the dates that can be used, and what to correct."""

    dates: dict[str, dt.date | None] = field(default_factory=dict)  # None: the cell is empty
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str | None:
        if not self.problems:
            return None
        separator = _wording()["met"]["separator"]
        return _say("to_correct", problems=separator.join(self.problems))


def check_met(
    typed: dict[str, Any], headers: dict[str, str], received: dt.date, today: dt.date
) -> Checked:
    """`typed`: promise -> the cell's value; `headers`: promise -> the column's header."""
    out = Checked()
    for key, value in typed.items():
        column = headers.get(key, key)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            out.dates[key] = None
            continue
        day = parse_date(value)
        if day is None:
            out.problems.append(_say("not_a_date", column=column, text=cell_text(value) or ""))
        elif day < received:
            out.problems.append(
                _say(
                    "before_referral",
                    column=column,
                    date=numeric_date(day),
                    received=numeric_date(received),
                )
            )
        elif day > today:
            out.problems.append(
                _say("future", column=column, date=numeric_date(day), today=numeric_date(today))
            )
        else:
            out.dates[key] = day
    return out


REVIEW_COLUMNS = ("next_review", "status")  # read too when review dates are checked


def checks_reviews(profile) -> bool:
    """The date of the next review is checked too where the Referrals sheet has both the
    `Next review` column and "Dates to correct" to say what is wrong in."""
    sheet = _sheet(profile)
    keys = {c.key for c in sheet.columns} if sheet else set()
    return {"next_review", "dates_to_correct"} <= keys


def checks_anything(profile) -> bool:
    return bool(promised_met(profile)) or checks_reviews(profile)


def read_met(
    config, profile, also: tuple[str, ...] = ()
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """(reference -> {promise: the cell's value}, promise -> header) from the workbook (one
    that cannot be read is skipped). `also`: other columns of the row read at the same time,
    by column key (e.g. "next_review")."""
    from pipeline.tracker.create import headers
    from pipeline.tracker.typed_rows import typed_rows

    sheet = _sheet(profile)
    columns = met_columns(sheet) if sheet else {}
    present = {c.key for c in sheet.columns} if sheet else set()
    also = tuple(k for k in also if k in present)
    if not columns and not also:
        return {}, {}
    spec = load_spec(profile=profile)
    hdrs = headers(sheet, profile)
    rows = typed_rows(config, profile, spec, sheet, set(columns) | set(also), "commitments kept")
    names = {**columns, **{k: k for k in also}}
    typed = {
        ref: {names[k]: v for k, v in values.items() if k in names} for ref, values in rows.items()
    }
    return typed, {name: hdrs[k] for k, name in names.items()}


def dates_to_correct(ledger, items, profile) -> dict[str, str]:
    """reference -> the "Dates to correct" cell ("" once corrected), for the tracker."""
    if not checks_anything(profile):
        return {}
    problems = ledger.met_problems()
    return {
        i.reference: problems.get(i.reference, "")
        for i in items
        if i.outcome == "accepted" and i.reference
    }
