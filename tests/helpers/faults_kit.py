"""Helpers for the fault tests: batches to drop, and the RECOUNT every fault test ends with
(files, ledger, tracker, mail). Working folders, waits and crashes are intake_kit's; the SMTP
server is notify_kit's."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import load_workbook

from tests.helpers.intake_kit import variant
from tests.helpers.mailbox import is_digest, referral_mail
from tests.helpers.paths import FIXTURES

REFERRAL = FIXTURES / "forms" / "referral-complete.docx"
REFERRAL_SHEET = "Referrals"


def drop_referrals(work, n: int, prefix: str = "referral") -> list[str]:
    """n different files of the same complete referral (each its own reference)."""
    names = []
    for i in range(n):
        name = f"{prefix}-{i:02d}.docx"
        variant(REFERRAL, work.inbox / name, i)
        names.append(name)
    return names


def drop_mixed(work) -> list[str]:
    """A few files that are not referrals, so a recount covers every outcome's path."""
    extra = {
        "letter.docx": (FIXTURES / "forms" / "letter-not-a-referral.docx").read_bytes(),
        "incomplete.docx": (FIXTURES / "forms" / "referral-incomplete.docx").read_bytes(),
        "empty.pdf": b"",
        "junk.docx": b"not a zip at all",
    }
    for name, data in extra.items():
        (work.inbox / name).write_bytes(data)
    return list(extra)


@dataclass
class Recount:
    inbox: list[str]
    archived: list[str]
    ledger_files: int
    items: list
    tracker_refs: list[str]  # the Referrals sheet's Reference column, row by row
    tracker_rows: int  # data rows in every pipeline sheet of every workbook
    emails: list[str]  # .eml files written

    @property
    def accepted_refs(self) -> list[str]:
        return sorted(i.reference for i in self.items if i.outcome == "accepted")


def recount(work) -> Recount:
    from pipeline.ledger import Ledger

    led = Ledger(work.config.ledger_path)
    try:
        items = led.items()
        files = led.file_count()
    finally:
        led.close()
    inbox = sorted(p.name for p in work.inbox.iterdir() if not p.name.startswith("."))
    archived = sorted(p.name for p in work.archived())
    from pipeline.tracker.columns import load_spec

    written = {s.name for s in load_spec().enabled_sheets if not s.kept_by_people}
    refs, rows = [], 0
    for book in sorted(work.config.tracker_dir.glob("*.xlsx")):
        wb = load_workbook(book, read_only=True)
        for ws in wb.worksheets:
            if ws.title not in written:  # Staff and the drop-down lists: people's
                continue
            header = None
            for row in ws.iter_rows(values_only=True):
                if header is None:
                    header = list(row)
                    continue
                if not any(v not in (None, "") for v in row):
                    continue
                rows += 1
                if ws.title == REFERRAL_SHEET:
                    refs.append(row[header.index("Reference")])
        wb.close()
    emails = sorted(p.name for p in referral_mail(work.config.mail_dir))
    return Recount(inbox, archived, files, items, sorted(refs), rows, emails)


def assert_nothing_lost_nothing_doubled(
    work, dropped: list[str], *, mails: int | None = None, smtp_received: list | None = None
) -> Recount:
    """The recount: every dropped file once in the archive (none left in the inbox), one
    ledger file each, every accepted referral once in the tracker, and one email per item
    that owes one (and the same number through SMTP, when a server took them)."""
    r = recount(work)
    assert r.inbox == [], f"left in the inbox: {r.inbox}"
    assert sorted(r.archived) == sorted(dropped), "archive differs from what was dropped"
    assert r.ledger_files == len(dropped)
    assert sorted(i.original_name for i in r.items) == sorted(dropped)
    assert r.tracker_refs == r.accepted_refs, "tracker rows differ from accepted referrals"
    assert len(set(r.tracker_refs)) == len(r.tracker_refs)
    assert r.tracker_rows == len(r.items), (r.tracker_rows, len(r.items))
    expected_mails = len(r.items) if mails is None else mails
    assert len(r.emails) == expected_mails, (len(r.emails), expected_mails)
    if smtp_received is not None:
        assert len(set(_key(data) for _, _, data in smtp_received)) == len(smtp_received), (
            "a message was sent twice"
        )
        smtp_received = [m for m in smtp_received if not is_digest(m[2])]
        assert len(smtp_received) == len(r.emails)
        keys = [_key(data) for _, _, data in smtp_received]
        assert len(set(keys)) == len(keys), "a message was sent twice"
    return r


def _key(data: bytes) -> str:
    for line in data.decode("utf-8", "replace").splitlines():
        if line.lower().startswith("x-family-time-key:"):
            return line.split(":", 1)[1].strip()
    return ""
