"""The words validation uses, read from messages.toml so they can be edited without code."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

MESSAGES = Path(__file__).with_name("messages.toml")


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    with open(MESSAGES, "rb") as fh:
        return tomllib.load(fh)


def has(section: str, name: str) -> bool:
    return name in _messages().get(section, {})


def say(section: str, name: str, **values: object) -> str:
    """One message with its placeholders filled in."""
    return _messages()[section][name].format(**values)
