"""`family-time init DIR`: a ready working folder (configuration and private folders)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.errors import FamilyTimeError

HELP = "Create a working folder: family-time.toml, inbox/, outbox/, archive/ and state/."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, metavar="DIR", help="the folder to set up")
    parser.add_argument(
        "--profile",
        default=None,
        help="the service profile to use (default: as in the shipped settings)",
    )
    parser.add_argument(
        "--force", action="store_true", help="change the profile of a folder that already has one"
    )
    parser.add_argument("--config", help=argparse.SUPPRESS)


class InitRefused(FamilyTimeError):
    """init would do something the person did not ask for."""


def _check_profile(folder: Path, profile: str | None, force: bool) -> None:
    """An unknown profile, or a change of an existing folder's profile without --force."""
    from pipeline.config import load_config
    from pipeline.profile import PROFILES, profile_path

    if profile and not profile_path(profile).exists():
        known = ", ".join(sorted(p.stem for p in PROFILES.glob("*.toml")))
        raise InitRefused(
            f"There is no service profile called '{profile}'. Known profiles: "
            f"{known} (or give the path of a profile .toml file)."
        )
    config = folder / "family-time.toml"
    if profile and config.exists():
        current = load_config(config).profile
        if current != profile and not force:
            raise InitRefused(
                f"{folder} is already set up for the profile '{current}'. To "
                f"change it to '{profile}', run init again with --force (its "
                "referrals, tracker and ledger stay as they are)."
            )


def init_folder(folder: Path, profile: str | None = None, force: bool = False) -> Path:
    """Create the folder's layout; keep an existing family-time.toml (its profile changes only
    with force). Returns the config path."""
    from pipeline.files import private_dir, write_private
    from pipeline.paths import DEFAULT_CONFIG

    _check_profile(folder, profile, force)
    private_dir(folder)
    for sub in ("inbox", "outbox", "outbox/mail", "outbox/tracker", "archive", "state"):
        private_dir(folder / sub)
    config = folder / "family-time.toml"
    if not config.exists() or (force and profile):
        text = (config if config.exists() else DEFAULT_CONFIG).read_text(encoding="utf-8")
        if profile:
            lines = [
                f'profile = "{profile}"' if line.startswith("profile =") else line
                for line in text.splitlines()
            ]
            text = "\n".join(lines) + "\n"
        write_private(config, _with_header(text, folder, profile).encode("utf-8"))
    return config


HEADER = "init/header.toml"


def _with_header(text: str, folder: Path, profile_id: str | None = None) -> str:
    """The settings with a first comment about this folder and its service, in place of the
    embedded default's (or an earlier init's) comment; a person's own comment is kept."""
    from pipeline import words as house
    from pipeline.config import load_config
    from pipeline.paths import DEFAULT_CONFIG
    from pipeline.profile import load_profile

    words = house.load(HEADER)["header"]
    lines = text.splitlines()
    start = next((k for k, line in enumerate(lines) if not line.startswith("#")), len(lines))
    ours = DEFAULT_CONFIG.read_text(encoding="utf-8").splitlines()[:start] == lines[:start] or (
        lines and lines[0].startswith(words.splitlines()[0].split("{")[0])
    )
    if not ours:
        return text
    # the profile the settings name: the one given, else the embedded default's
    profile = load_profile(profile_id or load_config(DEFAULT_CONFIG).profile)
    head = house.fill(
        words,
        f"{HEADER} header",
        council=profile.name,
        service=profile.service_name,
        folder=folder.resolve().name,
    )
    return "\n".join([head, *lines[start:]]) + "\n"


def run(args: argparse.Namespace) -> int:
    from pipeline.config import ConfigError, load_config
    from pipeline.profile import ProfileError

    refused = _refuse_network(args.dir)
    if refused:
        print(f"Could not set up {args.dir}: {refused}", file=sys.stderr)
        return 2
    try:
        config_path = init_folder(args.dir, args.profile, args.force)
        config = load_config(config_path)
        config.load_profile()
    except OSError as exc:
        print(f"Could not set up {args.dir}: {exc}", file=sys.stderr)
        return 2
    except (ConfigError, ProfileError, InitRefused) as exc:
        print(exc, file=sys.stderr)
        return 2
    _secure(config)
    print(
        f"Working folder ready: {args.dir}\n"
        f"  settings: {config_path}\n"
        f"  put forms in: {args.dir / 'inbox'}\n"
        f'  then check it: family-time doctor --config "{config_path}"\n'
        f'  and run: family-time watch --config "{config_path}"'
    )
    return 0


def _refuse_network(folder: Path) -> str | None:
    """Why not to create a working folder here (its ledger would be on a share), or None."""
    from pipeline.server.startup import init_on_network

    return init_on_network(folder)


def _secure(config) -> None:
    """On Windows, set the folders' ACLs (pipeline/server/access.py); say so if icacls refused."""
    from pipeline.server.access import secure_working_folder

    for problem in secure_working_folder(config):
        print(
            f"Warning: {problem}. Set the folder's access by hand (see the README's "
            f"Windows section).",
            file=sys.stderr,
        )
