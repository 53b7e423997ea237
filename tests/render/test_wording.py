"""A service changes what its paperwork says with a wording file, without Python or a rebuild."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

import pipeline.render.wording as W
import pipeline.render.wording_check as wording_check
from pipeline.paths import DOCUMENT_TEMPLATES
from pipeline.render import TemplateProblem, preflight, render_pack

from tests.helpers.render_kit import (
    assert_clean,
    docx_text,
    make_allocation,
    make_item,
    referral_values,
)

TODAY = dt.date(2026, 11, 23)
SHARED_SENTENCE = "If you have any worries or questions"


@pytest.fixture
def wording_root(tmp_path, monkeypatch):
    """A copy of the shipped wording the test can add a service's file to."""
    root = tmp_path / "documents"
    root.mkdir()
    shutil.copy(DOCUMENT_TEMPLATES / W.FILE, root / W.FILE)
    monkeypatch.setattr(W, "ROOT", root)
    return root


def own_wording(root, profile_id, text):
    (root / profile_id).mkdir(exist_ok=True)
    (root / profile_id / W.FILE).write_text(text, encoding="utf-8")


def agreement_and_letter(tmp_path, profile, item=None):
    paths = {
        p.name: p
        for p in render_pack(
            item or make_item(),
            make_allocation(profile),
            profile,
            tmp_path / profile.id,
            today=TODAY,
        )
    }
    agreement = next(p for name, p in paths.items() if name.startswith("FT-2026-00001 "))
    return (docx_text(agreement), docx_text(paths["Letter to parent 1.docx"]))


def test_a_service_file_changes_its_letters_only(tmp_path, wording_root, nct, mk):
    own_wording(
        wording_root,
        nct.id,
        '''
[agreement]
worries = "Missed sessions are not rearranged for {{ child.call_name }}."

[letter_parent]
dear = """Dear
  {{ parent.name }}, hello"""
''',
    )
    agreement, letter = agreement_and_letter(tmp_path, nct)
    assert "Missed sessions are not rearranged for Testy." in agreement
    assert SHARED_SENTENCE not in agreement
    assert "Dear Jo Sample-Parent, hello" in letter  # a line break reads as one space
    assert "I am writing to confirm" in letter  # entries it does not name are shared
    other, _ = agreement_and_letter(tmp_path, mk)
    assert SHARED_SENTENCE in other  # another service is unchanged


def test_an_override_prints_values_as_typed_and_never_none(tmp_path, wording_root, nct):
    own_wording(
        wording_root,
        nct.id,
        '[letter_parent]\ndear = "To {{ parent.name }} ({{ parent.interpreter }})"\n',
    )
    item = make_item(referral_values(**{"family[1].name": "Jo & Sam <Smith>"}))
    _, letter = agreement_and_letter(tmp_path, nct, item)
    assert "To Jo & Sam <Smith> ()" in letter
    assert_clean(letter)


def test_a_typo_in_a_service_file_is_refused_at_start(tmp_path, wording_root, nct):
    folder = tmp_path / "templates"
    shutil.copytree(DOCUMENT_TEMPLATES, folder)
    own_wording(folder, nct.id, '[agreement]\nrarely_rearanged = "Never."\n')
    with pytest.raises(TemplateProblem, match="rarely_rearanged"):
        preflight(folder)
    own_wording(folder, nct.id, '[agreement]\nrarely_rearranged = "{{ child.nickname }}"\n')
    wording_check._checked.clear()
    with pytest.raises(TemplateProblem, match="child.nickname|nickname") as exc:
        preflight(folder)
    assert "rarely_rearranged" in str(exc.value)
    own_wording(folder, nct.id, '[agreement]\nrarely_rearranged = "{{ favourite_colour }}"\n')
    wording_check._checked.clear()
    with pytest.raises(TemplateProblem, match="favourite_colour"):
        preflight(folder)


def test_shipped_wording_passes_the_check():
    wording_check.check(DOCUMENT_TEMPLATES)
