"""The one house of the sentences people read: every wording file is read here.

Wording is data under form_templates/, so a service rewords a cell, a reason, a message or a
letter without Python. One reader (`load`), one way a service lays its own words over the
shared ones (`for_service`: form_templates/<area>/<profile id>/<file> replaces single entries
of form_templates/<area>/<file>), one placeholder syntax for a sentence (`fill`: "{name}", as
str.format). The paperwork's wording (documents/**/wording.toml) and the emails (mail/) are
Jinja templates, because they choose and repeat text ({% if %}, {% for %}); they are read here
too and filled by render/wording.py and notify/templates.py. A placeholder with no value is an
error naming the entry, never a blank in front of a person.

A basics module: only the standard library and pipeline.paths, so every room may use it.
"""

from __future__ import annotations

import copy
import string
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.paths import FORM_TEMPLATES


class WordsProblem(ValueError):
    """A wording file that cannot be used, or an entry that cannot be filled in; the message
    names the file or the entry."""


class Unreadable(WordsProblem):
    """A wording file that is missing or not valid TOML."""


class UnknownEntry(WordsProblem):
    """A service's own entry that the shared file does not have: a typo that changes nothing."""


def path_of(relative_path: str | Path) -> Path:
    """The file under form_templates/ (an absolute path is taken as it is: tests, a copy)."""
    return FORM_TEMPLATES / relative_path


def _stamp(path: Path) -> tuple[int, int]:
    """When the file last changed and its size (two edits within the clock's tick differ in
    size more often than not)."""
    try:
        st = path.stat()
    except OSError:
        return (0, -1)
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=128)
def _read(path: Path, stamp: tuple[int, int]) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise Unreadable(f"{path} cannot be read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise Unreadable(f"{path} is not valid TOML: {exc}") from None


def load(relative_path: str | Path) -> dict[str, Any]:
    """One wording file as data, read again only when it changed (a service edits wording
    while `watch` runs). Shared between callers: read it, never change it."""
    path = path_of(relative_path)
    return _read(path, _stamp(path))


def own_path(relative_path: str | Path, profile_id: str) -> Path:
    """Where a service's own entries for this file live: <area>/<profile id>/<file>."""
    path = path_of(relative_path)
    return path.parent / profile_id / path.name


def for_service(
    relative_path: str | Path, profile_id: str | None, known_only: bool = True
) -> dict[str, Any]:
    """The shared file with the service's own file laid over it, entry by entry (a table's
    entries one by one; a value outside a table replaced whole). `known_only`: an entry or a
    table the shared file does not have is refused (UnknownEntry), as it would change nothing;
    the mail settings, which a service may extend, pass False."""
    path = path_of(relative_path)
    own = own_path(relative_path, profile_id) if profile_id else None
    return _merged(path, own, known_only, _stamp(path), _stamp(own) if own else (0, -1))


@lru_cache(maxsize=64)
def _merged(
    path: Path,
    own: Path | None,
    known_only: bool,
    stamp: tuple[int, int],
    own_stamp: tuple[int, int],
) -> dict[str, Any]:
    data = copy.deepcopy(_read(path, stamp))
    if own is None or not own.is_file():
        return data
    for table, entries in _read(own, own_stamp).items():
        if not isinstance(entries, dict):
            if known_only and table not in data:
                raise UnknownEntry(
                    f"{own}: {table} is not an entry of {path}, so it would change nothing."
                )
            data[table] = entries
            continue
        if known_only and not isinstance(data.get(table), dict):
            raise UnknownEntry(
                f"{own}: [{table}] is not a part of {path}, so it would change nothing."
            )
        for key, value in entries.items():
            if known_only and key not in data[table]:
                raise UnknownEntry(
                    f"{own}: [{table}] {key} is not an entry of {path}, so it would change nothing."
                )
            data.setdefault(table, {})[key] = value
    return data


def placeholders(template: str) -> list[str]:
    """The names a sentence needs filled in ("{reference}" -> ["reference"]); raises
    ValueError for a sentence the one syntax cannot read (an unmatched brace)."""
    names = []
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            names.append(name.split(".")[0].split("[")[0])
    return names


def fill(template: str, where: str = "", /, **values: Any) -> str:
    """A sentence with its {placeholders} filled in. `where` names the entry ("reports/
    month.toml [sections] held") for the error when a value is missing: a missing value is
    an error, never a silent blank."""
    try:
        return str(template).format(**values)
    except KeyError as exc:
        raise WordsProblem(
            f"The wording {where or repr(template)} needs a value for "
            f"{{{exc.args[0]}}}, which was not given."
        ) from None
    except (IndexError, ValueError) as exc:
        raise WordsProblem(
            f"The wording {where or repr(template)} cannot be filled in: {exc}"
        ) from None


def entry(
    relative_path: str | Path, table: str, key: str, profile_id: str | None = None, /, **values: Any
) -> str:
    """One entry ("[table] key" of the file, the service's own where it has one), filled."""
    data = for_service(relative_path, profile_id) if profile_id else load(relative_path)
    return fill(data[table][key], f"{relative_path} [{table}] {key}", **values)
