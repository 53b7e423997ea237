"""Typed models of the referral and the session record, built from the catalogue.

Built, not written out, so a field added to catalogue.toml appears in `validate --json` with
no code change. Nested by the key's prefix (child.dob -> referral["child"]["dob"]); the family
table becomes a list of rows.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Optional

from pydantic import BaseModel, create_model

from pipeline.catalogue import FieldSpec, catalogue

PY_TYPES: dict[str, Any] = {
    "date": dt.date,
    "time": dt.time,
    "yesno": bool,
    "duration": int,
    "days": list[str],
}
_ROW = re.compile(r"^(\w+)\[(?:n|\d+)\]\.(\w+)$")


def _py(spec: FieldSpec) -> Any:
    return Optional[PY_TYPES.get(spec.type, str)]  # noqa: UP045 - a type looked up at run time


def _title(name: str) -> str:
    return "".join(p.capitalize() for p in re.split(r"[_\-.]", name))


@lru_cache(maxsize=4)
def typed_model(kind: str) -> type[BaseModel]:
    """The pydantic model of one kind of form ("referral" or "session_record")."""
    form = catalogue().by_kind(kind)
    groups: dict[str, dict[str, Any]] = {}
    rows: dict[str, dict[str, Any]] = {}
    for spec in form.fields:
        if m := _ROW.match(spec.key):
            rows.setdefault(m[1], {})[m[2]] = (_py(spec), None)
            continue
        group, _, name = spec.key.partition(".")
        groups.setdefault(group, {})[name] = (_py(spec), None)
    top: dict[str, Any] = {}
    for table, cols in rows.items():
        row_model = create_model(f"{_title(table)}Row", **cols)
        top[table] = (list[row_model], [])
    for group, cols in groups.items():
        name = group if group not in top else f"{group}_details"
        top[name] = (Optional[create_model(_title(group), **cols)], None)  # noqa: UP045
    return create_model(_title(kind), **top)


def to_typed(kind: str, values: dict[str, Any]) -> BaseModel:
    """Flat typed values ({"child.dob": date, "family[1].name": ...}) to the nested model."""
    model = typed_model(kind)
    nested: dict[str, Any] = {}
    tables: dict[str, dict[int, dict[str, Any]]] = {}
    for key, value in values.items():
        if m := re.match(r"^(\w+)\[(\d+)\]\.(\w+)$", key):
            tables.setdefault(m[1], {}).setdefault(int(m[2]), {})[m[3]] = value
            continue
        group, _, name = key.partition(".")
        slot = (
            group
            if group not in model.model_fields or not _is_table(model, group)
            else f"{group}_details"
        )
        nested.setdefault(slot, {})[name] = value
    for table, by_row in tables.items():
        nested[table] = [by_row[n] for n in sorted(by_row)]
    return model(**nested)


def _is_table(model: type[BaseModel], name: str) -> bool:
    return str(model.model_fields[name].annotation).startswith("list[")


def typed_json(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The nested answers as JSON-ready data (ISO 8601 dates, HH:MM:SS times)."""
    return to_typed(kind, values).model_dump(mode="json", exclude_none=True)
