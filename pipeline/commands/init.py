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
        help="the service profile to start from: a shipped name or a .toml file (default: as "
        "in the shipped settings); the folder keeps its own copy, service-profile.toml",
    )
    parser.add_argument(
        "--new-service",
        metavar="NAME",
        default=None,
        help='a council not shipped: writes a profile in which every rule is "not stated", '
        "to fill in from the council's own policy (docs/new-service.md)",
    )
    parser.add_argument(
        "--force", action="store_true", help="change the profile of a folder that already has one"
    )
    parser.add_argument("--config", help=argparse.SUPPRESS)


class InitRefused(FamilyTimeError):
    """init would do something the person did not ask for."""


OWN_PROFILE = "service-profile.toml"  # the working folder's own copy of its profile
NEW_SERVICE = "profiles/new-service/profile.toml"


def _current_id(config: Path) -> str | None:
    """The service the folder is set up for now, or None when its profile cannot be read."""
    from pipeline.config import load_config
    from pipeline.errors import FamilyTimeError

    try:
        return load_config(config).load_profile().id
    except FamilyTimeError:
        return None


def _check_profile(
    folder: Path, profile: str | None, force: bool, new_service: str | None = None
) -> None:
    """An unknown profile, or a change of an existing folder's service without --force."""
    from pipeline.profile import PROFILES, load_profile, profile_path

    if profile and new_service:
        raise InitRefused(
            "Give either --profile (a service already described) or --new-service (a new "
            "one), not both."
        )
    if profile and not profile_path(profile).is_file():
        known = ", ".join(sorted(p.stem for p in PROFILES.glob("*.toml")))
        raise InitRefused(
            f"There is no service profile called '{profile}'. Known profiles: "
            f"{known} (or give the path of a profile .toml file)."
        )
    config = folder / "family-time.toml"
    if not (profile or new_service) or not config.exists():
        return
    current = _current_id(config)
    wanted = load_profile(profile).id if profile else _service_id(new_service or "")
    if current not in (None, wanted) and not force:
        raise InitRefused(
            f"{folder} is already set up for the profile '{current}'. To "
            f"change it to '{wanted}', run init again with --force (its "
            "referrals, tracker and ledger stay as they are)."
        )


def _service_id(name: str) -> str:
    """ "Lincolnshire County Council" -> "lincolnshire-county-council"."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "new-service"


def _profile_text(profile: str | None, new_service: str | None) -> str:
    """The text of the folder's own profile: a copy of the one named, with a first comment
    saying where it came from, or a new service's profile with every rule "not stated"."""
    from pipeline import clock
    from pipeline import words as house
    from pipeline.config import load_config
    from pipeline.paths import DEFAULT_CONFIG
    from pipeline.profile import profile_path

    if new_service:
        name = new_service.replace('"', "'").strip()
        template = house.path_of(NEW_SERVICE).read_text(encoding="utf-8")
        return house.fill(
            template,
            NEW_SERVICE,
            id=_service_id(name),
            name=name,
            service_name="Family Time Service",
        )
    source = profile_path(profile or load_config(DEFAULT_CONFIG).profile)
    note = house.fill(
        house.load(HEADER)["profile_copy"],
        f"{HEADER} profile_copy",
        source=source.stem,
        date=clock.today().isoformat(),
        file=OWN_PROFILE,
    )
    return note + "\n" + source.read_text(encoding="utf-8")


def _write_profile(folder: Path, profile: str | None, new_service: str | None) -> None:
    """The folder's own profile; one already there is set aside (service-profile.<id>.toml),
    never overwritten, so no edit made to it is lost."""
    from pipeline.files import write_private

    own = folder / OWN_PROFILE
    if own.exists():
        old = _current_id(folder / "family-time.toml") or "previous"
        keep = folder / f"service-profile.{old}.toml"
        n = 1
        while keep.exists():
            n += 1
            keep = folder / f"service-profile.{old}.{n}.toml"
        own.replace(keep)
    write_private(own, _profile_text(profile, new_service).encode("utf-8"))


def init_folder(
    folder: Path, profile: str | None = None, force: bool = False, new_service: str | None = None
) -> Path:
    """Create the folder's layout and its own profile copy; keep an existing family-time.toml
    and profile (the service changes only with force). Returns the config path."""
    from pipeline.files import private_dir, write_private
    from pipeline.paths import DEFAULT_CONFIG

    _check_profile(folder, profile, force, new_service)
    private_dir(folder)
    for sub in ("inbox", "outbox", "outbox/mail", "outbox/tracker", "archive", "state"):
        private_dir(folder / sub)
    config = folder / "family-time.toml"
    chosen = bool(profile or new_service)
    if not config.exists() or (force and chosen):
        text = (config if config.exists() else DEFAULT_CONFIG).read_text(encoding="utf-8")
        _write_profile(folder, profile, new_service)
        lines = [
            f'profile = "{OWN_PROFILE}"' if line.startswith("profile =") else line
            for line in text.splitlines()
        ]
        text = "\n".join(lines) + "\n"
        header_id = None if new_service else profile
        write_private(
            config, _with_header(text, folder, header_id, folder / OWN_PROFILE).encode("utf-8")
        )
    return config


HEADER = "init/header.toml"


def _with_header(
    text: str, folder: Path, profile_id: str | None = None, own: Path | None = None
) -> str:
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
    # the profile the settings name: the folder's own copy, else the one given, else the
    # embedded default's
    profile = load_profile(
        own
        if own is not None and own.is_file()
        else profile_id or load_config(DEFAULT_CONFIG).profile
    )
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
        config_path = init_folder(args.dir, args.profile, args.force, args.new_service)
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
        f"  the service's rules: {args.dir / OWN_PROFILE}"
        + (
            ' (every rule "not stated": fill it in from the council\'s own policy, '
            "as docs/new-service.md shows)\n"
            if args.new_service
            else "\n"
        )
        + f"  put forms in: {args.dir / 'inbox'}\n"
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
