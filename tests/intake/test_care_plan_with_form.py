"""A care plan asks many of the referral form's questions (child, date of birth, carer,
parents) without a title or version: read alone it looks like an old form by its labels. Sent
with a current form, in one PDF or one email, it is a paper kept with the referral: never an
"old form returned" with a Returned row and a refusal to the social worker."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import extract_all

from tests.helpers.paths import FIXTURES
from tests.helpers.sessions_kit import Session

MULTI = FIXTURES / "pdf_multi"
ARRIVED = dt.datetime(2026, 11, 2, 10, 0)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-02")


def test_a_care_plan_before_the_form_in_one_pdf_is_not_read_as_a_form(tmp_path):
    s = Session(tmp_path / "work")
    got = extract_all(MULTI / "care-plan-then-form.pdf", s.profile)
    assert [e.form.status for e in got] == ["current"]


@pytest.mark.parametrize("name", ["care-plan-then-form.pdf", "care-plan-with-form.eml"])
def test_a_care_plan_sent_with_the_form_is_kept_not_returned(tmp_path, name):
    s = Session(tmp_path / "work")
    items, _ = s.process(MULTI / name, ARRIVED)
    outcomes = sorted(i.outcome for i in items)
    assert "returned" not in outcomes
    assert [i.outcome for i in items if i.reference] == ["accepted"]
    assert not list(s.config.outbox_dir.rglob("*returned*"))
    assert not any(
        "old" in (m.get("Subject") or "").lower() for m in _mails(s.config.outbox_dir / "mail")
    )


def _mails(folder):
    from email import message_from_bytes

    return [message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]
