"""Every kind of bad or hostile file through the real pipeline (process_file, then the tracker
and mail): each gets its expected outcome, is archived once, and what a person reads (the
reason, the reason file, the email) is plain English that says what to do."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.effects import run_effects
from pipeline.intake.inbox import inbox_files, is_ignored
from pipeline.intake.process import process_file

from tests.fixtures import make_hostile
from tests.helpers.hostile_kit import ACTION, CONTROL, assert_plain, mail_body, mails_by_item
from tests.helpers.mailbox import referral_mail

CASES = make_hostile.CASES
NEEDS_ACTION = {"unreadable", "not_referral", "old_form", "incomplete"}
XFAIL: dict[str, str] = {}  # case id -> the known bug that makes it fail (none now)


def test_there_are_at_least_forty_kinds_of_bad_input():
    assert len({c.id for c in CASES}) == len(CASES) >= 40


def _param(case):
    marks = []
    if case.posix_only and os.name == "nt":
        marks.append(pytest.mark.skip(reason="needs a POSIX file system"))
    if case.id == "non-utf8-filename" and sys.platform != "linux":
        marks.append(pytest.mark.skip(reason="only Linux allows any bytes in a name"))
    if case.id in XFAIL:
        marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[case.id]))
    return pytest.param(case, id=case.id, marks=marks)


WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def _portable(name: str) -> bool:
    """A name the archive can hold on Windows too, with room for its reason file beside it."""
    stem = name.split(".")[0].upper()
    return (
        len(name.encode("utf-8", "surrogateescape")) < 240
        and stem not in WINDOWS_RESERVED
        and not name.endswith((" ", "."))
        and not any(c in name for c in '<>:"|?*\\')
    )


def _digest(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _snapshot_outside(work_root: Path) -> set[Path]:
    """Files under the test's folder but outside the working folder, and in the temp folder."""
    parent = work_root.parent
    seen = {p for p in parent.rglob("*") if work_root not in p.parents and p != work_root}
    tmp = Path(tempfile.gettempdir())
    seen |= {p for p in (tmp / "x.docx", tmp / "y.docx", tmp.parent / "x.docx") if p.exists()}
    return seen


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_input(case, make_work):
    work = make_work()
    root = work.config_path.parent
    before = _snapshot_outside(root)
    paths = case.build(work.inbox)
    assert len(paths) == len(case.outcomes)

    if case.outcomes == [["ignored"]]:
        for p in paths:
            assert is_ignored(p), f"{p.name} would be handled"
            assert p not in inbox_files(work.inbox)
        return

    contents = [_digest(p) for p in paths]
    all_items = []
    for path, expected in zip(paths, case.outcomes):
        items = process_file(path, work.config, work.profile, work.ledger)
        assert sorted(i.outcome for i in items) == sorted(expected), [
            (i.original_name, i.outcome, i.reason) for i in items
        ]
        assert not path.exists(), "the file was left in the inbox"
        all_items += items
    reasons = " ".join(i.reason for i in all_items).lower()
    for word in case.says:
        assert word.lower() in reasons, reasons
    secrets = [
        p.read_text(errors="ignore").strip() for p in (Path("/etc/hostname"),) if p.exists()
    ] + ["root:x:0"]
    for item in all_items:
        dump = item.model_dump_json()
        assert not any(s and s in dump for s in secrets), "a local file leaked into the item"
        assert_plain(item.reason, f"the reason for {item.original_name!r}")
        assert not CONTROL.search(item.original_name)
        values = item.verdict.values if item.verdict else {}
        for key, value in values.items():  # names go on to mail, tracker, paperwork
            assert not (isinstance(value, str) and CONTROL.search(value)), (key, value)

    # archived exactly once each, byte for byte, with a plain reason file beside it
    archived = work.archived()
    assert sorted(_digest(p) for p in archived) == sorted(contents)
    assert not [p for p in work.inbox.iterdir()]
    for p in archived:
        reason_file = p.with_name(p.name + ".reason.txt")
        assert reason_file.exists()
        assert_plain(reason_file.read_text(encoding="utf-8"), f"{reason_file.name}")
        assert work.archive in p.parents and _portable(p.name), p.name

    # nothing written outside the working folder (attachment names like ../../x.docx)
    assert _snapshot_outside(root) == before

    # the tracker and the mail: every owed effect done, and what they show is safe
    run_effects(work.ledger, work.config, work.profile)
    for effect in ("mail", "tracker"):
        owed = work.ledger.pending_effects(effect=effect)
        assert owed == [], [(e.effect, e.last_error) for e in owed] if owed else owed
    mails = mails_by_item(work.config.mail_dir)
    for item in all_items:
        for msg in mails.get(item.id, []):
            _check_mail(msg)
        if item.outcome in NEEDS_ACTION and "mail" in {
            e.effect for e in work.ledger.effects_of(item.id)
        }:
            texts = [mail_body(m) for m in mails.get(item.id, [])]
            assert texts and all(ACTION.search(t) for t in texts), texts
    _check_tracker(
        work, required=any(i.outcome in ("accepted", "incomplete", "old_form") for i in all_items)
    )


def _check_mail(msg) -> None:
    """No injected recipients or headers; a plain body."""
    for header in ("To", "Cc", "Bcc", "Reply-To", "From", "Subject"):
        value = str(msg.get(header, ""))
        assert "\r" not in value and "\n" not in value
        assert "victim" not in value.lower(), f"{header}: {value}"
    assert msg.get("Bcc") is None and msg.get("X-Evil") is None
    assert_plain(mail_body(msg), f"the email {msg['Subject']!r}")
    assert not CONTROL.search(str(msg.get("Subject", "")))


def _check_tracker(work, required: bool = True) -> None:
    """Every cell a person sees is text, never a formula; no control characters; within the
    32,767 characters Excel can hold in a cell."""
    books = list(work.config.tracker_dir.glob("*.xlsx"))
    assert books or not required, "no tracker workbook was written"
    for book in books:
        wb = load_workbook(book)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    if isinstance(cell.value, str):
                        assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                        assert not CONTROL.search(cell.value), (cell.coordinate, cell.value)
                        assert len(cell.value) <= 32767, (cell.coordinate, len(cell.value))
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_formula_like_answers_reach_the_tracker_as_text(make_work):
    work = make_work()
    path = make_hostile.one("formulas.docx", make_hostile.formulas)(work.inbox)[0]
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["accepted"]
    run_effects(work.ledger, work.config, work.profile)
    wb = load_workbook(next(work.config.tracker_dir.glob("*.xlsx")))
    cells = {
        c.value: c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }
    for text in make_hostile.FORMULAS.values():
        hits = [c for v, c in cells.items() if text in v]
        assert hits, f"{text!r} is not in the tracker"
        assert all(c.data_type == "s" for c in hits)
    # read the raw sheet XML too: no <f> element anywhere in rows the pipeline wrote
    import zipfile

    with zipfile.ZipFile(next(work.config.tracker_dir.glob("*.xlsx"))) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"HYPERLINK" not in z.read(name) or b"<f>" not in z.read(name)


def test_control_characters_never_reach_the_tracker_or_the_mail(make_work):
    work = make_work()
    path = make_hostile.one("controls.pdf", make_hostile.control_chars)(work.inbox)[0]
    items = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in items] == ["accepted"]
    run_effects(work.ledger, work.config, work.profile)
    _check_tracker(work)
    wb = load_workbook(next(work.config.tracker_dir.glob("*.xlsx")))
    child = [
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "Child" in c.value and "Test" in c.value
    ]
    assert child, "the child's name is missing from the tracker"


def test_header_injection_adds_no_recipient(make_work):
    work = make_work()
    for build, name in (
        (make_hostile.email_header_injection_subject, "a.eml"),
        (make_hostile.email_header_injection_from, "b.eml"),
    ):
        path = make_hostile.one(name, build)(work.inbox)[0]
        process_file(path, work.config, work.profile, work.ledger)
    run_effects(work.ledger, work.config, work.profile)
    raw = b"".join(p.read_bytes() for p in referral_mail(work.config.mail_dir))
    assert raw, "no email was written"
    assert b"victim" not in raw.lower().replace(b"=\r\n", b"").replace(b"=\n", b"") or all(
        "victim" not in str(m.get(h, "")).lower()
        for ms in mails_by_item(work.config.mail_dir).values()
        for m in ms
        for h in ("To", "Cc", "Bcc")
    )
    for msgs in mails_by_item(work.config.mail_dir).values():
        for m in msgs:
            assert "X-Evil" not in m and "Bcc" not in m


def test_a_file_empty_at_first_is_handled_again_once_written(make_work):
    work = make_work()
    path = make_hostile.zero_then_full(work.inbox)[0]
    first = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in first] == ["unreadable"]
    path.write_bytes(make_hostile.referral_bytes())
    second = process_file(path, work.config, work.profile, work.ledger)
    assert [i.outcome for i in second] == ["accepted"]
    assert (work.archive / "unreadable" / "slow-copy.docx").exists()
    assert (work.archive / "accepted" / "slow-copy.docx").exists()


def test_the_committed_corpus_is_what_the_generator_makes(tmp_path):
    """tests/fixtures/hostile/ is exactly what make_hostile.py writes (and is tested here)."""
    made = make_hostile.write_corpus(tmp_path / "hostile")
    committed = sorted(p for p in make_hostile.OUT.rglob("*") if p.is_file())
    assert [p.relative_to(tmp_path / "hostile") for p in made] == [
        p.relative_to(make_hostile.OUT) for p in committed
    ]
    for a, b in zip(made, committed):
        assert a.read_bytes() == b.read_bytes(), f"{b} is stale: run make_hostile.py"
    assert sum(p.stat().st_size for p in committed) < 3 * 1024 * 1024
