"""The auditor itself, on made-up outputs (no pipeline run): it must catch a claim the
script does not back and pass one it does, or a clean season would prove nothing."""

from __future__ import annotations

import datetime as dt
import email.message
import types

from tests.helpers.season_audit import audit
from tests.helpers.season_script import Day

D = dt.date


def _season(days, sent_on=None):
    from pipeline.profile import load_profile

    smtp = types.SimpleNamespace(keys_on=sent_on or {}) if sent_on is not None else None
    return types.SimpleNamespace(
        service="northamptonshire",
        days=days,
        not_done=[],
        refs={"A": "FT-2026-00001", "B": "FT-2026-00002"},
        smtp=smtp,
        profile=load_profile("northamptonshire"),
    )


def _mail(subject, body, key=""):
    msg = email.message.EmailMessage()
    msg["Subject"], msg["X-Family-Time-Key"] = subject, key
    msg.set_content(body)
    return msg


def test_an_acknowledgement_said_sent_without_a_mail_server_is_caught():
    day = Day(
        D(2026, 11, 2),
        status="Every referral has been acknowledged.",
        status_json={"oldest_unacknowledged": None},
        referrals=[{"Reference": "FT-2026-00001", "Acknowledgement sent": "2026-11-02"}],
    )
    false = audit(_season([day]))
    assert any("'Acknowledgement sent'" in f and "no mail server" in f for f in false)
    assert any("status: says 'Every referral has been acknowledged.'" in f for f in false)


def test_an_acknowledgement_the_server_received_is_not_a_false_claim():
    day = Day(
        D(2026, 11, 24),
        status_json={"oldest_unacknowledged": None},
        referrals=[{"Reference": "FT-2026-00002", "Acknowledgement sent": "2026-11-24"}],
    )
    false = audit(_season([day], sent_on={"FT-2026-00002:accepted:2": D(2026, 11, 24)}))
    assert [f for f in false if "FT-2026-00002" in f] == []


def test_a_suspension_nobody_approved_is_caught_wherever_it_is_said():
    body = "Family time is suspended from 01/12/2026 until 07/12/2026."
    day = Day(
        D(2026, 12, 3),
        sessions={
            "FT-2026-00002": {
                "phase": "suspended",
                "waiting_for_records": [],
                "actions": [
                    {
                        "kind": "suspension",
                        "suspended_from": "2026-12-01",
                        "suspended_until": "2026-12-07",
                        "letters_sent": True,
                        "documents": [],
                    }
                ],
            }
        },
        mails=[
            ("FT-2026-00002_suspension.eml", _mail("Family Time FT-2026-00002: suspended", body))
        ],
    )
    false = audit(_season([day]))
    assert any("sessions FT-2026-00002 --json" in f and "never approved" in f for f in false)
    assert any("mail FT-2026-00002_suspension.eml" in f for f in false)


def test_a_missing_record_that_was_sent_and_a_wrong_month_count_are_caught():
    day = Day(
        D(2026, 11, 30),
        status="To see to today:\n  FT-2026-00001: no session record for 16/11/2026 "
        "(due by 18/11/2026)",
        reports=[("month", "2026-11", {"Figures": [("Referrals received", 5)]})],
    )
    false = audit(_season([day]))
    assert any("no session record for 16/11/2026" in f and "sent that record" in f for f in false)
    assert any("Referrals received: 5" in f and "counts 2" in f for f in false)
