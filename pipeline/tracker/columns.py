"""The workbook's shape, read from form_templates/tracker.toml.

Headers, widths, owners and formats are data so that a service can rename a column or add a
sheet without touching code; this module only checks the file and fills in profile words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline import words
from pipeline.cases.family_time import states_limits
from pipeline.errors import FamilyTimeError
from pipeline.paths import FORM_TEMPLATES
from pipeline.profile import Profile

TRACKER_SPEC = FORM_TEMPLATES / "tracker.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnSpec(_Strict):
    key: str
    header: str
    owner: Literal["pipeline", "person"]
    format: Literal["text", "date"] = "text"
    width: float = 14
    from_: list[str] = Field(default_factory=list, alias="from")
    join: list[str] = Field(default_factory=list)
    choices: list[str] = Field(default_factory=list)
    # Choices kept only where the service's profile names them ([tracker] statuses):
    # "Bridging" is Northamptonshire's word, not every service's.
    service_choices: list[str] = Field(default_factory=list)
    # a column only for a service where a person accepts referrals ([acceptance] automatic
    # = false): there the pack waits for a name in it
    person_accepts: bool = False
    # a column only for a service that limits family time in time (its profile's [limits])
    limits: bool = False
    # A due-date column exists only for a service that makes this promise (its profile's
    # timescales): no "Allocate by" column where a service promises no allocation date.
    # A list: the column exists where the service makes any one of them.
    promise: str | list[str] | None = None
    # A person's column the pipeline fills once, when it adds the row (the referral form's
    # review date seeds "Next review"); afterwards the cell is the co-ordinator's.
    seed: list[str] = Field(default_factory=list)
    list_from: str = ""  # profile.venues | profile.session_days | sheet.<Sheet>.<key>
    list_strict: bool = True
    # Text the pipeline writes into this person's column ("Suspended until "): a cell holding a
    # value that begins so gets that value added to its own drop-down, so it is not "invalid".
    list_also: str = ""

    def header_for(self, profile: Profile) -> str:
        return words.fill(self.header, f"tracker.toml header {self.header!r}", **profile.words)

    @property
    def pipeline(self) -> bool:
        return self.owner == "pipeline"

    @property
    def promises(self) -> list[str]:
        return [self.promise] if isinstance(self.promise, str) else list(self.promise or [])


class Highlight(_Strict):
    column: str
    status_column: str
    done: list[str]
    soon_days: int = 2
    soon_fill: str = "FFEB9C"
    overdue_fill: str = "FFC7CE"


class Mark(_Strict):
    """A cell coloured by what it says (the Paperwork cell saying what to correct)."""

    column: str
    starts_with: str = ""
    contains: str = ""
    fill: str = "FFC7CE"


class SheetSpec(_Strict):
    name: str
    enabled: bool = True
    outcomes: list[str]
    # items of other outcomes carrying any of these flags get a row here too (a referral
    # accepted with a question only a person can answer: an ID shared with another child)
    flags: list[str] = Field(default_factory=list)
    key: str
    columns: list[ColumnSpec]
    highlights: list[Highlight] = Field(default_factory=list)
    marks: list[Mark] = Field(default_factory=list)
    kept_by: Literal["pipeline", "people"] = "pipeline"  # people: never written (Staff)

    @property
    def kept_by_people(self) -> bool:
        """A sheet people keep (Staff): made and read, never written by the pipeline."""
        return self.kept_by == "people"

    def column(self, key: str) -> ColumnSpec:
        return next(c for c in self.columns if c.key == key)

    @property
    def key_column(self) -> ColumnSpec:
        return self.column(self.key)


class TrackerSpec(_Strict):
    file_name: str
    year_file_name: str = ""  # the name an earlier version gave each year's workbook
    backups: int = 10
    date_format: str = "dd/mm/yyyy"
    header_fill_pipeline: str = "1F4E78"
    header_fill_person: str = "375623"
    header_font_colour: str = "FFFFFF"
    header_height: float = 45
    check_column: str  # a header people see: its words are the file's alone
    note_column: str = "Pipeline note"  # added where a row itself needs a word (sync.py)
    lists_sheet: str  # hidden: the service's venues and days for drop-downs
    words: dict[str, str] = Field(default_factory=dict)
    drop_downs: dict[str, str] = Field(default_factory=dict)  # what a drop-down says back
    messages: dict[str, str] = Field(default_factory=dict)  # read by `said`, not the spec
    sheets: list[SheetSpec]

    @property
    def enabled_sheets(self) -> list[SheetSpec]:
        return [s for s in self.sheets if s.enabled]

    def sheet(self, name: str) -> SheetSpec:
        return next(s for s in self.sheets if s.name == name)


class TrackerSpecError(FamilyTimeError):
    """tracker.toml cannot be used; the message names the file and the setting."""


WORDING = "tracker.toml"  # under form_templates/: the sentences, read afresh when edited


def said(key: str, /, **values) -> str:
    """One of the workbook's own sentences (tracker.toml [messages]), filled in: worded in
    data, so a service rewords what it reads on `status` without Python."""
    return words.fill(words.load(WORDING)["messages"][key], f"{WORDING} [messages] {key}", **values)


def load_spec(path: Path | None = None, profile: Profile | None = None) -> TrackerSpec:
    """The workbook's shape from `path` (default: form_templates/tracker.toml), checked; with a
    profile, only the due-date columns for the promises that service makes."""
    spec = _load(str(path or TRACKER_SPEC))
    if profile is None:
        return spec
    promised = set(profile.timescales.due_keys())
    if profile.review.report == "promised" and profile.timescales.review_report is not None:
        promised.add("review_report")
    # None: accepted on arrival; "": the service does not say who accepts; else who does
    by = None if profile.acceptance.automatic else (profile.acceptance.by or "")
    return _for_service(
        str(path or TRACKER_SPEC),
        frozenset(promised),
        by,
        tuple(profile.tracker.statuses),
        bool(profile.venue_kinds),
        states_limits(profile),
    )


@lru_cache(maxsize=16)
def _for_service(
    path: str,
    promised: frozenset[str],
    accepted_by: str | None = None,
    own_choices: tuple[str, ...] = (),
    venue_kinds: bool = False,
    limits: bool = False,
) -> TrackerSpec:
    """The service's columns; where a person accepts referrals (the profile's [acceptance]),
    a complete referral is not called accepted before they did, and where the service does
    not say who accepts, it is called received, never accepted; a column's service choices
    only where the service names them."""
    spec = _load(path)
    if accepted_by is not None:
        name = "awaiting_acceptance_by" if accepted_by else "awaiting_acceptance"
        word = words.fill(spec.words[name], f"tracker.toml [words] {name}", by=accepted_by)
        spec = spec.model_copy(update={"words": {**spec.words, "accepted": word}})
    sheets = []
    for sheet in spec.sheets:
        columns = [
            _typed_venues(_own_choices(c, own_choices), venue_kinds)
            for c in sheet.columns
            if (not c.promises or set(c.promises) & promised)
            and (not c.person_accepts or bool(accepted_by))
            and (not c.limits or limits)
        ]
        keys = {c.key for c in columns}
        highlights = [h for h in sheet.highlights if h.column in keys and h.status_column in keys]
        marks = [m for m in sheet.marks if m.column in keys]
        sheets.append(
            sheet.model_copy(update={"columns": columns, "highlights": highlights, "marks": marks})
        )
    return spec.model_copy(update={"sheets": sheets})


def _typed_venues(column: ColumnSpec, venue_kinds: bool) -> ColumnSpec:
    """Where the service also holds family time in kinds of place ("Carer's home, 12 Oak
    Road"), the Venue list suggests its centres but lets the kind and address be typed."""
    if venue_kinds and column.list_from == "profile.venues" and column.list_strict:
        return column.model_copy(update={"list_strict": False})
    return column


def _own_choices(column: ColumnSpec, own: tuple[str, ...]) -> ColumnSpec:
    """The column's choices without the service choices this service does not name."""
    if not column.service_choices:
        return column
    choices = [c for c in column.choices if c not in column.service_choices or c in own]
    return column.model_copy(update={"choices": choices})


@lru_cache(maxsize=8)
def _load(path: str) -> TrackerSpec:
    try:
        raw = words.load(Path(path).resolve())  # a relative path is from the working folder
    except words.WordsProblem as exc:
        raise TrackerSpecError(
            _layout_problem("layout_unreadable", path=path, problem=exc)
        ) from exc
    try:
        spec = TrackerSpec(**raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise TrackerSpecError(
            _layout_problem("layout_invalid", path=path, problems=problems)
        ) from exc
    for sheet in spec.sheets:
        keys = [c.key for c in sheet.columns]
        where = {"path": path, "sheet": sheet.name}
        if sheet.key not in keys:
            raise TrackerSpecError(
                _layout_problem("layout_key_not_a_column", key=sheet.key, **where)
            )
        if len(set(keys)) != len(keys):
            raise TrackerSpecError(_layout_problem("layout_key_twice", **where))
        for c in sheet.columns:
            if not c.pipeline and any(not f.startswith("extra.") for f in c.from_ + c.join):
                raise TrackerSpecError(
                    _layout_problem("layout_person_column", column=c.key, **where)
                )
        for m in sheet.marks:
            if m.column not in keys or not (m.starts_with or m.contains):
                raise TrackerSpecError(_layout_problem("layout_mark", **where))
        for c in sheet.columns:
            if c.list_from and not (
                c.list_from in ("profile.venues", "profile.session_days")
                or c.list_from.startswith("sheet.")
            ):
                raise TrackerSpecError(
                    _layout_problem(
                        "layout_list_from", column=c.key, list_from=c.list_from, **where
                    )
                )
        for h in sheet.highlights:
            if h.column not in keys or h.status_column not in keys:
                raise TrackerSpecError(_layout_problem("layout_highlight", **where))
    return spec


def _layout_problem(key: str, **values) -> str:
    """A layout error in the shared file's words; when that very file cannot be read, the
    reader's own message, which names the file and what is wrong with it."""
    try:
        return said(key, **values)
    except (words.WordsProblem, KeyError) as exc:
        return str(values.get("problem") or values.get("problems") or exc)


def _service(profile: Profile) -> str:
    return profile.id.replace("-", " ").replace("_", " ").title()


def workbook_name(spec: TrackerSpec, profile: Profile) -> str:
    """The file name of the one workbook for every year, e.g. 'Family Time referrals -
    Northamptonshire.xlsx'."""
    return words.fill(spec.file_name, "tracker.toml file_name", service=_service(profile))


def year_of_workbook(spec: TrackerSpec, profile: Profile, name: str) -> int | None:
    """The year in a workbook name an earlier version gave ('Family Time referrals 2026 -
    Northamptonshire.xlsx' -> 2026), or None for any other name."""
    if not spec.year_file_name:
        return None
    before, _, after = spec.year_file_name.partition("{year}")
    where = "tracker.toml year_file_name"
    pattern = (
        re.escape(words.fill(before, where, service=_service(profile)))
        + r"(\d{4})"
        + re.escape(words.fill(after, where, service=_service(profile)))
    )
    found = re.fullmatch(pattern, name, flags=re.IGNORECASE)
    return int(found.group(1)) if found else None
