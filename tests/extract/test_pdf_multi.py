"""A PDF holding several referral forms gives one referral per child (issue 17), built as
people build such files (tests/fixtures/make_pdf_multi.py: LibreOffice exports joined by pypdf,
one Word file of two forms exported, two fillable forms joined); a form followed by other
papers stays one referral; joined fillable forms whose children cannot be told apart go to
the team, never accepted as one child with the other's answers."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

from pipeline.cli import main
from pipeline.effects import run_effects
from pipeline.extract import extract_all, extract_file
from pipeline.intake.process import process_file

from tests.helpers.hostile_kit import mail_body, mails_by_item
from tests.helpers.paths import FIXTURES

MULTI = FIXTURES / "pdf_multi"
SECOND = {
    "child.first_name": "Second Child",
    "child.last_name": "Sample",
    "child.known_as": "SC",
    "child.dob": "02/02/2021",
    "child.case_id": "7654321",
}
MIXED = "cannot be told apart"
ONE_FILE_EACH = "send one file for each child"


def _upright(name: str) -> dict:
    return extract_file(FIXTURES / name).fields


def _tracker_rows(work, sheet: str = "Referrals") -> dict[str, dict]:
    book = openpyxl.load_workbook(next(work.config.tracker_dir.glob("*.xlsx")))
    sheet = book[sheet]
    headings = [c.value for c in sheet[1]]
    return {
        r[0]: dict(zip(headings, r)) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]
    }


def _status(work, capsys) -> tuple[str, dict]:
    capsys.readouterr()
    assert main(["status", "--config", str(work.config_path)]) == 0
    text = capsys.readouterr().out
    assert main(["status", "--json", "--config", str(work.config_path)]) == 0
    return text, json.loads(capsys.readouterr().out)


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize(
    "name, single",
    [
        ("two-children-joined.pdf", "forms/referral-complete.pdf"),
        ("two-children-one-docx.pdf", "forms/referral-complete.pdf"),
        ("two-fillable-joined.pdf", "pdf/acroform-referral.pdf"),
    ],
)
def test_each_form_in_a_pdf_reads_as_its_own_child(name, single, work):
    """Each child's answers are exactly what the one-form PDF gives, the second child's own
    details in place: nothing lost, nothing taken from the other form."""
    first = _upright(single)
    got = extract_all(MULTI / name, work.profile)
    assert [(e.form.status, e.form.version) for e in got] == [("current", "2025.1")] * 2
    assert got[0].fields == first
    assert got[1].fields == {**first, **SECOND}


def test_joined_fillable_forms_keep_both_children_although_their_fields_share_names(work):
    """pypdf's append keeps both forms' fields under the same names, and its get_fields()
    keeps only the last: the first child would be lost. Each form is read from its own pages."""
    from pypdf import PdfReader

    reader = PdfReader(MULTI / "two-fillable-joined.pdf")
    assert reader.get_fields()["child.case_id"]["/V"] == "7654321"  # what pypdf does
    got = extract_all(MULTI / "two-fillable-joined.pdf", work.profile)
    assert [e.fields["child.case_id"] for e in got] == ["1234567", "7654321"]


def test_a_form_followed_by_a_letter_and_a_care_plan_stays_one_form(work):
    got = extract_all(MULTI / "form-then-letter.pdf", work.profile)
    assert len(got) == 1 and got[0].file == "form-then-letter.pdf"
    assert got[0].form.status == "current"
    assert got[0].fields == _upright("forms/referral-complete.pdf")


@pytest.mark.parametrize(
    "single",
    sorted(
        p.relative_to(FIXTURES).as_posix()
        for d in ("forms", "pdf")
        for p in (FIXTURES / d).glob("*.pdf")
    ),
)
def test_a_pdf_of_one_form_is_never_split(single, work):
    """Running titles in footers ("Family Time Referral Form (updated August 2022)") on every
    page are not a new form: only a title heading a page is."""
    assert len(extract_all(FIXTURES / single, work.profile)) == 1


def test_fillable_forms_filled_as_one_are_not_read_as_a_child(work):
    got = extract_all(MULTI / "two-fillable-filled-as-one.pdf", work.profile)
    assert len(got) == 1 and got[0].form.status == "unreadable"
    assert got[0].fields == {}
    assert MIXED in got[0].form.reason and ONE_FILE_EACH in got[0].form.reason
    assert "2 referral forms" in got[0].form.reason


def test_the_bounded_reader_reads_the_whole_file_under_one_limit(work):
    from pipeline.extract.bounded import extract_all_bounded

    got = extract_all_bounded(MULTI / "two-children-joined.pdf", work.profile, limit=30)
    assert [e.fields["child.case_id"] for e in got] == ["1234567", "7654321"]
    slow = extract_all_bounded(MULTI / "two-children-joined.pdf", work.profile, limit=0.001)
    assert len(slow) == 1 and slow[0].form.status == "unreadable"


# ---------------------------------------------------------------- end to end


@pytest.mark.parametrize(
    "name", ["two-children-joined.pdf", "two-children-one-docx.pdf", "two-fillable-joined.pdf"]
)
def test_two_children_in_one_pdf_become_two_referrals(name, work, capsys):
    path = work.drop(f"pdf_multi/{name}")
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["accepted", "accepted"]
    assert [i.case_id for i in items] == ["1234567", "7654321"]
    refs = [i.reference for i in items]
    assert len(set(refs)) == 2 and all(refs)
    assert [i.original_name for i in items] == [f"{name} (form 1 of 2)", f"{name} (form 2 of 2)"]
    assert work.ledger.file_count() == 1
    run_effects(work.ledger, work.config, work.profile)
    mails = mails_by_item(work.config.mail_dir)
    for item, child in zip(items, ("Test Child", "Second Child")):
        assert len(mails[item.id]) == 1  # one acknowledgement each
        assert item.reference in str(mails[item.id][0]["Subject"]) + mail_body(mails[item.id][0])
    rows = _tracker_rows(work)
    assert [(rows[r]["Child"], rows[r]["CareFirst ID"]) for r in refs] == [
        ("Test Child Example", "1234567"),
        ("Second Child Sample", "7654321"),
    ]
    assert all(rows[r]["Acknowledgement sent"] for r in refs)
    text, facts = _status(work, capsys)
    assert facts["counts"] == {"accepted": 2}
    # neither social worker has heard from us (no mail server): the first is the oldest
    assert facts["oldest_unacknowledged"]["reference"] == refs[0]
    assert re.search(r"Accepted referrals\s+2\n", text)
    # no mail server in this folder: both written to outbox/mail, neither sent
    assert facts["acknowledgements"] == {"sent": 0, "written": 2, "withheld": 0, "waiting": 0}
    assert "Every referral has been acknowledged." not in text


def test_a_form_with_other_papers_is_one_referral_end_to_end(work, capsys):
    path = work.drop("pdf_multi/form-then-letter.pdf")
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["accepted"]
    assert items[0].original_name == "form-then-letter.pdf"
    run_effects(work.ledger, work.config, work.profile)
    assert len(mails_by_item(work.config.mail_dir)[items[0].id]) == 1
    assert list(_tracker_rows(work)) == [items[0].reference]
    text, facts = _status(work, capsys)
    assert facts["counts"] == {"accepted": 1}
    assert re.search(r"Accepted referrals\s+1\n", text)


def test_fillable_forms_that_cannot_be_told_apart_go_to_the_team(work, capsys):
    path = work.drop("pdf_multi/two-fillable-filled-as-one.pdf")
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["unreadable"]
    assert not items[0].reference and not items[0].case_id  # no child accepted from it
    assert MIXED in items[0].reason and ONE_FILE_EACH in items[0].reason
    run_effects(work.ledger, work.config, work.profile)
    mails = mails_by_item(work.config.mail_dir)[items[0].id]
    assert len(mails) == 1
    assert work.profile.team_inbox.lower() in str(mails[0]["To"]).lower()
    body = " ".join(mail_body(mails[0]).split())
    assert MIXED in body and ONE_FILE_EACH in body
    assert "Second Child" not in body and "7654321" not in body
    assert _tracker_rows(work) == {}  # no referral row
    attention = list(_tracker_rows(work, "Attention").values())
    assert [r["File"] for r in attention] == ["two-fillable-filled-as-one.pdf"]
    assert any(MIXED in str(v) for v in attention[0].values())
    text, facts = _status(work, capsys)
    assert facts["counts"] == {"unreadable": 1}
    assert re.search(r"Could not be read\s+1\n", text)
    assert re.search(r"Accepted referrals\s+0\n", text)
