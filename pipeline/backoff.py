"""One back-off rule for every retry (owed effects, review report mail, the mail outbox, a
move still owed): a failure's next try comes later each time, up to a cap, so a server or
share that is down is not hammered, and all of them behave alike."""

from __future__ import annotations


def delay(attempts: int, base: float, cap: float) -> float:
    """Seconds before the next try after `attempts` failed ones: base, 2 x base, 4 x base ...
    at most `cap` (no attempt yet counts as the first)."""
    return min(cap, base * 2 ** max(0, attempts - 1))
