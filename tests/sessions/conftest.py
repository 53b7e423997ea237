"""A working folder with one accepted, allocated referral (FT-2026-00001); the folder itself is
tests/helpers/sessions_kit.py's Session."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers.sessions_kit import FORMS, REF, Session


@pytest.fixture
def session(tmp_path) -> Session:
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
