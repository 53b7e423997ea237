"""Which working folder and service profile a command runs on, said on its first line.

Every command takes `--config` and, without it, uses `family-time.toml` in the folder it is run
in (then FAMILY_TIME_CONFIG, then the embedded default): so a command run inside a service's
working folder uses that service's profile, as `watch` does. `--profile` overrides the profile
for the commands that read forms without a working folder's state.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser, profile: bool = False) -> None:
    parser.add_argument(
        "--config",
        help="the working folder's family-time.toml (default: the "
        "one in this folder, else the embedded default)",
    )
    if profile:
        parser.add_argument(
            "--profile",
            default=None,
            help="a service profile name or .toml file, instead of the working folder's",
        )


def load(args: argparse.Namespace):
    """(config, profile). Raises ConfigError or ProfileError with a message for people."""
    from pipeline.config import load_config
    from pipeline.profile import load_profile

    config = load_config(getattr(args, "config", None))
    chosen = getattr(args, "profile", None)
    profile = load_profile(chosen) if chosen else config.load_profile()
    return config, profile


def banner(config, profile) -> str:
    """The first line of every command, e.g. "Working folder /srv/ft (family-time.toml),
    service profile blackpool (Blackpool Council)"."""
    from pipeline.paths import DEFAULT_CONFIG

    where = (
        "the embedded default"
        if config.base.resolve() == DEFAULT_CONFIG.parent.resolve()
        else str(config.base)
    )
    return f"Working folder {where}, service profile {profile.id} ({profile.name})."


def announce(config, profile, as_json: bool = False) -> None:
    """The first line of human output (nothing in --json, which must stay valid JSON)."""
    if as_json:
        return
    print(banner(config, profile))  # (the clock's note, when set, is said by the cli)


def open_for(args: argparse.Namespace, as_json: bool = False, prefix: str = ""):
    """(config, profile) with the first line said; None after saying, for a person, what is
    wrong with the configuration or the profile (the command then exits 2)."""
    import sys

    from pipeline.errors import FamilyTimeError

    try:
        config, profile = load(args)
    except FamilyTimeError as exc:
        print(f"{prefix}{exc}", file=sys.stderr)
        return None
    announce(config, profile, as_json)
    return config, profile
