"""What a co-ordinator and a supervisor do by hand, acted out for `family-time demo`.

The demo shows the whole loop on a fresh folder: a co-ordinator lists the supervisor on the
Staff sheet and allocates a referral by typing into its tracker row (openpyxl here, saving the
workbook as Excel would) with a first session still to come; weeks later (the pipeline's
clock, FAMILY_TIME_TODAY) the supervisor fills in two of the pre-filled session records and
sends them back. Nothing in the demo's letters is in the past. Used only by the demo.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.dates import weekday_name
from pipeline.models import Item
from pipeline.profile import Profile

DEMO_SUPERVISOR = "Robin Supervisor-Example"  # fictional, like everyone in the samples
DEMO_SUPERVISOR_EMAIL = "robin.supervisor@example.org"
DEMO_TIME = "10am"  # typed as people type it


def first_date_weeks_ago(profile: Profile, today: dt.date, weeks: int = 2) -> dt.date:
    """A session day about `weeks` ago, so the first sessions have already happened."""
    from pipeline.validate.calendar import ServiceCalendar

    calendar = ServiceCalendar(profile)
    day = today - dt.timedelta(weeks=weeks)
    while not calendar.is_session_day(day):
        day -= dt.timedelta(days=1)
    return day


def first_date_ahead(profile: Profile, today: dt.date, days: int = 7) -> dt.date:
    """A weekday session day at least `days` ahead: the family and carer get notice."""
    from pipeline.validate.calendar import ServiceCalendar

    calendar = ServiceCalendar(profile)
    day = today + dt.timedelta(days=days)
    while not calendar.is_session_day(day) or day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def list_staff(config, profile: Profile) -> None:
    """The co-ordinator puts the supervisor on the Staff sheet (so the drop-down offers them
    and the pack email is addressed to them)."""
    import openpyxl

    from pipeline.tracker.columns import load_spec
    from pipeline.tracker.sync import workbook_path

    path = workbook_path(config, profile, load_spec())
    book = openpyxl.load_workbook(path)
    book["Staff"].append([DEMO_SUPERVISOR, profile.supervisor_role, DEMO_SUPERVISOR_EMAIL, 30])
    book.save(path)


def pack_mail_words(config, profile: Profile, ledger, pack: dict, folder: Path) -> str:
    """What the demo says of the pack's email: emailed only when the mail server took it;
    with no mail server (a new folder) only written to outbox/mail. The case timeline's
    `pack_mailed` says how when it is there, else the outbox does (words:
    form_templates/cases/acknowledgement.toml [demo])."""
    from pipeline.cases import case_of
    from pipeline.cases.acknowledgement import words
    from pipeline.ledger.names import EventKind, MailHow
    from pipeline.notify import MailOutbox

    w = words("demo")
    reference, version = pack["reference"], pack["version"]
    how = None
    for e in case_of(ledger, reference).of(EventKind.PACK_MAILED):
        if e.detail.get("version") in (None, version) and e.detail.get("how"):
            how = e.detail["how"]
    if how is None:
        outbox = MailOutbox(config, profile)
        try:
            how = outbox.how(f"{reference}:pack:{version}")  # pipeline/notify/pack.py's key
        finally:
            outbox.close()
    said = {MailHow.SENT: "pack_sent", MailHow.WRITTEN: "pack_written"}.get(how, "pack_waiting")
    return w[said].format(folder=folder)


def allocate(config, profile: Profile, item: Item, first_date: dt.date) -> dict[str, object]:
    """Type an allocation into the referral's tracker row; returns what was typed."""
    import openpyxl

    from pipeline.tracker.columns import load_spec
    from pipeline.tracker.create import headers
    from pipeline.tracker.sync import workbook_path

    spec = load_spec()
    sheet = next(s for s in spec.enabled_sheets if "accepted" in s.outcomes)
    names = headers(sheet, profile)
    typed = {
        "status": "Allocated",
        "supervisor": DEMO_SUPERVISOR,
        "venue": profile.venues[0].name,
        "room": "Room 1",
        "day": weekday_name(first_date),
        "time": DEMO_TIME,
        "first_date": first_date,
    }
    path = workbook_path(config, profile, spec)
    book = openpyxl.load_workbook(path)
    ws = book[sheet.name]
    column = {cell.value: cell.column for cell in ws[1]}
    key_col = column[names[sheet.key]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, key_col).value == item.reference)
    for key, value in typed.items():
        cell = ws.cell(row, column[names[key]], value)
        if isinstance(value, dt.date):
            cell.number_format = "dd/mm/yyyy"
    book.save(path)
    return typed


def send_back_missed_records(
    pack_dir: Path, inbox: Path, how_many: int = 2, sent_on: dt.date | None = None
) -> list[Path]:
    """The supervisor's first records: the parent did not come and gave no reason (sent on
    `sent_on`, the demo's "weeks later")."""
    from pipeline.render.record_form import fill_controls

    records = sorted(pack_dir.glob("Session record *.docx"))[:how_many]
    sent = []
    for record in records:
        day = dt.date.fromisoformat(record.stem.rsplit(" ", 1)[-1])
        sent.append(
            fill_controls(
                record,
                inbox / f"Completed {record.name}",
                {
                    "session.outcome": "Parent did not attend",
                    "session.family_present": "None",
                    "session.reason": "No contact from the parent before or after the session",
                    "session.valid_reason": False,
                    "session.significant_event": False,
                    "session.author": DEMO_SUPERVISOR,
                    "session.written_on": day,
                },
            )
        )
        if sent_on is not None:
            import os

            stamp = dt.datetime.combine(sent_on, dt.time(9, 0)).timestamp()
            os.utime(sent[-1], (stamp, stamp))
    return sent


DEMO_DECIDER = "Pat Demo-Manager"


def demo_decider(profile: Profile, item: Item) -> tuple[str, str]:
    """(name, Staff-sheet role) of the person who may decide in this service (the profile's
    [decisions]): the referral's own social worker where the service says so."""
    d = profile.decisions
    if d.decided_by_allocated_social_worker:
        values = item.verdict.values if item.verdict else {}
        name = " ".join(str(values.get("social_worker.name") or "").split())
        return name or DEMO_DECIDER, "Social worker"
    roles = d.decided_by_roles or ["team manager"]
    return DEMO_DECIDER, f"Family Time {roles[0]}"


def approve_proposals(config, profile: Profile, item: Item) -> int:
    """Act as the person who decides: Approved, with a name, on every undecided proposal row
    of the Decisions sheet; returns how many were approved."""
    import openpyxl

    from pipeline.tracker.columns import load_spec
    from pipeline.tracker.create import headers
    from pipeline.tracker.decisions import SHEET
    from pipeline.tracker.sync import workbook_path

    spec = load_spec()
    names = headers(spec.sheet(SHEET), profile)
    path = workbook_path(config, profile, spec)
    book = openpyxl.load_workbook(path)
    ws = book[SHEET]
    column = {cell.value: cell.column for cell in ws[1]}
    decider, role = demo_decider(profile, item)
    staff = next((s for s in book.worksheets if s.title == "Staff"), None)
    if staff is not None:  # only a person on the Staff sheet, in a role that decides, is heard
        staff.append([decider, role, "", ""])
    approved = 0
    for r in range(2, ws.max_row + 1):
        if (
            ws.cell(r, column[names["proposal"]]).value
            and not ws.cell(r, column[names["decision"]]).value
        ):
            ws.cell(r, column[names["decision"]], "Approved")
            ws.cell(r, column[names["decided_by"]], decider)
            approved += 1
    book.save(path)
    return approved
