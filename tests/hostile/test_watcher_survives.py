"""The real watcher, in a thread, with every hostile file in its inbox: it stays up, gives each
file its outcome, leaves the ones it must ignore alone, and a good referral arriving among them
is acknowledged soon after (the one-second target itself is measured in bench/run.py)."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.intake.process import process_file
from pipeline.intake.watcher import InboxWatcher
from pipeline.ledger import Ledger, shown
from pipeline.ledger.archive_paths import archive_name

from tests.fixtures import make_hostile
from tests.helpers.intake_kit import wait_for
from tests.helpers.mailbox import referral_mail

KNOWN_BUGS: set[str] = set()  # cases a known bug keeps in the inbox (none now)
SLOW_BUGS: set[str] = set()  # cases a known bug makes slow (none now)
GOOD = "zz-good-referral.docx"
# Timing targets (a good referral no more than 1 s later than normal; no file holding the
# watcher for 1 s) are measured by the benchmark (bench/run.py), not asserted here: a loaded CI
# machine would make them flaky. These bounds only catch a file that hangs the watcher.
HANG_SECONDS = 10.0


class Watching:
    """InboxWatcher.run in a thread, with real effects (tracker and mail), timing each file."""

    def __init__(self, work):
        self.work = work
        self.durations: dict[str, float] = {}

        def timed(path, config, profile, ledger):
            start = time.monotonic()
            try:
                return process_file(path, config, profile, ledger)
            finally:
                self.durations[path.name] = time.monotonic() - start

        self.watcher = InboxWatcher(
            work.config, work.profile, Ledger(work.config.ledger_path), process=timed
        )
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watcher.run, args=(self.stop,), daemon=True)

    def __enter__(self):
        self.thread.start()
        time.sleep(0.3)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.watcher.stop()
        self.thread.join(timeout=30)
        self.watcher.ledger.close()
        assert not self.thread.is_alive()


def _ack_for(work, name: str) -> Path | None:
    """The acknowledgement email of the item that came from inbox file `name`."""
    led = Ledger(work.config.ledger_path)
    try:
        ids = [i.id for i in led.items() if i.original_name == name]
    finally:
        led.close()
    if not ids:
        return None
    for p in referral_mail(work.config.mail_dir):
        head = p.read_bytes()[:4000].decode("utf-8", "replace").replace("\r", "")
        keys = [
            line.split(":", 1)[1].strip()
            for line in head.split("\n")
            if line.startswith("X-Family-Time-Key:")
        ]
        if any(k.rsplit(":", 1)[-1] == str(i) for k in keys for i in ids):
            return p
    return None


def _latency(work, good: bytes) -> float:
    staged = work.config_path.parent / GOOD
    staged.write_bytes(good)
    start = time.monotonic()
    os.replace(staged, work.inbox / GOOD)
    assert wait_for(lambda: _ack_for(work, GOOD) is not None, timeout=20), (
        "the good referral was never acknowledged"
    )
    return time.monotonic() - start


def _stage(cases, stage: Path, inbox: Path) -> dict[str, tuple]:
    """Build every case's files and move them into the inbox under unique names."""
    placed = {}
    for n, case in enumerate(cases):
        folder = stage / case.id
        folder.mkdir(parents=True)
        for k, path in enumerate(case.build(folder)):
            if case.outcomes == [["ignored"]]:
                name = path.name  # the name is what makes it ignored
            else:
                stem, suffix = os.path.splitext(path.name)
                name = f"{n:02d}{k}-{stem}"[: 240 - len(suffix)] + suffix
            os.replace(path, inbox / name)
            placed[name] = (case, case.outcomes[k])
    return placed


def _as_copies(expected: list[str], got: list[str]) -> bool:
    """The expected outcomes with some accepted forms recorded as copies ("duplicate")."""
    from collections import Counter

    want, have = Counter(expected), Counter(got)
    copies = have.pop("duplicate", 0)
    return copies > 0 and want - have == Counter({"accepted": copies}) and not have - want


@pytest.mark.skipif(sys.platform == "win32", reason="builds POSIX-only cases (symlink)")
def test_the_watcher_survives_every_hostile_file(make_work):
    import extract_msg  # noqa: F401,E401 - first-use import cost is not a delay

    import pipeline.extract.email  # noqa: F401,E401

    good = make_hostile.referral_bytes(
        {"child.case_id": "9990001", "child.first_name": "Good Child"}
    )
    # the normal latency: the same good referral into a quiet inbox
    quiet = make_work()
    with Watching(quiet):
        normal = _latency(quiet, good)

    work = make_work()
    cases = [c for c in make_hostile.CASES if c.id not in SLOW_BUGS]
    placed = _stage(cases, work.config_path.parent / "stage", work.inbox)
    handled_names = [
        n for n, (c, o) in placed.items() if o != ["ignored"] and c.id not in KNOWN_BUGS
    ]
    with Watching(work) as w:

        def all_handled():
            led = Ledger(work.config.ledger_path)
            try:
                names = {i.original_name.split(" > ")[0] for i in led.items()}
            finally:
                led.close()
            return all(shown(n) in names for n in handled_names)

        assert wait_for(all_handled, timeout=60), "some hostile files were never handled"

        def effects_done():
            led = Ledger(work.config.ledger_path)
            try:
                return not [e for e in led.pending_effects() if e.effect in ("mail", "tracker")]
            finally:
                led.close()

        assert wait_for(effects_done, timeout=60), "tracker or mail never caught up"
        # the files that stay (ignored ones, the one the known bug keeps retrying) are still
        # there and still looked at: a new good referral must not wait behind them
        busy = _latency(work, good)
        assert w.thread.is_alive()
        slowest = max(w.durations.items(), key=lambda kv: kv[1])
    assert busy <= normal + HANG_SECONDS, f"good referral took {busy:.2f}s, normally {normal:.2f}s"
    assert slowest[1] < HANG_SECONDS, f"{slowest[0]} held the watcher for {slowest[1]:.2f}s"

    # every hostile file got its outcome and sits in the archive under it (once)
    led = Ledger(work.config.ledger_path)
    try:
        items = led.items()
    finally:
        led.close()
    for name in handled_names:
        case, expected = placed[name]
        got = sorted(i.outcome for i in items if i.original_name.split(" > ")[0] == shown(name))
        # in one shared inbox a record's reference can exist (another case's referral), and
        # identical referrals from different cases are duplicates of each other (a whole file,
        # or a form with the same answers as another case's: a copy of that referral)
        shared = sorted("session_record" if o == "session_attention" else o for o in expected)
        assert got in (sorted(expected), shared, ["duplicate"]) or _as_copies(expected, got), (
            case.id,
            got,
            expected,
        )
        outcome = "duplicate" if got == ["duplicate"] else got[0]
        stored = [p for p in work.archived() if p.name == archive_name(name)]
        folders = {p.parent.name for p in stored}
        assert len(stored) == 1, (case.id, folders)
        if len(set(got)) == 1:
            assert folders == {outcome}, (case.id, folders)
    left = sorted(p.name for p in work.inbox.iterdir())
    ignored = sorted(n for n, (c, o) in placed.items() if o == ["ignored"])
    bugs = sorted(n for n, (c, o) in placed.items() if c.id in KNOWN_BUGS)
    assert left == sorted(ignored + bugs)


def test_an_empty_file_filled_a_moment_later_is_handled_once_when_full(make_work):
    """A copy that creates the file, pauses, then writes it (slow share, antivirus scan): the
    empty file is not handled as "empty" and then again as the form."""
    work = make_work()  # settle 0.2 s
    with Watching(work) as w:
        target = work.inbox / "slow-copy.docx"
        target.write_bytes(b"")
        time.sleep(0.6)  # longer than settling, still empty
        target.write_bytes(make_hostile.referral_bytes())
        assert wait_for(lambda: not target.exists(), timeout=10)
        time.sleep(0.3)
        assert [i.outcome for i in w.watcher.handled] == ["accepted"]


def test_an_empty_file_that_stays_empty_still_gets_its_outcome(make_work):
    work = make_work()
    with Watching(work) as w:
        (work.inbox / "empty.docx").write_bytes(b"")
        assert wait_for(lambda: bool(w.watcher.handled), timeout=10)
    assert [i.outcome for i in w.watcher.handled] == ["unreadable"]
    assert (work.archive / "unreadable" / "empty.docx").exists()


def test_a_pdf_bomb_does_not_hold_up_the_inbox(make_work):
    work = make_work()
    import pipeline.extract.pdf  # noqa: F401 - import time is not the file's fault

    with Watching(work) as w:
        make_hostile.one("bomb.pdf", make_hostile.pdf_bomb)(work.inbox)
        assert wait_for(lambda: "bomb.pdf" in w.durations, timeout=30)
    assert w.durations["bomb.pdf"] < HANG_SECONDS / 5
    assert [i.outcome for i in w.watcher.handled] == ["unreadable"]
