"""The paperwork effect: the pack for each referral once a co-ordinator has allocated it in
the tracker. A pack waits (without counting as a failure) until the tracker row says
everything the documents need, and is made only from an allocation that passes the checks
(pipeline/tracker/allocation.py). `family-time paperwork --pending` makes packs through the
same path (`settle_pack`), so it never makes one the watcher would refuse.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pipeline.render as render
import pipeline.tracker.allocation as A
from pipeline import clock, words
from pipeline.cases import case_of, cases_of
from pipeline.cases import paperwork as PW
from pipeline.effects.contract import Due, Effect, EffectName, EffectPass, EffectStatus, Waiting
from pipeline.files import private_dir
from pipeline.ledger.names import EventKind
from pipeline.notify import followup
from pipeline.rota import clashes as rota_clashes
from pipeline.rota import invitation as rota_invitation
from pipeline.server.logs import log_fault
from pipeline.tracker import allocations_or_none
from pipeline.tracker.saves import workbook_stamps
from pipeline.tracker.sync import read_staff
from pipeline.tracker.typed_rows import moved_referrals

log = logging.getLogger("pipeline.effects")
WORDING = "effects.toml"  # under form_templates/: what the effects say about themselves

ALLOCATION_RETRY = 300.0  # seconds: paperwork waits for a co-ordinator to allocate the row


@dataclass
class Settled:
    """What became of one referral's paperwork: made (the documents), waiting (why: what to
    correct, or not allocated yet), unchanged (the pack made stands), or failed (why)."""

    outcome: str  # made | waiting | unchanged | failed
    text: str = ""
    documents: list[Path] = field(default_factory=list)


class PaperworkEffect(Effect):
    """Packs that follow the allocation.

    The pack is made from the allocation as checked (pipeline/tracker/allocation.py) and the
    ledger keeps the allocation it was made from. Whenever the workbook is saved, rows whose
    allocation differs from what was last acted on owe their paperwork again: a changed
    allocation remakes the pack (the old documents move to superseded/<date>/), a mistake is
    said back in the Paperwork cell, and each new version is mailed once.

    What happened is written to the case timeline as it happens, on the pipeline's today
    (pipeline/cases/paperwork.py): a new allocation version, the pack made (what changed and
    which sessions are off), and its email (to whom, sent or only written). Every view reads
    those; none reads when this effect last ran.
    """

    name = EffectName.PAPERWORK

    # ---- noticing a saved workbook
    def due(self, p: EffectPass) -> Due:
        try:
            self._follow_workbook(p)
        except Exception:  # the allocations are read again next pass
            log_fault(log, "effects: could not look at the workbook for changed allocations")
        try:
            PW.backfill(p.ledger, p.profile.supervisor_role)
            self.catch_up_mail(p)
            rota_invitation.follow_timeline(p.ledger, p.config, p.profile)  # calendars
        except Exception:  # looked at again next pass
            log_fault(log, "effects: could not look at the pack emails owed")
        self._superseded(p)
        return Due(owed=list(p.ledger.pending_effects(p.now, self.name)))

    def _superseded(self, p: EffectPass) -> None:
        """An earlier submission of a referral that has been sent again owes no pack of its
        own (the newest owes it): settled at once, not at its next retry, so nothing counts
        it as waiting for a co-ordinator in the meantime."""
        for item_id in p.ledger.superseded_pending(self.name):
            p.ledger.mark_effect(item_id, self.name, EffectStatus.DONE)

    def _follow_workbook(self, p: EffectPass) -> None:
        key = str(p.config.state_dir)
        stamps = workbook_stamps(p.config, p.profile)
        if not p.memory.saved_since(self.name, key, stamps):
            return
        p.memory.seen(self.name, key, stamps)
        allocations = allocations_or_none(p.config, p.profile)
        acted = p.memory.acted.setdefault(key, {})
        newest: dict[str, int] = {}
        for item in p.ledger.items(outcome="accepted"):
            if item.reference:
                newest[item.reference] = item.id
        for ref, a in allocations.items():
            typed = a.model_dump(mode="json")
            if ref in newest and acted.get(ref) != typed:
                p.ledger.reopen_effect(newest[ref], self.name)

    # ---- making (or remaking) packs
    def run(self, due: Due, p: EffectPass) -> None:
        ledger = p.ledger
        allocations = allocations_or_none(p.config, p.profile)
        moved = moved_referrals(p.config, p.profile)
        staff: list | None = None
        today = clock.today()
        acted = p.memory.acted.setdefault(str(p.config.state_dir), {})
        newest_of: dict[str, int] = {}  # reference -> its newest accepted submission
        for accepted in ledger.items(outcome="accepted"):
            if accepted.reference:
                newest_of[accepted.reference] = accepted.id
        for e in due.owed:
            item = ledger.item(e.item_id)
            if item is None or not item.reference:
                ledger.mark_effect(e.item_id, self.name, EffectStatus.DONE)
                continue
            ref = item.reference
            if ref in moved:  # the row's cells were moved: never acted on (tracker/rowcheck.py)
                self._wait(ledger, item.id, moved[ref])
                continue
            allocation = allocations.get(ref)
            if allocation is not None:
                acted[ref] = allocation.model_dump(mode="json")
            if newest_of.get(ref, item.id) != item.id:  # an update of the referral owes it now
                ledger.mark_effect(e.item_id, self.name, EffectStatus.DONE)
                continue
            if staff is None and A.is_allocated(allocation):
                staff = read_staff(p.config, p.profile)
            self.settle(p, item, allocation, staff or [], today)

    def settle(
        self, p: EffectPass, item, allocation, staff: list, today: dt.date, *, pdf: bool = False
    ) -> Settled:
        """Check the allocation and make (or remake) the pack when it passes: the one path
        for the watcher and `paperwork --pending`. Records the outcome in the ledger (the
        effect's status, the Paperwork cell's text) and in the pass's report."""
        ledger, ref = p.ledger, item.reference
        previous = ledger.latest_pack(ref)
        if not A.is_allocated(allocation):
            if ledger.set_allocation_problem(ref, None):
                ledger.reopen_effect(item.id, EffectName.TRACKER)
            if previous is not None:  # no longer "Allocated": the pack stands
                ledger.mark_effect(item.id, self.name, EffectStatus.DONE)
                return Settled("unchanged")
            waiting = words.entry(WORDING, "paperwork", "waiting_for_allocation")
            self._wait(ledger, item.id, waiting)
            return Settled("waiting", waiting)
        checked = A.check_allocation(
            allocation, p.profile, staff, today, item, previous["allocation"] if previous else None
        )
        rota_clashes.settle(ledger, p.profile, item, checked, staff, today)  # clashes stop it
        if checked.problems:
            if ledger.set_allocation_problem(ref, checked.text):
                ledger.reopen_effect(item.id, EffectName.TRACKER)
            log.info(
                "effects: %s allocation to correct (%d problem(s))", ref, len(checked.problems)
            )
            self._wait(ledger, item.id, checked.text)
            return Settled("waiting", checked.text)
        plain = checked.allocation
        changed = A.changes(previous["allocation"], plain) if previous else []
        if previous and previous["item_id"] != item.id:
            changed.append("referral")
        if previous and not changed:
            if ledger.set_allocation_problem(ref, None):
                ledger.reopen_effect(item.id, EffectName.TRACKER)
            ledger.mark_effect(item.id, self.name, EffectStatus.DONE)
            return Settled("unchanged")
        try:
            documents = self._make(p, item, plain, previous, changed, staff, today, pdf)
        except Exception as exc:
            log_fault(log, "effects: paperwork for %s failed", ref)
            ledger.mark_effect(
                item.id, self.name, EffectStatus.FAILED, self.error_text(exc), waiting=Waiting.ERROR
            )
            p.report.waiting[self.name] = words.entry(WORDING, "paperwork", "failed")
            return Settled("failed", self.error_text(exc))
        ledger.mark_effect(item.id, self.name, EffectStatus.DONE)
        ledger.reopen_effect(item.id, EffectName.TRACKER)  # the Paperwork column changes
        p.report.count(self.name)
        return Settled("made", documents=[Path(d) for d in documents])

    def _wait(self, ledger, item_id: int, why: str) -> None:
        ledger.mark_effect(
            item_id,
            self.name,
            EffectStatus.PENDING,
            why,
            retry_in=ALLOCATION_RETRY,
            waiting=Waiting.ALLOCATION,
            count_attempt=False,
        )

    def _make(
        self, p: EffectPass, item, plain, previous, changed, staff, today, pdf: bool = False
    ) -> list:
        from pipeline.render.change import change_text

        ref = item.reference
        out_dir = p.config.outbox_dir / ref
        for_pack, change, short = self._what_changed(p, item, plain, previous, changed, today)
        if previous is not None:
            _supersede(out_dir, previous, today)
        words = change_text(
            change,
            p.profile,
            short_notice=short,
            referral_updated=previous is not None and change is None,
        )
        more = {"pdf": True} if pdf else {}  # the watcher's call stays as it always was
        if previous:  # the pack's version, in the page code (a first pack is version 1)
            more["version"] = int(previous["version"]) + 1
        if words:  # for a first pack too
            more["change"] = words
        # the planning meeting as the tracker's "Planning meeting on" has it (letters name it
        # only then)
        met = p.ledger.commitments_met().get(ref, {}).get("planning_meeting")
        if met is not None:
            more["planning_meeting"] = met
        documents = render.render_pack(item, for_pack, p.profile, out_dir, **more) or []
        version = p.ledger.add_pack(
            ref,
            item.id,
            A.snapshot(plain),
            [str(d) for d in documents],
            A.changed_words(changed),
            short,
        )
        log.info("effects: pack %s version %d made", ref, version)
        allocation_version = _allocation_version(p, case_of(p.ledger, ref), ref, plain, today)
        # the email to the supervisor and social worker says the move; its own sentence
        # asks them to make sure the family knows in time (the letters carry the apology)
        to_staff = change_text(
            change,
            p.profile,
            short_notice=False,
            referral_updated=previous is not None and change is None,
        )
        message = self._message(
            p,
            item,
            version,
            documents,
            plain,
            staff or [],
            A.changed_words(changed),
            to_staff,
            change is not None,
            p.profile.notice_days() if short else None,
            for_pack.first_date,
        )
        if message is not None:  # the supervisor's calendar invitation rides with the pack
            rota_invitation.add_to_pack_mail(
                p.ledger, p.profile, item, plain, message, staff, version
            )
        roles = _roles(message, item, staff or [], plain) if message is not None else []
        made = PW.pack_made(
            ref,
            version,
            allocation_version=allocation_version,
            item_id=item.id,
            documents=[Path(d).name for d in documents],
            changed=changed,
            change=change,
            short_notice=short,
            on=today,
            mail_to=roles,
        )
        # what the pack gives against the referral's request (fewer or shorter sessions, a
        # requested start already past): the Paperwork cell and the digest say it
        against = A.against_request(
            item, for_pack, today, first_pack=previous is None or "referral" in changed
        )
        if against:
            made.detail["against_request"] = against
        p.ledger.record_event(made)
        if message is not None:
            outbox = notify_outbox(p)
            if outbox.deliver(message):
                p.ledger.mark_pack_mailed(ref, version)
            _record_mailed(p, outbox, ref, version, roles, today)
            held = followup.held_event(ref, message, today)  # a personal mailbox (issue 27)
            if held is not None:
                p.ledger.record_event(held)
        return documents

    @staticmethod
    def _what_changed(p: EffectPass, item, plain, previous, changed, today):
        """(the allocation the pack is made from, the change people see, short notice?): a
        remade pack starts from the next session, and notice is owed for a change people
        see, never for a pack made again because the referral was updated."""
        from pipeline.render.change import change_facts

        if previous is None:
            return plain, None, False
        for_pack = plain
        upcoming = _next_sessions(item, plain, p.profile, today)
        if upcoming and plain.first_date and plain.first_date < upcoming:
            # already running: every session record it re-issues is for a session to come
            for_pack = plain.model_copy(update={"first_date": upcoming})
        change = change_facts(
            item,
            previous["allocation"],
            plain,
            changed,
            for_pack.first_date,
            p.profile,
            today,
            _listed_before(item, previous, p.profile),
        )
        days = p.profile.notice_days()
        short = bool(change and days and upcoming and (upcoming - today).days < days)
        return for_pack, change, short

    @staticmethod
    def _message(
        p, item, version, documents, plain, staff, changed, words, moved, short_days, first
    ):
        """The pack's email, or None when mail is not set up (said in the pass's report)."""
        import pipeline.notify as notify

        email = next(
            (s.get("email") for s in staff if A.same_name(s.get("name"), plain.supervisor)), None
        )
        try:
            return notify.pack_message(
                item,
                p.profile,
                version,
                [Path(d) for d in documents],
                email,
                changed,
                short_days,
                first,
                change_text=words,
                moved=moved,
            )
        except notify.MailNotReady as exc:
            p.report.waiting["pack mail"] = str(exc)
            return None

    def catch_up_mail(self, p: EffectPass) -> None:
        """A pack email still owed at an earlier pass (the mail server was down) and sent
        since: its PACK_MAILED event, written the day it is seen to have gone."""
        outbox = None
        for ref, case in cases_of(
            p.ledger, kinds=(EventKind.PACK_MADE, EventKind.PACK_MAILED)
        ).items():
            for made in case.of(EventKind.PACK_MADE):
                version = made.detail.get("version")
                roles = made.detail.get("mail_to") or []
                if not roles or PW.mailed_how(case, version) is not None:
                    continue  # recorded (a message only written stays so)
                outbox = outbox or notify_outbox(p)
                _record_mailed(p, outbox, ref, version, roles, clock.today())


def _next_sessions(item, allocation, profile, today: dt.date) -> dt.date | None:
    """The first planned session on or after today under `allocation`."""
    from pipeline.sessions.plan import planned_sessions

    try:
        planned = planned_sessions(item, allocation, profile, until=today + dt.timedelta(days=400))
    except ValueError:
        return None
    return next((s.date for s in planned if s.date >= today), None)


def _supersede(out_dir: Path, previous: dict, today: dt.date) -> None:
    """The last pack's documents move to superseded/<date>/ (kept, never deleted)."""
    folder = out_dir / "superseded" / today.isoformat()
    for name in previous.get("documents", []):
        old = Path(name)
        if not old.is_file():
            continue
        private_dir(folder)
        target = folder / old.name
        n = 2
        while target.exists():
            target = folder / f"{old.stem} ({n}){old.suffix}"
            n += 1
        shutil.move(str(old), str(target))


def notify_outbox(p: EffectPass):
    import pipeline.notify as notify

    return notify.MailOutbox(p.config, p.profile)


def _listed_before(item, previous: dict, profile) -> list[dt.date]:
    """The sessions the previous pack's letters named: the first of its allocation's pattern
    from the day it was made (a remade pack lists from its next session)."""
    from pipeline.models import Allocation
    from pipeline.render.context import settings
    from pipeline.sessions.plan import planned_sessions

    a = previous.get("allocation") or {}
    first = a.get("first_date")
    if not first or not a.get("day"):
        return []
    old = Allocation(
        reference=item.reference or "",
        status="Allocated",
        day=a.get("day"),
        first_date=dt.date.fromisoformat(first),
    )
    made = previous["made_at"].date() if previous.get("made_at") else old.first_date
    try:
        planned = planned_sessions(
            item, old, profile, until=max(made, old.first_date) + dt.timedelta(days=400)
        )
    except ValueError:
        return []
    listed = int(settings()["pack"]["letter_sessions"])
    return [s.date for s in planned if s.date >= made][:listed]


def _allocation_version(p: EffectPass, case, ref: str, plain, today: dt.date) -> int:
    """The allocation version a pack is made from: a new ALLOCATED event only when the
    allocation differs from the latest one on the timeline."""
    by = getattr(plain, "accepted_by", None)
    if by and not p.profile.acceptance.automatic:  # checked against the Staff sheet already
        p.ledger.record_event(PW.accepted(ref, by, today))  # once per person (its key)
    latest = PW.current_allocation(case)
    if latest is not None and not A.changes(latest, plain):
        return int(latest["version"])
    version = len(PW.allocations(case)) + 1
    p.ledger.record_event(
        PW.allocated(ref, version, A.snapshot(plain), p.profile.supervisor_role, today)
    )
    return version


def _roles(message, item, staff: list, plain) -> list[str]:
    """Who the pack email is addressed to, by role (the team alone when neither is known)."""
    from pipeline.notify.addresses import clean_address

    got = {a.lower() for a in message.recipients}
    values = item.verdict.values if item.verdict else {}
    social = clean_address(values.get("social_worker.email"))
    supervisor = next(
        (
            s.get("email")
            for s in staff
            if A.same_name(s.get("name"), plain.supervisor) and s.get("email")
        ),
        None,
    )
    roles = [
        role
        for role, address in (("supervisor", supervisor), ("social worker", social))
        if address and address.lower() in got
    ]
    return roles or ["team"]


def _record_mailed(
    p: EffectPass, outbox, ref: str, version: int, roles: list[str], today: dt.date
) -> None:
    """PACK_MAILED as the outbox says it went: sent, or only written to outbox/mail."""
    how = outbox.how(PW.mail_key(ref, version))
    if how is not None:
        p.ledger.record_event(PW.pack_mailed(ref, version, roles, how, today))
