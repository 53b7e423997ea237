"""`family-time extract`: what a person or a script sees for each file."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FORMS = FIXTURES / "forms"
EMAIL = FIXTURES / "email"


def lines_of(capsys) -> list[dict]:
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_json_one_object_per_file(capsys, tmp_path: Path) -> None:
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    files = [FORMS / "referral-complete.docx", FORMS / "letter-not-a-referral.docx", empty]
    assert main(["extract", "--json", *map(str, files)]) == 0
    objs = lines_of(capsys)
    assert [o["file"] for o in objs] == [
        "referral-complete.docx",
        "letter-not-a-referral.docx",
        "empty.docx",
    ]
    assert objs[0]["form"] == {
        "id": "family-time-referral",
        "version": "2025.1",
        "status": "current",
        "reason": objs[0]["form"]["reason"],
    }
    assert objs[0]["fields"]["child.last_name"] == "Example"
    assert objs[1]["form"]["status"] == "not_referral" and objs[1]["fields"] == {}
    assert objs[2]["form"]["status"] == "unreadable" and "empty" in objs[2]["form"]["reason"]
    assert set(objs[0]) == {"file", "form", "fields"}


def test_json_for_an_email_lists_its_attachments(capsys) -> None:
    eml = EMAIL / "forwarded.eml"
    assert main(["extract", "--json", str(eml)]) == 0
    [obj] = lines_of(capsys)
    assert {"from", "subject", "date", "attachments"} <= set(obj)
    assert obj["attachments"] and obj["attachments"][0]["form"]["status"] == "current"
    assert "fields" in obj["attachments"][0]


def test_missing_path_exits_2_with_a_message(capsys, tmp_path: Path) -> None:
    assert (
        main(["extract", "--json", str(tmp_path / "nope.docx"), str(FORMS / "record-blank.docx")])
        == 2
    )
    captured = capsys.readouterr()
    assert "no such file" in captured.err and "nope.docx" in captured.err
    assert json.loads(captured.out.splitlines()[0])["file"] == "record-blank.docx"


def test_readable_summary(capsys) -> None:
    assert (
        main(
            [
                "extract",
                str(FORMS / "old-2022-referral.docx"),
                str(FORMS / "referral-complete.docx"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "OLD form" in out and "updated August 2022" in out
    assert "current form" in out and "child.last_name" in out and "Example" in out


def test_folder_argument_reads_every_file(capsys, tmp_path: Path) -> None:
    for name in ("record-blank.docx", "referral-unborn.docx"):
        (tmp_path / name).write_bytes((FORMS / name).read_bytes())
    assert main(["extract", "--json", str(tmp_path)]) == 0
    assert sorted(o["file"] for o in lines_of(capsys)) == [
        "record-blank.docx",
        "referral-unborn.docx",
    ]


def test_no_side_effects(capsys, tmp_path: Path) -> None:
    target = tmp_path / "referral-complete.docx"
    target.write_bytes((FORMS / "referral-complete.docx").read_bytes())
    before = sorted(p.name for p in tmp_path.iterdir())
    main(["extract", "--json", str(target)])
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_saved_email_without_extension_is_read_as_email(capsys, tmp_path: Path) -> None:
    target = tmp_path / "message"
    target.write_bytes((EMAIL / "forwarded.eml").read_bytes())
    assert main(["extract", "--json", str(target)]) == 0
    [obj] = lines_of(capsys)
    assert obj["attachments"] and obj["subject"]


def test_outlook_message_with_the_wrong_name_is_read_as_email(capsys, tmp_path: Path) -> None:
    target = tmp_path / "referral.docx"
    target.write_bytes((EMAIL / "forwarded.msg").read_bytes())
    assert main(["extract", "--json", str(target)]) == 0
    [obj] = lines_of(capsys)
    assert obj["attachments"] and obj["subject"]
