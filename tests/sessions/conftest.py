"""A working folder with one accepted, allocated referral (FT-2026-00001); the folder itself is
tests/helpers/sessions_kit.py's Session."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers.sessions_kit import FORMS, REF, Session

#: The pipeline's today in these stories (referrals from late October, records through
#: November 2026): after every record they send, whatever the machine's date. A test that
#: needs another day sets FAMILY_TIME_TODAY itself.
STORY_TODAY = "2026-12-04"


@pytest.fixture
def session(tmp_path, monkeypatch) -> Session:
    monkeypatch.setenv("FAMILY_TIME_TODAY", STORY_TODAY)
    s = Session(tmp_path / "work")
    yield s
    s.ledger.close()


@pytest.fixture
def referred(session) -> Session:
    """The referral received on 26 October 2026 and allocated Mondays and Wednesdays."""
    items, _ = session.process(FORMS / "referral-complete.docx", dt.datetime(2026, 10, 26, 10))
    assert items[0].reference == REF
    session.allocate()
    return session
