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
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.errors import FamilyTimeError
from pipeline.paths import PROFILES

Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS: list[str] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Venue(_Strict):
    name: str
    address: str
    postcode: str
    phone: str | None = None
    rooms: int | None = None


class Timescales(_Strict):
    """Working days counted from the day a referral is received (day 0)."""
    acknowledge: int = 0               # automatic acknowledgement: the same day
    contact: int = 2                   # co-ordinator discusses the referral with the social worker
    allocation: int = 10               # allocated to a supervisor
    first_session: int | None = None   # a service that promises a first session (Blackpool: 3)
    review_report: int = 5             # report reaches the IRO this many working days before the review
    unborn_notice_days: int = 42       # refer at least six weeks before the expected date of delivery


class OpeningHours(_Strict):
    opens: dt.time
    closes: dt.time


class Hours(_Strict):
    """When the office works and when sessions can happen."""
    working_days: list[Weekday] = Field(default_factory=lambda: WEEKDAYS[:5])
    session_days: list[Weekday] = Field(default_factory=lambda: WEEKDAYS[:6])
    closing_time: dt.time = dt.time(17, 0)   # a form received later counts from the next working day
    opening: dict[Weekday, OpeningHours] = Field(default_factory=dict)  # session hours, by day


class Closures(_Strict):
    """Days with no sessions and no office work, beyond Sundays and bank holidays."""
    bank_holidays: bool = True          # England and Wales bank holidays, substitute days included
    training_days: list[dt.date] = Field(default_factory=list)
    other: list[dt.date] = Field(default_factory=list)
    replacement_for_single_weekly_session: bool = True


class Lateness(_Strict):
    arrive_minutes_before: int = 10
    max_late_minutes: int = 15          # 0: any lateness cancels the session


class MissedSessions(_Strict):
    count: int = 2                      # in a row, without a valid reason
    suspension_days: int = 7
    legal_advice_after: int = 2         # further misses in a row after resuming
    court_directed_max_suspension_days: int = 7


class Recording(_Strict):
    deadline_working_days: int | None = 2
    deadline_hours: int | None = None   # Blackpool: 24 hours


class FormVersions(_Strict):
    """Which form versions this service accepts; overrides the catalogue's status."""
    current: list[str] = Field(default_factory=lambda: ["family-time-referral 2025.1",
                                                         "family-time-record 2025.1"])
    old: list[str] = Field(default_factory=list)


class Oversight(_Strict):
    """Reminders and review reports (issue 18). None means "not set": the code's default
    applies (see pipeline/notify/digest.py and pipeline/render/effects.py)."""
    digest_time: dt.time | None = None              # the team's daily digest, working days
    resubmission_chase_working_days: int | None = None   # a returned referral not sent again
    review_report_lookahead_days: int | None = None  # how far ahead reviews are looked for
    weekly_sessions_max: int | None = None          # one worker's sessions in a week (Blackpool 24)


class Smtp(_Strict):
    host: str
    port: int = 587
    starttls: bool = True
    username_env: str | None = None     # credentials come from the environment, never the file
    password_env: str | None = None
    timeout_seconds: float = 20.0


class Mail(_Strict):
    from_address: str
    from_name: str
    smtp: Smtp | None = None


class Profile(_Strict):
    id: str
    name: str                           # "Northamptonshire Children's Trust"
    service_name: str = "Family Time Service"
    address: str
    phone: str
    team_inbox: str
    case_system: Literal["CareFirst", "Mosaic", "Liquidlogic", "Other"] = "CareFirst"
    supervisor_role: str = "Family Time Supervisor"
    coordinator_role: str = "Family Time Co-ordinator"
    out_of_hours_phone: str | None = None
    timescales: Timescales = Field(default_factory=Timescales)
    hours: Hours = Field(default_factory=Hours)
    closures: Closures = Field(default_factory=Closures)
    lateness: Lateness = Field(default_factory=Lateness)
    missed_sessions: MissedSessions = Field(default_factory=MissedSessions)
    recording: Recording = Field(default_factory=Recording)
    forms: FormVersions = Field(default_factory=FormVersions)
    oversight: Oversight = Field(default_factory=Oversight)
    mail: Mail
    venues: list[Venue]

    @field_validator("venues")
    @classmethod
    def _some_venue(cls, v: list[Venue]) -> list[Venue]:
        if not v:
            raise ValueError("a service needs at least one venue")
        return v

    @property
    def words(self) -> dict[str, str]:
        """The words labels and templates may follow ({case_system}, {supervisor_role})."""
        return {"case_system": self.case_system, "supervisor_role": self.supervisor_role,
                "service_name": self.service_name, "name": self.name}

    def venue(self, name: str) -> Venue | None:
        wanted = " ".join(name.lower().split())
        return next((v for v in self.venues if v.name.lower() == wanted), None)


class ProfileError(FamilyTimeError):
    """A profile file that cannot be used; the message is for the person who edits it."""


def profile_path(name_or_file: str | Path) -> Path:
    p = Path(name_or_file)
    if p.suffix == ".toml" or p.exists():
        return p
    return PROFILES / f"{name_or_file}.toml"


def load_profile(name_or_file: str | Path = "northamptonshire") -> Profile:
    """A shipped profile by name, or any profile file by path."""
    path = profile_path(name_or_file)
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in PROFILES.glob("*.toml")))
        raise ProfileError(f"No service profile '{name_or_file}' (looked for {path}). "
                           f"Shipped profiles: {known}.")
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return Profile(**raw)
    except ValidationError as exc:
        lines = [f"{path}: the profile has {exc.error_count()} problem(s):"]
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            lines.append(f"  - {where}: {err['msg']}")
        raise ProfileError("\n".join(lines)) from exc
