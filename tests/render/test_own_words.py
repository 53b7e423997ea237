"""A sentence exists only where its service states the rule.

Every document and mail of every service is rendered for one fictional case (agreements,
letters to parents and carers, session records, the review report, suspension papers, the
legal-advice notice where the service has that rule, the blank referral form its refusals
attach, and the automatic emails) and read back as text. Each fails on:
- a sentence of another service's own wording (its <profile>/wording.toml, its own mail
  pieces, its copy of the referral form) that is neither the shared wording nor its own;
- a phrase that belongs to one service's practice (by its seed) found in another's papers;
- a placeholder printed as a value ("0 sessions", "1 days", "None", "Not named", "not stated");
- a word the service's profile lists as not its own (`forbidden_words`, "legal advice" for
  Milton Keynes).
"""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path

import pytest

from pipeline import paths
from pipeline.catalogue import catalogue
from pipeline.profile import load_profile

from tests.helpers.render_kit import docx_text
from tests.render.every_document import (
    SERVICES,
    blank_form,
    render_documents,
    render_mails,
)

DOCUMENTS = paths.FORM_TEMPLATES / "documents"
MAIL = paths.FORM_TEMPLATES / "mail"

# Phrases of one service's own practice, each from its own seed: never in another's papers.
OWN_PHRASES = {
    "northamptonshire": [
        "without telling",  # 001 "agreed without informing the FTS"
        "memory making",  # 001 "photos ... for Memory Making"
        "six weeks before",  # the Trust's unborn-baby notice
        "Saturdays are kept",  # the Trust's Saturday rule
        "rarely be rearranged",  # 001
        "CareFirst",  # 002 §4.6
    ],
    "milton-keynes": [
        "communication book",  # 004
        "marks or bruises",  # 004 "share marks/bruises"
        "into reception",  # 004 "inside the reception area"
        "Reception, ",  # 004
        "supervising social worker",  # 004 "your Supervising Social Worker"
        "pre-visit",  # 004
        "back gate",  # 004
    ],
    "blackpool": [
        "Family Hub",  # 003
        "Mosaic",  # 003
        "photo of the",  # 003 "send the carer a photo"
        "central mailbox",  # 003
    ],
}
PLACEHOLDERS = re.compile(
    r"\b0 (?:sessions?|days?|weeks?)\b|\b1 (?:days|sessions|weeks)\b|\bNone\b|Not named"
    r"|\b[Nn]ot stated\b|Not given|: not given|\{\{|\{%"
)
_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\s*[\n(),“”\"]\s*")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def _pieces(text: str, words: int = 6) -> set[str]:
    """The literal pieces of a template (tags cut out), in sentences of `words` words or more:
    what a reader would see word for word wherever it is printed."""
    out = set()
    for chunk in _TAGS.split(text.replace("\\\n", " ")):
        for piece in _SENTENCE.split(_flat(chunk)):
            piece = piece.strip(" .,;:")
            if len(piece.split()) >= words:
                out.add(piece)
    return out


def _own_sources(service: str) -> list[str]:
    """Everything one service's own files say: its wording, its mail pieces, its form copy."""
    texts = []
    own = DOCUMENTS / service / "wording.toml"
    if own.is_file():
        texts += _strings(tomllib.loads(own.read_text(encoding="utf-8")))
    form = tomllib.loads((DOCUMENTS / "referral_form.toml").read_text(encoding="utf-8"))
    texts += _strings(form.get(service, {}))
    for path in sorted((MAIL / service).glob("*")):
        if path.suffix in (".txt", ".html"):
            texts.append(path.read_text(encoding="utf-8"))
    return texts


def _shared_sources() -> list[str]:
    """The shared wording, the shared mail pieces and the catalogue's form (every service's
    copy starts from it)."""
    texts = _strings(tomllib.loads((DOCUMENTS / "wording.toml").read_text(encoding="utf-8")))
    form = catalogue().by_kind("referral")
    texts += [s.guidance for s in form.sections] + [f.label for f in form.fields]
    for path in sorted(MAIL.glob("*")):
        if path.suffix in (".txt", ".html"):
            texts.append(path.read_text(encoding="utf-8"))
    return texts


def borrowed(service: str) -> dict[str, str]:
    """Each other service's own sentences this service may not print (piece -> whose)."""
    allowed = set()
    for text in _own_sources(service) + _shared_sources():
        allowed |= _pieces(text)
    allowed_text = _flat(" ".join(_TAGS.sub(" ", t) for t in _own_sources(service)))
    shared_text = _flat(" ".join(_TAGS.sub(" ", t) for t in _shared_sources()))
    out = {}
    for other in SERVICES:
        if other == service:
            continue
        for text in _own_sources(other):
            for piece in _pieces(text):
                if piece not in allowed and piece not in allowed_text and piece not in shared_text:
                    out[piece] = other
    return out


def _mail_text(part: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", part))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict[str, str]]:
    """service -> {document or mail name: its text}, for the one fictional case."""
    mp = pytest.MonkeyPatch()
    mp.setenv("FAMILY_TIME_TODAY", "2026-12-16")
    try:
        out = {}
        for service in SERVICES:
            docs = render_documents(service, tmp_path_factory.mktemp(service))
            texts = {f"{p.parent.name}/{p.name}": docx_text(p) for p in docs}
            for kind, parts in render_mails(service, docs).items():
                for part, text in parts.items():
                    texts[f"mail {kind}.{part}"] = _mail_text(text) if part == "html" else text
            texts["blank referral form"] = docx_text(blank_form(service))
            out[service] = texts
        return out
    finally:
        mp.undo()


@pytest.mark.parametrize("service", SERVICES)
def test_every_kind_of_document_is_read(rendered, service):
    names = " ".join(rendered[service]).lower()
    for kind in (
        "agreement",
        "parent",
        "carer",
        "Session record",
        "review",
        "Suspension letter to parent",
        "Suspension letter to carer",
        "Notice to social worker",
        "blank referral form",
        "mail accepted",
        "mail old_form",
        "mail significant_event",
        "mail suspension",
        "mail review_report",
        "mail pack",
    ):
        assert kind.lower() in names, f"{service}: no {kind} rendered"


@pytest.mark.parametrize("service", SERVICES)
def test_no_sentence_of_another_service(rendered, service):
    theirs = borrowed(service)
    found = []
    for name, text in rendered[service].items():
        flat = _flat(text)
        found += [f"{name}: {whose}'s “{p}”" for p, whose in theirs.items() if p in flat]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("service", SERVICES)
def test_no_phrase_of_another_services_practice(rendered, service):
    found = []
    for other, phrases in OWN_PHRASES.items():
        if other == service:
            continue
        for name, text in rendered[service].items():
            flat = _flat(text)
            found += [f"{name}: {other}'s “{p}”" for p in phrases if p in flat]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("service", SERVICES)
def test_no_placeholder_printed_as_a_value(rendered, service):
    found = []
    for name, text in rendered[service].items():
        for line in text.splitlines():
            if PLACEHOLDERS.search(line):
                found.append(f"{name}: {line.strip()[:160]}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("service", SERVICES)
def test_none_of_the_words_the_service_does_not_use(rendered, service):
    words = load_profile(service).forbidden_words
    assert words
    found = [
        f"{name}: “{word}”"
        for name, text in rendered[service].items()
        for word in words
        if word in _flat(text)
    ]
    assert not found, "\n".join(found)


def test_milton_keynes_never_speaks_of_legal_advice(rendered):
    assert "legal advice" in load_profile("milton-keynes").forbidden_words
    assert not any("legal advice" in t for t in rendered["milton-keynes"].values())


def test_a_special_guardian_decides_in_blackpool(rendered):
    """003: in SGO cases the decision to cease or suspend rests with the Special Guardian."""
    [sgo] = [t for n, t in rendered["blackpool"].items() if n.startswith("sgo/")]
    assert "the adoptive parent or special guardian will decide" in _flat(sgo)
    assert "the allocated social worker will decide" not in _flat(sgo)


def test_each_service_attaches_its_own_blank_form():
    labels = {"northamptonshire": "CareFirst ID", "blackpool": "Mosaic ID"}
    forms = {s: blank_form(s) for s in SERVICES}
    assert len({p.resolve() for p in forms.values()}) == 3
    for service, path in forms.items():
        assert path.parent.name == service
        text = docx_text(path)
        if service in labels:
            assert labels[service] in text
        assert load_profile(service).supervisor_role in text or service == "northamptonshire"


def test_the_service_forms_are_the_scripts_output(tmp_path):
    """The committed copies are exactly what build_forms.py makes."""
    import sys

    sys.path.insert(0, str(paths.FORM_TEMPLATES))
    try:
        import build_forms
    finally:
        sys.path.remove(str(paths.FORM_TEMPLATES))
    for path in build_forms.build_service_forms(tmp_path):
        committed = DOCUMENTS / path.parent.name / path.name
        assert committed.read_bytes() == Path(path).read_bytes(), committed


@pytest.mark.parametrize("service", SERVICES)
def test_several_days_are_said_as_a_list(rendered, service):
    """The allocation says "Monday and Wednesday and Friday"; every page says it as a list."""
    three = {n: _flat(t) for n, t in rendered[service].items() if n.startswith("three-days/")}
    assert three and all("Monday and Wednesday" not in t for t in three.values())
    assert any("Monday, Wednesday and Friday" in t for t in three.values())


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_form_comes_back_as_the_current_form(service):
    """What a social worker fills in on the attached copy is read like the catalogue's form."""
    from pipeline.extract import extract_file

    read = extract_file(blank_form(service), load_profile(service))
    assert (read.form.id, read.form.version, read.form.status) == (
        "family-time-referral",
        "2025.1",
        "current",
    )
