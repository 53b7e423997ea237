"""A case as its timeline tells it: the events of one referral, in the order they happened.

Read once per view (one query for all cases), then asked: what is the latest event of a kind,
every event of a kind, what had happened by a given day. A view that needs a fact the
timeline does not hold is missing an event, not a reason to work the fact out elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.ledger.names import EventKind
from pipeline.ledger.timeline import Event

if TYPE_CHECKING:
    from pipeline.ledger import Ledger


@dataclass
class Case:
    reference: str
    events: list[Event] = field(default_factory=list)

    def of(self, *kinds: EventKind, by: dt.date | None = None) -> list[Event]:
        """Every event of these kinds (all kinds when none are named), up to `by` if given."""
        return [
            e for e in self.events if (not kinds or e.kind in kinds) and (by is None or e.on <= by)
        ]

    def latest(self, *kinds: EventKind, by: dt.date | None = None) -> Event | None:
        found = self.of(*kinds, by=by)
        return found[-1] if found else None

    def first(self, *kinds: EventKind, by: dt.date | None = None) -> Event | None:
        found = self.of(*kinds, by=by)
        return found[0] if found else None

    def has(self, *kinds: EventKind, by: dt.date | None = None) -> bool:
        return bool(self.of(*kinds, by=by))


def case_of(ledger: Ledger, reference: str) -> Case:
    return Case(reference, ledger.events(reference))


def cases_of(
    ledger: Ledger,
    references: Iterable[str] | None = None,
    kinds: Iterable[EventKind] | None = None,
) -> dict[str, Case]:
    """reference -> Case for every referral with events (or those named), in one query."""
    wanted = set(references) if references is not None else None
    out: dict[str, Case] = defaultdict(lambda: Case(""))
    for e in ledger.events(kinds=kinds):
        if wanted is not None and e.reference not in wanted:
            continue
        c = out[e.reference]
        c.reference = e.reference
        c.events.append(e)
    return dict(out)
