"""Issue 17: a message says each label once. The team's notice put its outcome words before the
reader's reason, which often says the same ("could not be read: The file could not be read
..."; "not a referral: Not a referral: ..."). Every reason the reader can give
(form_templates/reader/reasons.toml) is rendered in every message the team gets for it."""

from __future__ import annotations

import html
import re
import tomllib

import pytest

from pipeline.models import Problem
from pipeline.notify.compose import messages_for
from pipeline.paths import ROOT

from tests.notify.test_compose import parts

REASONS = tomllib.loads(
    (ROOT / "form_templates" / "reader" / "reasons.toml").read_text(encoding="utf-8")
)
OUTCOME_WORDS = tomllib.loads(
    (ROOT / "form_templates" / "mail" / "mail.toml").read_text(encoding="utf-8")
)["outcome_words"]
EVERY_REASON = [
    (f"{table}.{key}", re.sub(r"\{\w+\}", "X", text))
    for table, entries in REASONS.items()
    if isinstance(entries, dict)
    for key, text in entries.items()
    if isinstance(text, str)
]
# "Label: Label" anywhere: the same words either side of a colon
REPEATED = re.compile(r"(?i)\b([a-z][a-z' ]{2,60}?)\s*:\s*\1\b")


def _found(body: str) -> str:
    """What the notice says it found (the text line, or the HTML table cell)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    line = next(ln for ln in text.splitlines() if "What we found" in ln)
    return re.sub(r"\s+", " ", line.split("What we found", 1)[1]).strip(" :")


def test_every_reader_reason_is_checked():
    assert len(EVERY_REASON) > 40
    assert any(text.startswith("Not a referral:") for _, text in EVERY_REASON)
    assert any("could not be read" in text for _, text in EVERY_REASON)


@pytest.mark.parametrize("outcome", sorted(OUTCOME_WORDS))
@pytest.mark.parametrize("name,reason", EVERY_REASON, ids=[n for n, _ in EVERY_REASON])
def test_team_notice_says_its_label_once(make_item, profile, outcome, name, reason):
    [out] = messages_for(make_item(outcome, reason=reason, original_name="file.pdf"), profile, None)
    label = OUTCOME_WORDS[outcome].lower()
    for body in parts(out):
        found = _found(body)
        assert found.lower().count(label) == 1, found
        assert not REPEATED.search(found), found
        assert reason.lower()[-20:] in found.lower()  # the reason itself is given


@pytest.mark.parametrize("outcome", sorted(OUTCOME_WORDS))
def test_team_notice_without_a_reason_still_says_what_was_found(make_item, profile, outcome):
    [out] = messages_for(make_item(outcome, reason=""), profile, None)
    for body in parts(out):
        assert _found(body).lower() == OUTCOME_WORDS[outcome].lower()


@pytest.mark.parametrize(
    "outcome", ["accepted", "incomplete", "old_form", "not_referral", "unreadable"]
)
def test_no_message_repeats_a_label(make_item, profile, blank_form, outcome):
    """A problem whose message starts with its own label is said once in every message."""
    problem = Problem(
        key="referral.date", label="Date of referral", message="Date of referral: this is required"
    )
    item = make_item(
        outcome,
        problems=[problem],
        reason="Not a referral: this is a spreadsheet, not the referral form.",
    )
    for msg in messages_for(item, profile, None):
        for body in parts(msg):
            text = html.unescape(re.sub(r"<[^>]+>", " ", body))
            assert not REPEATED.search(text), REPEATED.search(text).group(0)
