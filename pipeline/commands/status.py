"""`family-time status`: where things stand, in words business support can act on.

Counts by outcome, side effects still waiting and why, the acknowledgements of accepted
referrals by what became of them (sent, only written to outbox/mail, withheld, not done yet:
from the case timeline, pipeline/cases/acknowledgement.py), the oldest referral not yet
acknowledged, tracker rows waiting because the workbook is open, and files whose move out
of the inbox is still owed. "Every referral has been acknowledged" only when every one was
sent; with no mail server it says plainly that mail only goes to the outbox folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from pipeline import clock, outcomes
from pipeline import words as house
from pipeline.effects.contract import EffectName, Waiting

# argparse's help is for whoever installs and runs the command (IT), not the team's wording
HELP = (
    "Show counts by outcome, what is still waiting (and why) and the oldest "
    "unacknowledged referral."
)

OUTCOME_LABELS = outcomes.words("status")  # pipeline/outcomes.toml
STATUS_WORDS = outcomes.status_words()
WORDING = "commands/status.toml"  # what `status` says, under form_templates/


def _say(key: str, /, **values) -> str:
    """One of status's lines ([lines] in commands/status.toml), filled in."""
    return house.entry(WORDING, "lines", key, **values)


def _label(effect: str) -> str:
    """What a kind of waiting work is called ([effects]; the ledger's name if none)."""
    return house.load(WORDING)["effects"].get(effect, effect)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="the working folder's family-time.toml")
    parser.add_argument("--json", action="store_true", help="the same facts as one JSON object")


def gather(ledger, config=None, profile=None) -> dict:
    """The facts `status` shows (kept separate so tests read them without a terminal)."""
    recorded = ledger.counts()
    counts, updates = referral_counts(ledger, recorded)
    waiting = []
    for row in ledger.effect_summary():
        waiting.append(
            {
                "effect": row["effect"],
                "count": row["n"],
                "why": row["last_error"] or _say("not_tried"),
                "kind": row["waiting"],
                "next_try": clock.at(row["next"]).strftime(  # the pipeline's day
                    "%d/%m/%Y %H:%M"
                )
                if row["next"]
                else "now",
            }
        )
    acks_by_ref = _acknowledgements(ledger, config, profile)
    acks = _counts(acks_by_ref)
    oldest = _oldest_not_acknowledged(ledger, acks_by_ref)
    unmoved = ledger.unarchived()
    in_inbox = 0
    ignored: list[str] = []
    hidden: list[str] = []
    if config is not None:
        from pipeline.intake.inbox import scan_config, walk_inbox

        owed = {r.source_path for r in unmoved}
        found, skipped = walk_inbox(config.inbox_dir, **scan_config(config))
        in_inbox = sum(1 for p in found if str(p) not in owed)
        ignored = [p.relative_to(config.inbox_dir).as_posix() for p in skipped]
        hidden = _ignored_documents(config)
    mail_pending, written_only = [], []
    if config is not None and profile is not None:
        try:
            from pipeline.notify import MailOutbox

            outbox = MailOutbox(config, profile)
            written_only = outbox.written_only()
            if profile.mail.smtp:
                mail_pending = [p.describe() for p in outbox.pending_report()]
        except Exception:
            pass
    return {
        "counts": counts,
        "total_items": sum(recorded.values()),
        "updates": updates,
        "files": ledger.file_count(),
        "waiting": waiting,
        "workbook_open": sum(
            w["count"]
            for w in waiting
            if w["effect"] == EffectName.TRACKER and w["kind"] == Waiting.WORKBOOK_OPEN
        ),
        "oldest_unacknowledged": None
        if oldest is None
        else {
            "reference": oldest.reference,
            "item": oldest.id,
            "outcome": oldest.outcome,
            "received": oldest.received_at.isoformat(),
        },
        "moves_owed": len(unmoved),
        "in_inbox": in_inbox,
        "ignored": ignored,
        # every email nobody has received: waiting for the mail server, and those only
        # written to outbox/mail (no mail server when they were made)
        "mail_not_sent": mail_pending + [_say("written_only", key=k) for k in written_only],
        "mail_waiting": mail_pending,
        "mail_written_not_sent": written_only,
        "acknowledgements": acks,
        "mail_server": None if profile is None else bool(profile.mail.smtp),
        # a complete referral is accepted on arrival only where the service says so
        "accepted_on_arrival": None if profile is None else profile.acceptance.automatic,
        "mail_dir": None if config is None else str(config.mail_dir),
        "profile": None if config is None else str(config.profile_reference()),
        "stale_owner_files": _stale_owners(config),
        "proposals": _proposal_lines(ledger, profile, config),
        "copies": _copies(ledger),
        "reminders": _reminders(ledger, config, profile),
        "mail_followup": _mail_followup(ledger, config, profile),
        "ignored_documents": hidden,
        "disk_free_mb": _disk_free_mb(config),
    }


LOW_DISK_MB = 100  # below this the inbox, the outbox and the ledger may not be written


def _disk_free_mb(config) -> int | None:
    """Megabytes free on the disk holding the working folder (None when it cannot be told):
    a full disk stops every file and message, so `status` names it before anything else."""
    import shutil

    if config is None:
        return None
    try:
        return shutil.disk_usage(config.base).free // (1024 * 1024)
    except OSError:
        return None


def _ignored_documents(config) -> list[str]:
    """Files skipped for their name that are really documents (a form saved as `~$...` or
    an Outlook `.tmp`), each with what to do (issue 27)."""
    from pipeline.intake.inbox import ignored_but_documents, scan_config
    from pipeline.notify.followup import ignored_document_line

    found = ignored_but_documents(config.inbox_dir, scan_config(config)["exclude"])
    return [ignored_document_line(p.relative_to(config.inbox_dir).as_posix()) for p in found]


def _mail_followup(ledger, config, profile) -> list[str]:
    """Mail held, of unknown delivery, bounced or answered automatically (issue 27)."""
    if config is None or profile is None:
        return []
    from pipeline.notify import followup

    return followup.lines(ledger, config, profile)


def _counts(acks_by_ref: dict) -> dict[str, int]:
    from pipeline.cases import acknowledgement

    return acknowledgement.counts(acks_by_ref.values())


def _oldest_not_acknowledged(ledger, acks_by_ref: dict):
    """The oldest referral the social worker has not heard from us about: its email not done
    yet (the ledger), or only written to the folder (the timeline): "acknowledged" means sent."""
    candidates = [ledger.oldest_unacknowledged()]
    written = {  # only written, bounced, or of unknown delivery (issue 27)
        a.item for a in acks_by_ref.values() if a.state in ("written", "bounced", "unknown")
    }
    candidates += [ledger.item(i) for i in written]
    candidates = [c for c in candidates if c is not None]
    return min(candidates, key=lambda i: (i.received_at, i.id)) if candidates else None


def _acknowledgements(ledger, config, profile) -> dict:
    """reference -> the state of its latest acknowledgement (the case timeline); a ledger
    from before the timeline is brought up to date first."""
    from pipeline.cases import acknowledgement
    from pipeline.notify.backfill import backfill_acknowledgements

    if config is not None and profile is not None:
        try:
            backfill_acknowledgements(ledger, config, profile)
        except Exception:  # a read must still answer: those count as not done yet
            pass
    return acknowledgement.acknowledgements(
        ledger, ledger.items(outcome=acknowledgement.ACKNOWLEDGED_OUTCOME)
    )


def referral_counts(ledger, recorded: dict[str, int]) -> tuple[dict[str, int], int]:
    """Items by outcome, except that a referral counts once (by reference) under its latest
    submission's outcome; and how many submissions updated a referral already received."""
    latest: dict[str, str] = {}
    sent = 0
    for reference, outcome in ledger.referral_submissions():
        latest[reference] = outcome  # in the order recorded: the latest wins
        sent += 1
    counts = {k: n for k, n in recorded.items() if k not in outcomes.REFERRAL_OUTCOMES}
    for outcome in latest.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts, sent - len(latest)


def _copies(ledger) -> list[str]:
    """Referrals sent again with the same answers (a Word form and its PDF): one referral,
    recorded as a copy, so nobody looks for a second acknowledgement or a second row."""
    out = []
    for item in ledger.items("duplicate"):
        if item.linked_to is None:
            continue
        earlier = ledger.item(item.linked_to)
        if earlier is not None and earlier.reference and earlier.outcome == "accepted":
            out.append(_say("copy", name=item.original_name, reference=earlier.reference))
    return out


def _stale_owners(config) -> list[dict]:
    """Office owner files (~$...) probably left behind: a stale one beside the workbook blocks
    every tracker write until someone deletes it."""
    if config is None:
        return []
    from pipeline.intake.owners import stale_owner_files

    return [
        {"owner_file": str(owner), "document": doc.name} for owner, doc in stale_owner_files(config)
    ]


def _proposal_lines(ledger, profile, config=None) -> list[str]:
    if profile is None:
        return []
    from pipeline.sessions.proposals import status_lines
    from pipeline.tracker import allocations_or_none

    # the tracker's rows: an end of time-limited family time a person typed there
    typed = allocations_or_none(config, profile) if config is not None else {}
    return status_lines(ledger, profile, resuming=True, allocations=typed)


def _reminders(ledger, config, profile) -> list[dict]:
    """What the team's daily digest lists today (pipeline/notify/digest.py): the same lines."""
    if config is None or profile is None:
        return []
    from pipeline.notify.digest import reminders

    return [{"kind": r.kind, "text": r.text} for r in reminders(ledger, config, profile)]


def describe(facts: dict) -> list[str]:
    """The facts as lines for people: the counts, what waits and why, what became of the
    acknowledgements, then whatever a person should look at."""
    return (
        _count_lines(facts)
        + _waiting_lines(facts)
        + _acknowledgement_lines(facts)
        + _files_lines(facts)
        + _listed_lines(facts)
        + _mail_lines(facts)
    )


def _count_lines(facts: dict) -> list[str]:
    lines = [_say("files", files=facts["files"], items=facts["total_items"])]
    for key, label in OUTCOME_LABELS.items():
        if key == "accepted" and facts.get("accepted_on_arrival") is False:
            label = STATUS_WORDS["complete"]  # nobody has accepted them yet
        lines.append(f"  {label:<26} {facts['counts'].get(key, 0)}")
        if key == outcomes.REFERRAL_OUTCOMES[-1]:
            lines.append(f"  {STATUS_WORDS['updates']:<26} {facts.get('updates', 0)}")
    return [*lines, ""]


def _waiting_lines(facts: dict) -> list[str]:
    """Work not done: withheld on purpose, still waiting (and the next try), or nothing."""
    lines: list[str] = []
    withheld = [w for w in facts["waiting"] if w["kind"] == Waiting.WITHHELD]
    waiting = [w for w in facts["waiting"] if w["kind"] != Waiting.WITHHELD]
    if withheld:
        lines.append(_say("withheld_heading"))
        for w in withheld:
            lines.append(
                _say("withheld", label=_label(w["effect"]), count=w["count"], why=w["why"])
            )
    if waiting:
        lines.append(_say("waiting_heading"))
        for w in waiting:
            lines.append(
                _say(
                    "waiting",
                    label=_label(w["effect"]),
                    count=w["count"],
                    why=w["why"],
                    next_try=w["next_try"],
                )
            )
    elif not withheld:
        from pipeline.cases.acknowledgement import words

        lines.append(
            words("status")[
                "nothing_waiting_no_server"
                if facts.get("mail_server") is False or facts.get("mail_written_not_sent")
                else "nothing_waiting"
            ]
        )
    if facts["workbook_open"]:
        lines.append(_say("workbook_open", count=facts["workbook_open"]))
    return lines


def _files_lines(facts: dict) -> list[str]:
    """Files a person should look at: moves owed, files in the inbox, stale owner files."""
    lines: list[str] = []
    free = facts.get("disk_free_mb")
    if free is not None and free < LOW_DISK_MB:
        lines.append(_say("disk_full", free=free))
    if facts["moves_owed"]:
        lines.append(_say("moves_owed", count=facts["moves_owed"]))
    if facts.get("in_inbox"):
        lines.append(_say("in_inbox", count=facts["in_inbox"]))
    for s in facts.get("stale_owner_files", []):
        lines.append(_say("stale_owner", owner_file=s["owner_file"], document=s["document"]))
    return lines


def _listed_lines(facts: dict) -> list[str]:
    """The lists: proposals waiting for a person, copies, ignored sub-folders' files."""
    lines: list[str] = []
    if facts.get("proposals"):
        lines.append(_say("proposals_heading"))
        lines.extend(f"  {line}" for line in facts["proposals"])
    if facts.get("copies"):
        lines.append(_say("copies_heading"))
        lines.extend(f"  {line}" for line in facts["copies"][:20])
    if facts.get("ignored"):
        lines.append(_say("ignored_heading", count=len(facts["ignored"])))
        lines.extend(f"  {name}" for name in facts["ignored"][:20])
        if len(facts["ignored"]) > 20:
            lines.append(_say("more", count=len(facts["ignored"]) - 20))
    return lines


def _mail_lines(facts: dict) -> list[str]:
    """Mail nobody has received yet, then the day's reminders."""
    lines = [_say("mail_waiting", message=m) for m in facts.get("mail_waiting", [])]
    if facts.get("ignored_documents"):
        from pipeline.notify.followup import ignored_documents_heading

        lines += [ignored_documents_heading(), *(f"  {x}" for x in facts["ignored_documents"])]
    if facts.get("mail_followup"):
        from pipeline.notify.followup import heading

        lines += [heading(), *(f"  {line}" for line in facts["mail_followup"])]
    if facts.get("mail_server") and facts.get("mail_written_not_sent"):
        from pipeline.cases.acknowledgement import words

        keys = facts["mail_written_not_sent"]
        lines.append(
            words("status")["written_before_server"].format(
                count=len(keys), mail_dir=facts.get("mail_dir") or "outbox/mail"
            )
        )
        lines.extend(f"  {k}" for k in keys[:20])
    if facts.get("reminders"):
        lines.append(_say("reminders_heading"))
        lines += [f"  {r['text']}" for r in facts["reminders"]]
    return lines


def _acknowledgement_lines(facts: dict) -> list[str]:
    """What became of the acknowledgements; "every referral acknowledged" only when every
    one was sent, and never without a mail server (then mail only reaches the folder)."""
    from pipeline.cases.acknowledgement import words

    w = words("status")
    acks = facts.get("acknowledgements") or {}
    lines = []
    if any(acks.values()):
        lines.append(w["counts"].format(**acks))
    oldest = facts["oldest_unacknowledged"]
    if oldest:
        when = dt.datetime.fromisoformat(oldest["received"])
        lines.append(
            w["oldest"].format(
                reference=oldest["reference"] or _say("item", item=oldest["item"]),
                received=f"{when:%d/%m/%Y %H:%M}",
            )
        )
    elif (
        facts.get("mail_server") is not False
        and acks.get("sent")
        and not any(n for state, n in acks.items() if state != "sent")
    ):
        lines.append(w["all_sent"])
    if facts.get("mail_server") is False:
        lines.append(
            w["no_server"].format(
                mail_dir=facts.get("mail_dir") or "outbox/mail", profile=facts.get("profile") or ""
            )
        )
    return lines


def run(args: argparse.Namespace) -> int:
    from pipeline.commands.watch import open_working_folder

    opened = open_working_folder(args.config, as_json=getattr(args, "json", False))
    if opened is None:
        return 2
    config, profile, ledger = opened
    facts = gather(ledger, config, profile)
    if args.json:
        facts["today_set"] = clock.notice()
        print(json.dumps(facts, ensure_ascii=False))
    else:
        lines = describe(facts)
        if clock.notice():
            lines = [clock.notice(), *lines]  # so nobody takes a demo's dates for real ones
        print("\n".join(lines))
    return 0
