"""A working folder where referrals arrive on chosen days and a co-ordinator types the day a
commitment was kept ("Contact made on", "Planning meeting on") into the tracker, moving
through the weeks with FAMILY_TIME_TODAY."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from tests.helpers.allocation_kit import FORM, Desk
from tests.helpers.intake_kit import variant


class Team(Desk):
    """Desk for any service's profile."""

    def __init__(self, root: Path, profile: str | None = None):
        super().__init__(root, profile)
        self.n = 0

    def allocate_in_service(self, ref: str, **changes) -> None:
        """The usual allocation (under this service's own header for the worker), with the
        worker first on the Staff sheet at an address the service's packs may go to."""
        if not self.staff():
            domain = self.profile.team_inbox.split("@")[1]
            self.add_staff(email_address=f"robin.supervisor@{domain}")
        self.allocate(ref, **changes)

    def on(self, day: dt.date) -> None:
        """The pipeline's today from now on."""
        os.environ["FAMILY_TIME_TODAY"] = day.isoformat()

    def referral(self, arrived: dt.datetime, review: dt.date | None = None) -> str:
        """Another child's referral arriving at `arrived` (that day is today); its reference.
        The form's review date is `review`, else ten weeks after it arrives (the fixture's own,
        21/04/2026, is before these referrals and would be said in "Dates to correct")."""
        self.on(arrived.date())
        self.n += 1
        src = self.config.state_dir / f"referral-{self.n}.docx"
        variant(FORM, src, self.n)
        with_review_date(src, review or arrived.date() + dt.timedelta(weeks=10))
        items = self.receive(src, name=f"referral-{self.n}.docx", arrived=arrived)
        [ref] = {i.reference for i in items if i.outcome == "accepted"}
        return ref

    def type_on(self, day: dt.date, reference: str, **cells) -> None:
        """On `day`, a co-ordinator types into the row and saves; the watcher's passes follow."""
        self.on(day)
        self.type_in(reference, **cells)
        self.effects()

    def reminder_texts(self, day: dt.date) -> list[str]:
        from pipeline.notify.digest import reminders

        self.on(day)
        return [r.text for r in reminders(self.ledger, self.config, self.profile, day)]


FORM_REVIEW = dt.date(2026, 4, 21)  # the review date written on the fixture form


def with_review_date(path: Path, day: dt.date) -> None:
    """The form at `path` with another date of the child's next review (the content control's
    value and the text shown)."""
    import zipfile

    with zipfile.ZipFile(path) as zin:
        parts = [(info, zin.read(info)) for info in zin.infolist()]
        comment = zin.comment
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in parts:
            if info.filename == "word/document.xml":
                data = data.replace(
                    FORM_REVIEW.isoformat().encode(), day.isoformat().encode()
                ).replace(
                    FORM_REVIEW.strftime("%d/%m/%Y").encode(), day.strftime("%d/%m/%Y").encode()
                )
            zout.writestr(info, data)
        zout.comment = comment


def arrives(ledger, profile, root: Path, n: int, when: dt.datetime, outcome: str, **kw):
    """Submission `n` of one child's referral as intake records it (`problems`, `update_of`,
    `values` in kw): its verdict's own clock start and due dates, worked out as validation
    does (what the tracker's due-date cells show), and the reply the mail effect sent that
    day on the case timeline."""
    import hashlib

    from pipeline.cases import acknowledgement
    from pipeline.ledger import ItemDraft
    from pipeline.ledger.names import MailHow
    from pipeline.models import Verdict
    from pipeline.validate.calendar import ServiceCalendar, due_dates

    from tests.helpers.season_kit import referral_values

    verdict = Verdict(
        verdict="complete" if outcome == "accepted" else "incomplete",
        kind="referral",
        form_id="family-time-referral",
        values=kw.get("values") or referral_values("Kit", "Example"),
        problems=list(kw.get("problems", ())),
        received=when,
        counted_from=ServiceCalendar(profile).counted_from(when),
        due=due_dates(when, profile),
    )
    draft = ItemDraft(
        original_name=f"referral-{n}.docx",
        outcome=outcome,
        reason="",
        verdict=verdict,
        case_id="C9",
        update_of=kw.get("update_of"),
    )
    _, [item] = ledger.record_file(
        sha256=hashlib.sha256(f"submission-{n}".encode()).hexdigest(),
        original_name=draft.original_name,
        size=1,
        received_at=when,
        source_path=root / f"in-{n}",
        archive_root=root / "archive",
        drafts=[draft],
    )
    ledger.record_event(
        acknowledgement.acknowledged_event(item.reference, item.id, MailHow.SENT, when.date())
    )
    return item


def digest_lines(ledger, config, profile, day: dt.date) -> list[str]:
    """The digest's (and `status`'s) lines on `day`, with no allocations typed."""
    from pipeline.notify.digest import reminders

    return [r.text for r in reminders(ledger, config, profile, day, allocations={})]
