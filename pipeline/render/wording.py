"""The paperwork's sentences, read from form_templates/documents/wording.toml.

Wording is data so that a service changes what its letters say without Python and without
rebuilding the templates: documents/<profile id>/wording.toml replaces single entries of the
shared file for that service (as mail/<profile id>/ does for the emails). Each entry is a
Jinja snippet filled in with the document's facts before the template is rendered; the
result is plain text that docxtpl then escapes, so "Jo & Sam <Smith>" prints as typed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from pipeline import words as house
from pipeline.errors import FamilyTimeError
from pipeline.paths import DOCUMENT_TEMPLATES

ROOT = DOCUMENT_TEMPLATES
FILE = "wording.toml"
SHARED = "shared"
_BREAK = re.compile(r"[ \t]*\n[ \t]*")


class WordingProblem(FamilyTimeError):
    """A wording file that cannot be used; the message names the file and the entry."""


def merged(root: Path, profile_id: str | None) -> dict[str, dict[str, Any]]:
    """The shared wording with the service's own entries laid over it, entry by entry
    (pipeline/words.py). An entry the shared file does not have is refused: it would be a
    typo that changes nothing."""
    try:
        return house.for_service(Path(root) / FILE, profile_id)
    except house.WordsProblem as exc:
        raise WordingProblem(f"The paperwork wording: {exc}") from None


def wording(profile_id: str | None, root: Path | None = None) -> dict[str, dict[str, Any]]:
    """Shared + the service's wording; read again only when a file changed."""
    return merged(Path(root or ROOT), profile_id)


_ENV = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)


def source(text: str) -> str:
    """An entry as written, its line breaks read as single spaces."""
    return _BREAK.sub(" ", text.strip("\n"))


def parsed(text: str) -> jinja2.nodes.Template:
    """An entry's Jinja syntax tree, for the check at start (wording_check); raises
    jinja2.TemplateSyntaxError."""
    return _ENV.parse(source(text))


@lru_cache(maxsize=1024)
def _compiled(text: str) -> jinja2.Template:
    return _ENV.from_string(source(text))


def fill(value: Any, data: dict[str, Any], where: str = "") -> Any:
    """One entry filled in with `data`: text, a list (of text or rows) or an `each` list."""
    if isinstance(value, str):
        try:
            return _compiled(value).render(data)
        except jinja2.TemplateError as exc:
            raise WordingProblem(
                f"The paperwork wording {where} cannot be filled in: {exc}"
            ) from None
    if isinstance(value, list):  # an entry that fills in empty is left out,
        filled = [  # so a service's rule that is off leaves no empty bullet or row; a row's
            [fill(c, data, where) for c in v] if isinstance(v, list) else fill(v, data, where)
            for v in value  # cells keep their places (an empty value is still a column)
        ]
        return [v for v in filled if _said(v)]
    if isinstance(value, dict) and "each" in value:
        name = value.get("as", "item")
        return [
            fill(value["text"], {**data, name: item}, where)
            for item in data.get(value["each"]) or []
        ]
    raise WordingProblem(f"The paperwork wording {where} is neither text nor a list.")


def _said(value: Any) -> bool:
    """A bullet with text, or a row whose label has text."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return bool(value) and bool(str(value[0]).strip())
    return True


def words_for(
    table: str, data: dict[str, Any], profile_id: str | None, root: Path | None = None
) -> dict[str, dict[str, Any]]:
    """`words` for one document's template: the shared entries and the document's own, each
    filled in with the document's facts (`data`). The document's entries may use the shared
    ones as {{ words.shared.<key> }}."""
    all_words = wording(profile_id, root)
    shared = {k: fill(v, data, f"[{SHARED}] {k}") for k, v in all_words[SHARED].items()}
    words = {SHARED: shared}
    if table != SHARED:
        with_shared = {**data, "words": words}
        words[table] = {
            k: fill(v, with_shared, f"[{table}] {k}") for k, v in all_words.get(table, {}).items()
        }
    return words


def say(
    table: str, key: str, profile_id: str | None, root: Path | None = None, **values: Any
) -> str:
    """One entry filled in with `values` (the short notes the paperwork adds, e.g. a moved
    session's "in place of ...")."""
    return fill(wording(profile_id, root)[table][key], values, f"[{table}] {key}")
