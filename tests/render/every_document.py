"""Every document and mail one service makes, rendered from one fictional case: the pack,
the review report, the suspension papers (court-directed or not), the legal-advice notice,
the blank referral form and the automatic emails. The own-words test reads them back as
text; run as a script it writes them to a folder, so a person can look at them as pages:

    python -m tests.render.every_document OUT_DIR
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import sys
from pathlib import Path

from pipeline.models import Item, Problem, RuleAction, SessionRecord, Verdict
from pipeline.profile import load_profile

from tests.helpers.render_kit import docx_text, make_allocation, make_item, referral_values

SERVICES = ("northamptonshire", "blackpool", "milton-keynes")
TODAY = dt.date(2026, 12, 16)

PAUSE = RuleAction(
    reference="FT-2026-00001",
    kind="suspension",
    session_dates=[dt.date(2026, 12, 8), dt.date(2026, 12, 15)],
    suspended_from=dt.date(2026, 12, 17),
    suspended_until=dt.date(2026, 12, 23),
    court_directed=False,
)
LEGAL = RuleAction(
    reference="FT-2026-00001",
    kind="legal_advice",
    session_dates=[dt.date(2027, 1, 5), dt.date(2027, 1, 12)],
)


def _records() -> list[SessionRecord]:
    outcomes = ["Took place", "Parent did not attend", "Took place", "Took place"]
    return [
        SessionRecord(
            item_id=10 + i,
            reference="FT-2026-00001",
            date=dt.date(2026, 12, 1) + dt.timedelta(days=7 * i),
            outcome=o,
        )
        for i, o in enumerate(outcomes)
    ]


def render_documents(service: str, out: Path) -> list[Path]:
    """Every .docx the service makes for the fictional case, written under `out`."""
    from pipeline.render import render_agreement, render_lac_report, render_pack
    from pipeline.render.suspension_letters import render_suspension_letters

    profile = load_profile(service)
    item, allocation = make_item(), make_allocation(profile)
    plain = make_item(
        referral_values(
            **{
                "referral.court_directed": False,
                # the safety sheet for the supervisor (issue 26)
                "risk.level": "Medium",
                "risk.to_staff": "None known",
                "risk.supervision_notes": "No phones during the session",
                "child.needs": "Nut allergy",
            }
        ),
        flags=[],
    )
    paths: list[Path] = []
    paths += render_pack(item, allocation, profile, out / "pack", today=dt.date(2026, 11, 20))
    paths.append(
        render_lac_report(
            item,
            allocation,
            profile,
            out / "review",
            _records(),
            dt.date(2026, 12, 1),
            dt.date(2027, 1, 15),
            today=dt.date(2027, 1, 8),
        )
    )
    paths += render_suspension_letters(
        plain, allocation, profile, out / "suspension", PAUSE, today=TODAY
    )
    court = PAUSE.model_copy(update={"court_directed": True})
    paths += render_suspension_letters(
        item, allocation, profile, out / "suspension-court", court, today=TODAY
    )
    ms = profile.missed_sessions
    if ms is not None and ms.legal_advice_after:  # only a service that states the rule
        paths += render_suspension_letters(
            plain, allocation, profile, out / "legal", LEGAL, today=dt.date(2027, 1, 13)
        )
    sgo = make_item(
        referral_values(
            **{"referral.court_directed": False, "legal.status": "Special Guardianship Order"}
        ),
        flags=[],
    )
    paths.append(render_agreement(sgo, allocation, profile, out / "sgo", today=TODAY))
    days = make_allocation(profile, day="Monday and Wednesday and Friday")  # as once written
    paths += render_pack(plain, days, profile, out / "three-days", today=dt.date(2026, 11, 20))
    return [p for p in paths if Path(p).suffix == ".docx"]


def blank_form(service: str) -> Path:
    """The blank referral form attached to this service's old-form refusals."""
    from pipeline.notify.compose import _blank_form

    return _blank_form(load_profile(service))[0]


def _item(outcome: str, values: dict) -> Item:
    verdict = Verdict(
        verdict={"accepted": "complete", "incomplete": "incomplete", "old_form": "old"}[outcome],
        kind="referral",
        form_id="family-time-referral",
        form_version="2022" if outcome == "old_form" else "2025.1",
        values=values,
        problems=[
            Problem(key="child.dob", label="Date of birth", message="Date of birth is missing.")
        ]
        if outcome == "incomplete"
        else [],
        received=dt.datetime(2026, 11, 23, 10, 0),
        counted_from=dt.date(2026, 11, 23),
        due={"contact": dt.date(2026, 11, 25), "allocation": dt.date(2026, 12, 7)},
    )
    return Item(
        id=1,
        file_sha256="ab" * 32,
        original_name="referral.docx",
        received_at=dt.datetime(2026, 11, 23, 10, 0),
        outcome=outcome,
        reason="",
        reference="FT-2026-00001",
        sender="sw@example.org",
        verdict=verdict,
    )


def _bodies(message) -> dict[str, str]:
    from pipeline.notify.message import WIRE_POLICY

    raw = message.as_bytes(policy=WIRE_POLICY)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return {
        "subject": str(msg["Subject"]),
        "txt": msg.get_body(("plain",)).get_content(),
        "html": msg.get_body(("html",)).get_content(),
    }


def render_mails(service: str, docs: list[Path]) -> dict[str, dict[str, str]]:
    """Each automatic email the service sends for the case: subject, text and HTML."""
    from pipeline.notify.compose import plan_mail
    from pipeline.notify.pack import pack_message
    from pipeline.notify.review import review_report_message
    from pipeline.notify.sessions import rule_notice_message, significant_event_message

    profile = load_profile(service)
    values = {**referral_values(), "social_worker.email": "sw@example.org"}
    now = dt.datetime(2026, 12, 16, 9, 0)
    mails = {}
    for outcome in ("accepted", "incomplete", "old_form"):
        plan = plan_mail(_item(outcome, values), profile, None)
        mails[outcome] = _bodies(plan.messages[0].message)
    referral = _item("accepted", values)
    record = _records()[0].model_copy(update={"significant_event": True})
    mails["significant_event"] = _bodies(
        significant_event_message(record, referral, profile, now=now).message
    )
    mails["suspension"] = _bodies(rule_notice_message(PAUSE, referral, profile, now=now).message)
    ms = profile.missed_sessions
    if ms is not None and ms.legal_advice_after:
        mails["legal_advice"] = _bodies(
            rule_notice_message(LEGAL, referral, profile, now=now).message
        )
    review = next(p for p in docs if "review" in p.parent.name)
    mails["review_report"] = _bodies(
        review_report_message(
            referral, dt.date(2027, 1, 15), "iro@example.org", review, profile, now=now
        ).message
    )
    pack = [p for p in docs if p.parent.name == "pack"]
    mails["pack"] = _bodies(pack_message(referral, profile, 1, pack, now=now).message)
    return mails


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    for service in SERVICES:
        docs = render_documents(service, out / service)
        for kind, parts in render_mails(service, docs).items():
            (out / service / "mail").mkdir(parents=True, exist_ok=True)
            for part, text in parts.items():
                (out / service / "mail" / f"{kind}.{part}").write_text(text, encoding="utf-8")
        form = blank_form(service)
        (out / service / "form.txt").write_text(docx_text(form), encoding="utf-8")
        print(service, len(docs), "documents;", form.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
