"""What a service must put right before going live, and after any change: `family-time doctor`.

It reads and reports; it changes nothing. Each finding says what is wrong and what to do, and
is either a thing to fix (the command then exits non-zero) or a thing to check. The words are
in form_templates/doctor.toml; what each setting means is the comment beside it in the new
service's profile (form_templates/profiles/new-service/profile.toml), so there is one list.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline import clock
from pipeline import words as house

FIX, CHECK = "fix", "check"
WORDING = "doctor.toml"
MEANINGS = "profiles/new-service/profile.toml"

# Values the shipped profiles use as stand-ins for a service's real details.
_PLACEHOLDER = re.compile(
    r"example\.(org|com|net)|\bExample\b|\bSample\b|\b0\d{3,4} ?0{6}\d?\b", re.I
)
# the invented postcodes of the shipped profiles ("MK6 0AA", "NN1 0AB")
_PLACEHOLDER_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?0A[A-Z]$", re.I)


@dataclass(frozen=True)
class Finding:
    level: str  # FIX or CHECK
    what: str  # one plain sentence: what is wrong and what to do


def say(table: str, entry: str, /, **values) -> str:
    return house.entry(WORDING, table, entry, **values)


def _w(table: str) -> dict:
    return house.load(WORDING)[table]


def _placeholders(profile) -> list[Finding]:
    labels = _w("labels")
    fields = {
        labels["address"]: profile.address,
        labels["phone"]: profile.phone,
        labels["contact_email"]: profile.contact_email,
        labels["team_inbox"]: profile.team_inbox,
        labels["out_of_hours_phone"]: profile.out_of_hours_phone or "",
        labels["mail.from_address"]: profile.mail.from_address,
    }
    for v in profile.venues:
        fields[house.fill(labels["venue_address"], "venue_address", venue=v.name)] = v.address
    return [
        Finding(FIX, say("findings", "placeholder", name=name, value=value))
        for name, value in fields.items()
        if value and _PLACEHOLDER.search(value)
    ]


def _not_stated_but_needed(profile, profile_file: Path) -> list[Finding]:
    """Details letters and mail cannot go without, left "not stated" (a new service)."""
    from pipeline.profile import NOT_STATED

    labels = _w("labels")
    out = []
    for key, why in _w("needed").items():
        obj, attr = (profile.mail, "from_address") if key == "mail.from_address" else (profile, key)
        value = getattr(obj, attr, None)
        if value is None or str(value).strip().lower() == NOT_STATED:
            out.append(
                Finding(
                    FIX,
                    say(
                        "findings",
                        "not_stated_needed",
                        name=labels.get(key, key.replace("_", " ")),
                        why=why,
                        key=key,
                        file=profile_file.name,
                    ),
                )
            )
    return out


def _acceptance(profile) -> list[Finding]:
    """Who accepts referrals, where the service does not say: nothing claims acceptance (the
    acknowledgement says the referral arrived and was logged; the tracker calls it received),
    and the officer is told so, to fill in if their policy names someone."""
    if profile.acceptance.automatic or profile.acceptance.by:
        return []
    return [Finding(CHECK, say("findings", "acceptance_by"))]


def _venues(profile) -> list[Finding]:
    out = []
    if not profile.venues and not profile.venue_kinds:
        out.append(Finding(FIX, say("findings", "no_venue")))
    for v in profile.venues:
        if not v.address_known:
            out.append(Finding(FIX, say("findings", "no_address", venue=v.name)))
        elif v.postcode is None:
            out.append(Finding(CHECK, say("findings", "no_postcode", venue=v.name)))
        elif _PLACEHOLDER_POSTCODE.match(v.postcode.strip()):
            out.append(
                Finding(
                    FIX, say("findings", "placeholder_postcode", venue=v.name, postcode=v.postcode)
                )
            )
    return out


def _review(profile) -> list[Finding]:
    if profile.review.report == "promised" and profile.timescales.review_report is None:
        return [Finding(FIX, say("findings", "review_without_days"))]
    return []


def _training_days(profile) -> list[Finding]:
    this_year = clock.today().year
    known = {d.year for d in profile.closures.training_days}
    missing = [y for y in (this_year, this_year + 1) if y not in known]
    if not missing:
        return []
    years = " and ".join(str(y) for y in missing)
    key = "training_days" if known else "training_days_none"  # letters say so only then
    return [Finding(CHECK, say("findings", key, years=years))]


def _mail_domains(profile) -> list[Finding]:
    """Where documents may be mailed (issue 27): the list, for a person to check."""
    from pipeline import words
    from pipeline.notify.domains import allowed_domains

    domains = allowed_domains(profile)
    key = "domains" if domains else "domains_none"
    return [
        Finding(CHECK, words.entry("mail/followup.toml", "doctor", key, domains=", ".join(domains)))
    ]


def _mail(profile, environ) -> list[Finding]:
    smtp = profile.mail.smtp
    if smtp is None:
        return [Finding(CHECK, say("findings", "no_mail_server"))]
    labels = _w("labels")
    out = []
    for what, name in (
        (labels["mail_user"], smtp.username_env),
        (labels["mail_password"], smtp.password_env),
    ):
        if name and not environ.get(name):
            out.append(Finding(FIX, say("findings", "mail_env", what=what, name=name)))
    return out


def _folder(label: str, path: Path, who: str) -> list[Finding]:
    if not path.exists():
        return [Finding(FIX, say("findings", "folder_missing", label=label, path=path))]
    try:
        st = path.stat()
    except OSError as exc:
        return [
            Finding(
                FIX, say("findings", "folder_unreadable", label=label, path=path, why=exc.strerror)
            )
        ]
    mode = stat.S_IMODE(st.st_mode)
    if who and not mode & (stat.S_IRWXG | stat.S_IRWXO):
        return [
            Finding(
                CHECK,
                say(
                    "findings",
                    "folder_private",
                    label=label,
                    path=path,
                    owner=_owner(path),
                    mode=f"{mode:03o}",
                    who=who,
                ),
            )
        ]
    return []


def _owner(path: Path) -> str:
    try:
        return path.owner()
    except (NotImplementedError, KeyError, OSError):
        return _w("folders")["owner_unknown"]


def _folders(config) -> list[Finding]:
    f = _w("folders")
    return (
        _folder(f["inbox"], config.inbox_dir, f["inbox_who"])
        + _folder(f["tracker"], config.tracker_dir, f["tracker_who"])
        + _folder(f["outbox"], config.outbox_dir, "")
        + _folder(f["archive"], config.archive_dir, "")
        + _folder(f["state"], config.state_dir, "")
    )


def _templates() -> list[Finding]:
    from pipeline.render.preflight import TemplateProblem, preflight

    try:
        preflight()
    except TemplateProblem as exc:
        return [Finding(FIX, str(exc))]
    return []


def _settings(lines: list[str]) -> list[tuple[str, str, str]]:
    """(section.key, value, comment) for each `key = value  # comment` line of a profile."""
    out, section = [], ""
    for line in lines:
        body, _, comment = line.partition("#")
        body = body.strip()
        if body.startswith("[[") or not body:
            if body.startswith("[["):
                section = body.strip("[]").strip()
            continue
        if body.startswith("["):
            section = body.strip("[]").strip()
            continue
        if "=" not in body:
            continue
        key, _, value = body.partition("=")
        out.append((f"{section}.{key.strip()}" if section else key.strip(), value.strip(), comment))
    return out


def meanings() -> dict[str, str]:
    """What each setting means, from the comments of the new service's profile."""
    text = house.path_of(MEANINGS).read_text(encoding="utf-8").splitlines()
    out = dict(_w("meanings"))
    for key, _, comment in _settings(text):
        meaning = comment.strip()
        if meaning.startswith("team setting:"):
            meaning = meaning[len("team setting:") :].strip()
        if meaning:
            out[key] = meaning
    return out


def _team_settings(profile_file: Path) -> list[Finding]:
    """Values the team chose where its documents are silent (marked "team setting"), each
    with what it means."""
    try:
        lines = profile_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    meaning = meanings()
    out, venue = [], ""
    for key, value, comment in _settings(lines):
        if key == "venues.name":
            venue = value.strip("\"'")  # a venue's settings are shown with its name
        if "team setting" not in comment:
            continue
        shown = f"[{key.rsplit('.', 1)[0]}] {key.rsplit('.', 1)[1]}" if "." in key else key
        if key.startswith("venues.") and venue:
            shown = f"[venues '{venue}'] {key.rsplit('.', 1)[1]}"
        if key in meaning:
            what = say("findings", "team_setting", key=shown, value=value, meaning=meaning[key])
        else:
            what = say("findings", "team_setting_no_meaning", key=shown, value=value)
        out.append(Finding(CHECK, what))
    return out


def _not_stated(profile_file: Path) -> list[Finding]:
    """The rules the profile leaves "not stated", so an officer sees what is still silent."""
    try:
        lines = profile_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    keys = list(
        dict.fromkeys(  # once each; a venue's missing postcode is named with its venue
            k
            for k, value, _ in _settings(lines)
            if value.strip("\"'").lower() == "not stated" and not k.startswith("venues.")
        )
    )
    if not keys:
        return []
    return [Finding(CHECK, say("findings", "not_stated", count=len(keys), keys=", ".join(keys)))]


def _state_and_owners(config) -> list[Finding]:
    """The ledger's folder on a share (unsafe), and Word/Excel owner files left behind."""
    from pipeline.intake.owners import stale_owner_files
    from pipeline.server.startup import state_on_network

    out = []
    if (why := state_on_network(config)) is not None:
        out.append(Finding(FIX, why))
    for owner, document in stale_owner_files(config):
        out.append(
            Finding(CHECK, say("findings", "stale_owner", owner=owner.name, document=document.name))
        )
    return out


def _where(config, profile, profile_file: Path) -> list[Finding]:
    """A folder reading the profile shipped inside the program: its edits would be lost."""
    from pipeline.paths import DEFAULT_CONFIG, PROFILES

    embedded = config.base.resolve() == DEFAULT_CONFIG.parent.resolve()
    inside = profile_file.resolve().parent == PROFILES.resolve()
    if embedded or not inside:
        return []
    return [
        Finding(
            FIX,
            say(
                "findings",
                "shipped_profile",
                folder=config.base,
                name=profile_file.stem,
                own=config.base / "service-profile.toml",
            ),
        )
    ]


def examine(config, profile, profile_file: Path, environ) -> list[Finding]:
    """Every finding, things to fix first."""
    found = (
        _where(config, profile, profile_file)
        + _not_stated_but_needed(profile, profile_file)
        + _placeholders(profile)
        + _venues(profile)
        + _acceptance(profile)
        + _review(profile)
        + _mail(profile, environ)
        + _mail_domains(profile)
        + _folders(config)
        + _state_and_owners(config)
        + _templates()
        + _training_days(profile)
        + _team_settings(profile_file)
        + _not_stated(profile_file)
    )
    return sorted(found, key=lambda f: f.level != FIX)
