"""Check every paperwork template at start, so a template someone edited in Word fails at
`watch` start-up with a message naming the file and the paragraph, not half-way through a
family's pack.

Checks: the file opens; no curly ("smart") quote inside a {{ }} / {% %} tag (Word's
autocorrect breaks Jinja that way; the build mends them, so one found here was typed in
Word); every tag is complete within its paragraph; the Jinja parses; every variable (and
every field of a context model it reads, e.g. child.dob) exists in the template's context
model.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pipeline.errors import FamilyTimeError
from pipeline.paths import DOCUMENT_TEMPLATES
from pipeline.render.context import CONTEXTS, settings, submodel
from pipeline.render.docx_paragraphs import paragraph_texts
from pipeline.render.wording import FILE, WordingProblem
from pipeline.render.wording_check import check as check_wording

SMART = "\u2018\u2019\u201c\u201d"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


class TemplateProblem(FamilyTimeError):
    """A paperwork template that cannot be used; the message names the file and the place."""

    def __init__(self, path: Path, problem: str, where: str = ""):
        self.path, self.problem, self.where = Path(path), problem, where
        msg = f"Paperwork template {self.path.name}: {problem}"
        if where:
            msg += f' (in the paragraph: "{where}")'
        msg += f". File: {self.path}"
        super().__init__(msg)


def _short(s: str, n: int = 120) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _where(texts: list[str], needle: str) -> str:
    return next((_short(t) for t in texts if needle in t), "")


def _check_paragraphs(path: Path, texts: list[str]) -> None:
    for t in texts:
        for tag in _TAG.findall(t):
            if any(q in tag for q in SMART):
                raise TemplateProblem(
                    path,
                    f"the tag {_short(tag, 60)} contains curly quotes; "
                    "retype them as straight quotes (' or \") or rebuild the "
                    "templates with form_templates/build_documents.py",
                    _short(t),
                )
        rest = _TAG.sub("", t)
        for opener, closer in (("{{", "}}"), ("{%", "%}")):
            if opener in rest or closer in rest:
                raise TemplateProblem(
                    path,
                    f'a tag is not complete ("{opener} ... {closer}" '
                    "must start and end in the same paragraph)",
                    _short(t),
                )


def _model_fields(model) -> dict:
    return getattr(model, "model_fields", {})


_DOCXTPL_TAG = re.compile(r"(\{%|\{\{)(?:p|tr|tc|r)\s")


def _check_variables(path: Path, model, texts: list[str]) -> None:
    """Parse the paragraphs as one Jinja template (docxtpl's {%p %}, {%tr %}... read as plain
    tags, one paragraph a line) and check every variable against the context model."""
    from jinja2 import Environment, nodes
    from jinja2.exceptions import TemplateSyntaxError

    source = "\n".join(_DOCXTPL_TAG.sub(lambda m: m.group(1) + " ", t) for t in texts)
    try:
        ast = Environment().parse(source)
    except TemplateSyntaxError as exc:
        where = ""
        if exc.lineno and 0 < exc.lineno <= len(texts):
            where = _short(texts[exc.lineno - 1])
        raise TemplateProblem(
            path, f"the template language cannot be read: {exc.message}", where
        ) from None

    fields = _model_fields(model)
    loop_models: dict[str, object] = {}
    for loop in ast.find_all(nodes.For):
        if isinstance(loop.target, nodes.Name) and isinstance(loop.iter, nodes.Name):
            f = fields.get(loop.iter.name)
            sub = submodel(f.annotation) if f else None
            if sub is not None:
                loop_models[loop.target.name] = sub
    from jinja2 import meta

    for name in sorted(meta.find_undeclared_variables(ast)):
        if name not in fields:
            raise TemplateProblem(
                path,
                f"it uses '{name}', which the paperwork does not provide for this document",
                _where(texts, name),
            )
    for node in ast.find_all(nodes.Getattr):
        if not isinstance(node.node, nodes.Name):
            continue
        base = node.node.name
        if base in loop_models:
            sub = loop_models[base]
        elif base in fields:
            sub = submodel(fields[base].annotation)
        else:
            continue
        if sub is not None and node.attr not in _model_fields(sub):
            raise TemplateProblem(
                path,
                f"it uses '{base}.{node.attr}', which the paperwork does not provide",
                _where(texts, f"{base}.{node.attr}"),
            )


def check_template(path: Path, model) -> None:
    """Raise TemplateProblem if the template at `path` cannot render with `model`."""
    path = Path(path)
    if not path.exists():
        raise TemplateProblem(path, "the file is missing; run form_templates/build_documents.py")
    try:
        texts = paragraph_texts(path)
    except Exception as exc:  # not a zip, no document part, XML damaged
        raise TemplateProblem(path, f"Word cannot open it ({type(exc).__name__})") from None
    _check_paragraphs(path, texts)
    _check_variables(path, model, texts)


_checked: set[tuple[str, float]] = set()


def preflight(folder: Path | None = None) -> None:
    """Check every template listed in documents.toml; raise TemplateProblem on the first bad
    one. Called by `watch` at start; cheap to call again (unchanged files are not re-read)."""
    folder = Path(folder) if folder else DOCUMENT_TEMPLATES
    for spec in settings()["templates"].values():
        path = folder / spec["file"]
        model = CONTEXTS.get(spec["context"])
        if model is None:
            raise TemplateProblem(
                path, f"documents.toml names an unknown context '{spec['context']}'"
            )
        try:
            key = (str(path), path.stat().st_mtime)
        except OSError:
            key = None
        if key is not None and key in _checked:
            continue
        check_template(path, model)
        if key is not None:
            _checked.add(key)
    try:
        check_wording(folder)  # the sentences the templates take from wording.toml
    except WordingProblem as exc:
        raise TemplateProblem(folder / FILE, str(exc)) from None


class _CallableModule(type(sys)):
    """`pipeline.render.preflight()` must work whether the caller reaches the function or this
    module (importing the module replaces the package attribute of the same name)."""

    def __call__(self, folder: Path | None = None) -> None:
        preflight(folder)


sys.modules[__name__].__class__ = _CallableModule
