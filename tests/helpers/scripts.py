"""The committed builder scripts in form_templates/ (build_forms.py, build_documents.py) are
scripts, not package modules: they are imported by name from their own folder, once, so the
tests and the fixture scripts share one copy."""

from __future__ import annotations

import importlib
import sys

from tests.helpers.paths import TEMPLATES


def form_script(name: str):
    """form_templates/<name>.py as a module."""
    if str(TEMPLATES) not in sys.path:
        sys.path.append(str(TEMPLATES))
    return importlib.import_module(name)
