"""Templates are checked at start: a template someone edited badly is named, with the place."""

from __future__ import annotations

import shutil

import pytest
from docx import Document

from pipeline.paths import DOCUMENT_TEMPLATES
from pipeline.render import TemplateProblem, preflight
from pipeline.render.context import AgreementContext, ParentLetterContext
from pipeline.render.preflight import check_template

from tests.helpers.scripts import form_script


def make_template(path, *paragraphs):
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    doc.save(path)
    return path


def test_shipped_templates_pass():
    preflight()


def test_smart_quotes_in_a_tag_named(tmp_path):
    path = make_template(
        tmp_path / "bad_quotes.docx",
        "Hello",
        "{% if kind == \u2018suspension\u2019 %}Paused{% endif %}",
    )
    with pytest.raises(TemplateProblem) as exc:
        check_template(path, AgreementContext)
    msg = str(exc.value)
    assert "bad_quotes.docx" in msg and "curly quotes" in msg and "Paused" in msg


def test_unknown_variable_named(tmp_path):
    path = make_template(
        tmp_path / "unknown.docx",
        "Dear {{ parent.name }},",
        "Your worker is {{ favourite_colour }}.",
    )
    with pytest.raises(TemplateProblem) as exc:
        check_template(path, ParentLetterContext)
    msg = str(exc.value)
    assert "unknown.docx" in msg and "favourite_colour" in msg
    assert "Your worker is" in msg


def test_unknown_field_of_a_known_variable_named(tmp_path):
    path = make_template(tmp_path / "typo.docx", "Born {{ child.dobb }}")
    with pytest.raises(TemplateProblem, match=r"child\.dobb"):
        check_template(path, AgreementContext)


def test_unknown_field_inside_a_loop_named(tmp_path):
    path = make_template(
        tmp_path / "loop.docx", "{%p for p in family %}", "{{ p.nickname }}", "{%p endfor %}"
    )
    with pytest.raises(TemplateProblem, match=r"p\.nickname"):
        check_template(path, AgreementContext)


def test_broken_tag_named(tmp_path):
    path = make_template(tmp_path / "broken.docx", "Fine", "Dear {{ parent.name },")
    with pytest.raises(TemplateProblem) as exc:
        check_template(path, ParentLetterContext)
    assert "broken.docx" in str(exc.value) and "Dear" in str(exc.value)


def test_unclosed_block_named(tmp_path):
    path = make_template(
        tmp_path / "unclosed.docx",
        "Intro",
        "{% if resigned %}Again",
        "{% for x in family %}{{ x.name }}{% endif %}",
        "More",
    )
    with pytest.raises(TemplateProblem) as exc:
        check_template(path, AgreementContext)
    assert "unclosed.docx" in str(exc.value) and "endif" in str(exc.value)


def test_not_a_word_file(tmp_path):
    path = tmp_path / "letter.docx"
    path.write_bytes(b"this is not a zip")
    with pytest.raises(TemplateProblem, match="Word cannot open it"):
        check_template(path, ParentLetterContext)


def test_preflight_names_a_bad_file_in_the_folder(tmp_path):
    folder = tmp_path / "documents"
    shutil.copytree(DOCUMENT_TEMPLATES, folder)
    make_template(folder / "letter_carer.docx", "Dear {{ carer.nmae }},")
    with pytest.raises(TemplateProblem, match="letter_carer.docx"):
        preflight(folder)
    (folder / "letter_parent.docx").unlink()
    make_template(folder / "letter_carer.docx", "Dear {{ carer.name }},")
    with pytest.raises(TemplateProblem, match="letter_parent.docx.*missing"):
        preflight(folder)


def test_committed_templates_match_the_build_script(tmp_path):
    """Someone changed the wording in build_documents.py but did not rebuild (or the other
    way round): the committed .docx files must be what the script makes."""
    module = form_script("build_documents")
    for built in module.build(tmp_path):
        assert built.read_bytes() == (DOCUMENT_TEMPLATES / built.name).read_bytes(), built.name


def test_build_mends_smart_quotes():
    module = form_script("build_documents")
    assert (
        module.fix_quotes("It\u2019s {% if a == \u201cb\u201d %}x{% endif %}")
        == 'It\u2019s {% if a == "b" %}x{% endif %}'
    )
