"""What the reader says about a file, read from form_templates/reader/reasons.toml.

The readers choose a reason by code ("pdf.password"); the words are data, so a service
rewords them without Python: form_templates/reader/<profile id>/reasons.toml replaces single
entries for that service, as mail/<profile id>/ does for the emails.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from pipeline.errors import FamilyTimeError
from pipeline.paths import FORM_TEMPLATES

ROOT = FORM_TEMPLATES / "reader"
FILE = "reasons.toml"


class ReasonsProblem(FamilyTimeError):
    """A reasons file that cannot be used; the message names the file and the entry."""


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReasonsProblem(f"The reader's reasons {path} cannot be read: {exc}") from None


@lru_cache(maxsize=16)
def _reasons(profile_id: str | None, root: Path) -> dict[str, dict[str, str]]:
    data = _read(root / FILE)
    own = root / profile_id / FILE if profile_id else None
    if own is not None and own.is_file():
        for table, entries in _read(own).items():
            for key, text in (entries.items() if isinstance(entries, dict) else ()):
                if key not in data.get(table, {}):
                    raise ReasonsProblem(f"{own}: [{table}] {key} is not a reason the reader "
                                         f"gives (see {root / FILE}).")
                data[table][key] = text
    return data


def profile_id(profile) -> str | None:
    """The service's id from a Profile (or its id as text); None for the shared wording."""
    if profile is None or isinstance(profile, str):
        return profile
    return getattr(profile, "id", None)


def say(code: str, profile=None, root: Path | None = None, **values: object) -> str:
    """The reason `code` ("table.key") for this service, its {placeholders} filled in."""
    table, _, key = code.partition(".")
    return _reasons(profile_id(profile), Path(root or ROOT))[table][key].format(**values)
