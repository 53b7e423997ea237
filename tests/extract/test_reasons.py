"""The reader's reasons are data: a service rewords one without Python."""

from __future__ import annotations

import shutil
import zipfile

import pytest

import pipeline.extract.reasons as R
from pipeline.extract import extract_file
from pipeline.extract.pdf import PASSWORD_REASON
from pipeline.profile import load_profile


@pytest.fixture
def reasons_root(tmp_path, monkeypatch):
    root = tmp_path / "reader"
    root.mkdir()
    shutil.copy(R.ROOT / R.FILE, root / R.FILE)
    monkeypatch.setattr(R, "ROOT", root)
    return root


def own_reasons(root, profile_id, text):
    (root / profile_id).mkdir(exist_ok=True)
    (root / profile_id / R.FILE).write_text(text, encoding="utf-8")


def empty_pdf(tmp_path):
    path = tmp_path / "referral.pdf"
    path.write_bytes(b"")
    return path


def test_a_service_file_changes_a_reason_for_that_service_only(tmp_path, reasons_root):
    own_reasons(
        reasons_root,
        "blackpool",
        '[pdf]\nempty = "Nothing in this PDF: ask the Together Worker."\n',
    )
    path = empty_pdf(tmp_path)
    from pipeline.extract.pdf import read_pdf

    assert (
        read_pdf(path, profile=load_profile("blackpool")).form.reason
        == "Nothing in this PDF: ask the Together Worker."
    )
    assert (
        read_pdf(path, profile=load_profile("milton-keynes")).form.reason
        == "The file is empty (0 bytes); please ask the sender to send it again."
    )


def test_a_refusal_inside_a_word_file_follows_the_service(tmp_path, reasons_root):
    own_reasons(
        reasons_root,
        "blackpool",
        '[safety]\ndamaged_xml = "Broken Word file ({{not a placeholder}})."\n',
    )
    path = tmp_path / "form.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>not closed")
    result = extract_file(path, profile=load_profile("blackpool"))
    assert result.form.status == "unreadable"
    assert result.form.reason == "Broken Word file ({not a placeholder})."
    assert extract_file(path).form.reason.startswith("The document is damaged")


def test_placeholders_are_filled_in_from_the_file():
    assert R.say("pdf.too_long", pages=61) == (
        "The PDF is too long to be a referral form (61 pages); please check what was sent."
    )
    assert R.say("pdf.password") == PASSWORD_REASON


def test_an_entry_the_shared_file_lacks_is_refused(reasons_root):
    own_reasons(reasons_root, "blackpool", '[pdf]\npasword = "typo"\n')
    with pytest.raises(R.ReasonsProblem, match="pasword"):
        R.say("pdf.password", "blackpool")


def test_the_dispatcher_s_refusals_are_data_too(tmp_path, reasons_root):
    """A picture, a winmail.dat or an empty file: worded in reasons.toml [file], and a service
    file rewords them for that service only."""
    own_reasons(
        reasons_root,
        "blackpool",
        '[file]\npicture = "A photo: please ask the Together Worker for the form."\n',
    )
    photo = tmp_path / "form.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    theirs = extract_file(photo, load_profile("blackpool")).form.reason
    ours = extract_file(photo, load_profile("northamptonshire")).form.reason
    assert theirs == "A photo: please ask the Together Worker for the form."
    assert ours == R.say("file.picture") and "picture" in ours


def test_no_reader_reason_repeats_its_own_label():
    """ "Not a referral: Not a referral: ..." never comes from the reader's own words."""
    import tomllib

    data = tomllib.loads((R.ROOT / R.FILE).read_text(encoding="utf-8"))
    for table, entries in data.items():
        for key, text in entries.items():
            head, sep, rest = text.partition(": ")
            assert not (sep and rest.lower().startswith(head.lower() + ":")), f"{table}.{key}"
