"""A file the inbox ignores for its name but that is really a form (issue 27) is listed on
`status`, with what to do: a whole form saved as "~$real referral form.docx" (not a tiny owner
file), an Outlook attachment saved as ".tmp". A real owner file is not listed."""

from __future__ import annotations

import shutil

import pytest

from pipeline.cli import main

from tests.helpers.intake_kit import make_workdir
from tests.helpers.paths import FIXTURES


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-04")


def test_status_lists_forms_hidden_under_ignored_names(tmp_path, capsys):
    root = tmp_path / "team"
    assert main(["init", str(root)]) == 0
    config = make_workdir(root)
    inbox = root / "inbox"
    form = FIXTURES / "forms/referral-complete.docx"
    shutil.copyfile(form, inbox / "~$real referral form.docx")
    shutil.copyfile(form, inbox / "ATT00001.tmp")
    (inbox / "open.docx").write_bytes(b"PK\x03\x04 stand-in")
    (inbox / "~$open.docx").write_bytes(b"\x0bPat Example" + b" " * 150)  # Word's owner file
    assert main(["status", "--config", str(config)]) == 0
    text = capsys.readouterr().out
    assert "~$real referral form.docx: never read. If it is a form, rename it" in text
    assert "ATT00001.tmp: never read." in text
    assert "~$open.docx" not in text


def test_a_newer_form_version_is_told_to_the_team_as_such(make_item, profile):
    from pipeline.notify import messages_for

    item = make_item("unreadable", reason="This is the form in a newer or unknown version")
    item = item.model_copy(
        update={"verdict": item.verdict.model_copy(update={"form_version": "2027.1"})}
    )
    [msg] = messages_for(item, profile, None)
    text = msg.message.get_body(("plain",)).get_content()
    assert "a newer form we do not yet know" in msg.subject
    assert "version 2027.1, newer than the versions this service uses" in text
    assert "could not be read" not in text and "could not be read" not in msg.subject
    assert "catalogue" not in text and "profile" not in text
    assert msg.to == ("familytime@nct.example.org",)
