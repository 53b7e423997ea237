"""Each service's pack says its own rules in its own words, and nothing of another service's.

The documents are rendered for each of the three profiles and read back as text: each must
carry what that service's own documents say, and none of the words its profile lists as
another service's (`forbidden_words`)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline.profile import load_profile
from pipeline.render.documents import render_pack

from tests.helpers.render_kit import (
    assert_clean,
    docx_text,
    make_allocation,
    make_item,
    referral_values,
)

SERVICES = ("northamptonshire", "blackpool", "milton-keynes")


def pack_text(tmp_path, service: str, **values) -> dict[str, str]:
    profile = load_profile(service)
    item = make_item(referral_values(**values))
    files = render_pack(
        item, make_allocation(profile), profile, tmp_path / service, today=dt.date(2026, 11, 20)
    )
    texts = {p.name: docx_text(p) for p in files if p.suffix == ".docx"}
    for text in texts.values():
        assert_clean(text)
    return texts


def kind(texts: dict[str, str], word: str) -> str:
    return "\n".join(t for name, t in texts.items() if word in name.lower())


@pytest.mark.parametrize("service", SERVICES)
def test_no_other_services_words(tmp_path, service):
    profile = load_profile(service)
    assert profile.forbidden_words, "each profile lists the words that are not its own"
    texts = pack_text(tmp_path, service)
    for name, text in texts.items():
        for word in profile.forbidden_words:
            assert word not in text, f"{service}: '{word}' in {name}"


def test_northamptonshire_keeps_its_own_rules(tmp_path):
    texts = pack_text(tmp_path, "northamptonshire")
    agreement = kind(texts, "agreement")
    assert "Family Time Agreement" in agreement and "Family Time Supervisor" in agreement
    assert "at least 7 days' notice" in agreement  # changes after allocation
    assert "risk assessed it together" in agreement  # home sessions
    assert "first session is at one of the service's family time venues" in agreement
    assert "No smoking or vaping" in agreement  # its agreement's own rules
    assert "suspended (paused) for at least 7 days" in agreement
    assert "more than 15 minutes late" in agreement
    assert "Looked After Child review" in agreement
    # a pack in a year whose training days are not known yet says so
    assert "training days for 2026 and 2027 are not set yet" in agreement


def test_blackpool_on_its_own_rules(tmp_path):
    texts = pack_text(tmp_path, "blackpool")
    agreement = kind(texts, "agreement")
    assert "Together Worker" in agreement and "Written agreement" in agreement
    assert "planning meeting, led by the Family Time Manager" in agreement
    assert "the allocated social worker will decide" in agreement
    # a report for the statutory review only when asked, never promised
    assert "If the social worker asks" in agreement and "statutory review" in agreement
    # no suspension rule, lateness rule or replacement promise of another service
    assert "suspended (paused)" not in agreement and "minutes late" not in agreement
    assert "replacement session" not in agreement and "legal advice" not in agreement
    # it names no training days at all, so it does not say some are missing
    assert "training days" not in agreement


def test_milton_keynes_on_its_own_rules(tmp_path):
    texts = pack_text(tmp_path, "milton-keynes")
    agreement, parent = kind(texts, "agreement"), kind(texts, "parent")
    carer = kind(texts, "carer")
    assert "Family Time Worker" in agreement and "signed by everyone at the planning" in agreement
    assert "Senior Family Time Worker has risk assessed" in agreement
    assert "at least 15 minutes before the session starts" in parent
    assert "If you are late, for any reason, the session will be cancelled" in parent
    assert "parents come in through the back gate" in parent  # Coffee Hall
    assert "Carers park at the front" in carer and "pre-visit" in carer
    # nothing it does not promise
    for text in (agreement, parent, carer):
        assert "replacement session" not in text and "suspended" not in text
        assert "10 working days" not in text and "Looked After Child review" not in text


@pytest.mark.parametrize("service", SERVICES)
def test_an_interpreter_need_is_in_the_agreement_and_that_parents_letter(tmp_path, service):
    texts = pack_text(
        tmp_path, service, **{"family[1].interpreter": "Polish", "family[2].interpreter": "No"}
    )
    agreement = " ".join(kind(texts, "agreement").split())
    assert "An interpreter (Polish) will be at each session for Jo Sample-Parent." in agreement
    assert "Alex Sample-Parent." not in agreement.split("Nobody else")[0]
    assert "An interpreter (Polish) will be at each session for you." in " ".join(
        texts["Letter to parent 1.docx"].split()
    )
    assert "interpreter" not in texts["Letter to parent 2.docx"]


def test_the_parents_letter_promises_only_what_the_service_states(tmp_path):
    """Who may come, and going through an unsigned agreement before the first session, are
    Northamptonshire's rules (001): its letter says them in its words; Blackpool, which has
    no parent agreement to sign first and no such rule, says neither. No letter says what
    happens on a closed day where the service does not state it."""
    nct = kind(pack_text(tmp_path, "northamptonshire"), "parent")
    assert "we will go through it with you before the first session" in nct
    assert "Nobody else may come to a session unless the social worker" in nct
    bp = kind(pack_text(tmp_path, "blackpool"), "parent")
    assert "before the first session" not in bp
    assert "Nobody else may come" not in bp and "Only the family members named" not in bp
    assert "what happens instead" not in bp


def test_no_family_time_on_the_days_the_service_does_not_run_and_only_those(tmp_path):
    """ "No family time on Sundays" is said where Sunday is not a session day; a service that
    runs sessions every day of the week says only that closed days have none."""
    nct = kind(pack_text(tmp_path, "northamptonshire"), "parent")
    assert "There is no family time on Sundays or on the days the service is closed." in nct
    profile = load_profile("blackpool")
    every_day = profile.model_copy(
        update={
            "hours": profile.hours.model_copy(
                update={"session_days": [*profile.hours.session_days, "Saturday", "Sunday"]}
            )
        }
    )
    files = render_pack(
        make_item(referral_values()),
        make_allocation(every_day),
        every_day,
        tmp_path / "every-day",
        today=dt.date(2026, 11, 20),
    )
    letters = "\n".join(docx_text(p) for p in files if p.suffix == ".docx")
    assert "Sundays" not in letters
    assert "There is no family time on the days the service is closed." in letters


def test_the_carer_is_asked_to_come_early_only_where_the_service_has_a_lateness_rule(tmp_path):
    nct = kind(pack_text(tmp_path, "northamptonshire"), "carer")
    assert re.search(r"a few minutes before \d\d:\d\d \(about \d\d:\d\d\)", nct)
    bp = kind(pack_text(tmp_path, "blackpool"), "carer")
    assert re.search(r"by \d\d:\d\d, when the session starts", bp)
    assert "a few minutes before" not in bp
