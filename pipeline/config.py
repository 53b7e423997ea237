"""The working folder's configuration (family-time.toml): where things are and which service.

Found from --config, then the FAMILY_TIME_CONFIG variable, then family-time.toml in the
current folder, then the repository's own family-time.toml (the embedded default).
Relative paths are relative to the folder holding the config file.
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
    mode: Literal["auto", "events", "polling"] = "auto"   # auto: polling on network paths
    poll_seconds: float = 2.0
    settle_seconds: float = 1.0       # size and mtime unchanged this long before touching a file
    rescan_seconds: float = 300.0     # full rescan as a safety net
    # sub-folders of the inbox (names, at any depth) IT keeps for other things: never read,
    # listed by `status` as ignored. Every other sub-folder's files are processed.
    ignore_subfolders: list[str] = Field(default_factory=list)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")
    base: Path = Field(default=Path("."), exclude=True)
    profile: str = "northamptonshire"
    inbox: Path = Path("inbox")
    outbox: Path = Path("outbox")
    archive: Path = Path("archive")
    state: Path = Path("state")               # the ledger lives here
    tracker: Path = Path("outbox/tracker")    # the tracking workbook(s)
    mail: Path = Path("outbox/mail")          # every message is written here as .eml
    watch: WatchSettings = Field(default_factory=WatchSettings)

    def path(self, p: Path) -> Path:
        return p if p.is_absolute() else (self.base / p)

    @property
    def inbox_dir(self) -> Path: return self.path(self.inbox)
    @property
    def outbox_dir(self) -> Path: return self.path(self.outbox)
    @property
    def archive_dir(self) -> Path: return self.path(self.archive)
    @property
    def state_dir(self) -> Path: return self.path(self.state)
    @property
    def tracker_dir(self) -> Path: return self.path(self.tracker)
    @property
    def mail_dir(self) -> Path: return self.path(self.mail)
    @property
    def ledger_path(self) -> Path: return self.state_dir / "ledger.sqlite"

    def load_profile(self) -> Profile:
        p = Path(self.profile)
        if p.suffix == ".toml" and not p.is_absolute():
            p = self.base / p
            return load_profile(p)
        return load_profile(self.profile)


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


def load_config(explicit: str | Path | None = None) -> Config:
    path = find_config(explicit)
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
        return Config(base=path.resolve().parent, **raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: {problems}") from exc
