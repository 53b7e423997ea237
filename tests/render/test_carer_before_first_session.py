"""Blackpool's carer letter says what its policy promises before the first session: the
transport is talked through with the carer, and a photo of the worker is sent to show the child
who they will meet (seed 003, profile [allocation]). Northamptonshire and Milton Keynes state
neither, so their letters say nothing of either."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.profile import load_profile
from pipeline.render.documents import render_pack

from tests.helpers.render_kit import docx_text, make_allocation, make_item, referral_values


def carer_letter(tmp_path, service: str) -> str:
    profile = load_profile(service)
    files = render_pack(
        make_item(referral_values()),
        make_allocation(profile),
        profile,
        tmp_path / service,
        today=dt.date(2026, 11, 20),
    )
    [letter] = [p for p in files if p.suffix == ".docx" and "carer" in p.name.lower()]
    return " ".join(docx_text(letter).split())


def test_blackpools_carer_hears_of_the_photo_and_the_transport(tmp_path):
    profile = load_profile("blackpool")
    assert profile.allocation.photo_of_worker_to_carer
    assert profile.allocation.transport_agreed_with_carer
    worker = make_allocation(profile).supervisor
    text = carer_letter(tmp_path, "blackpool")
    before = text.split("Before the first session", 1)[1]
    assert "We will talk the transport through with you" in before
    assert "can get to and from family time" in before
    assert f"we aim to send you a photo of {worker}, so that" in before
    assert "knows who they will meet" in before
    assert f"the Together Worker, {worker}, will try to meet" in before


@pytest.mark.parametrize("service", ["northamptonshire", "milton-keynes"])
def test_services_stating_neither_say_nothing_of_them(tmp_path, service):
    profile = load_profile(service)
    assert not profile.allocation.photo_of_worker_to_carer
    assert not profile.allocation.transport_agreed_with_carer
    text = carer_letter(tmp_path, service)
    assert "photo of" not in text
    assert "talk the transport through" not in text
    assert "Before the first session" not in text
