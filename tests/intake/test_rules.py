"""Intake rules: what is ignored, when a file has settled, network shares, claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import files
from pipeline.files import mount_fstype
from pipeline.intake import inbox as intake
from pipeline.intake.inbox import Claims, SettleTracker, choose_mode, is_ignored


@pytest.mark.parametrize(
    "name",
    [
        "~$ferral.docx",
        ".~lock.referral.docx#",
        "x.tmp",
        "a.part",
        "a.partial",
        "b.crdownload",
        "c.filepart",
        "Thumbs.db",
        "desktop.ini",
        ".DS_Store",
        "._referral.docx",
        ".hidden.docx",
    ],
)
def test_temporary_owner_and_system_files_are_ignored(tmp_path, name):
    (tmp_path / name).write_bytes(b"x")
    assert is_ignored(tmp_path / name)


@pytest.mark.parametrize(
    "name", ["referral.docx", "Referral (2).PDF", "mail.eml", "x.msg", "notes.txt"]
)
def test_ordinary_files_are_not_ignored(tmp_path, name):
    (tmp_path / name).write_bytes(b"x")
    assert not is_ignored(tmp_path / name)


def test_sub_folders_are_ignored(tmp_path):
    (tmp_path / "sub.docx").mkdir()
    assert is_ignored(tmp_path / "sub.docx")
    assert intake.inbox_files(tmp_path) == []


MOUNTS = """sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw 0 0
//server/share /mnt/team cifs rw 0 0
server:/export /srv/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/team/local ext4 rw 0 0
"""


def test_mount_type_is_the_longest_matching_mount_point():
    assert mount_fstype(Path("/mnt/team/inbox"), MOUNTS) == "cifs"
    assert mount_fstype(Path("/srv/nfs/inbox"), MOUNTS) == "nfs4"
    assert mount_fstype(Path("/mnt/team/local/inbox"), MOUNTS) == "ext4"
    assert mount_fstype(Path("/mnt/teamx"), MOUNTS) == "ext4"


def test_auto_mode_polls_on_network_shares(monkeypatch, tmp_path):
    monkeypatch.setattr(intake, "is_network_path", lambda p: True)
    assert choose_mode("auto", tmp_path) == "polling"
    monkeypatch.setattr(intake, "is_network_path", lambda p: False)
    assert choose_mode("auto", tmp_path) == "events"
    assert choose_mode("polling", tmp_path) == "polling"


def test_unc_paths_count_as_network_paths():
    assert files._windows_network(r"\\server\share\inbox")


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_a_file_is_ready_only_after_it_stops_changing(tmp_path):
    clock = Clock()
    tracker = SettleTracker(1.0, clock=clock)
    f = tmp_path / "a.docx"
    f.write_bytes(b"part")
    assert tracker.check(f) == "wait"
    clock.t = 0.9
    assert tracker.check(f) == "wait"
    with open(f, "ab") as fh:
        fh.write(b" more")
    clock.t = 1.5
    assert tracker.check(f) == "wait"  # it changed: the clock starts again
    clock.t = 2.0
    assert tracker.check(f) == "wait"
    clock.t = 2.6
    assert tracker.check(f) == "ready"


def test_a_locked_file_is_not_yet_never_a_failure(tmp_path, monkeypatch):
    clock = Clock()
    tracker = SettleTracker(0.5, clock=clock)
    f = tmp_path / "a.docx"
    f.write_bytes(b"data")
    locked = {"on": True}

    def fake_open(path):
        if locked["on"]:
            raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(intake, "try_open", fake_open)
    tracker.check(f)
    clock.t = 1
    assert tracker.check(f) == "wait"
    locked["on"] = False
    assert tracker.check(f) == "ready"


def test_a_vanished_file_is_gone(tmp_path):
    assert SettleTracker(0.1).check(tmp_path / "nope.docx") == "gone"


def test_a_path_cannot_be_claimed_twice_at_once(tmp_path):
    claims = Claims()
    p = tmp_path / "a.docx"
    assert claims.claim(p)
    assert not claims.claim(tmp_path / "." / "a.docx")
    claims.release(p)
    assert claims.claim(p)


def test_a_file_with_the_windows_hidden_attribute_is_ignored(tmp_path):
    (tmp_path / "referral.docx").write_bytes(b"x")
    real = (tmp_path / "referral.docx").stat()

    class Hidden(type(tmp_path)):
        def stat(self, **kw):
            class St:
                st_size, st_mtime_ns, st_mode = real.st_size, real.st_mtime_ns, real.st_mode
                st_file_attributes = intake.FILE_ATTRIBUTE_HIDDEN

            return St()

    assert is_ignored(Hidden(tmp_path / "referral.docx"))


def test_an_inbox_on_a_cifs_mount_is_a_network_path(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(f"//server/team {tmp_path} cifs rw 0 0\n/dev/sda1 / ext4 rw 0 0\n")
    assert files._posix_network(tmp_path / "inbox", mounts)
    assert not files._posix_network(tmp_path / "inbox", tmp_path / "no-such-mounts")
