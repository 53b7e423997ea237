"""Service profiles: one TOML file per service (form_templates/profiles/*.toml).

A profile holds everything that differs between services: names, addresses, timescales,
venues, closure days, the lateness and missed-session rules, the words a service uses and
where its mail goes. Checked by pydantic so that a bad file fails at start with a message
that names the file and the setting.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from pipeline.dates import DAYS
from pipeline.errors import FamilyTimeError
from pipeline.paths import PROFILES

Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS: list[str] = list(DAYS)  # Weekday spells them out for the type checker
T = TypeVar("T")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


NOT_STATED = "not stated"


def _not_stated(value):
    """ "not stated" (a service's documents are silent) is kept as None."""
    if isinstance(value, str) and value.strip().lower() == NOT_STATED:
        return None
    return value


# A setting every profile must write: its value, or "not stated" where the service's own
# documents say nothing (so no service silently runs on another's rule).
Stated = Annotated[T | None, BeforeValidator(_not_stated)]


class Venue(_Strict):
    name: str
    address: str
    postcode: Stated[str]  # "not stated" until the service gives it: never invented in a letter
    phone: str | None = None
    rooms: int | None = None
    arrival_note: str | None = None  # how carers and parents come in (printed in letters)

    @property
    def address_known(self) -> bool:
        return bool(self.address.strip()) and self.address.strip().lower() != NOT_STATED

    @property
    def printed_address(self) -> str:
        """The address as a letter prints it: with the postcode only where one is stated."""
        return f"{self.address}, {self.postcode}" if self.postcode else self.address


class Timescales(_Strict):
    """Working days counted from the day a referral is received (day 0); each is required, and
    "not stated" where the service's documents give none (no due date is then promised)."""

    acknowledgement: Stated[int]  # 0: the automatic reply on the day it arrives
    contact: Stated[int]  # co-ordinator talks the referral through with the SW
    planning_meeting: Stated[int]  # a planning meeting with the family and the SW
    planning_meeting_chase: Stated[int]  # chase a planning meeting not answered within this
    allocation: Stated[int]  # allocated to a supervisor
    first_session: Stated[int]  # family time takes place
    review_report: Stated[int]  # report reaches the IRO this many days BEFORE the review
    unborn_notice_days: Stated[int]  # calendar days: refer this long before the expected birth
    change_notice_days: Stated[int]  # calendar days' notice for changes after allocation

    def due_keys(self) -> list[str]:
        """The due dates this service commits to, in the order it makes them."""
        keys = [
            k
            for k in (
                "acknowledgement",
                "contact",
                "planning_meeting",
                "allocation",
                "first_session",
            )
            if getattr(self, k) is not None
        ]
        if self.acknowledgement == 0:
            keys.remove("acknowledgement")  # automatic on arrival: nothing falls due
        return keys


class OpeningHours(_Strict):
    opens: dt.time
    closes: dt.time


class Hours(_Strict):
    """When the office works and when sessions can happen."""

    working_days: list[Weekday]
    session_days: list[Weekday]
    closing_time: dt.time  # a form received later counts from the next working day
    opening: dict[Weekday, OpeningHours] = Field(default_factory=dict)  # by day, where stated


class Closures(_Strict):
    """Days with no sessions and no office work, beyond Sundays and bank holidays."""

    bank_holidays: bool  # England and Wales bank holidays, substitute days included
    training_days: list[dt.date]  # the years listed are the years known
    other: list[dt.date] = Field(default_factory=list)
    replacement_for_single_weekly_session: bool  # false where the service promises none


class Lateness(_Strict):
    arrive_minutes_before: int
    max_late_minutes: int  # 0: late for any reason cancels the session


class MissedSessions(_Strict):
    """When the pipeline proposes a suspension (a person always decides). `published`: the
    service's own documents state this rule, so letters and the agreement print it; false: a
    team setting used only to propose a decision, and no document states it as a rule."""

    published: bool
    count: int  # in a row, without a valid reason
    suspension_days: int
    legal_advice_after: Stated[int]  # further misses in a row after resuming
    court_directed_max_suspension_days: int
    resign_agreement: bool = False  # the agreement is signed again at the meeting
    # What the service's documents say of an approved suspension's length: "not stated" is no
    # limit (and nothing said about one). A meeting never cuts it below the minimum.
    minimum_suspension_days: Stated[int] = None
    maximum_suspension_days: Stated[int] = None
    # What ends it: "the meeting" (no sessions until the meeting is held, however long),
    # "the end date" (it ends after `suspension_days` unless a meeting date is typed).
    suspension_ends: Literal["the meeting", "the end date", "not stated"] = "not stated"


class Recording(_Strict):
    deadline_working_days: Stated[int]
    deadline_hours: Stated[int]
    significant_event_hours: Stated[int]
    case_note_heading: Stated[str]  # how records are headed in the case system


class Decisions(_Strict):
    """Who decides what the pipeline may only propose (roles, as the service's policy names
    them)."""

    suspend_or_cease: Stated[str]
    adoption_or_special_guardianship: Stated[str]
    section_20_warning: bool  # the policy warns suspension may end Section 20 consent
    decision_overdue_working_days: Stated[int]  # a proposal waits this long for a person
    # Who may be named in "Decided by": Staff-sheet roles containing one of these words
    # ("not stated": anyone on the Staff sheet, by full name). A decision naming nobody on
    # the Staff sheet, or someone whose role may not decide, is never applied.
    decided_by_roles: Stated[list[str]] = None
    # The decider must also be the referral's allocated social worker (Blackpool).
    decided_by_allocated_social_worker: bool = False
    # A step the service's documents give for withdrawing a suspension already written to
    # the family ("not stated": the team is told plainly to tell the family itself).
    withdrawal_letters: Stated[str] = None


class Review(_Strict):
    """Reports for a child's review (Looked After Child review, statutory review)."""

    report: Literal["promised", "on request", "not stated"]
    meeting_name: str = "Looked After Child review"


class Acceptance(_Strict):
    """How a referral becomes accepted: on receipt, or after a person's risk assessment."""

    automatic: bool
    by: Stated[str]  # who accepts, where a person does


class Agreement(_Strict):
    name: str  # what the service calls the written agreement
    required_with_referral: bool  # the signed agreement must come with the referral
    signed_at: Stated[str]  # "the planning meeting", where the service says so
    signed_before_first_session: bool = False  # flagged (never blocked) when not on file

    @property
    def title(self) -> str:
        """The name as a document's title or file name ("Written agreement")."""
        return self.name[:1].upper() + self.name[1:]


class Allocation(_Strict):
    first_session_at_service_venue: bool
    home_sessions_joint_risk_assessment: bool
    # Before the first session, where the service says so (Blackpool, 003): a photo of the
    # worker sent to the carer to show the child (when the worker cannot meet the child
    # first), and transport to and from family time agreed with the carer. Said in the carer
    # letter and on the digest's to-do for a pack whose first session is still to come.
    photo_of_worker_to_carer: bool
    transport_agreed_with_carer: bool


class Limits(_Strict):
    """How long time-limited family time lasts (as the service words it)."""

    child_protection_supported: Stated[str]  # "up to 3 months", "the first 2 weeks of the plan"
    special_guardianship_supervised: Stated[str]
    sessions_per_week_full_time: Stated[str]  # a full-time worker's usual load, "20 to 24"


class FormVersions(_Strict):
    """Which form versions this service accepts; overrides the catalogue's status."""

    current: list[str] = Field(
        default_factory=lambda: ["family-time-referral 2025.1", "family-time-record 2025.1"]
    )
    old: list[str] = Field(default_factory=list)


class Oversight(_Strict):
    """Reminders and review reports (issue 18). None means "not set": the code's default
    applies (see pipeline/notify/digest.py and pipeline/effects/review_report.py)."""

    digest_time: dt.time | None = None  # the team's daily digest, working days
    resubmission_chase_working_days: int | None = None  # a returned referral not sent again
    review_report_lookahead_days: int | None = None  # how far ahead reviews are looked for


VenueKind = Literal[
    "child's home",
    "carer's home",
    "family member's home",
    "parent's home",
    "community",
    "Children's Centre",
    "Family Hub",
]
VENUE_KINDS: list[str] = list(VenueKind.__args__)


class ReferralRules(_Strict):
    """Rules a service applies when it reads a referral, each stated by its own documents
    (false or "not stated" where they are silent: the check is then left out)."""

    saturday_reason: bool  # a Saturday request must say why (working parents, school-age child)
    preschool_before_3pm: bool  # after-school slots are kept for school-age children
    other_la_refuses_section_20: bool  # no family time for another authority's Section 20 child
    other_la_proceedings_concluded: bool  # another authority's proceedings must be concluded
    first_session_alert: Stated[str]  # who is told at once when the first session is late


class Travel(_Strict):
    """Minutes a supervisor needs between two venues (either way round)."""

    between: list[str] = Field(min_length=2, max_length=2)
    minutes: int = Field(ge=0)


class Rota(_Strict):
    """Who is where, when (pipeline/rota/): the rooms of each venue, travel between venues
    (0 minutes where nothing is listed) and a worker's usual sessions in a week; what the
    clash check and the rota read. Every value with the seed line it comes from."""

    rooms: dict[str, list[str]] = Field(default_factory=dict)  # venue name -> its rooms
    travel_minutes: int = Field(default=0, ge=0)  # between two venues not listed in `travel`
    travel: list[Travel] = Field(default_factory=list)
    weekly_sessions_min: Stated[int] = None
    weekly_sessions_max: Stated[int] = None

    def minutes_between(self, a: str | None, b: str | None) -> int:
        """Travel time from venue `a` to venue `b` (0 at the same venue)."""
        x, y = (" ".join(str(v or "").split()).casefold() for v in (a, b))
        if x == y:
            return 0
        for t in self.travel:
            pair = {" ".join(v.split()).casefold() for v in t.between}
            if pair == {x, y}:
                return t.minutes
        return self.travel_minutes

    def rooms_of(self, venue: str | None) -> list[str]:
        wanted = " ".join(str(venue or "").split()).casefold()
        return next((rooms for name, rooms in self.rooms.items() if name.casefold() == wanted), [])


class Smtp(_Strict):
    host: str
    port: int = 587
    starttls: bool = True
    username_env: str | None = None  # credentials come from the environment, never the file
    password_env: str | None = None
    timeout_seconds: float = 20.0


class Mail(_Strict):
    from_address: str
    from_name: str
    smtp: Smtp | None = None
    # Where mail carrying documents or personal data may go (issue 27): the council's own
    # domains and trusted partners' (a domain allows its sub-domains). The domains of
    # team_inbox, contact_email and from_address are always allowed. Empty: only those.
    own_domains: list[str] = Field(default_factory=list)
    partner_domains: list[str] = Field(default_factory=list)


class TrackerWords(_Strict):
    """The service's own words in the tracking workbook."""

    # Status choices of the service's own besides Waiting, Allocated, Suspended and Closed
    statuses: list[str] = Field(default_factory=list)


class Profile(_Strict):
    """Everything that differs between services. Every rule is written out (or "not stated"):
    nothing falls back to another service's value."""

    id: str
    name: str  # "Northamptonshire Children's Trust"
    service_name: str
    address: str
    phone: str
    contact_email: str  # printed in letters for people to write to
    team_inbox: str  # where the team's copies and notices go
    case_system: Literal["CareFirst", "Mosaic", "Liquidlogic", "Other", "not stated"]
    supervisor_role: str  # who supervises sessions ("Together Worker")
    coordinator_role: str  # who allocates
    senior_role: Stated[str] = None  # who risk assesses, where the service names one
    out_of_hours_phone: Stated[str]
    out_of_hours_name: Stated[str] = None
    timescales: Timescales
    hours: Hours
    closures: Closures
    lateness: Stated[Lateness]
    missed_sessions: Stated[MissedSessions]
    recording: Recording
    decisions: Decisions
    review: Review
    acceptance: Acceptance
    agreement: Agreement
    allocation: Allocation
    limits: Limits
    forms: FormVersions = Field(default_factory=FormVersions)
    oversight: Oversight = Field(default_factory=Oversight)
    rota: Rota = Field(default_factory=Rota)
    tracker: TrackerWords = Field(default_factory=TrackerWords)
    mail: Mail
    referrals: ReferralRules
    venues: list[Venue] = Field(default_factory=list)  # none yet in a new service (doctor says)
    # kinds of place the service holds family time in besides its listed venues (the address
    # is typed in the tracker's row: "Carer's home, 12 Oak Road, FY1 2AB")
    venue_kinds: list[VenueKind]
    forbidden_words: list[str] = Field(default_factory=list)  # other services' words, checked

    def venue_kind(self, typed: str) -> tuple[str | None, str]:
        """The kind of place a typed venue names ("Carer's home, 12 Oak Road" -> ("carer's
        home", "12 Oak Road")), whether or not this service holds family time there; (None,
        typed) when it names no kind. Kinds' other spellings: profiles/venue_kinds.toml."""
        from pipeline import words

        head, _, rest = typed.partition(",")
        wanted = _plain(head)
        spellings = words.load(VENUE_KIND_WORDS)["spellings"]
        for kind in VENUE_KINDS:
            if wanted in {_plain(kind), *(_plain(s) for s in spellings.get(kind, []))}:
                return kind, rest.strip()
        return None, typed.strip()

    @property
    def words(self) -> dict[str, str]:
        """The words labels and templates may follow ({case_system}, {supervisor_role})."""
        case_system = "Case record" if self.case_system == NOT_STATED else self.case_system
        return {
            "case_system": case_system,
            "supervisor_role": self.supervisor_role,
            "coordinator_role": self.coordinator_role,
            "service_name": self.service_name,
            "name": self.name,
        }

    def notice_days(self) -> int | None:
        """Days' notice the service asks before a change after allocation (a week in
        Northamptonshire), if it says: one answer for the pack's wording and the tracker."""
        return getattr(self.timescales, "change_notice_days", None)

    def reports_automatically(self) -> bool:
        """Whether review reports are made unasked: only where the service promises them
        (review.report, issue 14: "promised" | "on request" | "not stated")."""
        review = getattr(self, "review", None)
        promised = review is None or getattr(review, "report", "promised") == "promised"
        # a promise with no lead time stated cannot fall due (doctor says so)
        return promised and getattr(self.timescales, "review_report", None) is not None

    def venue(self, name: str) -> Venue | None:
        wanted = " ".join(name.lower().split())
        return next((v for v in self.venues if v.name.lower() == wanted), None)


VENUE_KIND_WORDS = "validate/venue_kinds.toml"


def _plain(text: str) -> str:
    """Words compared as people type them: case, apostrophes and spacing aside."""
    return " ".join(text.replace("'", "").replace("\u2019", "").lower().split())


class ProfileError(FamilyTimeError):
    """A profile file that cannot be used; the message is for the person who edits it."""


def is_profile_name(name_or_file: str | Path) -> bool:
    """A shipped profile's name ("blackpool"), not a file: no folder part and no .toml. A
    folder of that name in the current folder is never read in its place."""
    text = str(name_or_file)
    return not (
        isinstance(name_or_file, Path)
        or text.lower().endswith(".toml")
        or "/" in text
        or "\\" in text
    )


def profile_path(name_or_file: str | Path) -> Path:
    """The shipped profile of that name, or the profile file given by its path."""
    if is_profile_name(name_or_file):
        return PROFILES / f"{name_or_file}.toml"
    return Path(name_or_file)


def load_profile(name_or_file: str | Path = "northamptonshire") -> Profile:
    """A shipped profile by name, or any profile file by path."""
    path = profile_path(name_or_file)
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in PROFILES.glob("*.toml")))
        raise ProfileError(
            f"No service profile '{name_or_file}' (looked for {path}). Shipped profiles: {known}."
        )
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        hint = ""
        if "overwrite" in str(exc) or "declare" in str(exc).lower():
            # the usual slip: a [lateness] table added while `lateness = "not stated"` stays
            hint = (
                " A setting or a [table] is written twice: where a table such as [lateness] "
                'is added, delete its line `lateness = "not stated"` near the top.'
            )
        raise ProfileError(f"{path}: not valid TOML: {exc}.{hint}") from exc
    try:
        return Profile(**raw)
    except ValidationError as exc:
        lines = [f"{path}: the profile has {exc.error_count()} problem(s):"]
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
            msg = err["msg"]
            if err["type"] == "missing":
                msg = (
                    'missing: write the service\'s value, or "not stated" where its own '
                    "documents say nothing (no value is taken from another service)"
                )
            lines.append(f"  - {where}: {msg}")
        raise ProfileError("\n".join(lines)) from exc
