"""Fixtures for the mail tests: items, a working folder, a blank form and a real SMTP server
(its data and the server's handler are tests/helpers/notify_kit.py's)."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Callable

import pytest
from aiosmtpd.controller import Controller

from pipeline import paths
from pipeline.config import Config
from pipeline.models import Item, Problem, Verdict
from pipeline.profile import load_profile

from tests.helpers.notify_kit import SENDER, Clock, Handler, form_values, free_port, with_smtp


@pytest.fixture
def make_item() -> Callable[..., Item]:
    def make(
        outcome: str = "accepted",
        *,
        values: dict | None = None,
        problems: list[Problem] | None = None,
        warnings: list[Problem] | None = None,
        item_id: int = 1,
        reference: str | None = "FT-2026-00001",
        **fields,
    ) -> Item:
        verdict = Verdict(
            verdict={
                "accepted": "complete",
                "incomplete": "incomplete",
                "old_form": "old",
                "not_referral": "not_referral",
                "unreadable": "unreadable",
            }.get(outcome, "complete"),
            kind="referral",
            form_id="family-time-referral",
            form_version="2022" if outcome == "old_form" else "2025.1",
            values=form_values() if values is None else values,
            problems=problems or [],
            warnings=warnings or [],
            received=dt.datetime(2026, 11, 23, 10, 0),
            counted_from=dt.date(2026, 11, 23),
            due={"contact": dt.date(2026, 11, 25), "allocation": dt.date(2026, 12, 7)},
        )
        data = dict(
            id=item_id,
            file_sha256="ab" * 32,
            original_name="referral.docx",
            received_at=dt.datetime(2026, 11, 23, 10, 0),
            outcome=outcome,
            reason="",
            reference=reference,
            sender=SENDER,
            verdict=verdict,
        )
        data.update(fields)
        return Item(**data)

    return make


@pytest.fixture
def profile():
    return load_profile("northamptonshire")


@pytest.fixture
def config(tmp_path) -> Config:
    return Config(base=tmp_path)


@pytest.fixture
def blank_form(tmp_path, monkeypatch):
    """A stand-in blank current form, so these tests never depend on the form builder."""
    folder = tmp_path / "forms"
    shared = folder / "documents" / "shared"  # the copy a service with none of its own gets
    shared.mkdir(parents=True)
    path = shared / "family-time-referral-2025.1.docx"
    path.write_bytes(b"PK\x03\x04 stand-in blank form 2025.1")
    monkeypatch.setattr(paths, "FORM_TEMPLATES", folder)
    return path


@pytest.fixture(scope="session")
def _server():
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def smtp_server(_server):
    controller, handler = _server
    handler.mode = "ok"
    handler.delay = 0.0
    handler.received.clear()
    return controller, handler


@pytest.fixture
def smtp_profile(profile, smtp_server):
    return with_smtp(profile, smtp_server[0].port)


@pytest.fixture
def hangup_port():
    """A server that accepts the connection and hangs up at once."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    stop = threading.Event()

    def run():
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield sock.getsockname()[1]
    stop.set()
    thread.join(1)
    sock.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()
