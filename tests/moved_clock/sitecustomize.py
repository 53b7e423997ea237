"""Moves this Python process's wall clock, and every child Python's, for the CI runs that
prove the suite passes on any date (`.ci/run`: a year ahead, and 29 February 2028).

Put this folder on PYTHONPATH and set FAMILY_TIME_TEST_CLOCK=2028-02-29T09:30:00. The first
process works out the offset from the real clock and leaves it in the environment, so every
process the tests start (the CLI, `watch` in a subprocess) moves by the same amount and the
clocks agree. File times move with it: a machine whose clock is a year ahead stamps files a
year ahead, so os.stat answers on the moved clock and os.utime takes moved times. Monotonic
clocks and sleeps are untouched (a moved wall clock does not make a second longer).

Test-only: nothing in pipeline/ imports it, and without the variable it does nothing.
"""

from __future__ import annotations

import datetime as _dt
import os as _os
import sys as _sys
import time as _time

_TARGET = "FAMILY_TIME_TEST_CLOCK"
_OFFSET = "FAMILY_TIME_TEST_CLOCK_OFFSET"


def _offset_seconds() -> float:
    given = _os.environ.get(_OFFSET)
    if given:
        return float(given)
    target = _dt.datetime.fromisoformat(_os.environ[_TARGET])
    offset = target.timestamp() - _time.time()
    _os.environ[_OFFSET] = repr(offset)
    return offset


def _moved_stat(original, offset: float, offset_ns: int):
    def stat(*args, **kwargs):
        st = original(*args, **kwargs)
        cls, (visible, extra) = st.__reduce__()
        visible = list(visible)
        for i in (7, 8, 9):  # whole-second atime, mtime, ctime
            visible[i] = int(visible[i] + offset)
        extra = dict(extra)
        for name in ("st_atime", "st_mtime", "st_ctime"):
            if extra.get(name) is not None:
                extra[name] = extra[name] + offset
        for name in ("st_atime_ns", "st_mtime_ns", "st_ctime_ns"):
            if extra.get(name) is not None:
                extra[name] = extra[name] + offset_ns
        return cls(tuple(visible), extra)

    return stat


def _moved_utime(original, offset: float, offset_ns: int):
    def utime(path, times=None, *, ns=None, **kwargs):
        if times is not None:
            times = (times[0] - offset, times[1] - offset)
        if ns is not None:
            ns = (ns[0] - offset_ns, ns[1] - offset_ns)
            return original(path, ns=ns, **kwargs)
        return original(path, times, **kwargs)

    return utime


def _move() -> None:
    try:
        import time_machine
    except ImportError:  # a Python without the test extras (not ours)
        print(
            f"{_TARGET} is set but time-machine is not installed here: this process keeps "
            "the real clock.",
            file=_sys.stderr,
        )
        return
    offset = _offset_seconds()
    offset_ns = int(offset * 1_000_000_000)
    traveller = time_machine.travel(_time.time() + offset, tick=True)
    traveller.start()
    for name in ("stat", "lstat", "fstat"):
        setattr(_os, name, _moved_stat(getattr(_os, name), offset, offset_ns))
    _os.utime = _moved_utime(_os.utime, offset, offset_ns)


if _os.environ.get(_TARGET):
    _move()
