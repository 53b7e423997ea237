"""What every paperwork document shares: its template (read once per process), the Jinja
environment that compiles each template part once, the checks on the item and allocation, the
schedule, and the one render that fills a template in and writes it as a private file.
Apart from the documents themselves (pipeline/render/documents.py, lac_report.py,
suspension_letters.py) so each of those reads as its own job.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path

from pipeline.files import write_private
from pipeline.models import Allocation, Item
from pipeline.paths import DOCUMENT_TEMPLATES
from pipeline.profile import Profile
from pipeline.render import context as C
from pipeline.render import wording as W
from pipeline.sessions.plan import planned_sessions


class PaperworkProblem(Exception):
    """Paperwork that cannot be made from what we were given; the message says why, plainly."""


@lru_cache(maxsize=16)
def _template_bytes(name: str) -> bytes:
    path = DOCUMENT_TEMPLATES / name
    try:
        return path.read_bytes()
    except OSError:
        raise PaperworkProblem(
            f"The paperwork template {name} is missing from "
            f"{DOCUMENT_TEMPLATES}; run form_templates/build_documents.py."
        ) from None


class _CachingEnvironment:
    """Made on first use: a Jinja environment that compiles each template part once per
    process (compiling, not filling in, is most of a render's cost)."""

    env = None

    @classmethod
    def get(cls):
        if cls.env is None:
            from jinja2 import Environment

            class Env(Environment):
                def from_string(self, source, globals=None, template_class=None):
                    key = (source, self.autoescape)
                    tpl = self._compiled.get(key)
                    if tpl is None:
                        tpl = super().from_string(source, globals, template_class)
                        if len(self._compiled) < 256:
                            self._compiled[key] = tpl
                    return tpl

            cls.env = Env(autoescape=True)
            cls.env._compiled = {}
        return cls.env


def warm_templates() -> None:
    """Compile every template part now, as rendering would, so the first pack after start-up
    is as quick as the rest. Optional: for a caller with idle time (not done by preflight,
    which must keep `watch` start-up quick)."""
    import re

    from docxtpl import DocxTemplate

    import pipeline.render.record_form  # noqa: F401  (imported now rather than mid-pack)
    import pipeline.sessions.schedule  # noqa: F401

    env = _CachingEnvironment.get()
    env.autoescape = True
    for spec in C.settings()["templates"].values():
        tpl = DocxTemplate(io.BytesIO(_template_bytes(spec["file"])))
        tpl.init_docx()
        sources = [tpl.patch_xml(tpl.get_xml())]
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            sources += [
                tpl.patch_xml(tpl.get_part_xml(part)) for _, part in tpl.get_headers_footers(uri)
            ]
        for src in sources:
            env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", src))


def _spec(key: str) -> dict:
    return C.settings()["templates"][key]


def _name(key: str, **fields) -> str:
    return C.settings()["names"][key].format(**fields)


def _render(
    key: str, ctx: C.DocumentContext, out_path: Path, profile: Profile, images: dict | None = None
) -> Path:
    """Render template `key` with `ctx` and the service's wording, and write it privately to
    out_path. The wording's snippets are filled in first, as plain text; docxtpl escapes them
    with every other value."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    tpl = DocxTemplate(io.BytesIO(_template_bytes(_spec(key)["file"])))
    data = ctx.model_dump()
    data["words"] = W.words_for(key, data, profile.id)
    for field, (png, width_mm) in (images or {}).items():
        data[field] = InlineImage(tpl, io.BytesIO(png), width=Mm(width_mm))
    tpl.render(data, _CachingEnvironment.get(), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return write_private(out_path, buf.getvalue())


def _check(item: Item, allocation: Allocation | None) -> None:
    if not item.reference:
        raise PaperworkProblem(
            "This item has no referral reference, so no paperwork can be "
            "made for it (only accepted referrals get paperwork)."
        )
    if item.verdict is None or item.verdict.kind not in (None, "referral"):
        raise PaperworkProblem(
            f"{item.reference} is not a referral form, so there is no paperwork to make for it."
        )
    if allocation is not None and allocation.reference and allocation.reference != item.reference:
        raise PaperworkProblem(
            f"The allocation is for {allocation.reference}, not {item.reference}."
        )


def _planned(item, allocation, profile, **limits) -> list:
    """The schedule, or a PaperworkProblem saying which tracker cell to correct."""
    try:
        return planned_sessions(item, allocation, profile, **limits)
    except ValueError as exc:
        raise PaperworkProblem(
            f"The session dates for {item.reference} cannot be worked out "
            f"from the tracker row: {exc}"
        ) from None


def _title(key: str) -> str:
    return _spec(key).get("title", "")


def _restart_after(item, allocation, profile, until: dt.date | None) -> dt.date | None:
    """The first planned session after a suspension ends; None when time-limited family time
    ends before it (no session is promised after the end: pipeline/cases/family_time.py)."""
    from pipeline.cases.family_time import family_time_end

    if until is None:
        return None
    ends = family_time_end(item, allocation)
    planned = _planned(item, allocation, profile, until=until + dt.timedelta(days=70))
    after = next((s.date for s in planned if s.date > until), until + dt.timedelta(days=1))
    return None if ends is not None and after > ends else after
