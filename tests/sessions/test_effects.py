"""The rule's effect waits when its letters cannot be made, then does its work once."""

from __future__ import annotations

import datetime as dt

from tests.helpers.sessions_kit import decide

REF = "FT-2026-00001"


def test_letters_wait_when_they_cannot_be_made_and_the_status_says_why(referred, monkeypatch):
    import pipeline.effects as effects
    import pipeline.render as render
    from pipeline.commands.status import gather

    real = render.render_suspension_letters

    def broken(*a, **k):
        raise OSError("the outbox share is not reachable")

    monkeypatch.setattr(render, "render_suspension_letters", broken)
    referred.record("2026-11-02-took-place-late-written")
    referred.record("2026-11-04-did-not-attend")
    [item], report = referred.record("2026-11-09-late-cancelled", dt.datetime(2026, 11, 10, 18))
    report = decide(referred, on=dt.datetime(2026, 11, 10))
    [stored] = referred.ledger.rule_actions(REF)
    assert stored.done_at is None and "tried again" in report.waiting["rule"]
    waiting = [w for w in gather(referred.ledger)["waiting"] if w["effect"] == "rule"]
    assert waiting and "outbox share is not reachable" in waiting[0]["why"]

    monkeypatch.setattr(render, "render_suspension_letters", real)
    report = effects.run_effects(referred.ledger, referred.config, referred.profile)
    [stored] = referred.ledger.rule_actions(REF)
    assert stored.done_at is not None and report.done.get("rule") == 1
    assert len([p for p in referred.mail() if "suspension" in p.name]) == 1
    report = effects.run_effects(referred.ledger, referred.config, referred.profile)
    assert "rule" not in report.done


def test_a_court_directed_referral_is_suspended_for_the_court_limit_at_most(session):
    from pathlib import Path

    forms = Path(__file__).resolve().parent.parent / "fixtures" / "forms"
    profile = session.profile
    rules = profile.missed_sessions.model_copy(
        update={"suspension_days": 14, "court_directed_max_suspension_days": 7}
    )
    session.profile = profile.model_copy(update={"missed_sessions": rules})
    [item], _ = session.process(
        forms / "referral-court-directed.docx", dt.datetime(2026, 10, 26, 10)
    )
    assert item.reference == REF
    session.allocate()
    session.record("2026-11-02-took-place-late-written")
    session.record("2026-11-04-did-not-attend")
    session.record("2026-11-09-late-cancelled", dt.datetime(2026, 11, 10, 18))
    decide(session, on=dt.datetime(2026, 11, 10))
    [stored] = session.ledger.rule_actions(REF)
    a = stored.action
    assert a.court_directed and (a.suspended_from, a.suspended_until) == (
        dt.date(2026, 11, 11),
        dt.date(2026, 11, 17),
    )
    [notice] = [p for p in session.mail() if "suspension" in p.name]
    import email
    import email.policy

    msg = email.message_from_bytes(notice.read_bytes(), policy=email.policy.default)
    assert (
        "directed by the court, so this suspension (7 days) cannot be made longer without the"
        in msg.get_body(("plain",)).get_content()
    )
