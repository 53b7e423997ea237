"""Loads the field catalogue (form_templates/catalogue.toml): forms, versions, fields.

Everything that knows a label, a key, a choice or a version marker reads it from here, so a
new form version is an edit to the data file, never to code.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from pipeline.paths import CATALOGUE

FieldType = Literal[
    "text",
    "digits",
    "date",
    "time",
    "yesno",
    "choice",
    "days",
    "duration",
    "postcode",
    "phone",
    "email",
]


class FieldSpec(BaseModel):
    key: str
    section: str
    label: str
    type: FieldType
    required: Literal["M", "C", "O"]
    when: str | None = None
    choices: list[str] = Field(default_factory=list)
    allow: list[str] = Field(default_factory=list)
    rule: str | None = None
    hint: str | None = None
    note: str | None = None
    aliases: list[str] = Field(default_factory=list)
    label_template: str | None = None

    @property
    def repeating(self) -> bool:
        return "[n]" in self.key

    def for_row(self, n: int) -> FieldSpec:
        """The same field for row n of a repeating table (family[n].name -> family[2].name)."""
        when = self.when.replace("[n]", f"[{n}]") if self.when else None
        if when == "row is 1":
            when = None if n == 1 else "never"
        required = self.required
        if self.when == "row is 1":
            required = "M" if n == 1 else "O"
        return self.model_copy(
            update={"key": self.key.replace("[n]", f"[{n}]"), "when": when, "required": required}
        )

    def display_label(self, **profile_words: str) -> str:
        """The label a person sees, following the profile where the label does."""
        if self.label_template:
            try:
                return self.label_template.format(**profile_words)
            except (KeyError, IndexError):
                pass
        return self.label


class SectionSpec(BaseModel):
    id: str
    title: str
    guidance: str = ""


class VersionSpec(BaseModel):
    version: str
    status: Literal["current", "old"]
    template: str
    style: Literal["content-controls", "label-table"]
    title: str | None = None
    footer: str = ""
    markers: list[str] = Field(default_factory=list)
    properties: dict[str, str] = Field(default_factory=dict)
    omit_sections: list[str] = Field(default_factory=list)
    label_overrides: dict[str, str] = Field(default_factory=dict)
    # yes/no fields this version asks as two boxes, Yes and No, neither ticked to start with
    # (so "not answered" differs from "No"); each box is tagged "<key>:Yes" / "<key>:No"
    yes_no_boxes: list[str] = Field(default_factory=list)

    def matches_text(self, text: str) -> bool:
        return any(re.search(m, text, re.IGNORECASE) for m in self.markers)


class FormSpec(BaseModel):
    id: str
    kind: Literal["referral", "session_record"]
    title: str
    titles: list[str]
    min_labels: int = 6
    # How the form states its version in any version ("Family Time Referral Form, version
    # 2027.1"): a regular expression whose one group is the version. A version found this way
    # that the catalogue does not list is a newer or unknown one, not an old form.
    version_marker: str | None = None
    rows: int = 0
    versions: list[VersionSpec]
    sections: list[SectionSpec]
    fields: list[FieldSpec]

    def version(self, version: str) -> VersionSpec | None:
        """The catalogue's version of this name; a number written another way ("2025.01",
        "2025.1.0" for 2025.1) is the same version, not an old or unknown one."""
        exact = next((v for v in self.versions if v.version == version), None)
        if exact is not None:
            return exact
        number = version_number(version)
        return next(
            (
                v
                for v in self.versions
                if number is not None and version_number(v.version) == number
            ),
            None,
        )

    @property
    def current_versions(self) -> list[VersionSpec]:
        return [v for v in self.versions if v.status == "current"]

    def expanded_fields(self, sections: list[str] | None = None) -> list[FieldSpec]:
        """Every concrete field, repeating rows expanded (family[1].name ... family[4].name)."""
        out: list[FieldSpec] = []
        for f in self.fields:
            if sections is not None and f.section not in sections:
                continue
            if f.repeating:
                out.extend(f.for_row(n) for n in range(1, self.rows + 1))
            else:
                out.append(f)
        return out

    def field(self, key: str) -> FieldSpec | None:
        """The spec of a concrete key, including row keys such as family[3].phone."""
        generic = re.sub(r"\[\d+\]", "[n]", key)
        for f in self.fields:
            if f.key == key:
                return f
            if f.key == generic:
                n = int(re.search(r"\[(\d+)\]", key).group(1))
                return f.for_row(n)
        return None


class Catalogue(BaseModel):
    forms: dict[str, FormSpec]

    def form(self, form_id: str) -> FormSpec:
        return self.forms[form_id]

    def by_kind(self, kind: str) -> FormSpec:
        return next(f for f in self.forms.values() if f.kind == kind)


def load_catalogue(path: Path = CATALOGUE) -> Catalogue:
    """Read and check the catalogue; a broken file fails here with pydantic's message."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    forms = {fid: FormSpec(id=fid, **body) for fid, body in raw["forms"].items()}
    return Catalogue(forms=forms)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The shipped catalogue, read once per process."""
    return load_catalogue()


def version_number(version: str) -> tuple[int, ...] | None:
    """ "2025.1" as (2025, 1), trailing zero parts dropped ("2025.1.0" is 2025.1); None for a
    version that is not a number ("contact-referral")."""
    parts = version.strip().split(".")
    if not all(x.isdigit() for x in parts):
        return None
    number = [int(x) for x in parts]
    while len(number) > 1 and number[-1] == 0:
        number.pop()
    return tuple(number)
