"""The plain data passed between stages: a verdict on a form, a ledger item, an allocation.

Stages are functions over these models; side effects live at the edges. Keep this file
small and stable: every module reads it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

VerdictName = Literal["complete", "incomplete", "old", "not_referral", "unreadable"]
Outcome = Literal[
    "accepted",
    "incomplete",
    "old_form",
    "not_referral",
    "unreadable",
    "duplicate",
    "session_record",
    "session_attention",
]  # a record that cannot be linked or used: a person looks


class Problem(BaseModel):
    """One thing wrong with a form, in the form's own words."""

    key: str  # the field key ("child.dob"), or "form" for the whole form
    label: str  # the label the person saw ("Date of birth")
    message: str  # plain English, names what is wrong and what would be right
    severity: Literal["error", "warning"] = "error"


class Verdict(BaseModel):
    """What validation decided about one extracted form."""

    verdict: VerdictName
    kind: Literal["referral", "session_record"] | None = None
    form_id: str | None = None
    form_version: str | None = None
    reason: str = ""  # one line a person understands
    # Typed values by contract key: dates as datetime.date, yes/no as bool, days as a list of
    # day names, durations in minutes (int), times as datetime.time, the rest as str.
    # Blank answers are absent. Family rows stay flat: "family[1].name".
    values: dict[str, Any] = Field(default_factory=dict)
    problems: list[Problem] = Field(default_factory=list)  # errors: the form is incomplete
    warnings: list[Problem] = Field(default_factory=list)  # accepted, flagged for follow-up
    flags: list[str] = Field(default_factory=list)  # e.g. "court_directed", "out_of_county"
    received: dt.datetime | None = None
    counted_from: dt.date | None = None  # the working day the clock starts
    due: dict[str, dt.date] = Field(default_factory=dict)  # "contact", "allocation", ...


class Item(BaseModel):
    """One submission recorded in the ledger (a file, or one form attached to an email)."""

    id: int
    file_sha256: str
    original_name: str  # "referral.docx", or "mail.eml > referral.docx"
    received_at: dt.datetime
    outcome: Outcome
    reason: str
    reference: str | None = None  # FT-2026-00001; shared by a referral's re-submissions
    linked_to: int | None = None  # the earlier item this re-submits
    case_id: str | None = None
    sender: str | None = None  # the forwarding email's From, when it came by email
    subject: str | None = None
    auto_submitted: bool = False
    archive_path: str | None = None
    verdict: Verdict | None = None
    agreement_attached: bool = False


def is_court_directed(item: Item | None) -> bool:
    """Family time a court directed: the form says so, or validation flagged it. The rule caps
    such a suspension and the letters say why."""
    v = item.verdict if item is not None else None
    return bool(
        v and ("court_directed" in v.flags or v.values.get("referral.court_directed") is True)
    )


class Allocation(BaseModel):
    """What a co-ordinator typed into a referral's tracker row to allocate it."""

    reference: str
    status: str | None = None  # Waiting, Allocated, Suspended, Closed (and a service's own)
    supervisor: str | None = None
    venue: str | None = None
    room: str | None = None
    day: str | None = None  # "Tuesday", or "Tuesday and Thursday"
    time: str | None = None  # "10:00-11:30"
    first_date: dt.date | None = None
    notes: str | None = None
    # who accepted the referral, where the service's profile says a person accepts it
    accepted_by: str | None = None
    # the last day of time-limited family time, as typed (pipeline/cases/family_time.py)
    family_time_ends: dt.date | None = None

    @property
    def complete(self) -> bool:
        return bool(
            self.status == "Allocated"
            and self.supervisor
            and self.venue
            and self.day
            and self.time
            and self.first_date
        )


class SessionRecord(BaseModel):
    """One completed Family Time Record, linked to its referral (the ledger keeps these)."""

    item_id: int  # the ledger item the record arrived as
    reference: str  # the referral's FT-YYYY-NNNNN
    date: dt.date  # the session's date (the rule is about this, not arrival)
    outcome: str  # the catalogue's choice text, "Took place", "Parent did not attend"
    reason: str = ""
    valid_reason: bool | None = None  # asked only for the parent's misses
    planned_start: dt.time | None = None
    planned_end: dt.time | None = None
    actual_start: dt.time | None = None
    actual_end: dt.time | None = None
    late_minutes: int | None = None  # how late the family arrived, when the record says
    significant_event: bool = False
    written_on: dt.date | None = None
    late_recording: bool = False  # written after the profile's recording deadline
    replaces: int | None = None  # item id of an earlier record for the same date

    @property
    def missed_by_parent(self) -> bool:
        """A miss that counts towards the missed-session rule (no valid reason given)."""
        return (
            self.outcome
            in (
                "Parent did not attend",
                "Parent late, session cancelled",
                "Cancelled by parent (reason given)",
            )
            and self.valid_reason is False
        )  # not answered (None) counts toward nothing


class RuleAction(BaseModel):
    """What the missed-session rule decided, once, for one pair (or run) of missed sessions."""

    reference: str
    kind: Literal["suspension", "legal_advice"]
    session_dates: list[dt.date]  # the misses in a row that fired the rule
    suspended_from: dt.date | None = None
    suspended_until: dt.date | None = None  # "Suspended until <date>" in the tracker
    court_directed: bool = False  # then at most N days without going back to court
    # A person's decision on the proposal (the tracker's Decisions sheet); None: not decided.
    decision: Literal["Approved", "Declined"] | None = None
    decided_by: str | None = None
    decided_on: dt.date | None = None
    meeting_on: dt.date | None = None  # a suspension "until the meeting" ends then
