"""Identity is more than the case ID (issue 25): siblings whose forms share a CareFirst ID (a
form copied with the ID left unchanged) are two children, never a copy or an update; the same
child under another ID is flagged; an update keeps its reference, complete or not."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

import pytest

from tests.helpers.allocation_kit import FORM, Desk
from tests.helpers.mime_kit import DOCX, docx_with

REF, SECOND = "FT-2026-00001", "FT-2026-00002"
SIBLING = {"Test Child": "Sam Sibling", "14/06/2019": "02/03/2021"}  # same surname, same ID


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    d = Desk(tmp_path / "work")
    yield d
    d.ledger.close()


def _form(desk, name: str, replace: dict[str, str]):
    return docx_with(FORM, desk.config.state_dir / name, replace)


def _email_with(desk, *forms):
    m = EmailMessage()
    m["From"] = "sam.fictional-worker@example.gov.uk"
    m["To"] = "Family Time <familytime@nct.example.org>"
    m["Subject"] = "Family Time referrals for two siblings"
    m["Date"] = format_datetime(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC))
    m.set_content("Please find the referrals attached.\n")
    for path in forms:
        m.add_attachment(
            path.read_bytes(),
            maintype="application",
            subtype=DOCX.split("/")[1],
            filename=path.name,
        )
    path = desk.config.state_dir / "siblings.eml"
    path.write_bytes(m.as_bytes(policy=SMTP))
    return path


def _follow_up(desk, reference):
    return desk.row(reference)["Follow up"] or ""


def test_siblings_sharing_an_id_in_one_email_are_two_referrals_and_a_person_is_asked(desk):
    sibling = _form(desk, "Referral - Sam Sibling.docx", SIBLING)
    items = desk.receive(_email_with(desk, FORM, sibling))
    assert [(i.outcome, i.reference) for i in items] == [("accepted", REF), ("accepted", SECOND)]
    assert desk.row(REF)["Child"] != desk.row(SECOND)["Child"]  # both children have a row
    for ref in (REF, SECOND):
        assert "CareFirst ID 1234567 is also given on" in _follow_up(desk, ref)
        assert "please check which child this CareFirst ID belongs to" in _follow_up(desk, ref)
        assert desk.row(ref)["Checked"] == "Accepted; ID shared with another child"
    assert len(desk.mails("accepted")) == 2  # each referral acknowledged
    assert "copy" not in items[1].reason
    # the question is on the Attention sheet too, where a person looks for what needs a look
    asked = _attention(desk)
    assert len(asked) == 2
    assert all("please check which child this CareFirst ID belongs to" in r for r in asked)


def _attention(desk) -> list[str]:
    import openpyxl

    ws = openpyxl.load_workbook(desk.workbook)["Attention"]
    head = [c.value for c in ws[1]]
    return [
        str(r[head.index("Why it needs a look")])
        for r in ws.iter_rows(min_row=2, values_only=True)
        if r[0]
    ]


def test_a_siblings_form_with_the_same_id_later_is_not_an_update_of_the_first(desk):
    [first] = desk.receive()
    first_child = desk.row(REF)["Child"]
    [second] = desk.receive(
        _form(desk, "sibling.docx", SIBLING), arrived=dt.datetime(2026, 11, 3, 9)
    )
    assert (second.outcome, second.reference) == ("accepted", SECOND)
    assert desk.row(REF)["Child"] == first_child  # the first child is still in the tracker
    assert "is also given on FT-2026-00001" in _follow_up(desk, SECOND)
    assert "Updated referral" not in second.reason


def test_a_siblings_incomplete_form_with_the_same_id_never_takes_the_first_ones_reference(desk):
    [first] = desk.receive(_form(desk, "first.docx", {"Interim Care Order": ""}))
    assert first.outcome == "incomplete"
    sibling = _form(desk, "sibling.docx", SIBLING)
    [second] = desk.receive(sibling, arrived=dt.datetime(2026, 11, 3, 9))
    assert second.reference == SECOND and first.reference == REF


def test_the_same_child_mother_and_birthday_under_another_id_is_flagged(desk):
    desk.receive()
    [typo] = desk.receive(
        _form(desk, "typo.docx", {"1234567": "1234576"}), arrived=dt.datetime(2026, 11, 3, 9)
    )
    assert typo.reference == SECOND  # kept: a person decides
    assert "may be the same child as FT-2026-00001" in _follow_up(desk, SECOND)
    assert "another CareFirst ID" in typo.reason
    assert "maybe the same child as another referral" in desk.row(SECOND)["Checked"]
    assert any(SECOND in r or "may be the same child" in r for r in _attention(desk))
    assert "may be the same child" not in _follow_up(desk, REF)  # the first is not changed


def test_another_child_with_another_id_is_not_flagged(desk):
    desk.receive()
    [other] = desk.receive(
        _form(desk, "other.docx", {"1234567": "7654321", **SIBLING}),
        arrived=dt.datetime(2026, 11, 3, 9),
    )
    assert other.reference == SECOND and not _follow_up(desk, SECOND)


def test_an_incomplete_update_of_an_allocated_referral_keeps_its_reference(desk):
    desk.receive()
    desk.allocate(REF)
    desk.effects()
    [update] = desk.receive(
        _form(
            desk, "update.docx", {"Mild asthma; blue inhaler kept in her bag. No allergies.": ""}
        ),
        arrived=dt.datetime(2026, 11, 20, 9),
    )
    assert (update.outcome, update.reference) == ("incomplete", REF)
    assert "Updated referral for FT-2026-00001" in update.reason
    assert [i.reference for i in desk.ledger.items() if i.reference] == [REF, REF]


def test_an_update_for_the_first_child_after_a_siblings_form_updates_the_first(desk):
    desk.receive()
    desk.receive(_form(desk, "sibling.docx", SIBLING), arrived=dt.datetime(2026, 11, 3, 9))
    [update] = desk.receive(
        _form(desk, "update.docx", {"No allergies.": "No allergies (updated)."}),
        arrived=dt.datetime(2026, 11, 4, 9),
    )
    assert (update.outcome, update.reference) == ("accepted", REF)
    assert "Updated referral for FT-2026-00001" in update.reason


def test_a_returned_form_sent_again_with_a_siblings_form_keeps_its_reference(desk):
    [first] = desk.receive(_form(desk, "first.docx", {"Interim Care Order": ""}))
    assert (first.outcome, first.reference) == ("incomplete", REF)
    sibling = _form(desk, "Referral - Sam Sibling.docx", SIBLING)
    corrected = _form(desk, "corrected.docx", {})
    items = desk.receive(_email_with(desk, corrected, sibling), arrived=dt.datetime(2026, 11, 3))
    assert [(i.outcome, i.reference) for i in items] == [("accepted", REF), ("accepted", SECOND)]


def test_siblings_sharing_an_id_in_one_word_file_are_two_referrals(desk):
    from tests.helpers.paths import FIXTURES

    both = _form_from(desk, FIXTURES / "world" / "two-children.docx", {"7654321": "1234567"})
    items = desk.receive(both)
    assert [i.outcome for i in items] == ["accepted", "accepted"]
    assert [i.reference for i in items] == [REF, SECOND]
    assert all("ID shared with another child" in desk.row(r)["Checked"] for r in (REF, SECOND))
    assert len(desk.mails("accepted")) == 2


def _form_from(desk, src, replace):
    return docx_with(src, desk.config.state_dir / src.name, replace)
