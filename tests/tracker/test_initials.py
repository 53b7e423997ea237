"""A child's initials read the same wherever people see them: the acknowledgement, the pack
email and the tracker's rows (one home: pipeline/initials.py)."""

from __future__ import annotations

import pytest

from pipeline.initials import child_initials

from tests.helpers.allocation_kit import Desk

REF = "FT-2026-00001"


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"child.first_name": "Test Child", "child.last_name": "Example"}, "TCE"),
        ({"child.first_name": "Jo", "child.last_name": "Sample-Example"}, "JS-E"),
        ({"session.child_names": "Test Child Example"}, "TCE"),
        ({"session.child_names": "Test Child Example, Sam Example"}, "TCE, SE"),
        ({}, None),
    ],
)
def test_initials_of_a_referral_and_of_a_session_record(values, expected):
    assert child_initials(values) == expected


def test_the_mail_and_the_tracker_give_the_same_initials(tmp_path, monkeypatch):
    """A returned referral: the social worker's email and the Returned sheet agree."""
    from tests.helpers.paths import FIXTURES

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    desk = Desk(tmp_path / "work")
    items = desk.receive(FIXTURES / "forms" / "referral-incomplete.docx")
    body = desk.mails("incomplete")[0].get_body(("plain",)).get_content()
    row = desk.row(items[0].reference, sheet="Returned")
    assert row["Child's initials"] == "TCE"
    assert "the child with the initials TCE," in body
