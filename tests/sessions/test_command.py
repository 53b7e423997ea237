"""`family-time sessions REFERENCE`: attendance and the rule's state, in words."""

from __future__ import annotations

import datetime as dt
import json

from pipeline.cli import main

from tests.helpers.sessions_kit import decide

REF = "FT-2026-00001"


def _run(session, capsys, *args):
    code = main(["sessions", *args, "--config", str(session.config.base / "family-time.toml")])
    return code, capsys.readouterr().out


def test_sessions_shows_attendance_the_suspension_and_the_count_since(referred, capsys):
    referred.record("2026-11-02-took-place-late-written")
    referred.record("2026-11-04-did-not-attend")
    referred.record("2026-11-09-late-cancelled", dt.datetime(2026, 11, 10, 18))
    decide(referred, on=dt.datetime(2026, 11, 10))
    referred.record("2026-11-18-cancelled-by-parent")
    code, out = _run(referred, capsys, "ft-2026-00001")
    assert code == 0
    assert "Mon 02/11/2026  Took place, 20 minutes late, recorded late" in out
    assert "Wed 04/11/2026  Parent did not attend, no valid reason" in out
    # Northamptonshire holds family time until the review meeting, at least 7 days
    assert (
        "Suspended from 11/11/2026 until the review meeting is held (at least until "
        "17/11/2026), approved by Pat Manager on 10/11/2026 (proposal P1), after missing "
        "04/11/2026 and 09/11/2026"
    ) in out
    assert "Letters and notice made: Suspension letter to parent 1" in out
    assert (
        "Missed in a row since then without a valid reason: 1 of 2 before legal advice is proposed"
        in out
    )


def test_sessions_json_and_an_unknown_reference(referred, capsys):
    referred.record("2026-11-04-did-not-attend")
    referred.record("2026-11-09-late-cancelled", dt.datetime(2026, 11, 10, 18))
    code, out = _run(referred, capsys, REF, "--json")
    facts = json.loads(out)
    assert code == 0 and [s["date"] for s in facts["sessions"]] == ["2026-11-04", "2026-11-09"]
    assert facts["waiting_for_records"] == ["2026-11-02"] and facts["actions"] == []
    code, out = _run(referred, capsys, REF)
    assert "Waiting for the records of the planned sessions on 02/11/2026" in out
    code, out = _run(referred, capsys, "FT-2026-04242")
    assert code == 1 and "No referral with the reference FT-2026-04242" in out
