"""Fault-test fixtures come from tests/conftest.py; the helpers live in faults_kit.py (importable from here)."""

from __future__ import annotations

import sys
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))
import faults_kit  # noqa: E402,F401 - importable by the tests beside it
