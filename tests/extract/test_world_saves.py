"""Forms as people's software really saves them (tests/fixtures/world/, made by
tests/fixtures/make_world_saves.py with LibreOffice and pypdf): two children in one file, a form
saved by LibreOffice Writer, a PDF with turned pages, a form newer than the service knows."""

from __future__ import annotations

import json

import pytest

from pipeline.effects import run_effects
from pipeline.extract import extract_all, extract_file
from pipeline.extract.identify import identify
from pipeline.intake.process import process_file

from tests.helpers.hostile_kit import mail_body, mails_by_item
from tests.helpers.mailbox import referral_mail
from tests.helpers.paths import FIXTURES

WORLD = FIXTURES / "world"
ORIGINAL = FIXTURES / "forms" / "referral-complete.docx"
EXPECTED = json.loads((FIXTURES / "forms" / "referral-complete.expected.json").read_text())
NEWER = "a newer or unknown version (2027.1) that the service does not use yet"


def _second_child() -> dict:
    from tests.fixtures.make_world_saves import SECOND_CHILD

    return {**EXPECTED["fields"], **SECOND_CHILD}


# ---------------------------------------------------------------- two children in one file


@pytest.mark.parametrize("name", ["two-children.docx", "two-children-libreoffice.docx"])
def test_a_file_with_two_forms_gives_one_extraction_per_child(name, work):
    got = extract_all(WORLD / name, work.profile)
    assert [e.form.status for e in got] == ["current", "current"]
    assert got[0].fields == EXPECTED["fields"]
    assert got[1].fields == _second_child()


def test_each_child_becomes_its_own_referral_in_one_file_record(work):
    path = work.drop("world/two-children.docx")
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["accepted", "accepted"]
    assert [i.case_id for i in items] == ["1234567", "7654321"]
    assert len({i.reference for i in items}) == 2
    assert [i.original_name for i in items] == [
        "two-children.docx (form 1 of 2)",
        "two-children.docx (form 2 of 2)",
    ]
    assert work.ledger.file_count() == 1
    run_effects(work.ledger, work.config, work.profile)
    assert len(referral_mail(work.config.mail_dir)) == 2  # one acknowledgement each


def test_an_emailed_file_with_two_forms_gives_two_attachments(tmp_path, work):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "social.worker@example.gov.uk"
    msg["To"] = "familytime@example.gov.uk"
    msg["Subject"] = "Two referrals"
    msg["Date"] = "Mon, 02 Mar 2026 10:00:00 +0000"
    msg.set_content("Please find attached.")
    msg.add_attachment(
        (WORLD / "two-children.docx").read_bytes(),
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename="siblings.docx",
    )
    path = tmp_path / "siblings.eml"
    path.write_bytes(bytes(msg))
    got = extract_file(path, work.profile)
    assert [a.file for a in got.attachments] == [
        "siblings.docx (form 1 of 2)",
        "siblings.docx (form 2 of 2)",
    ]
    assert [a.fields["child.case_id"] for a in got.attachments] == ["1234567", "7654321"]


def test_one_form_is_one_extraction_and_keeps_its_name(work):
    """A single form is never split (an email's .docx and its PDF copy stay one form each)."""
    for path in (
        ORIGINAL,
        FIXTURES / "forms" / "referral-complete.pdf",
        FIXTURES / "forms" / "old-contact-referral.docx",
    ):
        got = extract_all(path, work.profile)
        assert len(got) == 1 and got[0].file == path.name


# ---------------------------------------------------------------- LibreOffice Writer


def test_a_form_saved_by_libreoffice_reads_the_same_as_the_original(work):
    saved = extract_file(WORLD / "referral-libreoffice.docx", work.profile)
    assert saved.form.status == "current"
    assert saved.fields == EXPECTED["fields"]


def test_a_form_saved_by_libreoffice_is_accepted_without_false_problems(work):
    path = work.drop("world/referral-libreoffice.docx")
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["accepted"]


def test_controls_without_tag_or_title_are_matched_by_position(work):
    """Word for the web and others can drop both names: the place in the form decides."""
    import io
    import re
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(ORIGINAL) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = re.sub(rb"<w:(tag|alias) w:val=\"[^\"]*\"/>", b"", data)
            zout.writestr(info, data)
    path = work.inbox.parent / "no-names.docx"
    path.write_bytes(buf.getvalue())
    got = extract_file(path, work.profile)
    for key in (
        "referral.court_directed",
        "child.unborn",
        "consent.photos",
        "request.days",
        "family[1].parental_responsibility",
        "child.case_id",
        "social_worker.email",
    ):
        assert got.fields.get(key) == EXPECTED["fields"].get(key), key


# ---------------------------------------------------------------- PDF with turned pages


def test_a_pdf_with_rotated_pages_reads_like_the_upright_one(work):
    upright = extract_file(FIXTURES / "forms" / "referral-complete.pdf", work.profile)
    turned = extract_file(WORLD / "referral-rotated.pdf", work.profile)
    assert (turned.form.status, turned.form.version) == ("current", "2025.1")
    assert turned.fields == upright.fields
    assert len(turned.fields) >= 60


# ---------------------------------------------------------------- a newer version


@pytest.mark.parametrize("name", ["referral-2027.docx", "referral-2027.pdf"])
def test_a_newer_version_is_named_as_such_not_called_old(name, work):
    got = extract_file(WORLD / name, work.profile)
    assert (got.form.id, got.form.version) == ("family-time-referral", "2027.1")
    assert got.form.status == "unreadable"  # the team's route, not "old"
    assert NEWER in got.form.reason
    assert "old" not in got.form.reason.lower().replace(
        "returned to the social worker as an old form", ""
    )


def test_a_newer_version_goes_to_the_team_with_its_reason(work):
    path = work.drop("world/referral-2027.docx")
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["unreadable"]
    assert NEWER in items[0].reason
    reason_files = list(work.archive.rglob("referral-2027.docx.reason.txt"))
    assert reason_files and NEWER in reason_files[0].read_text()
    run_effects(work.ledger, work.config, work.profile)
    mails = mails_by_item(work.config.mail_dir)[items[0].id]
    assert len(mails) == 1
    # the team's notice says it in plain words, with what to do (issue 27), never "could not
    # be read" nor the pipeline's own words ("the catalogue and the service's profile")
    body = " ".join(mail_body(mails[0]).split())
    assert "a newer form we do not yet know" in body
    assert "version 2027.1, newer than the versions this service uses" in body
    assert "could not be read" not in body and "catalogue" not in body
    assert work.profile.team_inbox.lower() in str(mails[0]["To"]).lower()


def test_an_older_unknown_version_is_still_an_old_form():
    m = identify(
        "Family Time Referral Form\nFamily Time Referral Form, version 2019.1", {}, set(), 0
    )
    assert m.status == "old"


# ---------------------------------------------------------------- current beats old


class _Forms:
    def __init__(self, current, old):
        self.current, self.old = current, old


class _Profile:
    id = None

    def __init__(self, current, old):
        self.forms = _Forms(current, old)


BOTH = (
    "Family Time Referral Form\nFamily Time Referral Form (updated August 2022)\n"
    "Family Time Referral Form, version 2025.1 (updated March 2025)"
)


@pytest.mark.parametrize("text", [BOTH, "\n".join(reversed(BOTH.split("\n")))])
def test_a_document_with_current_and_old_markers_is_current(text):
    m = identify(text, {}, set(), 0)
    assert (m.version, m.status) == ("2025.1", "current")


def test_the_tie_break_follows_the_profile_not_the_catalogue_order():
    """With 2022 current and 2025.1 old (a service that has not moved on), the same text is
    the 2022 form: the status decides, not which version the catalogue lists first."""
    revive = _Profile(["family-time-referral 2022"], ["family-time-referral 2025.1"])
    m = identify(BOTH, {}, set(), 0, profile=revive)
    assert (m.version, m.status) == ("2022", "current")
