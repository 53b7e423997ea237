"""Who needs an interpreter, and in which language, from a referral's family rows.

The referral asks `family[n].interpreter` ("No", or the language); every place that shows the
need (the tracker row, the agreement, the letters' header note, each pre-filled session
record) reads it from here, so they all say the same thing.
"""

from __future__ import annotations

from typing import Any

_NO = {"", "no", "none", "n/a", "na", "not needed", "no interpreter", "not required", "-"}


def interpreter_needs(values: dict[str, Any], rows: int = 8) -> list[tuple[str, str]]:
    """(family member's name, language) for each member who needs an interpreter."""
    out = []
    for n in range(1, rows + 1):
        language = " ".join(str(values.get(f"family[{n}].interpreter") or "").split())
        if language.lower().strip(" .") in _NO:
            continue
        name = " ".join(str(values.get(f"family[{n}].name") or "").split()) or f"Family member {n}"
        if language.lower().startswith("yes"):
            language = language[3:].strip(" ,:-()") or "language not given"
        out.append((name, language))
    return out


def interpreter_text(values: dict[str, Any]) -> str:
    """'Jo Parent: Polish; Sam Parent: Urdu' ('' when nobody needs one)."""
    return "; ".join(f"{name}: {language}" for name, language in interpreter_needs(values))
