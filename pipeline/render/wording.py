"""The paperwork's sentences, read from form_templates/documents/wording.toml.

Wording is data so that a service changes what its letters say without Python and without
rebuilding the templates: documents/<profile id>/wording.toml replaces single entries of the
shared file for that service (as mail/<profile id>/ does for the emails). Each entry is a
Jinja snippet filled in with the document's facts before the template is rendered; the
result is plain text that docxtpl then escapes, so "Jo & Sam <Smith>" prints as typed.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from pipeline.errors import FamilyTimeError
from pipeline.paths import DOCUMENT_TEMPLATES

ROOT = DOCUMENT_TEMPLATES
FILE = "wording.toml"
SHARED = "shared"
_BREAK = re.compile(r"[ \t]*\n[ \t]*")


class WordingProblem(FamilyTimeError):
    """A wording file that cannot be used; the message names the file and the entry."""


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError:
        raise WordingProblem(f"The paperwork wording {path} cannot be read.") from None
    except tomllib.TOMLDecodeError as exc:
        raise WordingProblem(f"The paperwork wording {path} is not valid TOML: {exc}") from None


def _merged(root: Path, profile_id: str | None) -> dict[str, dict[str, Any]]:
    """The shared wording with the service's own entries laid over it, entry by entry. An
    entry the shared file does not have is refused: it would be a typo that changes nothing."""
    data = _read(root / FILE)
    own = root / profile_id / FILE if profile_id else None
    if own is not None and own.is_file():
        for table, entries in _read(own).items():
            if table not in data or not isinstance(entries, dict):
                raise WordingProblem(f"{own}: [{table}] is not a part of the paperwork's "
                                     f"wording (see {root / FILE}).")
            for key, value in entries.items():
                if key not in data[table]:
                    raise WordingProblem(f"{own}: [{table}] {key} is not an entry of the "
                                         f"shared wording, so it would change nothing.")
                data[table][key] = value
    return data


@lru_cache(maxsize=32)
def _cached(root: Path, profile_id: str | None, stamp: tuple) -> dict[str, dict[str, Any]]:
    return _merged(root, profile_id)


def wording(profile_id: str | None, root: Path | None = None) -> dict[str, dict[str, Any]]:
    """Shared + the service's wording; read again only when a file changed."""
    root = Path(root or ROOT)
    files = [root / FILE] + ([root / profile_id / FILE] if profile_id else [])
    stamp = tuple(f.stat().st_mtime_ns if f.is_file() else 0 for f in files)
    return _cached(root, profile_id, stamp)


_ENV = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)


def source(text: str) -> str:
    """An entry as written, its line breaks read as single spaces."""
    return _BREAK.sub(" ", text.strip("\n"))


@lru_cache(maxsize=1024)
def _compiled(text: str) -> jinja2.Template:
    return _ENV.from_string(source(text))


def fill(value: Any, data: dict[str, Any], where: str = "") -> Any:
    """One entry filled in with `data`: text, a list (of text or rows) or an `each` list."""
    if isinstance(value, str):
        try:
            return _compiled(value).render(data)
        except jinja2.TemplateError as exc:
            raise WordingProblem(f"The paperwork wording {where} cannot be filled in: "
                                 f"{exc}") from None
    if isinstance(value, list):                 # an entry that fills in empty is left out,
        filled = [fill(v, data, where) for v in value]   # so a service's rule that is off
        return [v for v in filled if _said(v)]    # leaves no empty bullet or row
    if isinstance(value, dict) and "each" in value:
        name = value.get("as", "item")
        return [fill(value["text"], {**data, name: item}, where)
                for item in data.get(value["each"]) or []]
    raise WordingProblem(f"The paperwork wording {where} is neither text nor a list.")


def _said(value: Any) -> bool:
    """A bullet with text, or a row whose label has text."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list) and value:
        return bool(str(value[0]).strip())
    return True


def words_for(table: str, data: dict[str, Any], profile_id: str | None,
              root: Path | None = None) -> dict[str, dict[str, Any]]:
    """`words` for one document's template: the shared entries and the document's own, each
    filled in with the document's facts (`data`). The document's entries may use the shared
    ones as {{ words.shared.<key> }}."""
    all_words = wording(profile_id, root)
    shared = {k: fill(v, data, f"[{SHARED}] {k}") for k, v in all_words[SHARED].items()}
    words = {SHARED: shared}
    if table != SHARED:
        with_shared = {**data, "words": words}
        words[table] = {k: fill(v, with_shared, f"[{table}] {k}")
                        for k, v in all_words.get(table, {}).items()}
    return words


def say(table: str, key: str, profile_id: str | None, root: Path | None = None,
        **values: Any) -> str:
    """One entry filled in with `values` (the short notes the paperwork adds, e.g. a moved
    session's "in place of ...")."""
    return fill(wording(profile_id, root)[table][key], values, f"[{table}] {key}")


# ---------------------------------------------------------------- the check at start

_PLACE = re.compile(r"words\.(\w+)\.(\w+)")
_NOTES = {"replaces": {"date", "closure"}, "substitute_day": {"holiday"},
          "carer_drop_off": {"start", "drop"},
          "chart_title": {"period_from", "period_to"}}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _names(v)]
    if isinstance(value, dict):
        return _names(value.get("text", ""))
    return []


def _check_entry(where: str, value: Any, allowed: set[str], model=None) -> None:
    """One entry parses and uses only the facts its document has (`allowed`; with `model`,
    also the fields it reads of them, e.g. child.dob)."""
    from jinja2 import meta, nodes

    from pipeline.render.preflight import _submodel
    if isinstance(value, dict):
        if set(value) - {"each", "as", "text"} or "each" not in value or "text" not in value:
            raise WordingProblem(f"The paperwork wording {where} must have `each` and `text` "
                                 "(and may have `as`).")
        if value["each"] not in allowed:
            raise WordingProblem(f"The paperwork wording {where} repeats over "
                                 f"'{value['each']}', which this document does not have.")
        allowed = allowed | {value.get("as", "item")}
    for text in _names(value):
        try:
            ast = _ENV.parse(source(text))
        except jinja2.TemplateSyntaxError as exc:
            raise WordingProblem(f"The paperwork wording {where} cannot be read: "
                                 f"{exc.message}") from None
        unknown = sorted(meta.find_undeclared_variables(ast) - allowed)
        fields = model.model_fields if model is not None else {}
        for node in ast.find_all(nodes.Getattr):
            if isinstance(node.node, nodes.Name) and node.node.name in fields:
                sub = _submodel(fields[node.node.name].annotation)
                if sub is not None and node.attr not in sub.model_fields:
                    unknown.append(f"{node.node.name}.{node.attr}")
        if unknown:
            raise WordingProblem(f"The paperwork wording {where} uses '{unknown[0]}', which the "
                                 "paperwork does not provide there.")


_checked: set[tuple] = set()


def check(root: Path | None = None) -> None:
    """Raise WordingProblem, naming the file and the entry, when the shared wording or a
    service's own cannot fill the templates: an entry a template needs is missing, a snippet
    does not parse, or it uses a fact the document does not have. Called by the template
    check at `watch` start-up."""
    from pipeline.render.context import CONTEXTS, DocumentContext, settings
    from pipeline.render.preflight import _paragraph_texts
    root = Path(root or ROOT)
    stamp = tuple((str(f), f.stat().st_mtime_ns) for f in sorted(root.glob(f"**/{FILE}")))
    stamp += tuple((str(f), f.stat().st_mtime_ns) for f in sorted(root.glob("*.docx")))
    if stamp in _checked:
        return
    models = {key: CONTEXTS[spec["context"]] for key, spec in settings()["templates"].items()}
    base = set(DocumentContext.model_fields)
    profiles = [None] + sorted(p.name for p in root.iterdir() if (p / FILE).is_file())
    for profile_id in profiles:
        data = _merged(root, profile_id)
        name = root / profile_id / FILE if profile_id else root / FILE
        for table, entries in data.items():
            model = None
            if table == "notes":
                allowed_for = dict(_NOTES)
            elif table == SHARED:
                model = DocumentContext
                allowed_for = {k: base - {"words"} for k in entries}
            elif table in models:
                model = models[table]
                allowed_for = {k: set(model.model_fields) for k in entries}
            else:
                raise WordingProblem(f"{name}: [{table}] is not a document the paperwork makes.")
            for key, value in entries.items():
                _check_entry(f"{name} [{table}] {key}", value, allowed_for.get(key, set()),
                             model)
    shared = _merged(root, None)
    for key, spec in settings()["templates"].items():
        path = root / spec["file"]
        if not path.is_file():
            continue                    # the template check names a missing template
        for text in _paragraph_texts(path):
            for table, entry in _PLACE.findall(text):
                if entry not in shared.get(table, {}) or table not in (SHARED, key):
                    raise WordingProblem(f"Paperwork template {path.name} uses words.{table}."
                                         f"{entry}, which {root / FILE} does not have for "
                                         f"this document.")
    _checked.add(stamp)
