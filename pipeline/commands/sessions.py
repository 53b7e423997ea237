"""`family-time sessions REFERENCE`: a referral's attendance and where it stands under the
missed-session rule, for the co-ordinator who takes the social worker's call.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from pipeline import clock
from pipeline.dates import numeric_date, weekday_name

HELP = "Show a referral's session records and where it stands under the missed-session rule."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reference", help="the referral reference, e.g. FT-2026-00001")
    parser.add_argument("--config", help="the working folder's family-time.toml")
    parser.add_argument("--json", action="store_true", help="the same facts as one JSON object")


def gather(ledger, reference: str, profile, config=None, today: dt.date | None = None) -> dict:
    """The facts shown (separate from printing, so tests read them without a terminal)."""
    from pipeline.sessions.actions import rule_due
    from pipeline.tracker import allocations_or_none

    today = today or clock.today()
    allocation = allocations_or_none(config, profile).get(reference) if config is not None else None
    records = ledger.sessions_of(reference)
    everything = ledger.sessions_of(reference, include_replaced=True)
    replaced = {r.item_id for r in everything} - {r.item_id for r in records}
    state = rule_due(ledger, reference, profile, today, allocation)
    return {
        "reference": reference,
        "known": ledger.item_by_reference(reference) is not None,
        "sessions": [
            {
                "date": r.date.isoformat(),
                "outcome": r.outcome,
                "reason": r.reason,
                "valid_reason": r.valid_reason,
                "late_minutes": r.late_minutes,
                "significant_event": r.significant_event,
                "written_on": r.written_on.isoformat() if r.written_on else None,
                "late_recording": r.late_recording,
                "item": r.item_id,
                "replaces": r.replaces,
                "counts_as_missed": r.missed_by_parent,
            }
            for r in records
        ],
        "replaced_records": sorted(replaced),
        # what the next misses in a row count towards (the rule's own counter: after a
        # proposal, decided or not, further misses lead to the legal-advice step)
        "counting_towards": "suspension" if state.phase == "normal" else "legal_advice",
        "misses_in_a_row": [d.isoformat() for d in state.run],
        "waiting_for_records": [d.isoformat() for d in state.waiting_for],
        "actions": actions_of(ledger, reference, profile),
        "due_now": [
            {"kind": a.kind, "sessions": [d.isoformat() for d in a.session_dates]}
            for a in state.new
        ],
    }


def actions_of(ledger, reference: str, profile) -> list[dict]:
    """Each proposal as the case timeline tells it: proposed (waiting for whom), declined,
    approved, suspended (from, until), ended; letters only where they were made."""
    from pipeline.cases import case_of
    from pipeline.cases import suspension as S
    from pipeline.sessions import proposals as P

    referral = ledger.item_by_reference(reference)
    who = P.who_decides(referral, profile)
    out = []
    for pr in S.proposals(case_of(ledger, reference)):
        started = pr.start is not None
        out.append(
            {
                "proposal": pr.id,
                "kind": pr.kind,
                "state": pr.state,
                "sessions": [d.isoformat() for d in pr.sessions],
                "raised_on": pr.raised_on.isoformat(),
                "waiting_for_decision_by": who if pr.state == "proposed" else None,
                "decision": pr.decision,
                "decided_by": pr.decided_by,
                "decided_on": pr.decided_on.isoformat() if pr.decided_on else None,
                "suspended_from": pr.start.isoformat() if started else None,
                "suspended_until": pr.until.isoformat() if started and pr.until else None,
                "until_the_meeting": pr.to_meeting if started else False,
                "meeting_on": pr.meeting_on.isoformat() if pr.meeting_on else None,
                "resumed_on": pr.ended_on.isoformat() if pr.ended_on else None,
                "ended_by": pr.ended_why or None,
                "letters_sent": pr.documents is not None,
                "documents": list(pr.documents or []),
                "notes": [S.note_text(n) for n in pr.notes],
                "lines": S.sessions_lines(pr, who, P.what_kind(pr.kind), profile.missed_sessions),
            }
        )
    return out


def describe(facts: dict, profile) -> list[str]:
    ref = facts["reference"]
    if not facts["known"]:
        return [f"No referral with the reference {ref} has been received."]
    rules = profile.missed_sessions
    lines = [f"Sessions recorded for {ref}: {len(facts['sessions'])}"]
    for s in facts["sessions"]:
        day = dt.date.fromisoformat(s["date"])
        parts = [f"  {weekday_name(day)[:3]} {numeric_date(day)}  {s['outcome']}"]
        if s["valid_reason"] is not None:
            parts.append("valid reason" if s["valid_reason"] else "no valid reason")
        if s["late_minutes"]:
            parts.append(f"{s['late_minutes']} minutes late")
        if s["significant_event"]:
            parts.append("SIGNIFICANT EVENT")
        if s["late_recording"]:
            parts.append("recorded late")
        if s["replaces"]:
            parts.append(f"corrected (replaces item {s['replaces']})")
        lines.append(", ".join(parts))
    lines.append("")
    for a in facts["actions"]:
        lines += a["lines"]
        now_counted = {s["date"] for s in facts["sessions"] if s["counts_as_missed"]}
        for d in a["sessions"]:
            if d not in now_counted:
                lines.append(
                    f"  Note: the record of {numeric_date(dt.date.fromisoformat(d))} was "
                    "corrected afterwards and no longer counts as a miss; please "
                    "check whether this decision still stands."
                )
    if not facts["actions"]:
        lines.append("The missed-session rule has not been used for this referral.")
    run = facts["misses_in_a_row"]
    towards_suspension = facts["counting_towards"] == "suspension"
    needed = rules.count if towards_suspension else rules.legal_advice_after
    what = "a suspension is proposed" if towards_suspension else "legal advice is proposed"
    if needed:
        lines.append(
            f"Missed in a row since then without a valid reason: {len(run)} of "
            f"{needed} before {what} (a person decides)"
            + ("." if rules.published else "; a team setting, the service publishes no rule.")
        )
    else:
        lines.append(
            f"Missed in a row since then without a valid reason: {len(run)}; the "
            "service states no further step after a suspension."
        )
    if facts["waiting_for_records"]:
        days = ", ".join(
            numeric_date(dt.date.fromisoformat(d)) for d in facts["waiting_for_records"]
        )
        lines.append(
            f"Waiting for the records of the planned sessions on {days} before the rule can decide."
        )
    return lines


def run(args: argparse.Namespace) -> int:
    from pipeline.commands.watch import open_working_folder
    from pipeline.sessions.linking import normalise_reference

    opened = open_working_folder(args.config, as_json=getattr(args, "json", False))
    if opened is None:
        return 2
    config, profile, ledger = opened
    reference = normalise_reference(args.reference) or ""
    facts = gather(ledger, reference, profile, config)
    if args.json:
        print(json.dumps(facts, ensure_ascii=False))
    else:
        print("\n".join(describe(facts, profile)))
    return 0 if facts["known"] else 1
