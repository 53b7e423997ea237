"""What became of a case's mail: the acknowledgement of an accepted referral, and the review
report's email to the IRO. Written here (the events' keys), read here (the states), worded in
form_templates/cases/acknowledgement.toml, so the mail effects that write them and the tracker,
`status` and the demo that say them agree.

"sent" exists only where the mail server took the message (MailHow.SENT). A message only
written to outbox/mail, because no mail server is set up, went nowhere: it is WRITTEN, and
every view says so. A message still waiting for the mail server has no event at all.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline import words as house
from pipeline.cases.case import Case, cases_of
from pipeline.ledger.names import EventKind, MailHow
from pipeline.ledger.timeline import Event

if TYPE_CHECKING:
    from pipeline.ledger import Ledger

log = logging.getLogger("pipeline.cases")

WORDS = "cases/acknowledgement.toml"
ACKNOWLEDGED_OUTCOME = "accepted"  # the outcome whose mail is the acknowledgement
# every submission whose email tells the social worker we have the referral (accepted, or
# returned to be put right): each is on the timeline, and the month report's "acknowledged"
# is the first of them that reached the mail server
ANSWERED_OUTCOMES = ("accepted", "incomplete", "old_form")

WAITING = "waiting"  # the state of an acknowledgement with no event yet
STATES = (str(MailHow.SENT), str(MailHow.WRITTEN), str(MailHow.WITHHELD), WAITING)
# delivery unknown, and bounced (issue 27): counted only when some are, and said line by
# line on `status` and the digest (pipeline/notify/followup.py)


def _words() -> dict:
    return house.load(WORDS)


def words(section: str) -> dict[str, str]:
    """The sentences one view says about mail (`status`, `demo`), from acknowledgement.toml."""
    return dict(_words()[section])


# ---------------------------------------------------------------- writing


def acknowledged_key(item_id: int) -> str:
    return f"acknowledged:item={item_id}"


def acknowledged_event(
    reference: str,
    item_id: int,
    how: MailHow,
    on: dt.date,
    *,
    why: str | None = None,
    message: str | None = None,
) -> Event:
    """The acknowledgement of submission `item_id`: sent, only written to outbox/mail, or
    withheld (`why` says why). Once per submission."""
    detail: dict = {"item": item_id, "how": str(how)}
    if why:
        detail["why"] = why
    if message:
        detail["message"] = message
    return Event(reference, EventKind.ACKNOWLEDGED, on, acknowledged_key(item_id), detail)


def report_sent_key(reference: str, review_date: dt.date) -> str:
    return f"review_report_sent:{reference}:{review_date.isoformat()}"


def report_sent_event(
    reference: str,
    review_date: dt.date,
    how: MailHow,
    on: dt.date,
    *,
    checked_by: str = "",
    message: str | None = None,
) -> Event:
    """The review report's email for the review on `review_date`: sent to the IRO, or only
    written to outbox/mail. Once per report (a report is made once per review date)."""
    detail: dict = {
        "review_date": review_date.isoformat(),
        "how": str(how),
        "checked_by": checked_by,
    }
    if message:
        detail["message"] = message
    return Event(
        reference, EventKind.REVIEW_REPORT_SENT, on, report_sent_key(reference, review_date), detail
    )


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Acknowledgement:
    """The acknowledgement of one submission: its state and, once it has one, the day."""

    reference: str
    item: int
    state: str  # sent | written | withheld | waiting
    on: dt.date | None = None
    why: str = ""

    @property
    def sent(self) -> bool:
        return self.state == MailHow.SENT


def acknowledgement_of(case: Case, item_id: int) -> Acknowledgement:
    """The acknowledgement of submission `item_id` as its case's timeline tells it."""
    for e in reversed(case.of(EventKind.ACKNOWLEDGED)):
        if e.detail.get("item") == item_id:
            return Acknowledgement(
                case.reference, item_id, str(e.detail.get("how")), e.on, e.detail.get("why") or ""
            )
    return Acknowledgement(case.reference, item_id, WAITING)


def latest_submissions(items: Iterable) -> dict[str, int]:
    """reference -> the id of its latest accepted submission (the one whose acknowledgement
    counts: an update is acknowledged in its own right)."""
    out: dict[str, int] = {}
    for item in sorted(items, key=lambda i: i.id):
        if item.reference and item.outcome == ACKNOWLEDGED_OUTCOME:
            out[item.reference] = item.id
    return out


def acknowledgements(ledger: Ledger, items: Iterable) -> dict[str, Acknowledgement]:
    """reference -> the acknowledgement of its latest accepted submission."""
    latest = latest_submissions(items)
    cases = cases_of(ledger, latest, kinds=[EventKind.ACKNOWLEDGED])
    return {
        ref: acknowledgement_of(cases.get(ref) or Case(ref), item_id)
        for ref, item_id in latest.items()
    }


def counts(acks: Iterable[Acknowledgement]) -> dict[str, int]:
    """state -> how many (every state named, 0 when none)."""
    out = {s: 0 for s in STATES}
    for a in acks:
        out[a.state] = out.get(a.state, 0) + 1
    return out


def reports_sent(ledger: Ledger) -> dict[tuple[str, str], Event]:
    """(reference, review date as ISO) -> the review report's mail event."""
    return {
        (e.reference, e.detail.get("review_date", "")): e
        for e in ledger.events(kinds=[EventKind.REVIEW_REPORT_SENT])
    }
