"""The cells the tracker effect fills from what the other effects have done: the date the
acknowledgement went, the Paperwork cell ("Pack made"), "Suspended until" written once into
Status, and the other `extra.` cells. Worked out from the ledger here, beside the tracker,
so the effect only syncs and records the outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.dates import numeric_date
from pipeline.tracker.allocation import paperwork_text

if TYPE_CHECKING:
    from pipeline.ledger import Ledger


def acknowledged(ledger: Ledger, items) -> dict:
    """reference -> the "Acknowledgement sent" cell of its latest accepted submission, from the
    case's timeline: the date only when the mail server took it; when it was only written to
    outbox/mail (no mail server), or withheld, words saying so (tracker.toml [words]); blank
    while it waits for the mail server. Never a date for a message that went nowhere."""
    from pipeline.cases.acknowledgement import acknowledgements
    from pipeline.ledger.names import MailHow
    from pipeline.tracker.columns import load_spec

    words = load_spec().words
    out: dict = {}
    for ref, ack in acknowledgements(ledger, items).items():
        if ack.state == MailHow.SENT:
            out[ref] = ack.on
        elif ack.state == MailHow.WRITTEN:
            out[ref] = words["acknowledgement_written"].format(date=numeric_date(ack.on))
        elif ack.state in (MailHow.WITHHELD, MailHow.UNKNOWN, MailHow.BOUNCED):
            out[ref] = words["acknowledgement_withheld"].format(why=ack.why)
    return out


def packs(ledger: Ledger, items, profile=None) -> dict:
    """reference -> the Paperwork cell: "Pack made dd/mm/yyyy", "Pack remade dd/mm/yyyy (time
    changed)", or what to correct before a pack can be made. Drawn from the timeline's
    PACK_MADE events alone: a referral with none (an update that arrived before anyone
    allocated it, say) has no pack, so the cell says nothing of one."""
    from pipeline.cases import cases_of
    from pipeline.cases import paperwork as PW
    from pipeline.commitments import alert as commitment_alert
    from pipeline.ledger.names import EventKind

    days = profile.notice_days() if profile is not None else None
    alert = commitment_alert("first_session", profile) if profile is not None else None
    promised = first_session_promised(items)
    out: dict = {}
    from pipeline.scans.agreement import paperwork_note

    attached = {i.reference: i.agreement_attached for i in items if i.outcome == "accepted"}
    kinds = (EventKind.ALLOCATED, EventKind.PACK_MADE, EventKind.SCAN_FILED)
    for ref, case in cases_of(ledger, kinds=kinds).items():
        made = PW.latest_pack(case)
        if made is not None:
            out[ref] = paperwork_text(
                made, PW.current_allocation(case), days, promised.get(ref), alert
            )
            note = paperwork_note(case, profile, attached.get(ref, False))
            out[ref] += f"; {note}" if note else ""  # the paper back, or the agreement missing
    from pipeline.rota.clashes import warnings_for_cells

    out = warnings_for_cells(ledger, out)  # the clash check's warnings (pipeline/rota/)
    out.update(ledger.allocation_problems())
    from pipeline.notify.followup import held_notes  # the pack held from an address (#27)

    for ref, note in held_notes(ledger, "pack").items():
        if isinstance(out.get(ref), str):
            out[ref] = f"{out[ref]}; {note}"
    return out


def first_session_promised(items) -> dict:
    """reference -> the date the service promised a first session by, counted from when the
    referral was first received (an update does not move the promise)."""
    from pipeline.validate.calendar import complete_referrals, is_unborn

    out: dict = {}
    for ref, item in complete_referrals(items).items():
        due = item.verdict.due.get("first_session") if item.verdict else None
        if due and not is_unborn(item.verdict.values):  # no promise before the birth
            out[ref] = due
    return out


def statuses(ledger: Ledger) -> tuple[dict, list[int]]:
    """reference -> what the Status cell says of a suspension's latest step not yet written:
    "Suspended until dd/mm/yyyy" once its letters started it, the new end when a meeting moves
    it, and family time running again once it ended. Drawn from the case timeline (nothing
    before a person approved and the letters were made); each step written once, so the cell
    is the co-ordinator's in between. Returns the proposals' ids to mark written."""
    from pipeline.cases import cases_of
    from pipeline.cases import suspension as S
    from pipeline.ledger.names import EventKind

    cases = cases_of(ledger, kinds=S.KINDS + (EventKind.CLOSED,))
    out: dict[str, str] = {}
    ids: list[int] = []
    for sa in sorted(ledger.rule_actions(), key=lambda x: x.id):
        if sa.status_written_at is not None:
            continue
        case = cases.get(sa.action.reference)
        proposal = S.of_action(case, sa.id)
        text = S.status_text(proposal) if proposal is not None else None
        if text is None or (proposal.state == "ended" and case.has(EventKind.CLOSED)):
            continue  # nothing started; or closed: the person's word stands
        out[sa.action.reference] = text
        ids.append(sa.id)
    return out, ids


def more_cells(ledger: Ledger, items, profile, status: dict) -> dict:
    """The other `extra.` cells: Status once, dates to correct, the review report's mail."""
    from pipeline.notify.review import report_cells
    from pipeline.tracker.met import dates_to_correct

    return {
        "status": status,
        "accepted": accepted(ledger, profile),
        "dates_to_correct": dates_to_correct(ledger, items, profile),
        "review_report": report_cells(ledger),
        "allocated": allocated(ledger),
    }


def allocated(ledger: Ledger) -> dict:
    """reference -> the allocation its latest pack was made from (the timeline's ALLOCATED
    event): a row someone deleted comes back with it, not as "Pack made" beside an empty
    allocation that would read as a referral waiting for a co-ordinator."""
    from pipeline.cases import cases_of
    from pipeline.cases import paperwork as PW
    from pipeline.ledger.names import EventKind

    out: dict = {}
    for ref, case in cases_of(ledger, kinds=(EventKind.ALLOCATED,)).items():
        current = PW.current_allocation(case)
        if current:
            out[ref] = {k: current.get(k) or "" for k in PW.ALLOCATION_FIELDS}
    return out


def accepted(ledger: Ledger, profile) -> dict:
    """reference -> "Accepted by <name> on <date>", where a person accepts referrals and the
    timeline has their acceptance (ACCEPTED): the Checked cell then says who, never "to be
    accepted" beside a name already typed."""
    from pipeline import words
    from pipeline.cases.paperwork import acceptances
    from pipeline.tracker.columns import load_spec

    if profile.acceptance.automatic:
        return {}
    said = load_spec().words["accepted_by"]
    return {
        ref: words.fill(said, "tracker.toml [words] accepted_by", by=by, date=numeric_date(on))
        for ref, (by, on) in acceptances(ledger).items()
    }
