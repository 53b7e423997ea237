"""The tracker's Decisions sheet: one row per proposal, written by the pipeline, decided by a
person.

The pipeline writes its own cells (proposal number, reference, what, why, who decides, decide
by, what was made) through the same careful write as every other sheet (lock check, backup,
never a person's cell); people write Decision, Decided by, Decided on and Meeting on, which
`read_decisions` reads back (allowed while the workbook is open).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.profile import Profile
from pipeline.tracker.books import DECISIONS_SHEET, SyncReport, sync_message, workbook_path
from pipeline.tracker.columns import load_spec
from pipeline.tracker.rows import cell_value, parse_date
from pipeline.tracker.sync import sync_one
from pipeline.tracker.typed_rows import MOVED, cell_text, typed_rows

log = logging.getLogger("pipeline.tracker")
SHEET = DECISIONS_SHEET
PERSON = ("decision", "decided_by", "decided_on", "meeting_on")


@dataclass
class ProposalRow:
    """One row's pipeline cells (column key -> value); quacks like tracker.rows.RowSource."""

    key: str
    values: dict[str, Any]

    @property
    def row(self) -> dict[str, Any]:
        from pipeline.tracker.rows import SEED

        sheet = load_spec().sheet(SHEET)
        keys = {c.key for c in sheet.columns}
        return {
            k: cell_value(sheet.column(k.removeprefix(SEED)), v)
            for k, v in self.values.items()
            if k.removeprefix(SEED) in keys
            and v not in (None, "")
            or (not k.startswith(SEED) and k in keys)
        }

    @property
    def signature(self) -> str:
        from pipeline.tracker.rows import SEED

        raw = repr(sorted((k, str(v)) for k, v in self.values.items() if not k.startswith(SEED)))
        return hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()


@dataclass
class Decision:
    """What a person wrote in a proposal's row, read (`decision` is None unless the cell says
    Approved or Declined), as typed (`typed`: the cells' text) and the row's own Reference and
    Child cells as they stand (`shown`), so a row whose cells were moved is never acted on."""

    decision: str | None = None  # "Approved", "Declined" or None (not decided)
    decided_by: str | None = None
    decided_on: dt.date | None = None
    meeting_on: dt.date | None = None
    typed: dict[str, str] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)
    # the row's pipeline cells were moved (True: the row check says so), or the key of the
    # person's column whose cell was moved into this row by a sort of that column alone
    moved: bool | str = False

    @property
    def written(self) -> bool:
        """Something is typed in the person's cells (a blank row is no decision)."""
        return any(self.typed.get(k) for k in PERSON)

    @property
    def digest(self) -> str:
        """What was typed, as one short key: the same cells read again are the same decision."""
        raw = repr([" ".join((self.typed.get(k) or "").split()).casefold() for k in PERSON])
        return hashlib.blake2b(raw.encode(), digest_size=6).hexdigest()


def write_proposals(rows: Iterable[ProposalRow], config: Any, profile: Profile) -> SyncReport:
    """Append or correct the proposals' rows in the one workbook (nothing while it is open)."""
    spec = load_spec()
    report = SyncReport()
    sheet_rows = {r.key: r for r in rows}
    if sheet_rows:
        sync_one(
            workbook_path(config, profile, spec),
            spec,
            profile,
            {SHEET: sheet_rows},
            report,
            False,
            config,
        )
    report.message = sync_message(report)
    return report


def _choice(value: Any, choices: list[str]) -> str | None:
    text = " ".join(str(value or "").split())
    return next((c for c in choices if c.casefold() == text.casefold()), None)


def read_decisions(config: Any, profile: Profile, years: Iterable[int] = ()) -> dict[str, Decision]:
    """Proposal key -> what a person wrote; a workbook that cannot be read is skipped.
    `years` is not used (there is one workbook for every year): the rule effect still
    passes it."""
    spec = load_spec()
    sheet = spec.sheet(SHEET)
    choices = sheet.column("decision").choices
    keys = set(PERSON) | ({"reference", "child"} & {c.key for c in sheet.columns})
    out = {}
    rows = typed_rows(config, profile, spec, sheet, keys, "decisions", keep_moved=True)
    for key, v in rows.items():
        out[key] = Decision(
            moved=v.get(MOVED) or False,
            decision=_choice(v.get("decision"), choices),
            decided_by=cell_text(v.get("decided_by")),
            decided_on=parse_date(v.get("decided_on")),
            meeting_on=parse_date(v.get("meeting_on")),
            typed={k: cell_text(v.get(k)) or "" for k in PERSON},
            # only the columns the workbook has (one made before the Child column lacks it)
            shown={k: cell_text(v.get(k)) or "" for k in ("reference", "child") if k in v},
        )
    return out


# --- whether a decision may be applied ----------------------------------------------------


@dataclass(frozen=True)
class Belongs:
    """What the proposal's row must show, and the dates a decision about it must respect."""

    proposal: str
    reference: str
    child: str  # the child's initials ("" when the referral gives no name)
    last_miss: dt.date | None  # the last missed session the proposal rests on
    social_worker: str = ""  # the referral's allocated social worker
    # where the service says the adoptive parent or special guardian decides (a Placement or
    # Special Guardianship Order): the carer the referral names, who is not on the Staff sheet
    guardian: str = ""


def _flat(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def decider(name: str | None, staff: list[dict], profile: Profile, social_worker: str = ""):
    """(the Staff sheet's spelling of the person, problem): a decision is made by one person
    on the Staff sheet whose role may decide in this service (the profile's [decisions]
    decided_by_roles); initials, two names or a word like "yes" are nobody."""
    d = profile.decisions
    person = next((p for p in staff if p.get("name") and _flat(p["name"]) == _flat(name)), None)
    if person is None:
        return None, ("not_staff", {"name": name or ""})
    role = _flat(person.get("role"))
    roles = d.decided_by_roles
    if roles and not any(_flat(r) in role for r in roles):
        return None, ("wrong_role", {"name": person["name"], "role": person.get("role") or ""})
    if d.decided_by_allocated_social_worker and _flat(social_worker) != _flat(person["name"]):
        return None, ("not_allocated", {"name": person["name"], "worker": social_worker})
    return person["name"], None


def decision_problems(
    d: Decision,
    belongs: Belongs,
    staff: list[dict],
    profile: Profile,
    today: dt.date,
    choices: Iterable[str] = ("Approved", "Declined"),
) -> list[tuple[str, dict]]:
    """Why the decision typed in the row cannot be applied ([] when it can): the row's cells do
    not belong to the proposal, the answer is not one of the choices, nobody (or not someone
    who may decide) is named, a date is not a date, is in the future or is before the misses.
    Each problem is (key in sessions/proposals.toml [refused], its values)."""
    from pipeline.dates import numeric_date

    out: list[tuple[str, dict]] = []
    shown_ref, shown_child = d.shown.get("reference", ""), d.shown.get("child", "")
    if isinstance(d.moved, str):  # a column of people's cells sorted alone
        header = load_spec().sheet(SHEET).column(d.moved).header
        out.append(("shuffled", {"column": header}))
    moved = d.moved is True or any(
        key in d.shown and _flat(d.shown[key]) != _flat(want)
        for key, want in (("reference", belongs.reference), ("child", belongs.child))
    )
    if moved:
        out.append(
            (
                "moved",
                {
                    "shown_reference": shown_ref or "(blank)",
                    "shown_child": shown_child or "(blank)",
                    "reference": belongs.reference,
                    "child": belongs.child or "(no name)",
                },
            )
        )
    typed = d.typed.get("decision", "")
    if typed and d.decision is None:
        out.append(("not_a_choice", {"text": typed, "choices": " or ".join(choices)}))
    if not d.decision:
        return out
    if not d.decided_by:
        out.append(("no_decider", {"decision": d.decision}))
    else:
        guardian = belongs.guardian and _flat(d.decided_by) == _flat(belongs.guardian)
        _, problem = decider(d.decided_by, staff, profile, belongs.social_worker)
        if problem and not guardian:
            out.append(problem)
    sheet = load_spec().sheet(SHEET)
    for col, day in (("decided_on", d.decided_on), ("meeting_on", d.meeting_on)):
        text = d.typed.get(col, "")
        if text and day is None:
            header = sheet.column(col).header
            out.append((f"{col.split('_')[0]}_not_a_date", {"column": header, "text": text}))
    last = belongs.last_miss
    if d.decided_on is not None:
        if d.decided_on > today:
            out.append(("decided_future", {"date": numeric_date(d.decided_on)}))
        elif last is not None and d.decided_on < last:
            out.append(
                ("decided_before", {"date": numeric_date(d.decided_on), "miss": numeric_date(last)})
            )
    if d.meeting_on is not None and last is not None and d.meeting_on <= last:
        out.append(
            ("meeting_before", {"date": numeric_date(d.meeting_on), "miss": numeric_date(last)})
        )
    return out
