"""`family-time paperwork` and `family-time report lac` in a real working folder, with a
referral processed from the fixture form (so the values are typed as validation types them)."""

from __future__ import annotations

import datetime as dt
import sys
import time
import types
from pathlib import Path

import pytest

import pipeline.effects.paperwork
import pipeline.tracker
from pipeline.cli import main
from pipeline.models import Allocation

from tests.helpers.render_kit import assert_clean, docx_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


#: The pipeline's today for every test here: the allocations below start on 2 December 2026,
#: so the referral arrives the week before, whatever the machine's clock says.
TODAY = "2026-11-25"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    import shutil

    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.intake.process import process_file
    from pipeline.ledger import Ledger

    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    config_path = init_folder(tmp_path / "work")
    config = load_config(config_path)
    profile = config.load_profile()
    ledger = Ledger(config.ledger_path)
    src = FIXTURES / "forms" / "referral-complete.docx"
    dest = config.inbox_dir / src.name
    shutil.copyfile(src, dest)
    items = process_file(dest, config, profile, ledger)
    ledger.close()
    ns = types.SimpleNamespace(
        config_path=config_path,
        config=config,
        profile=profile,
        ref=items[0].reference,
        item=items[0],
    )
    assert items[0].outcome == "accepted"
    return ns


def allocate(monkeypatch, ref, **changes):
    data = dict(
        reference=ref,
        status="Allocated",
        supervisor="Sam Supervisor-Example",
        venue="Penfold Centre",
        room="Room 1",
        day="Wednesday",
        time="14:00-15:30",
        first_date=dt.date(2026, 12, 2),
    )
    data.update(changes)
    monkeypatch.setattr(
        pipeline.tracker, "read_allocations", lambda config, profile: [Allocation(**data)]
    )
    listed = lambda config, profile: [
        {
            "name": data["supervisor"],  # noqa: E731
            "email": "sam.supervisor@nct.example.org",
        }
    ]
    monkeypatch.setattr(
        sys.modules["pipeline.tracker.sync"], "read_staff", listed
    )  # on the Staff sheet
    monkeypatch.setattr(pipeline.effects.paperwork, "read_staff", listed)


def test_paperwork_for_one_reference(folder, monkeypatch, capsys):
    allocate(monkeypatch, folder.ref)
    assert main(["paperwork", folder.ref, "--config", str(folder.config_path)]) == 0
    out = capsys.readouterr().out
    pack = folder.config.outbox_dir / folder.ref
    agreement = pack / f"{folder.ref} Family Time Agreement.docx"
    assert agreement.exists() and f"{folder.ref} Family Time Agreement.docx" in out
    assert (pack / "Session record 2026-12-02.docx").exists()
    text = docx_text(agreement)
    assert_clean(text)
    assert "Wednesday, 14:00 to 15:30" in text and "Penfold Centre, Northampton" in text
    values = folder.item.verdict.values
    assert values["child.first_name"] in text


def test_paperwork_refuses_an_unallocated_row(folder, monkeypatch, capsys):
    allocate(monkeypatch, folder.ref, status="Waiting", supervisor=None)
    assert main(["paperwork", folder.ref, "--config", str(folder.config_path)]) == 2
    err = capsys.readouterr().err
    # the Paperwork cell's own words: one path, one set of checks
    assert "no pack made" in err and "allocate the referral in the tracker" in err
    assert not (folder.config.outbox_dir / folder.ref).exists()


def test_paperwork_unknown_reference(folder, monkeypatch, capsys):
    allocate(monkeypatch, folder.ref)
    assert main(["paperwork", "FT-2026-99999", "--config", str(folder.config_path)]) == 2
    assert "no referral with this reference" in capsys.readouterr().err


def test_paperwork_pending_makes_missing_packs_once(folder, monkeypatch, capsys):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-30")  # the first session still to come
    allocate(monkeypatch, folder.ref)
    assert main(["paperwork", "--pending", "--config", str(folder.config_path)]) == 0
    assert "Family Time Agreement.docx" in capsys.readouterr().out
    assert main(["paperwork", "--pending", "--config", str(folder.config_path)]) == 0
    assert "already has its paperwork" in capsys.readouterr().out


def test_paperwork_pending_refuses_a_past_first_session_as_the_watcher_does(
    folder, monkeypatch, capsys
):
    """`--pending` goes through the paperwork effect's path: a first session already past gets
    no pack (and no past-dated session records), with the words the watcher writes in the
    Paperwork cell; the watcher then says the same and makes nothing either."""
    from pipeline.effects import run_effects
    from pipeline.ledger import Ledger

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-03")  # the day after the first session
    allocate(monkeypatch, folder.ref)
    assert main(["paperwork", "--pending", "--config", str(folder.config_path)]) == 2
    err = capsys.readouterr().err
    said = "the first session (02/12/2026) is before today (03/12/2026): give a date still to come"
    assert said in err
    assert not (folder.config.outbox_dir / folder.ref).exists()
    ledger = Ledger(folder.config.ledger_path)
    try:
        assert ledger.allocation_problems()[folder.ref] in err  # the Paperwork cell's words
        monkeypatch.setattr(
            pipeline.tracker,
            "sync",
            lambda *a, **k: types.SimpleNamespace(waiting=False, problems=[]),
        )
        ledger.reopen_effect(folder.item.id, "paperwork")
        run_effects(ledger, folder.config, folder.profile, now=time.time() + 600)
        assert said in ledger.allocation_problems()[folder.ref]
        [owed] = ledger.pending_effects(effect="paperwork")
        assert said in owed.last_error and owed.waiting == "allocation"
    finally:
        ledger.close()
    assert not (folder.config.outbox_dir / folder.ref).exists()


def test_paperwork_pending_records_the_pack_so_the_watcher_does_not_make_it_again(
    folder, monkeypatch, capsys
):
    from pipeline.effects import run_effects
    from pipeline.ledger import Ledger

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-30")
    allocate(monkeypatch, folder.ref)
    assert main(["paperwork", "--pending", "--config", str(folder.config_path)]) == 0
    capsys.readouterr()
    monkeypatch.setattr(
        pipeline.tracker, "sync", lambda *a, **k: types.SimpleNamespace(waiting=False, problems=[])
    )
    ledger = Ledger(folder.config.ledger_path)
    try:
        assert ledger.latest_pack(folder.ref)["version"] == 1
        ledger.reopen_effect(folder.item.id, "paperwork")
        run_effects(ledger, folder.config, folder.profile, now=time.time() + 600)
        assert ledger.latest_pack(folder.ref)["version"] == 1  # not made again
    finally:
        ledger.close()


def test_paperwork_needs_a_reference_or_pending(folder, capsys):
    assert main(["paperwork", "--config", str(folder.config_path)]) == 2
    assert "--pending" in capsys.readouterr().err


def test_report_lac(folder, monkeypatch, capsys):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2027-01-15")  # the period has all come
    allocate(monkeypatch, folder.ref)
    assert (
        main(
            [
                "report",
                "lac",
                folder.ref,
                "--from",
                "2026-12-01",
                "--to",
                "15/01/2027",
                "--config",
                str(folder.config_path),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    report = folder.config.outbox_dir / folder.ref
    made = list(report.glob("Family time report for the Looked After Child review *.docx"))
    assert len(made) == 1 and "review report written" in out
    text = docx_text(made[0])
    assert_clean(text)
    assert "Tuesday 1 December 2026 to Friday 15 January 2027" in text
    assert "No session records received for this period" in text


def test_report_lac_backwards_period(folder, monkeypatch, capsys):
    allocate(monkeypatch, folder.ref)
    assert (
        main(
            [
                "report",
                "lac",
                folder.ref,
                "--from",
                "2027-01-15",
                "--to",
                "2026-12-01",
                "--config",
                str(folder.config_path),
            ]
        )
        == 2
    )
    assert "before it starts" in capsys.readouterr().err


def test_effects_make_the_real_pack_once_allocated(folder, monkeypatch):
    """The watcher's paperwork effect calls render_pack with (item, allocation, profile,
    out_dir) only: the real pack appears in outbox/<reference>/."""
    from pipeline.effects import run_effects
    from pipeline.ledger import Ledger

    allocate(monkeypatch, folder.ref)
    monkeypatch.setattr(
        pipeline.tracker, "sync", lambda *a, **k: types.SimpleNamespace(waiting=False, problems=[])
    )
    ledger = Ledger(folder.config.ledger_path)
    try:
        for step in range(3):
            run_effects(ledger, folder.config, folder.profile, now=time.time() + 600 * step)
    finally:
        ledger.close()
    pack = folder.config.outbox_dir / folder.ref
    assert (pack / f"{folder.ref} Family Time Agreement.docx").exists()
    assert (pack / "Letter to carer.docx").exists()
