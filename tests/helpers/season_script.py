"""Three months of one service, as people would live them, run through the `family-time`
command with the pipeline's clock moved day by day (FAMILY_TIME_TODAY, never the wall clock).

The script is DATA (`SCRIPT`, a list of ScriptEvent: who did what on which day), so the claims
auditor (tests/helpers/season_audit.py) knows what happened without asking the pipeline. The
runner (`Season.run`) plays it and keeps every output of every day: `status` (text and JSON),
`sessions REF --json`, the workbook's cells, each mail written to outbox/mail, each document
made under outbox/, and the reports asked for.

The children are copies of the committed referral form (tests/fixtures/forms) for different
children (intake_kit.variant); session records are filled from the real blank record form as
tests/sessions/make_records.py fills them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import email
import email.policy
import io
import json
import os
import re
from pathlib import Path

import openpyxl

from tests.helpers.intake_kit import variant, with_review_on
from tests.helpers.paths import FIXTURES
from tests.helpers.venues import a_venue

D = dt.date
FORM = FIXTURES / "forms" / "referral-complete.docx"
SUPERVISOR = "Dee Example-Supervisor"
SUPERVISOR_EMAIL = "dee.supervisor@season.example.gov.uk"
DECIDER = "Pat Example-Manager"
SOCIAL_WORKER = (
    "Sam Fictional-Worker"  # every season referral's allocated social worker (the form's)
)
FIRST_DAY = D(2026, 11, 2)
LAST_DAY = D(2027, 1, 29)
SERVICES = ("northamptonshire", "blackpool", "milton-keynes")


@dataclasses.dataclass(frozen=True)
class ScriptEvent:
    """One thing a person (or IT) did on one day. `child` is the script's name for a child
    (A, B, ...); the reference the pipeline gives it is looked up from its case-system ID."""

    day: dt.date
    who: str
    what: str
    child: str | None = None
    detail: tuple = ()

    def get(self, key, default=None):
        return dict(self.detail).get(key, default)


def ev(on_day: str, who: str, what: str, child: str | None = None, **detail) -> ScriptEvent:
    return ScriptEvent(D.fromisoformat(on_day), who, what, child, tuple(sorted(detail.items())))


#: The children: their number for variant() (CareFirst/Mosaic ID 7000000 + n), and the next
#: review written on the form.
CHILDREN = {
    "A": (1, D(2027, 1, 20)),
    "B": (2, D(2027, 3, 10)),
    "C": (3, D(2027, 4, 14)),
    "D": (4, D(2027, 6, 2)),
}

SCRIPT: list[ScriptEvent] = [
    # November: two referrals, an update, allocations; no mail server yet
    ev("2026-11-02", "social worker", "referral", "A"),
    ev("2026-11-03", "social worker", "referral", "B"),
    ev("2026-11-04", "social worker", "update", "A", note="sibling contact also asked for"),
    ev("2026-11-05", "co-ordinator", "staff", name=SUPERVISOR, address=SUPERVISOR_EMAIL),
    ev("2026-11-06", "co-ordinator", "allocate", "A", weekday="Monday", first=D(2026, 11, 9)),
    ev("2026-11-09", "co-ordinator", "allocate", "B", weekday="Tuesday", first=D(2026, 11, 10)),
    ev("2026-11-09", "supervisor", "record", "A", on=D(2026, 11, 9), outcome="Took place"),
    ev("2026-11-10", "supervisor", "record", "B", on=D(2026, 11, 10), outcome="Took place"),
    ev("2026-11-16", "supervisor", "record", "A", on=D(2026, 11, 16), outcome="missed"),
    ev("2026-11-17", "supervisor", "record", "B", on=D(2026, 11, 17), outcome="Took place"),
    ev("2026-11-23", "supervisor", "record", "A", on=D(2026, 11, 23), outcome="missed"),
    ev("2026-11-24", "IT", "smtp_up"),
    ev("2026-11-24", "supervisor", "record", "B", on=D(2026, 11, 24), outcome="missed"),
    ev("2026-11-25", "manager", "decide", "A", decision="Approved", meeting=D(2026, 11, 30)),
    ev("2026-11-30", "co-ordinator", "report_month", month="2026-11"),
    ev("2026-12-01", "supervisor", "record", "B", on=D(2026, 12, 1), outcome="missed"),
    ev("2026-12-02", "co-ordinator", "reallocate", "A", weekday="Thursday", first=D(2026, 12, 10)),
    ev("2026-12-03", "manager", "decide", "B", decision="Declined"),
    ev("2026-12-07", "social worker", "referral", "C"),
    ev("2026-12-08", "supervisor", "record", "B", on=D(2026, 12, 8), outcome="Took place"),
    ev("2026-12-09", "co-ordinator", "allocate", "C", weekday="Wednesday", first=D(2026, 12, 16)),
    ev("2026-12-10", "supervisor", "record", "A", on=D(2026, 12, 10), outcome="Took place"),
    # B's 15 December record is never sent back (a missing record)
    ev("2026-12-16", "supervisor", "record", "C", on=D(2026, 12, 16), outcome="missed"),
    ev("2026-12-17", "supervisor", "record", "A", on=D(2026, 12, 17), outcome="Took place"),
    ev("2026-12-23", "supervisor", "record", "C", on=D(2026, 12, 23), outcome="missed"),
    # C's proposal is left undecided; C's later records are never sent
    # the turn of the year
    ev("2027-01-04", "social worker", "referral", "D"),
    ev("2027-01-05", "co-ordinator", "report_month", month="2026-12"),
    ev("2027-01-07", "supervisor", "record", "A", on=D(2027, 1, 7), outcome="Took place"),
    ev(
        "2027-01-11",
        "co-ordinator",
        "iro",
        "A",
        name="Robin Example-IRO",
        address="robin.iro@season.example.gov.uk",
    ),
    ev("2027-01-12", "co-ordinator", "report_lac", "A"),
    ev("2027-01-14", "supervisor", "record", "A", on=D(2027, 1, 14), outcome="Took place"),
    ev("2027-01-15", "co-ordinator", "report_month", month="2026-11"),  # asked again
    # a name typed as checked, but the supervisor never writes the recommendation: the
    # report must not go
    ev("2027-01-18", "co-ordinator", "review_checked", "A", name="Sam Example-Coordinator"),
]


#: What people type into the workbook (after the day's first pass, as in an office).
PEOPLE_TYPE = ("staff", "allocate", "reallocate", "iro", "decide", "review_checked")


def events_on(day: dt.date) -> list[ScriptEvent]:
    return [e for e in SCRIPT if e.day == day]


# ---------------------------------------------------------------- what is kept of each day


@dataclasses.dataclass
class Day:
    day: dt.date
    status: str = ""
    status_json: dict = dataclasses.field(default_factory=dict)
    sessions: dict = dataclasses.field(default_factory=dict)  # reference -> sessions --json
    referrals: list = dataclasses.field(default_factory=list)  # workbook rows (dicts)
    decisions: list = dataclasses.field(default_factory=list)
    mails: list = dataclasses.field(default_factory=list)  # (file name, message)
    documents: list = dataclasses.field(default_factory=list)  # (path, text)
    reports: list = dataclasses.field(default_factory=list)  # (kind, path, text/figures)
    printed: list = dataclasses.field(default_factory=list)  # (command, output)


class Smtp:
    """A local mail server on 127.0.0.1 that keeps what it is given (the truth of "sent")."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        from tests.helpers.notify_kit import Handler, free_port

        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=5
        )
        self.controller.start()
        self.keys_on: dict[str, dt.date] = {}

    def note(self, day: dt.date) -> None:
        """The day each message arrived here, by the key the pipeline stamps on it."""
        for _, _, content in self.handler.received:
            msg = email.message_from_bytes(content, policy=email.policy.default)
            key = msg.get("X-Family-Time-Key")
            if key:
                self.keys_on.setdefault(str(key), day)

    def stop(self):
        self.controller.stop()


def cli(*argv: str) -> tuple[int, str]:
    """`family-time ARGS` in this process; (exit code, what it printed)."""
    from pipeline.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue()


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def mail_text(msg) -> str:
    body = msg.get_body(preferencelist=("plain",))
    return body.get_content() if body is not None else ""


def record_form(reference: str, day: dt.date, outcome: str) -> bytes:
    """A completed session record as the supervisor sends it back (written the same day)."""
    from tests.fixtures.make_fixtures import (
        RECORD,
        RECORD_2026_T,
        TEMPLATES,
        _merge,
        _without,
        fill_form,
    )

    when = day.strftime("%d/%m/%Y")
    values = _merge(
        RECORD,
        {
            "session.reference": reference,
            "session.date": when,
            "session.written_on": when,
            "session.supervisor": SUPERVISOR,
            "session.author": SUPERVISOR,
        },
    )
    if outcome == "missed":
        values = _merge(
            _without(
                values,
                "session.actual_start",
                "session.actual_end",
                "session.arrival",
                "session.summary",
                "session.child_views",
                "session.parenting",
            ),
            {
                "session.family_present": "None",
                "session.outcome": "Parent did not attend",
                "session.reason": "None given",
                "session.valid_reason": False,
            },
        )
    values = {k: v for k, v in values.items() if v is not None}
    return fill_form(TEMPLATES / RECORD_2026_T, values)


class Season:
    """One service's working folder, played through the script."""

    def __init__(self, root: Path, service: str):
        self.root, self.service = Path(root), service
        self.folder = self.root / "work"
        self.config = self.folder / "family-time.toml"
        self.days: list[Day] = []
        self.smtp: Smtp | None = None
        self.refs: dict[str, str] = {}  # child -> reference the pipeline gave
        self.not_done: list[tuple[ScriptEvent, str]] = []  # what a person could not do
        self._mails_seen: set[str] = set()
        self._docs_seen: dict[str, float] = {}

    # ------------------------------------------------------------ set-up
    def init(self) -> None:
        code, out = cli("init", str(self.folder), "--profile", self.service)
        assert code == 0, out
        text = self.config.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^settle_seconds = .*$", "settle_seconds = 0.05", text)
        text = re.sub(r"(?m)^poll_seconds = .*$", "poll_seconds = 0.1", text)
        self.config.write_text(text, encoding="utf-8")

    def smtp_up(self) -> None:
        """IT adds the mail server to the service's profile (a copy in the working folder)."""
        from pipeline.profile import profile_path

        self.smtp = Smtp()
        own = self.folder / f"{self.service}-profile.toml"
        text = profile_path(self.service).read_text(encoding="utf-8")
        text += (
            f'\n[mail.smtp]\nhost = "127.0.0.1"\nport = {self.smtp.port}\n'
            "starttls = false\ntimeout_seconds = 2.0\n"
        )
        own.write_text(text, encoding="utf-8")
        cfg = self.config.read_text(encoding="utf-8")
        cfg = re.sub(r"(?m)^profile = .*$", f'profile = "{own.name}"', cfg)
        self.config.write_text(cfg, encoding="utf-8")

    # ------------------------------------------------------------ people
    def _stamp(self, path: Path, day: dt.date) -> None:
        t = dt.datetime.combine(day, dt.time(9, 30)).timestamp()
        os.utime(path, (t, t))

    def referral(self, e: ScriptEvent) -> None:
        n, review = CHILDREN[e.child]
        tmp = self.root / f"child-{e.child}.docx"
        variant(FORM, tmp, n)
        dest = self.folder / "inbox" / f"referral {e.child} {e.day}.docx"
        with_review_on(tmp, dest, review)
        self._stamp(dest, e.day)

    def update(self, e: ScriptEvent) -> None:
        from tests.helpers.allocation_kit import resent

        src = self.root / f"child-{e.child}-update.docx"
        n, review = CHILDREN[e.child]
        variant(FORM, self.root / "v.docx", n)
        with_review_on(self.root / "v.docx", src, review)
        dest = self.folder / "inbox" / f"referral {e.child} updated {e.day}.docx"
        resent(src, dest, e.get("note"))
        self._stamp(dest, e.day)

    def record(self, e: ScriptEvent) -> None:
        dest = self.folder / "inbox" / f"record {e.child} {e.get('on')}.docx"
        dest.write_bytes(record_form(self.refs[e.child], e.get("on"), e.get("outcome")))
        self._stamp(dest, e.day)

    @property
    def workbooks(self) -> list[Path]:
        """Each year's workbook (a referral stays in the book of the year it came in)."""
        return sorted((self.folder / "outbox" / "tracker").glob("*.xlsx"))

    def _type(self, sheet: str, match, cells: dict) -> bool:
        """Type into the first row `match` finds, in whichever year's workbook holds it."""
        for book in self.workbooks:
            wb = openpyxl.load_workbook(book)
            ws = wb[sheet]
            head = {c.value: c.column for c in ws[1]}
            row = next((r for r in range(2, ws.max_row + 1) if match(ws, head, r)), None)
            if row is None:
                continue
            for header, value in cells.items():
                cell = ws.cell(row, head[header], value)
                if isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
            wb.save(book)
            return True
        return False

    def _ref_row(self, child):
        ref = self.refs[child]
        return lambda ws, head, r: ws.cell(r, head["Reference"]).value == ref

    def staff(self, e: ScriptEvent) -> None:
        for book in self.workbooks:
            wb = openpyxl.load_workbook(book)
            wb["Staff"].append([e.get("name"), self.profile.supervisor_role, e.get("address"), 30])
            wb.save(book)

    def allocate(self, e: ScriptEvent) -> None:
        first = e.get("first")
        self._typed(
            e,
            "Referrals",
            self._ref_row(e.child),
            {
                "Status": "Allocated",
                f"Allocated {self.profile.supervisor_role}": SUPERVISOR,
                "Venue": a_venue(self.profile),
                "Day": e.get("weekday"),
                "Time": "16:00-17:30",
                "First session": dt.datetime.combine(first, dt.time()),
                # where a person accepts referrals, the co-ordinator types who accepted it
                **({} if self.profile.acceptance.automatic else {"Accepted by (name)": SUPERVISOR}),
            },
        )

    reallocate = allocate

    def iro(self, e: ScriptEvent) -> None:
        self._typed(
            e,
            "Referrals",
            self._ref_row(e.child),
            {"IRO": e.get("name"), "IRO email": e.get("address")},
        )

    def _on_staff(self, name: str, role: str) -> None:
        """Whoever decides or checks is a person on the Staff sheet (nobody else is heard)."""
        from tests.helpers.sessions_kit import on_staff

        for book in self.workbooks:
            wb = openpyxl.load_workbook(book)
            on_staff(wb, name, self.profile, role=role)
            wb.save(book)

    def decider(self) -> tuple[str, str]:
        """Who decides in this service, and their role on the Staff sheet (the profile's
        [decisions]): the allocated social worker in Blackpool, the team manager elsewhere."""
        if self.profile.decisions.decided_by_allocated_social_worker:
            return SOCIAL_WORKER, "Social worker"
        return DECIDER, "Family Time team manager"

    def review_checked(self, e: ScriptEvent) -> None:
        self._on_staff(e.get("name"), "Family Time co-ordinator")
        self._typed(
            e, "Referrals", self._ref_row(e.child), {"Review report checked (name)": e.get("name")}
        )

    def decide(self, e: ScriptEvent) -> None:
        ref = self.refs[e.child]

        def match(ws, head, r):
            return (
                ws.cell(r, head["Reference"]).value == ref
                and not ws.cell(r, head["Decision"]).value
                and ws.cell(r, head["Proposal no."]).value
            )

        name, role = self.decider()
        self._on_staff(name, role)
        cells = {
            "Decision": e.get("decision"),
            "Decided by": name,
            "Decided on": dt.datetime.combine(e.day, dt.time()),
        }
        if e.get("meeting"):
            cells["Meeting on"] = dt.datetime.combine(e.get("meeting"), dt.time())
        self._typed(
            e,
            "Decisions",
            match,
            cells,
            "no proposal waiting for this referral in the Decisions sheet",
        )

    def _typed(
        self,
        e: ScriptEvent,
        sheet: str,
        match,
        cells: dict,
        why: str = "no row for this referral in the workbook",
    ) -> None:
        """Type, or note that the person found nowhere to type it (the act did not happen)."""
        if not self._type(sheet, match, cells):
            self.not_done.append((e, why))

    def report_lac(self, e: ScriptEvent, today: Day) -> None:
        code, out = cli("report", "lac", self.refs[e.child], "--config", str(self.config))
        today.printed.append((f"report lac {self.refs[e.child]}", out))
        if self.smtp:
            self.smtp.note(e.day)

    def report_month(self, e: ScriptEvent, today: Day) -> None:
        code, out = cli("report", "month", "--month", e.get("month"), "--config", str(self.config))
        today.printed.append((f"report month {e.get('month')}", out))
        today.reports.append(("month", e.get("month"), self.month_figures(e.get("month"))))

    def month_figures(self, month: str) -> dict:
        """The figures of the month's Excel report (every sheet's cells, as text)."""
        folder = self.folder / "outbox" / "reports"
        books = sorted(folder.glob(f"*{month}*.xlsx"), key=lambda p: p.stat().st_mtime)
        if not books:
            return {}
        wb = openpyxl.load_workbook(books[-1], data_only=True)
        return {ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb}

    # ------------------------------------------------------------ the days
    @property
    def profile(self):
        from pipeline.profile import load_profile

        return load_profile(self.service)

    def run(self, monkeypatch) -> Season:
        self.init()
        day = FIRST_DAY
        try:
            while day <= LAST_DAY:
                monkeypatch.setenv("FAMILY_TIME_TODAY", day.isoformat())
                self.play(day)
                day += dt.timedelta(days=1)
        finally:
            if self.smtp:
                self.smtp.stop()
        return self

    def play(self, day: dt.date) -> None:
        today = Day(day)
        todo = events_on(day)
        for e in todo:
            if e.what in ("referral", "update", "record"):
                getattr(self, e.what)(e)
            elif e.what == "smtp_up":
                self.smtp_up()
        self.watch()
        for e in todo:
            if e.what in PEOPLE_TYPE:
                getattr(self, e.what)(e)
        if any(e.what in PEOPLE_TYPE for e in todo):
            self.watch()
            self.watch()  # the pack's cells are written by the pass after the pack
        self.find_references()
        for e in todo:
            if e.what in ("report_lac", "report_month"):
                getattr(self, e.what)(e, today)
        if day.weekday() < 5 or todo:
            self.look(today)
        self.days.append(today)

    def watch(self) -> None:
        code, out = cli("watch", "--once", "--config", str(self.config))
        assert code == 0, out
        if self.smtp:
            self.smtp.note(dt.date.fromisoformat(os.environ["FAMILY_TIME_TODAY"]))

    def sheet_rows(self, sheet: str) -> list[dict]:
        """The rows of one sheet across every year's workbook, as a person would read them."""
        out = []
        for book in self.workbooks:
            ws = openpyxl.load_workbook(book, data_only=True)[sheet]
            head = [c.value for c in ws[1]]
            out += [
                dict(zip(head, r))
                for r in ws.iter_rows(min_row=2, values_only=True)
                if any(v not in (None, "") for v in r)
            ]
        return out

    def find_references(self) -> None:
        rows = []
        for book in self.workbooks:
            ws = openpyxl.load_workbook(book, read_only=True)["Referrals"]
            got = list(ws.iter_rows(values_only=True))
            rows = rows or got[:1]
            rows += got[1:]
        head = list(rows[0])
        id_col = next(i for i, h in enumerate(head) if h and str(h).endswith(" ID"))
        for r in rows[1:]:
            for child, (n, _) in CHILDREN.items():
                if r[id_col] and str(r[id_col]).strip() == str(7000000 + n) and r[0]:
                    self.refs.setdefault(child, r[0])

    def look(self, today: Day) -> None:
        """Everything a person could read today."""
        cfg = str(self.config)
        _, today.status = cli("status", "--config", cfg)
        _, text = cli("status", "--json", "--config", cfg)
        today.status_json = json.loads(text)
        for child, ref in self.refs.items():
            _, text = cli("sessions", ref, "--json", "--config", cfg)
            today.sessions[ref] = json.loads(text)
        today.referrals = self.sheet_rows("Referrals")
        today.decisions = self.sheet_rows("Decisions")
        for p in sorted((self.folder / "outbox" / "mail").glob("*.eml")):
            if p.name not in self._mails_seen:
                self._mails_seen.add(p.name)
                with open(p, "rb") as fh:
                    today.mails.append(
                        (p.name, email.message_from_binary_file(fh, policy=email.policy.default))
                    )
        for p in sorted((self.folder / "outbox").rglob("*.docx")):
            stamp = p.stat().st_mtime
            if self._docs_seen.get(str(p)) != stamp and "tracker" not in p.parts:
                self._docs_seen[str(p)] = stamp
                today.documents.append((p, docx_text(p)))
