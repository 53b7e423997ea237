"""What the reader says about a file, read from form_templates/reader/reasons.toml.

The readers choose a reason by code ("pdf.password"); the words are data, so a service
rewords them without Python: form_templates/reader/<profile id>/reasons.toml replaces single
entries for that service, as mail/<profile id>/ does for the emails.
"""

from __future__ import annotations

from pathlib import Path

from pipeline import words
from pipeline.errors import FamilyTimeError
from pipeline.paths import FORM_TEMPLATES

ROOT = FORM_TEMPLATES / "reader"
FILE = "reasons.toml"


class ReasonsProblem(FamilyTimeError):
    """A reasons file that cannot be used; the message names the file and the entry."""


def _reasons(profile_id: str | None, root: Path) -> dict[str, dict[str, str]]:
    """The shared reasons with the service's own laid over them (pipeline/words.py)."""
    try:
        return words.for_service(root / FILE, profile_id)
    except words.UnknownEntry as exc:
        raise ReasonsProblem(f"{exc} It is not a reason the reader gives.") from None
    except words.WordsProblem as exc:
        raise ReasonsProblem(f"The reader's reasons: {exc}") from None


def profile_id(profile) -> str | None:
    """The service's id from a Profile (or its id as text); None for the shared wording."""
    if profile is None or isinstance(profile, str):
        return profile
    return getattr(profile, "id", None)


def say(code: str, profile=None, root: Path | None = None, **values: object) -> str:
    """The reason `code` ("table.key") for this service, its {placeholders} filled in."""
    table, _, key = code.partition(".")
    return words.fill(
        _reasons(profile_id(profile), Path(root or ROOT))[table][key],
        f"reader/{FILE} [{table}] {key}",
        **values,
    )
