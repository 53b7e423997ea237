"""`watch` starting and stopping as a Windows service: the ledger never on a share, folders
only `init` makes, an inbox share not mounted yet at boot, one watch per working folder, and a
stop within a second (NSSM kills 1.5 s after Ctrl+C)."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

import pipeline.server.startup as startup
from pipeline.cli import main
from pipeline.intake.watcher import InboxWatcher
from pipeline.server.service import serve
from pipeline.server.startup import StartupProblem, wait_for_inbox
from pipeline.server.watch_lock import WatchLock

from tests.helpers.intake_kit import kill, wait_for


@pytest.fixture
def state_on_share(monkeypatch):
    """Report the state folder (and only it) as a network path, as GetDriveTypeW or
    /proc/mounts would for a folder on an SMB share."""

    def network(path):
        return os.path.basename(str(path).rstrip("/\\")) == "state"

    monkeypatch.setattr(startup, "is_network_path", network)


def test_watch_refuses_a_state_folder_on_a_network_share(work, state_on_share, capsys, monkeypatch):
    monkeypatch.setenv("PROGRAMDATA", "C:\\ProgramData")  # as on a Windows server
    assert main(["watch", "--once", "--config", str(work.config_path)]) == 2
    err = capsys.readouterr().err
    assert "is on a network share" in err
    assert "state = 'C:\\ProgramData\\FamilyTime\\state'" in err  # a local folder to use


def test_state_on_network_is_what_doctor_calls(work, state_on_share):
    assert "must be on a local disk" in startup.state_on_network(work.config)


def test_init_refuses_to_make_a_working_folder_on_a_share(tmp_path, state_on_share, capsys):
    assert main(["init", str(tmp_path / "share" / "work")]) == 2
    assert "is on a network share" in capsys.readouterr().err
    assert not (tmp_path / "share" / "work" / "state").exists()


@pytest.mark.parametrize("which", ["outbox", "tracker"])
def test_watch_refuses_a_missing_outbox_or_tracker_folder(work, which, capsys):
    folder = work.config.outbox_dir if which == "outbox" else work.config.tracker_dir
    shutil.rmtree(folder)
    assert main(["watch", "--once", "--config", str(work.config_path)]) == 2
    err = capsys.readouterr().err
    assert f"The {which} folder {folder} does not exist" in err
    assert not folder.exists()


def test_watch_once_refuses_a_missing_inbox_and_never_creates_it(work, capsys):
    shutil.rmtree(work.inbox)
    assert main(["watch", "--once", "--config", str(work.config_path)]) == 2
    err = capsys.readouterr().err
    assert f"The inbox folder {work.inbox} cannot be reached" in err
    assert "not mounted" in err
    assert not work.inbox.exists()


def test_a_long_running_watch_waits_for_the_inbox_share_and_logs_each_minute(tmp_path, caplog):
    inbox = tmp_path / "share" / "inbox"
    now = [0.0]
    stop = threading.Event()

    def clock():
        now[0] += 30.0  # every look is half a minute later
        if now[0] >= 200:
            inbox.mkdir(parents=True)  # the share is mounted
        return now[0]

    with caplog.at_level(logging.INFO, logger="pipeline.watch"):
        assert wait_for_inbox(inbox, stop, every=0.001, clock=clock) is True
    waiting = [r.getMessage() for r in caplog.records if "waiting" in r.getMessage()]
    assert all(str(inbox) in m and "not mounted" in m for m in waiting)
    assert 3 <= len(waiting) <= 5  # at start, then about once a minute
    assert "can be reached again" in caplog.records[-1].getMessage()


def test_waiting_for_the_inbox_ends_when_stopped(tmp_path):
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    assert wait_for_inbox(tmp_path / "missing", stop, every=0.05) is False
    assert not (tmp_path / "missing").exists()


def test_a_second_watch_on_the_same_folder_is_refused_with_a_clear_message(work, capsys):
    with WatchLock(work.config.state_dir):
        assert main(["watch", "--once", "--config", str(work.config_path)]) == 2
    err = capsys.readouterr().err
    assert "Another `family-time watch` is already running" in err
    assert f"process {os.getpid()}" in err


def test_the_lock_survives_a_killed_watcher(work):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from pipeline.server.watch_lock import WatchLock; "
            "held = WatchLock(Path(sys.argv[1])); held.acquire(); "
            "print('held', flush=True); time.sleep(60)",
            str(work.config.state_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StartupProblem):
            WatchLock(work.config.state_dir).acquire()
    finally:
        kill(holder)
    lock = WatchLock(work.config.state_dir)
    lock.acquire()  # the file is still there; the lock went with the process
    lock.release()
    assert (work.config.state_dir / "watch.lock").exists()


def test_serve_returns_within_a_second_even_with_a_file_in_hand(work):
    started = threading.Event()

    def slow(path, *_):
        started.set()
        time.sleep(10)  # a slow read: the ledger makes leaving it safe
        return []

    work.drop("forms/referral-complete.docx")
    watcher = InboxWatcher(
        work.config, work.profile, work.ledger, mode="polling", process=slow, effects=lambda: None
    )
    stop = threading.Event()
    done = []
    t = threading.Thread(target=lambda: done.append(serve(watcher, stop)))
    t.start()
    assert started.wait(10)
    asked = time.monotonic()
    stop.set()
    t.join(5)
    assert time.monotonic() - asked < 1.0
    assert done == [False]  # it did not wait for the slow file


@pytest.mark.skipif(os.name == "nt", reason="SIGINT to a child process is POSIX-only here")
def test_watch_stops_within_a_second_of_ctrl_c(work):
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "watch", "--config", str(work.config_path)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        assert wait_for(
            lambda: lines.append(proc.stderr.readline()) or "Watching" in lines[-1], timeout=60
        )
        asked = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        assert time.monotonic() - asked < 1.0
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            kill(proc)
