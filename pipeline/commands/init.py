"""`family-time init DIR`: a ready working folder (configuration and private folders)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "Create a working folder: family-time.toml, inbox/, outbox/, archive/ and state/."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, metavar="DIR", help="the folder to set up")
    parser.add_argument("--profile", default=None,
                        help="the service profile to use (default: as in the shipped settings)")
    parser.add_argument("--config", help=argparse.SUPPRESS)


def init_folder(folder: Path, profile: str | None = None) -> Path:
    """Create the folder's layout; keep an existing family-time.toml. Returns the config path."""
    from pipeline.files import private_dir, write_private
    from pipeline.paths import DEFAULT_CONFIG
    private_dir(folder)
    for sub in ("inbox", "outbox", "outbox/mail", "outbox/tracker", "archive", "state"):
        private_dir(folder / sub)
    config = folder / "family-time.toml"
    if not config.exists():
        text = DEFAULT_CONFIG.read_text(encoding="utf-8")
        if profile:
            lines = [f'profile = "{profile}"' if line.startswith("profile =") else line
                     for line in text.splitlines()]
            text = "\n".join(lines) + "\n"
        write_private(config, text.encode("utf-8"))
    return config


def run(args: argparse.Namespace) -> int:
    from pipeline.config import ConfigError, load_config
    from pipeline.profile import ProfileError
    refused = _refuse_network(args.dir)
    if refused:
        print(f"Could not set up {args.dir}: {refused}", file=sys.stderr)
        return 2
    try:
        config_path = init_folder(args.dir, args.profile)
        config = load_config(config_path)
        config.load_profile()
    except OSError as exc:
        print(f"Could not set up {args.dir}: {exc}", file=sys.stderr)
        return 2
    except (ConfigError, ProfileError) as exc:
        print(exc, file=sys.stderr)
        return 2
    _secure(config)
    print(f"Working folder ready: {args.dir}\n"
          f"  settings: {config_path}\n"
          f"  put forms in: {args.dir / 'inbox'}\n"
          f"  then run: family-time watch --config \"{config_path}\"")
    return 0


def _refuse_network(folder: Path) -> str | None:
    """Why not to create a working folder here (its ledger would be on a share), or None."""
    from pipeline.startup import init_on_network
    return init_on_network(folder)


def _secure(config) -> None:
    """On Windows, set the folders' ACLs (pipeline/access.py); say so if icacls refused."""
    from pipeline.access import secure_working_folder
    for problem in secure_working_folder(config):
        print(f"Warning: {problem}. Set the folder's access by hand (see the README's "
              f"Windows section).", file=sys.stderr)
