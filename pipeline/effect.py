"""The contract every side effect keeps, and the one list of effect names.

An effect is owed by a ledger item (written in the same transaction as the item) and run
after the commit by pipeline/effects.py. Each effect lives beside its domain (notify/,
tracker/, render/, sessions/) and says three things: its name, what is due now, and how it
runs what is due. It records its own outcome in the ledger (done, failed and retried with
backoff, or waiting and why) and in the pass's report; it never raises for a bad item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from pipeline.ledger.names import EffectName, Waiting  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from pipeline.ledger import Ledger


@dataclass
class EffectsReport:
    done: dict[str, int] = field(default_factory=dict)
    waiting: dict[str, str] = field(default_factory=dict)   # effect -> why (plain English)

    def count(self, effect: str, n: int = 1) -> None:
        self.done[effect] = self.done.get(effect, 0) + n


@dataclass
class EffectPass:
    """One run over the owed effects: what every effect is given."""
    ledger: "Ledger"
    config: Any
    profile: Any
    now: float
    report: EffectsReport


class Effect:
    """One kind of side effect. `due` finds the work, `run` does it and records the outcome."""
    name: EffectName

    def due(self, p: EffectPass) -> Sequence:
        """What is owed now (by default the ledger's rows for this effect whose time has come)."""
        return p.ledger.pending_effects(p.now, self.name)

    def run(self, due: Sequence, p: EffectPass) -> None:
        raise NotImplementedError

    def error_text(self, exc: BaseException) -> str:
        return f"{type(exc).__name__}: {exc}"[:500]
