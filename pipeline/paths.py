"""Where the project's data lives, so no module hard-codes a path of its own."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORM_TEMPLATES = ROOT / "form_templates"
CATALOGUE = FORM_TEMPLATES / "catalogue.toml"
PROFILES = FORM_TEMPLATES / "profiles"
DOCUMENT_TEMPLATES = FORM_TEMPLATES / "documents"
MAIL_TEMPLATES = FORM_TEMPLATES / "mail"
DEFAULT_CONFIG = ROOT / "family-time.toml"
