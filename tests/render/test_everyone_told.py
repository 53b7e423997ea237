"""An approved suspension tells everyone, truthfully: each parent (by hand where the referral
has no address), the carer, the social worker with a list of what was made and for whom, and
the children's guardian named as still to be told. Nothing claims to have been sent."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.models import RuleAction
from pipeline.render import render_suspension_letters

from tests.helpers.render_kit import (
    CARER,
    PARENT_1,
    PARENT_2,
    SOCIAL_WORKER,
    assert_clean,
    docx_text,
    make_allocation,
    make_item,
    referral_values,
)

TODAY = dt.date(2026, 12, 16)
PAUSE = RuleAction(
    reference="FT-2026-00001",
    kind="suspension",
    session_dates=[dt.date(2026, 12, 8), dt.date(2026, 12, 15)],
    suspended_from=dt.date(2026, 12, 16),
    suspended_until=dt.date(2026, 12, 29),
    court_directed=False,
)
BY_HAND = "Suspension letter to parent 2 (no address: to be given by hand) 2026-12-16.docx"
NOTICE = "Notice to social worker suspension 2026-12-16.docx"
CARER_LETTER = "Suspension letter to carer 2026-12-16.docx"
SENT_CLAIMS = re.compile(
    r"has gone|have gone|has been sent|have been sent|we have posted|"
    r"has been posted|have been posted",
    re.I,
)


def made(tmp_path, profile, **changes):
    values = referral_values(**{"referral.court_directed": False, **changes})
    paths = render_suspension_letters(
        make_item(values, flags=[]), make_allocation(profile), profile, tmp_path, PAUSE, today=TODAY
    )
    return {p.name: docx_text(p) for p in paths}


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_parent_without_an_address_gets_a_copy_named_to_be_given_by_hand(tmp_path, nct):
    docs = made(tmp_path, nct, **{"family[2].address": None})
    assert BY_HAND in docs and "Suspension letter to parent 2 2026-12-16.docx" not in docs
    assert "Suspension letter to parent 1 2026-12-16.docx" in docs  # has an address
    letter = docs[BY_HAND]
    assert_clean(letter)
    assert f"Dear {PARENT_2}" in letter
    assert "No address on the referral: to be given by hand" in letter
    assert "Not given" not in letter
    notice = flat(docs[NOTICE])
    assert (
        f"{BY_HAND} {PARENT_2} (father) No address on the referral: to be given by hand" in notice
    )


def test_the_carer_is_told_the_dates_and_that_the_social_worker_confirms_the_restart(
    tmp_path, profile
):
    letter = flat(made(tmp_path, profile)[CARER_LETTER])
    assert_clean(letter)
    assert f"Dear {CARER}," in letter
    assert "paused from Wednesday 16 December 2026 until Tuesday 29 December 2026" in letter
    assert (
        "These sessions are not taking place: Tuesday 22 December 2026 "
        "Tuesday 29 December 2026" in letter
    )
    assert "Tuesday 15 December 2026" not in letter  # a missed session, before the pause
    assert (
        f"{SOCIAL_WORKER}, Testy's social worker, will confirm with you when family time "
        "starts again" in letter
    )


def test_the_notice_lists_every_document_made_and_whom_it_is_for(tmp_path, profile):
    docs = made(tmp_path, profile, **{"guardian.name": "Robin Guardian-Example"})
    notice = flat(docs[NOTICE])
    assert_clean(notice)
    others = [name for name in docs if name != NOTICE]
    resigns = profile.missed_sessions.resign_agreement
    # two parents and the carer; the agreement to sign again only where the service says so
    assert len(others) == (4 if resigns else 3)
    for name in others:
        assert name in notice
    assert (
        f"Suspension letter to parent 1 2026-12-16.docx {PARENT_1} (mother), "
        "7 Thistlewood Row, Sampleton Address on the referral: ready to post" in notice
    )
    assert f"{CARER_LETTER} {CARER}, carer" in notice
    signed_again = f"{PARENT_1} and {PARENT_2} To be signed again at the meeting" in notice
    assert signed_again is resigns
    assert "The children's guardian, Robin Guardian-Example, is to be told" in notice


def test_no_guardian_on_the_referral_no_guardian_line(tmp_path, nct):
    assert "guardian" not in made(tmp_path, nct)[NOTICE]


def test_no_document_claims_anything_was_sent(tmp_path, profile):
    docs = made(
        tmp_path, profile, **{"family[2].address": None, "guardian.name": "Robin Guardian-Example"}
    )
    for name, text in docs.items():
        assert not SENT_CLAIMS.search(text), (name, SENT_CLAIMS.search(text))
    notice = flat(docs[NOTICE])
    assert "attached to the email that brings this notice" in notice
    assert "The service has not posted them and has not given them to anyone" in notice
    assert "The service has not told them" in notice  # the guardian


def test_legal_advice_lists_nothing_made(tmp_path, nct):
    action = RuleAction(
        reference="FT-2026-00001",
        kind="legal_advice",
        session_dates=[dt.date(2027, 1, 5), dt.date(2027, 1, 12)],
    )
    [path] = render_suspension_letters(
        make_item(referral_values(**{"guardian.name": "R G"})),
        make_allocation(nct),
        nct,
        tmp_path,
        action,
    )
    text = docx_text(path)
    assert "What has been made" not in text and "guardian" not in text


def test_no_carer_named_no_carer_letter(tmp_path, nct):
    docs = made(tmp_path, nct, **{"carer.name": None})
    assert CARER_LETTER not in docs and "carer" not in docs[NOTICE].lower()


def test_the_email_to_the_social_worker_lists_what_was_made(tmp_path, nct):
    """The suspension email names every document made, as the notice does (the carer's letter
    and a by-hand copy included), and names no one."""
    from pipeline.notify import rule_notice_message

    item = make_item(
        referral_values(**{"referral.court_directed": False, "family[2].address": None}), flags=[]
    )
    written = render_suspension_letters(
        item, make_allocation(nct), nct, tmp_path, PAUSE, today=TODAY
    )
    msg = rule_notice_message(PAUSE, item, nct, list(written), made=written.made).message
    for kind in ("plain", "html"):
        text = flat(msg.get_body((kind,)).get_content().replace("&#39;", "'"))
        for path in written:
            if path.name != NOTICE:
                assert path.name in text, (kind, path.name)
        assert f"{BY_HAND}: No address on the referral: to be given by hand" in text
        assert f"{CARER_LETTER}: Ready to send to the carer" in text
        assert "The letter to the parent (a copy for you)" not in text
        for name in (PARENT_1, PARENT_2, CARER):
            assert name not in text
    assert {a.get_filename() for a in msg.iter_attachments()} == {p.name for p in written}
