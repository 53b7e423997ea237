"""Blackpool: "Family Time to take place within 3 working days from request. Manager to alert
Service Manager immediately if there is a delay" (seed 003). A first session allocated after
the promised day says so beside the warning, in the Paperwork cell and the digest; a service
that names nobody says nothing of an alert."""

from __future__ import annotations

import datetime as dt

from pipeline.commitments import alert, describe_timescales
from pipeline.profile import load_profile
from pipeline.tracker.allocation import late_first_session, paperwork_text


def test_blackpool_names_the_service_manager():
    bp = load_profile("blackpool")
    late = late_first_session(
        {"first_date": "2026-12-10"}, dt.date(2026, 12, 7), alert("first_session", bp)
    )
    assert late.startswith("first session 10/12/2026 is later than the service promises")
    assert "tell the Service Manager at once, with the reason for the delay" in late
    line = next(x for x in describe_timescales(bp) if x.startswith("First family time session"))
    assert line.endswith(
        "if not, tell the Service Manager at once, with the reason for the delay and the next steps"
    )


def test_services_naming_nobody_say_no_alert():
    for name in ("northamptonshire", "milton-keynes"):
        profile = load_profile(name)
        assert alert("first_session", profile) is None
        assert not any("at once" in x for x in describe_timescales(profile))


def test_the_paperwork_cell_carries_the_alert():
    class Made:
        on = dt.date(2026, 12, 2)
        detail = {}

    bp = load_profile("blackpool")
    allocation = {"first_date": "2026-12-10"}
    text = paperwork_text(
        Made(), allocation, None, dt.date(2026, 12, 7), alert("first_session", bp)
    )
    assert text.startswith("Pack made 02/12/2026; first session 10/12/2026 is later")
    assert text.endswith(
        "tell the Service Manager at once, with the reason for the delay and the next steps"
    )


def _digest_on(ledger, config, profile, day):
    """What the day's digest mails (None: no mail that day) and what `status` lists, as the
    digest effect (pipeline/effects/digest.py) and `status` make them."""
    from pipeline.notify.digest import ALONE_NO_MAIL, digest_message, reminders

    lines = reminders(ledger, config, profile, day, allocations={})
    status = [r.text for r in lines]
    if all(r.kind in ALONE_NO_MAIL for r in lines):
        return None, status
    msg = digest_message(lines, profile, day).message
    return msg.get_body(("plain",)).get_content(), status


def test_the_service_manager_line_is_mailed_once_and_stays_in_status(blackpool_ledger):
    """Accepted Monday 2 November 2026 (first session due Thursday 5 November); on Tuesday the
    Family Time Manager allocates a first session on Tuesday 10 November. Wednesday's digest
    says to tell the Service Manager at once; later digests do not say it again (a day with
    nothing else sends no digest), while `status` keeps it, saying when it was mailed, until
    the first session."""
    from pipeline.cases import paperwork as PW

    from tests.helpers.commitments_kit import arrives

    config, profile, ledger, root = blackpool_ledger
    item = arrives(ledger, profile, root, 1, dt.datetime(2026, 11, 2, 10), "accepted")
    ref = item.reference
    allocation = {"supervisor": "Sam Example", "first_date": "2026-11-10", "venue": "Hub"}
    ledger.record_event(PW.allocated(ref, 1, allocation, "Together Worker", dt.date(2026, 11, 3)))
    told = "tell the Service Manager at once"
    late = f"{ref}: first session 10/11/2026 is later than the service promises"

    mail, status = _digest_on(ledger, config, profile, dt.date(2026, 11, 3))
    assert any(t.startswith(late) for t in status)  # the day it is typed: in `status`
    assert mail is None or told not in mail  # that morning's digest had gone already

    mail, status = _digest_on(ledger, config, profile, dt.date(2026, 11, 4))
    assert late in mail and told in mail  # the next morning's digest says it, once

    for day in (dt.date(2026, 11, 5), dt.date(2026, 11, 6), dt.date(2026, 11, 9)):
        mail, status = _digest_on(ledger, config, profile, day)
        assert mail is None or told not in mail, day
        [kept] = [t for t in status if t.startswith(late)]
        assert told in kept and kept.endswith("(said in the digest of 04/11/2026)")
