"""The words validation uses, read from form_templates/validate/messages.toml so they can be
edited without code."""

from __future__ import annotations

from pipeline import words

MESSAGES = "validate/messages.toml"


def _messages() -> dict[str, dict[str, str]]:
    return words.load(MESSAGES)


def has(section: str, name: str) -> bool:
    return name in _messages().get(section, {})


def say(section: str, name: str, **values: object) -> str:
    """One message with its placeholders filled in."""
    return words.fill(_messages()[section][name], f"{MESSAGES} [{section}] {name}", **values)
