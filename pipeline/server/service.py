"""Running `watch` as a service: stopping on a signal, within the time a service manager gives.

Ctrl+C, Ctrl+Break and a service stop (SIGINT, SIGBREAK on Windows, SIGTERM) all end it; NSSM
kills the process 1.5 s after Ctrl+C, so a stop never waits for slow work: the ledger makes
work in hand safe to leave, and the next start picks it up.
"""

from __future__ import annotations

import signal
import threading


def stop_on_signals(stop: threading.Event) -> None:
    """Set `stop` on Ctrl+C, Ctrl+Break or a service stop (the signals this system has)."""

    def _stop(*_):
        stop.set()

    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                signal.signal(sig, _stop)
            except (ValueError, OSError):
                pass


def serve(watcher, stop: threading.Event, grace: float = 0.8) -> bool:
    """Run the watcher until `stop` is set, then give it `grace` seconds to finish; True when
    it finished. A file being read or an effect half-way is left to the ledger (the next start
    picks it up), so a stop never waits for slow work: NSSM kills 1.5 s after Ctrl+C."""
    worker = threading.Thread(target=watcher.run, args=(stop,), name="watcher", daemon=True)
    worker.start()
    while worker.is_alive() and not stop.wait(0.2):
        pass
    stop.set()
    worker.join(timeout=grace)
    return not worker.is_alive()
