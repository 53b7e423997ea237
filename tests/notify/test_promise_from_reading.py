"""Promises counted from when the pipeline read the form, and said that way (issue 27): an
email dated days before it was saved into the inbox never promises a date already past."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import shutil

import pytest

from pipeline.cli import main
from pipeline.validate import promises_start

from tests.helpers.intake_kit import make_workdir
from tests.helpers.mime_kit import referral_email
from tests.helpers.paths import FIXTURES

READ = "2026-12-04"  # a Friday: the email is dated the Monday before


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", READ)


def test_the_start_is_the_day_read_when_that_is_later():
    sent = dt.datetime(2026, 11, 30, 9, 0)
    assert promises_start(sent, dt.date(2026, 12, 4)) == dt.datetime(2026, 12, 4, 0, 0)
    assert promises_start(sent, dt.date(2026, 11, 30)) == sent
    assert promises_start(sent, None) == sent


def test_an_email_saved_days_late_promises_nothing_already_past(tmp_path, capsys):
    root = tmp_path / "team"
    assert main(["init", str(root)]) == 0
    config = make_workdir(root)
    form = tmp_path / "referral.docx"
    shutil.copyfile(FIXTURES / "forms/referral-complete.docx", form)
    data = referral_email(
        "Sam Worker <sam.fictional-worker@example.gov.uk>",
        attachment=form,
        when=dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC),
    )
    (root / "inbox" / "referral.eml").write_bytes(data)
    assert main(["watch", "--once", "--config", str(config)]) == 0
    capsys.readouterr()
    [eml] = (root / "outbox" / "mail").glob("FT-2026-*_accepted_*.eml")
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    text = msg.get_body(("plain",)).get_content()
    assert "count from Friday 4 December 2026, the day we read it" in text
    promised = re.findall(r"by (\w+day \d+ \w+ 2026)", text)
    assert promised, text
    for day in promised:
        assert dt.datetime.strptime(day, "%A %d %B %Y").date() >= dt.date(2026, 12, 4), day
