"""The paperwork: agreements, letters, pre-filled session records, review reports and the
missed-session letters, rendered from Word templates (form_templates/documents/).

Imported lazily so that `import pipeline.render` stays cheap for the watcher until a pack is
actually made.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "render_pack": "pipeline.render.documents",
    "render_agreement": "pipeline.render.documents",
    "render_lac_report": "pipeline.render.lac_report",
    "render_suspension_letters": "pipeline.render.suspension_letters",
    "PaperworkProblem": "pipeline.render.rendering",
    "preflight": "pipeline.render.preflight",
    "TemplateProblem": "pipeline.render.preflight",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pipeline.render' has no attribute {name!r}")
    return getattr(import_module(module), name)
