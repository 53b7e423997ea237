"""The check at start that the paperwork's wording (wording.toml, shared and each service's
own) can fill the templates.

Its own module, above the wording it checks: it needs the context models (context.py) and the
templates' paragraphs, while context.py needs the wording to fill in a session's note, so
keeping the check in wording.py would make the two import each other.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes

from pipeline.render import wording
from pipeline.render.context import CONTEXTS, DocumentContext, settings, submodel
from pipeline.render.docx_paragraphs import paragraph_texts
from pipeline.render.wording import FILE, SHARED, WordingProblem, merged, parsed

_PLACE = re.compile(r"words\.(\w+)\.(\w+)")
_NOTES = {
    "replaces": {"date", "closure"},
    "substitute_day": {"holiday"},
    "carer_drop_off": {"start", "drop"},
    "carer_arrive_by": {"start"},
    "chart_title": {"period_from", "period_to"},
    "record_safety": {"role"},
}
# A changed allocation's sentences (pipeline/render/change.py fills them in)
_CHANGES = {
    "pattern": {"days", "venue", "time", "room"},
    "moved": {"starts", "was", "now", "off", "off_count", "only_first_date"},
    "supervisor": {"starts", "supervisor", "was_supervisor", "supervisor_role"},
    "notice": {"days"},
    "referral_updated": set(),
}


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
    if isinstance(value, dict):
        if set(value) - {"each", "as", "text"} or "each" not in value or "text" not in value:
            raise WordingProblem(
                f"The paperwork wording {where} must have `each` and `text` (and may have `as`)."
            )
        if value["each"] not in allowed:
            raise WordingProblem(
                f"The paperwork wording {where} repeats over "
                f"'{value['each']}', which this document does not have."
            )
        allowed = allowed | {value.get("as", "item")}
    for text in _names(value):
        try:
            ast = parsed(text)
        except jinja2.TemplateSyntaxError as exc:
            raise WordingProblem(
                f"The paperwork wording {where} cannot be read: {exc.message}"
            ) from None
        unknown = sorted(meta.find_undeclared_variables(ast) - allowed)
        fields = model.model_fields if model is not None else {}
        for node in ast.find_all(nodes.Getattr):
            if isinstance(node.node, nodes.Name) and node.node.name in fields:
                sub = submodel(fields[node.node.name].annotation)
                if sub is not None and node.attr not in sub.model_fields:
                    unknown.append(f"{node.node.name}.{node.attr}")
        if unknown:
            raise WordingProblem(
                f"The paperwork wording {where} uses '{unknown[0]}', which the "
                "paperwork does not provide there."
            )


_checked: set[tuple] = set()


def check(root: Path | None = None) -> None:
    """Raise WordingProblem, naming the file and the entry, when the shared wording or a
    service's own cannot fill the templates: an entry a template needs is missing, a snippet
    does not parse, or it uses a fact the document does not have. Called by the template
    check at `watch` start-up."""
    root = Path(root or wording.ROOT)
    stamp = tuple((str(f), f.stat().st_mtime_ns) for f in sorted(root.glob(f"**/{FILE}")))
    stamp += tuple((str(f), f.stat().st_mtime_ns) for f in sorted(root.glob("*.docx")))
    if stamp in _checked:
        return
    models = {key: CONTEXTS[spec["context"]] for key, spec in settings()["templates"].items()}
    base = set(DocumentContext.model_fields)
    profiles = [None] + sorted(p.name for p in root.iterdir() if (p / FILE).is_file())
    for profile_id in profiles:
        data = merged(root, profile_id)
        name = root / profile_id / FILE if profile_id else root / FILE
        for table, entries in data.items():
            model = None
            if table == "notes":
                allowed_for = dict(_NOTES)
            elif table == "changes":
                allowed_for = dict(_CHANGES)
            elif table == SHARED:
                model = DocumentContext
                allowed_for = {k: base - {"words"} for k in entries}
            elif table in models:
                model = models[table]
                allowed_for = {k: set(model.model_fields) for k in entries}
            else:
                raise WordingProblem(f"{name}: [{table}] is not a document the paperwork makes.")
            for key, value in entries.items():
                _check_entry(f"{name} [{table}] {key}", value, allowed_for.get(key, set()), model)
    shared = merged(root, None)
    for key, spec in settings()["templates"].items():
        path = root / spec["file"]
        if not path.is_file():
            continue  # the template check names a missing template
        for text in paragraph_texts(path):
            for table, entry in _PLACE.findall(text):
                if entry not in shared.get(table, {}) or table not in (SHARED, key):
                    raise WordingProblem(
                        f"Paperwork template {path.name} uses words.{table}."
                        f"{entry}, which {root / FILE} does not have for "
                        f"this document."
                    )
    _checked.add(stamp)
