"""Where the repository's parts are, for tests, fixture scripts and bench/."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
TEMPLATES = ROOT / "form_templates"
