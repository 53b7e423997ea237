"""The templates and settings of every automatic email, read from form_templates/mail/.

A service changes what its emails say by editing templates, never code: a file in
mail/<profile id>/ replaces the shared file of the same name, and mail/<profile id>/mail.toml
replaces single settings of mail/mail.toml.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from pipeline import words as house
from pipeline.dates import long_date
from pipeline.paths import MAIL_TEMPLATES


def working_days(n: object, settings: dict | None = None) -> str:
    """ "1 working day", "10 working days": [working_days] of mail.toml (`settings`: a
    service's own; the shared file when not given)."""
    words = (settings or {}).get("working_days") or house.load(MAIL_TEMPLATES / "mail.toml")[
        "working_days"
    ]
    key = "one" if n == 1 else "many"
    return house.fill(words[key], f"mail/mail.toml [working_days] {key}", n=n)


class MailTemplates:
    """Templates (Jinja2) and mail.toml settings for one service, its own files over the
    shared ones."""

    def __init__(self, profile_id: str, root: Path = MAIL_TEMPLATES):
        self.root = root
        own = root / profile_id
        search = [str(own)] if own.is_dir() else []
        search.append(str(root))
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(search),
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html",), default_for_string=False
            ),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["long_date"] = long_date
        self.env.filters["working_days"] = lambda n: working_days(n, self.settings)
        self.env.filters["capitalize_first"] = lambda s: (s[:1].upper() + s[1:]) if s else s
        self.settings = house.for_service(root / "mail.toml", profile_id, known_only=False)
        self._subjects: dict[str, jinja2.Template] = {}

    @property
    def guard_patterns(self) -> list[str]:
        return list(self.settings.get("guard", {}).get("automatic_local_parts", []))

    @property
    def never_in_mail(self) -> list[str]:
        return list(self.settings.get("privacy", {}).get("never_in_mail", []))

    @property
    def name_keys(self) -> list[str]:
        return list(self.settings.get("privacy", {}).get("names", []))

    def words(self, table: str, key: str, default: str = "") -> str:
        return str(self.settings.get(table, {}).get(key, default))

    def subject(self, kind: str, context: dict) -> str:
        """The subject line for `kind`, on one line whatever the data holds."""
        if kind not in self._subjects:
            source = self.settings.get("subjects", {}).get(kind)
            if not source:
                raise KeyError(f"mail.toml has no subject for '{kind}'")
            self._subjects[kind] = self.env.from_string(source)
        text = self._subjects[kind].render(**context)
        return " ".join(text.split())

    def body(self, kind: str, part: str, context: dict) -> str:
        """The text ("txt") or HTML ("html") part of the message for `kind`."""
        return self.env.get_template(f"{kind}.{part}").render(**context)


@lru_cache(maxsize=16)
def templates_for(profile_id: str, root: Path = MAIL_TEMPLATES) -> MailTemplates:
    """One MailTemplates per service per process (templates are compiled once)."""
    return MailTemplates(profile_id, root)
