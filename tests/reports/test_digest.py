"""The team's daily digest: what needs doing today, once a working day, and the same lines on
`family-time status`."""

from __future__ import annotations

import datetime as dt

from pipeline.effects.contract import EffectPass, EffectsReport
from pipeline.effects.digest import DigestEffect
from pipeline.notify.digest import reminders

from tests.helpers.season_kit import ALLOCATIONS

FRIDAY = dt.date(2026, 11, 27)


def _profile(profile):
    over = profile.oversight.model_copy(update={"digest_time": dt.time(7, 30)})
    rota = profile.rota.model_copy(update={"weekly_sessions_max": 0})
    return profile.model_copy(update={"oversight": over, "rota": rota})


def test_what_the_team_should_see_to(season):
    config, profile, ledger, _ = season
    lines = reminders(ledger, config, _profile(profile), FRIDAY, allocations=ALLOCATIONS)
    texts = [r.text for r in lines]
    # Tuesday 24 Nov has no record and the 2-working-day deadline (26 Nov) has passed
    assert "FT-2026-00001: no session record for 24/11/2026 (due by 26/11/2026)" in texts
    assert any(t.startswith("FT-2026-00003: returned on 21/09/2026, not sent again") for t in texts)
    assert any(t.startswith("FT-2026-00004: returned on 02/10/2026") for t in texts)
    assert "FT-2026-00001: review on 01/12/2026 and no report made yet" in texts
    assert "Dee Example: 1 session this week (the service's limit is 0)" in texts
    assert any(
        t.startswith(
            "P1 FT-2026-00001: 'Suspend family time' waits for a decision by "
            "the Family Time team manager, with the social worker"
        )
        for t in texts
    )
    assert [r.kind for r in lines] == sorted(
        (r.kind for r in lines),
        key=[
            "significant_late",
            "records_overdue",
            "proposals",
            "not_resubmitted",
            "due",
            "review",
            "workload",
        ].index,
    )


def test_one_email_a_working_day_at_the_set_time(season, monkeypatch):
    config, profile, ledger, _ = season
    import pipeline.notify.digest as digest

    monkeypatch.setenv("FAMILY_TIME_TODAY", FRIDAY.isoformat())
    monkeypatch.setattr(
        digest,
        "reminders",
        lambda *a, **k: reminders(
            ledger, config, _profile(profile), FRIDAY, allocations=ALLOCATIONS
        ),
    )
    effect = DigestEffect()
    early = dt.datetime.combine(FRIDAY, dt.time(7, 0)).timestamp()
    report = EffectsReport()
    assert not effect.due(EffectPass(ledger, config, _profile(profile), early, report))
    at = dt.datetime.combine(FRIDAY, dt.time(8, 0)).timestamp()
    p = EffectPass(ledger, config, _profile(profile), at, report)
    effect.run(effect.due(p), p)
    assert not effect.due(p)  # once a day
    mails = list(config.mail_dir.glob("digest*.eml"))
    assert len(mails) == 1
    body = mails[0].read_text(errors="replace")
    # the five the season leaves, the suspension proposal nobody has decided yet, and the
    # record of 13/10/2026 still missing (asked for until it arrives, not only for 14 days)
    assert "Subject: Family Time: 7 things to see to today, 27/11/2026" in body
    assert "FT-2026-00003" in body and "Ava" not in body  # references, not children's names


def test_status_shows_the_same_lines(season, monkeypatch):
    config, profile, ledger, _ = season
    monkeypatch.setenv("FAMILY_TIME_TODAY", FRIDAY.isoformat())
    from pipeline.commands.status import gather

    facts = gather(ledger, config, profile)
    got = {r["text"] for r in facts["reminders"]}
    want = {r.text for r in reminders(ledger, config, profile, FRIDAY)}
    assert got == want and any("FT-2026-00003" in t for t in got)


def test_no_record_is_chased_for_an_allocation_no_pack_was_made_for(season):
    """A row typed as allocated whose pack was never made (an allocation still to correct,
    a clash) plans no session: the digest never asks for its records."""
    config, profile, ledger, _ = season
    typed = ALLOCATIONS["FT-2026-00001"].model_copy(update={"reference": "FT-2026-00002"})
    allocations = {**ALLOCATIONS, "FT-2026-00002": typed}
    texts = [r.text for r in reminders(ledger, config, _profile(profile), FRIDAY, allocations)]
    assert any(t.startswith("FT-2026-00001: no session record") for t in texts)
    assert not any(t.startswith("FT-2026-00002: no session record") for t in texts)


def test_a_day_with_only_room_for_more_sessions_sends_no_digest(season, monkeypatch):
    """Who has room is news for a manager allocating, shown with the day's work and in
    `status`; on its own it would mail the team every working day, so it does not."""
    config, profile, ledger, _ = season
    import pipeline.notify.digest as digest

    monkeypatch.setenv("FAMILY_TIME_TODAY", FRIDAY.isoformat())
    only_room = [digest.Reminder("room", "Kim Spare-Example: no sessions booked this week")]
    monkeypatch.setattr(digest, "reminders", lambda *a, **k: only_room)
    effect = DigestEffect()
    at = dt.datetime.combine(FRIDAY, dt.time(8, 0)).timestamp()
    p = EffectPass(ledger, config, _profile(profile), at, EffectsReport())
    effect.run(effect.due(p), p)
    assert list(config.mail_dir.glob("digest*.eml")) == []
    with_work = [*only_room, digest.Reminder("due", "FT-2026-00001: allocation due today")]
    monkeypatch.setattr(digest, "reminders", lambda *a, **k: with_work)
    p.memory.digest_sent.clear()  # the same morning, had there been work
    effect.run(effect.due(p), p)
    [mail] = list(config.mail_dir.glob("digest*.eml"))
    assert "Kim Spare-Example" in mail.read_text(errors="replace")
