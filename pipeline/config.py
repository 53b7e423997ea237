"""The working folder's configuration (family-time.toml): where things are and which service.

Found from --config, then the FAMILY_TIME_CONFIG variable, then family-time.toml in the
current folder, then the repository's own family-time.toml (the embedded default).
Relative paths are relative to the folder holding the config file.

Config files are edited in Notepad: a byte-order mark is accepted, a file not saved as UTF-8
is a clear error, and a path holding a control character ("D:\\new\\temp" in double quotes
is a newline and a tab in TOML) is refused with the hint to use single quotes.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import FamilyTimeError
from pipeline.paths import DEFAULT_CONFIG
from pipeline.profile import Profile, load_profile


class WatchSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: Literal["auto", "events", "polling"] = "auto"  # auto: polling on network paths
    poll_seconds: float = 2.0
    settle_seconds: float = 1.0  # size and mtime unchanged this long before touching a file
    rescan_seconds: float = 300.0  # full rescan as a safety net
    # sub-folders of the inbox (names, at any depth) IT keeps for other things: never read,
    # listed by `status` as ignored. Every other sub-folder's files are processed.
    ignore_subfolders: list[str] = Field(default_factory=list)
    log_file: Path | None = None  # a rotating UTF-8 log (Task Scheduler discards stderr)
    give_up_after: int = Field(default=5, ge=1)  # same failure this often: set aside as unreadable


class AccessSettings(BaseModel):
    """Who may open the working folder's folders on Windows (`init` sets them with icacls)."""

    model_config = ConfigDict(extra="forbid")
    service_account: str | None = None  # default: the account running `init`
    groups: list[str] = Field(default_factory=list)  # e.g. 'COUNCIL\\Family Time support'


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")
    base: Path = Field(default=Path("."), exclude=True)
    profile: str = "northamptonshire"
    inbox: Path = Path("inbox")
    outbox: Path = Path("outbox")
    archive: Path = Path("archive")
    state: Path = Path("state")  # the ledger lives here
    tracker: Path = Path("outbox/tracker")  # the tracking workbook(s)
    mail: Path = Path("outbox/mail")  # every message is written here as .eml
    watch: WatchSettings = Field(default_factory=WatchSettings)
    access: AccessSettings = Field(default_factory=AccessSettings)

    def path(self, p: Path) -> Path:
        return p if p.is_absolute() else (self.base / p)

    @property
    def inbox_dir(self) -> Path:
        return self.path(self.inbox)

    @property
    def outbox_dir(self) -> Path:
        return self.path(self.outbox)

    @property
    def archive_dir(self) -> Path:
        return self.path(self.archive)

    @property
    def state_dir(self) -> Path:
        return self.path(self.state)

    @property
    def tracker_dir(self) -> Path:
        return self.path(self.tracker)

    @property
    def mail_dir(self) -> Path:
        return self.path(self.mail)

    @property
    def ledger_path(self) -> Path:
        return self.state_dir / "ledger.sqlite"

    @property
    def scratch_dir(self) -> Path:
        return self.state_dir / "scratch"

    @property
    def log_path(self) -> Path | None:
        return None if self.watch.log_file is None else self.path(self.watch.log_file)

    def profile_reference(self) -> str | Path:
        """The profile's name, or its file (relative paths from the config's folder)."""
        p = Path(self.profile)
        if p.suffix == ".toml" and not p.is_absolute():
            return self.base / p
        return self.profile

    def load_profile(self) -> Profile:
        return load_profile(self.profile_reference())


class ConfigError(FamilyTimeError):
    """A configuration that cannot be used; the message says which file and which setting."""


def find_config(explicit: str | Path | None = None) -> Path:
    for candidate in (explicit, os.environ.get("FAMILY_TIME_CONFIG")):
        if candidate:
            path = Path(candidate)
            if not path.exists():
                raise ConfigError(f"Configuration file not found: {path}")
            return path
    local = Path.cwd() / "family-time.toml"
    return local if local.exists() else DEFAULT_CONFIG


CONTROL = {chr(c) for c in range(32)} | {chr(127)}


def _text(path: Path, data: bytes) -> str:
    """The file's text: UTF-8, with or without the byte-order mark Notepad may add."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not saved as UTF-8 (byte {exc.start + 1} cannot be read). In Notepad "
            f"use File > Save As and choose Encoding: UTF-8."
        ) from None


def _paths_with_control(raw: dict, where: str = "") -> list[str]:
    out = []
    for key, value in raw.items():
        name = f"{where}{key}"
        if isinstance(value, dict):
            out += _paths_with_control(value, name + ".")
        elif isinstance(value, str) and any(c in CONTROL for c in value):
            out.append(name)
    return out


def load_config(explicit: str | Path | None = None) -> Config:
    path = find_config(explicit)
    try:
        raw = tomllib.loads(_text(path, path.read_bytes()))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        hint = (
            " Write Windows paths in single quotes, e.g. inbox = 'D:\\inbox'."
            if "\\" in str(exc)
            else ""
        )
        raise ConfigError(f"{path}: not valid TOML: {exc}.{hint}") from exc
    bad = _paths_with_control(raw)
    if bad:
        raise ConfigError(
            f"{path}: {', '.join(bad)} holds a control character (a backslash in double quotes "
            f'is read as an escape: "D:\\new" becomes a new line). Write Windows paths in '
            f"single quotes, e.g. inbox = 'D:\\new\\inbox', or with forward slashes."
        )
    try:
        return Config(base=path.resolve().parent, **raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: {problems}") from exc
