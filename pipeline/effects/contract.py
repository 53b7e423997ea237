"""The contract every side effect keeps, the names the ledger stores for them, and which
effects an item owes.

An effect is owed by a ledger item (written in the same transaction as the item, the list
from `owed_by`) or found another way (a saved workbook, a review date, the clock), and run
after the commit by pipeline/effects/__init__.py. Each effect says three things: its name,
what is `Due` now, and how it runs what is due. It records its own outcome in the ledger
(an `EffectStatus`: done, failed and retried with backoff, pending and `Waiting` for a
reason, or withheld) and in the pass's report; it never raises for a bad item.

What an effect remembers between passes (workbook stamps seen, allocations acted on, when
reviews were last looked for, digests sent) lives in one `EffectMemory`, owned by whoever
runs the passes (the watcher), never in the effect objects: effects are made fresh for
each pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pipeline.ledger.names import EffectName, EffectStatus, Waiting

if TYPE_CHECKING:
    from pipeline.ledger import ItemDraft, Ledger, OwedEffect

__all__ = [
    "EffectName",
    "EffectStatus",
    "Waiting",
    "owed_by",
    "owe",
    "Due",
    "Effect",
    "EffectMemory",
    "EffectPass",
    "EffectsReport",
]


# ---------------------------------------------------------------- what an item owes


def owed_by(draft: ItemDraft, *, mail: bool | None = None) -> list[EffectName]:
    """The effects an item owes, from what it is: every item reaches the tracker; a session
    record linked to its referral owes the missed-session rule (and the social worker's
    email first when it reports a significant event); an outcome that is answered owes
    mail (`mail=False`: not this one, e.g. a file sent with a form); an accepted referral
    owes its paperwork. One place, so intake never spells the list out."""
    from pipeline.outcomes import MAIL_OUTCOMES

    session = getattr(draft, "session", None)
    if draft.outcome == "session_record" and session is not None:
        owed = [EffectName.RULE, EffectName.TRACKER]
        if session.significant_event:
            owed.insert(0, EffectName.SIGNIFICANT_EVENT)
        return owed
    owed = [EffectName.TRACKER]
    if (draft.outcome in MAIL_OUTCOMES) if mail is None else mail:
        owed.append(EffectName.MAIL)
    if draft.outcome == "accepted":
        owed.append(EffectName.PAPERWORK)
    return owed


def owe(draft: ItemDraft, *, mail: bool | None = None) -> ItemDraft:
    """The draft, owing what `owed_by` says (for a draft made in one expression)."""
    draft.effects = owed_by(draft, mail=mail)
    return draft


# ---------------------------------------------------------------- one pass

T = TypeVar("T")


@dataclass
class Due(Generic[T]):
    """What one effect has to do in a pass: the ledger's rows owed by items whose time has
    come, and work found another way (`found`: a saved workbook's stamps, reviews, a day).
    Typed, so `run` is never handed a mixed list; false when there is nothing to do."""

    owed: list[OwedEffect] = field(default_factory=list)
    found: list[T] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.owed) or bool(self.found)


@dataclass
class EffectMemory:
    """What effects remember from one pass to the next in one process. Never stored: a new
    process forgets it and looks again, which is always safe (the ledger and the outbox keep
    every effect once). Each entry is per working folder, so one memory serves any folder."""

    workbook_seen: dict[tuple[str, str], tuple] = field(default_factory=dict)
    """(effect, working folder) -> the workbook stamps at that effect's last look."""
    acted: dict[str, dict[str, dict]] = field(default_factory=dict)
    """Paperwork: working folder -> reference -> the allocation row last acted on."""
    reviews_looked: dict[str, float] = field(default_factory=dict)
    """Review reports: working folder -> when reviews were last looked for."""
    digest_sent: set[tuple[str, dt.date]] = field(default_factory=set)
    """The digest: (working folder, day) already sent."""
    backfilled: set[tuple[str, str]] = field(default_factory=set)
    """(what, working folder): events from before the timeline already written this process."""

    def saved_since(self, effect: str, folder: Any, stamps: tuple) -> bool:
        """Whether the workbook stamps differ from `effect`'s last look in `folder`."""
        return self.workbook_seen.get((effect, str(folder))) != stamps

    def seen(self, effect: str, folder: Any, stamps: tuple) -> None:
        """`effect` has looked at the workbook as it is now."""
        self.workbook_seen[(effect, str(folder))] = stamps


@dataclass
class EffectsReport:
    done: dict[str, int] = field(default_factory=dict)
    waiting: dict[str, str] = field(default_factory=dict)  # effect -> why (plain English)

    def count(self, effect: str, n: int = 1) -> None:
        self.done[effect] = self.done.get(effect, 0) + n


@dataclass
class EffectPass:
    """One run over the owed effects: what every effect is given."""

    ledger: Ledger
    config: Any
    profile: Any
    now: float
    report: EffectsReport
    memory: EffectMemory = field(default_factory=EffectMemory)


WORKBOOK_OPEN_RETRY = 30.0  # seconds: someone has the tracking workbook open


class Effect(Protocol):
    """One kind of side effect. `due` finds the work, `run` does it and records the outcome
    (never raising for a bad item). Made fresh for each pass: keep nothing on `self` that
    must outlive the pass; use `p.memory`."""

    name: EffectName

    def due(self, p: EffectPass) -> Due:
        """What is owed now (by default the ledger's rows for this effect whose time has come)."""
        return Due(owed=list(p.ledger.pending_effects(p.now, self.name)))

    def run(self, due: Due, p: EffectPass) -> None:
        raise NotImplementedError

    def error_text(self, exc: BaseException) -> str:
        return f"{type(exc).__name__}: {exc}"[:500]

    def wait_for_workbook(self, p: EffectPass, item_id: int, why: str) -> None:
        """Someone has the workbook open: the item waits, tried again soon, and the wait is
        not counted as a failed attempt (nothing is wrong with the item)."""
        p.ledger.mark_effect(
            item_id,
            self.name,
            EffectStatus.PENDING,
            why,
            retry_in=WORKBOOK_OPEN_RETRY,
            waiting=Waiting.WORKBOOK_OPEN,
            count_attempt=False,
        )
