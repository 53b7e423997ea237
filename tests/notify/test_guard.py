"""The loop guards, with a service whose team inbox and sending address differ (where most
services are): both are ours; automatic addresses whatever their case (mutation run gaps)."""

from __future__ import annotations

import pytest

from pipeline import paths
from pipeline.notify.guard import (
    is_automatic_address,
    is_our_address,
    recipient_block,
    source_block,
)
from pipeline.notify.templates import templates_for

ROBOT = "family-time-robot@nct.example.org"


@pytest.fixture
def split(profile):
    mail = profile.mail.model_copy(update={"from_address": ROBOT})
    return profile.model_copy(update={"mail": mail})


@pytest.fixture
def templates(profile):
    return templates_for(profile.id, paths.MAIL_TEMPLATES)


@pytest.mark.parametrize(
    "address", [ROBOT, "FAMILY-TIME-ROBOT@nct.example.org", "familytime@nct.example.org"]
)
def test_both_our_addresses_are_ours(split, address):
    assert is_our_address(address, split)


def test_someone_else_is_not_ours(split):
    assert not is_our_address("sam.worker@council.example.org", split)
    assert not is_our_address("robot@nct.example.org", split)


@pytest.mark.parametrize(
    "address", ["NoReply@x.org", "DO-NOT-REPLY@x.org", "Mailer-Daemon@x.org", "bounce+123@x.org"]
)
def test_automatic_addresses_whatever_their_case(templates, address):
    assert is_automatic_address(address, templates)
    assert not is_automatic_address("reply.desk@x.org", templates)


def test_each_source_says_why_in_its_own_words(make_item, split, templates):
    assert "automatic or bulk" in source_block(make_item(auto_submitted=True), split, templates)
    assert "no-reply" in source_block(make_item(sender="Desk <noreply@x.org>"), split, templates)
    assert "team's own" in source_block(make_item(sender=ROBOT), split, templates)
    assert "team's own" in source_block(
        make_item(sender="familytime@nct.example.org"), split, templates
    )
    assert (
        source_block(make_item(sender="sam.worker@council.example.org"), split, templates) is None
    )
    assert source_block(make_item(sender=None), split, templates) is None


def test_recipient_blocks(split, templates):
    assert recipient_block("noreply@x.org", split, templates) == "automatic"
    assert recipient_block(ROBOT, split, templates) == "ours"
    assert recipient_block("sam.worker@council.example.org", split, templates) is None
