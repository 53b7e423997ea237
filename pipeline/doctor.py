"""What a service must put right before going live, and after any change: `family-time doctor`.

It reads and reports; it changes nothing. Each finding says what is wrong and what to do, and
is either a thing to fix (the command then exits non-zero) or a thing to check.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline import clock

FIX, CHECK = "fix", "check"

# Values the shipped profiles use as stand-ins for a service's real details.
_PLACEHOLDER = re.compile(
    r"example\.(org|com|net)|\bExample\b|\bSample\b|\b0\d{3,4} ?0{6}\d?\b", re.I
)


@dataclass(frozen=True)
class Finding:
    level: str  # FIX or CHECK
    what: str  # one plain sentence: what is wrong and what to do


def _placeholders(profile) -> list[Finding]:
    fields = {
        "address": profile.address,
        "phone": profile.phone,
        "contact email": profile.contact_email,
        "team inbox": profile.team_inbox,
        "out-of-hours phone": profile.out_of_hours_phone or "",
        "mail 'from' address": profile.mail.from_address,
    }
    for v in profile.venues:
        fields[f"venue '{v.name}' address"] = v.address
    return [
        Finding(
            FIX,
            f"The profile's {name} is still a placeholder ({value}); put in the "
            "service's own before going live.",
        )
        for name, value in fields.items()
        if value and _PLACEHOLDER.search(value)
    ]


def _venues(profile) -> list[Finding]:
    return [
        Finding(
            FIX,
            f"Venue '{v.name}' has no address; letters to parents and carers "
            "need one. Add it to the profile's [[venues]].",
        )
        for v in profile.venues
        if not v.address_known
    ]


def _training_days(profile) -> list[Finding]:
    this_year = clock.today().year
    known = {d.year for d in profile.closures.training_days}
    missing = [y for y in (this_year, this_year + 1) if y not in known]
    if not missing:
        return []
    years = " and ".join(str(y) for y in missing)
    return [
        Finding(
            CHECK,
            f"No training days are listed for {years}; sessions would be booked "
            "on them, and letters say the days will be told separately. Add them "
            "to [closures] training_days when the team knows them.",
        )
    ]


def _mail_domains(profile) -> list[Finding]:
    """Where documents may be mailed (issue 27): the list, for a person to check."""
    from pipeline import words
    from pipeline.notify.domains import allowed_domains

    return [
        Finding(
            CHECK,
            words.entry(
                "mail/followup.toml",
                "doctor",
                "domains",
                domains=", ".join(allowed_domains(profile)),
            ),
        )
    ]


def _mail(profile, environ) -> list[Finding]:
    smtp = profile.mail.smtp
    if smtp is None:
        return [
            Finding(
                CHECK,
                "No mail server is set ([mail.smtp] in the profile): messages are "
                "only written to the outbox's mail folder, and nobody receives "
                "them until it is set.",
            )
        ]
    out = []
    for what, name in (("user name", smtp.username_env), ("password", smtp.password_env)):
        if name and not environ.get(name):
            out.append(
                Finding(
                    FIX,
                    f"The mail server's {what} is to come from the environment "
                    f"variable {name}, which is not set for this account.",
                )
            )
    return out


def _folder(label: str, path: Path, who: str) -> list[Finding]:
    if not path.exists():
        return [
            Finding(
                FIX,
                f"The {label} folder {path} does not exist (or the share is not "
                "reachable). Create it with `family-time init`, or fix the path "
                "in family-time.toml.",
            )
        ]
    try:
        st = path.stat()
    except OSError as exc:
        return [Finding(FIX, f"The {label} folder {path} cannot be read ({exc.strerror}).")]
    mode = stat.S_IMODE(st.st_mode)
    owner = _owner(path)
    if who and not mode & (stat.S_IRWXG | stat.S_IRWXO):
        return [
            Finding(
                CHECK,
                f"The {label} folder {path} is private to {owner} (mode "
                f"{mode:03o}); {who} must be able to reach it. Give their "
                "group access (the pipeline does not change permissions).",
            )
        ]
    return []


def _owner(path: Path) -> str:
    try:
        return path.owner()
    except (NotImplementedError, KeyError, OSError):
        return "the account that made it"


def _folders(config) -> list[Finding]:
    return (
        _folder("inbox", config.inbox_dir, "business support")
        + _folder("tracker", config.tracker_dir, "the co-ordinators")
        + _folder("outbox", config.outbox_dir, "")
        + _folder("archive", config.archive_dir, "")
        + _folder("state", config.state_dir, "")
    )


def _templates() -> list[Finding]:
    from pipeline.render.preflight import TemplateProblem, preflight

    try:
        preflight()
    except TemplateProblem as exc:
        return [Finding(FIX, str(exc))]
    return []


def _team_settings(profile_file: Path) -> list[Finding]:
    """Values the team chose where its documents are silent (marked "team setting")."""
    try:
        lines = profile_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    chosen = [
        ln.split("=", 1)[0].strip()
        for ln in lines
        if "team setting" in ln and "=" in ln.split("#", 1)[0]
    ]
    if not chosen:
        return []
    return [
        Finding(
            CHECK,
            "Set by the team where the service's documents are silent (check "
            f"they are still right): {', '.join(chosen)}.",
        )
    ]


def _state_and_owners(config) -> list[Finding]:
    """The ledger's folder on a share (unsafe), and Word/Excel owner files left behind."""
    from pipeline.intake.owners import stale_owner_files
    from pipeline.server.startup import state_on_network

    out = []
    if (why := state_on_network(config)) is not None:
        out.append(Finding(FIX, why))
    for owner, document in stale_owner_files(config):
        out.append(
            Finding(
                CHECK,
                f"{owner.name} is probably left behind by a program that "
                f"closed without tidying up; it is more than a day older than "
                f"{document.name}. If nobody has the file open, delete it.",
            )
        )
    return out


def examine(config, profile, profile_file: Path, environ) -> list[Finding]:
    """Every finding, things to fix first."""
    found = (
        _placeholders(profile)
        + _venues(profile)
        + _mail(profile, environ)
        + _mail_domains(profile)
        + _folders(config)
        + _state_and_owners(config)
        + _templates()
        + _training_days(profile)
        + _team_settings(profile_file)
    )
    return sorted(found, key=lambda f: f.level != FIX)
