"""`watch` checks the paperwork templates before touching the inbox."""

from __future__ import annotations

import shutil

from docx import Document

import pipeline.render.preflight as preflight_module
from pipeline.cli import main
from pipeline.paths import DOCUMENT_TEMPLATES


def test_a_template_broken_in_word_stops_start_up_and_leaves_the_inbox(
    work, monkeypatch, tmp_path, capsys
):
    broken = tmp_path / "templates"
    shutil.copytree(DOCUMENT_TEMPLATES, broken)
    letter = broken / "letter_parent.docx"
    doc = Document(letter)
    doc.add_paragraph("Please bring {{ parent.favourite_biscuit }} to the first session.")
    doc.save(letter)
    monkeypatch.setattr(preflight_module, "DOCUMENT_TEMPLATES", broken)
    dropped = work.drop("forms/referral-complete.docx")

    code = main(["watch", "--once", "--config", str(work.config_path)])

    err = capsys.readouterr().err
    assert code == 2
    assert "letter_parent.docx" in err and "favourite_biscuit" in err
    assert "Please bring" in err  # the paragraph, so it can be found in Word
    assert dropped.exists() and work.archived() == []  # nothing was processed


def test_good_templates_let_watch_run(work, capsys):
    work.drop("forms/referral-complete.docx")
    assert main(["watch", "--once", "--config", str(work.config_path)]) == 0
    assert len(work.archived()) == 1
