"""The `validate` and `calendar` commands, as a co-ordinator or a script runs them."""

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.extract.models import Extraction, FormMatch

from tests.helpers import validate_kit as B


@pytest.fixture
def fake_reader(monkeypatch, tmp_path):
    """extract_file returns whatever the test put in `answers` for the file's name."""
    import pipeline.extract as extract

    answers: dict[str, Extraction] = {}
    monkeypatch.setattr(
        extract, "extract_file", lambda path, profile=None: answers[Path(path).name]
    )

    def add(name: str, extraction: Extraction) -> Path:
        path = tmp_path / name
        path.write_bytes(b"stand-in")
        answers[name] = extraction.model_copy(update={"file": name})
        return path

    return add


def run_json(capsys, *argv):
    code = main(["validate", "--json", *map(str, argv)])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_json_line_per_file(fake_reader, capsys):
    good = fake_reader("good.docx", B.referral())
    bad = fake_reader("bad.docx", B.referral(B.referral_fields(social_worker__email="x@y")))
    code, rows = run_json(capsys, good, bad, "--received", "2025-03-10T10:30")
    assert code == 1
    assert [r["verdict"] for r in rows] == ["complete", "incomplete"]
    first = rows[0]
    assert first["file"] == "good.docx"
    assert first["referral"]["child"]["dob"] == "2016-06-14"
    assert first["due"] == {"contact": "2025-03-12", "allocation": "2025-03-24"}
    assert rows[1]["problems"] == [
        {
            "key": "social_worker.email",
            "label": "Social worker's email",
            "message": "Social worker's email: 'x@y' is not an email "
            "address; please write it like name@example.org.",
        }
    ]


def test_warnings_and_flags_in_json(fake_reader, capsys):
    path = fake_reader("ooc.docx", B.referral(B.referral_fields(placement__out_of_county="yes")))
    code, [row] = run_json(capsys, path, "--received", "10/03/2025 10:30")
    assert code == 0 and row["flags"] == ["out_of_county"]
    assert row["warnings"][0]["label"] == "Is the placement outside the county?"


def test_session_record_json(fake_reader, capsys):
    path = fake_reader("rec.docx", B.record())
    code, [row] = run_json(capsys, path, "--received", "2025-03-11T12:00")
    assert code == 0 and row["form"]["kind"] == "session_record"
    assert row["record"]["session"]["actual_start"] == "10:05:00" and "referral" not in row


def test_received_defaults_to_the_file_time(fake_reader, capsys):
    path = fake_reader("good.docx", B.referral())
    when = dt.datetime(2025, 3, 14, 18, 0).timestamp()  # Friday evening
    os.utime(path, (when, when))
    _, [row] = run_json(capsys, path)
    assert row["counted_from"] == "2025-03-17"


def test_email_is_one_line_per_attachment(fake_reader, capsys):
    ref = B.referral(B.referral_fields(consent__agreement_signed="No"))
    agreement = Extraction(
        file="Family Time Agreement.pdf",
        form=FormMatch(status="not_referral", reason="Not a referral"),
    )
    mail = Extraction(
        file="mail.eml",
        form=FormMatch(status="not_referral", reason="email"),
        subject="Referral",
        attachments=[ref, agreement],
    )
    path = fake_reader("mail.eml", mail)
    _, rows = run_json(capsys, path, "--received", "2025-03-10T10:30")
    assert [r["file"] for r in rows] == [
        "mail.eml > referral.docx",
        "mail.eml > Family Time Agreement.pdf",
    ]
    assert [r["verdict"] for r in rows] == ["complete", "not_referral"]


def test_readable_output(fake_reader, capsys):
    path = fake_reader("bad.docx", B.referral(B.referral_fields(child__dob="31/02/2019")))
    code = main(["validate", str(path), "--received", "2025-03-10T10:30"])
    out = capsys.readouterr().out
    assert code == 1
    assert "bad.docx: INCOMPLETE" in out
    assert "Date of birth: '31/02/2019' is not a real date." in out
    assert "Family Time Co-ordinator contacts the social worker: by Wednesday 12 March 2025" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--received", "whenever"], "--received: 'whenever' could not be read"),
        (["--profile", "nowhere"], "No service profile 'nowhere'"),
    ],
)
def test_bad_arguments_get_a_clear_message(fake_reader, capsys, argv, message):
    path = fake_reader("good.docx", B.referral())
    assert main(["validate", str(path), *argv]) == 2
    assert message in capsys.readouterr().err


def test_missing_file(capsys, tmp_path):
    assert main(["validate", str(tmp_path / "gone.docx")]) == 1
    assert "gone.docx: no such file." in capsys.readouterr().err


def test_real_reader_on_a_committed_fixture(capsys, fixtures_dir):
    form = fixtures_dir / "forms" / "referral-saturday-no-reason.docx"
    if not form.exists():
        pytest.skip("fixture not built")
    _, [row] = run_json(capsys, form, "--received", "2026-03-20T10:00")
    assert row["verdict"] == "incomplete"
    assert [p["key"] for p in row["problems"]] == ["request.saturday_reason"]


def test_calendar_lists_closed_days(capsys):
    assert main(["calendar", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "Tuesday 4 March 2025 — team training day" in out
    assert "Thursday 25 December 2025 — Christmas Day" in out
    assert "No sessions on Sunday" in out and "after 17:00" in out
    assert "No training days are listed" not in out


def test_calendar_follows_the_profile(capsys):
    assert main(["calendar", "--profile", "blackpool", "--year", "2027"]) == 0
    out = capsys.readouterr().out
    assert "Blackpool Council" in out and "First family time session: within 3 working days" in out
    assert "Planning meeting: within 2 working days" in out
    assert "Monday 27 December 2027 — Christmas Day (substitute day)" in out
    assert "— team training day" not in out
    assert "No training days are listed for 2027" in out and "blackpool.toml" in out


def test_calendar_bad_profile(capsys):
    assert main(["calendar", "--profile", "nowhere"]) == 2
    assert "Shipped profiles" in capsys.readouterr().err
