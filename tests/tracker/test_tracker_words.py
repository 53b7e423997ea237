"""What the workbook and the effects say about themselves is worded in data (tracker.toml
[messages], effects.toml): a service that rewords an entry reads its own words on `status`,
in the pass's report and in `tracker check`, and every caller gives each entry its values."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline import paths, words
from pipeline.effects.mail import MailEffect
from pipeline.effects.tracker import TrackerEffect
from pipeline.ledger.names import Waiting
from pipeline.tracker import lock
from pipeline.tracker.books import sync_message
from pipeline.tracker.sync import Difference, SyncReport

PIPELINE = paths.ROOT / "pipeline"


@pytest.fixture
def reworded(tmp_path: Path, monkeypatch):
    """The wording files as a service might edit them: `reword(file, table, key, text)`."""
    root = tmp_path / "form_templates"
    root.mkdir()
    for name in ("tracker.toml", "effects.toml"):
        shutil.copy(paths.FORM_TEMPLATES / name, root / name)
    monkeypatch.setattr(words, "FORM_TEMPLATES", root)

    def reword(name: str, table: str, key: str, text: str) -> None:
        path = root / name
        lines = path.read_text(encoding="utf-8").splitlines()
        at = lines.index(f"[{table}]")
        for i in range(at + 1, len(lines)):
            if lines[i].startswith(f"{key} = "):
                lines[i] = f'{key} = "{text}"'
                break
        else:
            raise AssertionError(f"{name} [{table}] {key} not found")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return reword


def test_the_workbook_open_sentence_is_the_one_in_tracker_toml(tmp_path, reworded):
    book = tmp_path / "Family Time referrals - Northamptonshire.xlsx"
    book.write_bytes(b"")
    (tmp_path / ("~$" + book.name)).write_bytes(b"")
    before = lock.open_by(book)
    assert before is not None and before.startswith(f"The tracking workbook '{book.name}' is open")
    reworded("tracker.toml", "messages", "open_lock_file", "{name} is in use ({lock}).")
    assert lock.open_by(book) == f"{book.name} is in use (~${book.name})."


def test_the_pass_and_the_check_say_what_tracker_toml_says(reworded):
    assert sync_message(SyncReport()) == "The tracking workbook is up to date."
    differs = Difference("differs", "wb.xlsx", "Referrals", "FT-1", ["Child", "Venue"])
    assert differs.describe() == "Referrals: FT-1 differs in: Child, Venue"
    reworded("tracker.toml", "messages", "up_to_date", "Nothing to add.")
    reworded("tracker.toml", "messages", "check_differs", "{key} ({sheet}) differs: {columns}")
    assert sync_message(SyncReport()) == "Nothing to add."
    assert differs.describe() == "FT-1 (Referrals) differs: Child, Venue"


def test_the_effects_waiting_reasons_are_the_ones_in_effects_toml(reworded):
    marked = []
    p = SimpleNamespace(
        ledger=SimpleNamespace(mark_effect=lambda *a, **k: marked.append((a, k))),
        report=SimpleNamespace(waiting={}, count=lambda *a, **k: None),
    )
    MailEffect().outcome(p, 7, sent=False)
    assert p.report.waiting[MailEffect.name] == "waiting for the mail server"
    assert marked[-1][0][3] == "The mail server has not accepted the message yet."
    assert marked[-1][1]["waiting"] == Waiting.SMTP
    reworded("effects.toml", "mail", "waiting", "the mail server has not taken it yet")
    reworded("effects.toml", "mail", "not_taken", "Not taken by the mail server yet.")
    MailEffect().outcome(p, 7, sent=False)
    assert p.report.waiting[MailEffect.name] == "the mail server has not taken it yet"
    assert marked[-1][0][3] == "Not taken by the mail server yet."


def test_a_tracker_sentence_missing_a_value_names_its_entry():
    from pipeline.tracker.columns import said

    with pytest.raises(words.WordsProblem, match=r"tracker\.toml \[messages\] open_elsewhere"):
        said("open_elsewhere")


def _calls(py: Path, name: str):
    for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            fn = node.func
            called = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", None)
            if called == name:
                yield node


def _strings(node) -> list[str]:
    return [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def test_every_caller_gives_each_entry_its_values():
    """No sentence fails in front of a person for want of a value: each `said(key, ...)` in
    the tracker and each `words.entry(WORDING, table, key, ...)` in the effects passes every
    {name} its entry has, and names an entry that exists."""
    messages = words.load("tracker.toml")["messages"]
    effects = words.load("effects.toml")
    checked, wrong = 0, []
    for py in sorted((PIPELINE / "tracker").glob("*.py")):
        for node in _calls(py, "said"):
            consts = _strings(node)
            if not consts:
                continue
            text = messages.get(consts[0])
            need = set(words.placeholders(text)) if text is not None else {"(no such entry)"}
            lacking = need - {k.arg for k in node.keywords}
            checked += 1
            if lacking:
                wrong.append(f"{py.name}:{node.lineno} {consts[0]} lacks {sorted(lacking)}")
    for py in sorted((PIPELINE / "effects").glob("*.py")):
        for node in _calls(py, "entry"):
            consts = _strings(node)
            if len(consts) < 2:
                continue
            text = effects.get(consts[0], {}).get(consts[1])
            need = set(words.placeholders(text)) if text is not None else {"(no such entry)"}
            lacking = need - {k.arg for k in node.keywords}
            checked += 1
            if lacking:
                wrong.append(f"{py.name}:{node.lineno} {consts[:2]} lacks {sorted(lacking)}")
    assert checked > 30 and wrong == []


def test_the_tracker_effect_waits_in_effects_toml_words(reworded, monkeypatch):
    import pipeline.tracker as tracker

    marked = []
    monkeypatch.setattr(tracker, "sync", lambda *a, **k: SimpleNamespace(waiting=True, problems=[]))
    import pipeline.effects.tracker as effect

    for name in ("acknowledged", "packs", "more_cells"):
        monkeypatch.setattr(effect, name, lambda *a, **k: {})
    monkeypatch.setattr(effect, "statuses", lambda ledger: ({}, []))
    reworded("effects.toml", "tracker", "workbook_open", "Close the workbook, please.")
    p = SimpleNamespace(
        ledger=SimpleNamespace(items=lambda: [], mark_effect=lambda *a, **k: marked.append(a[3])),
        config=None,
        profile=None,
        report=SimpleNamespace(waiting={}),
    )
    TrackerEffect().run(SimpleNamespace(owed=[SimpleNamespace(item_id=1)]), p)
    assert p.report.waiting[TrackerEffect.name] == "Close the workbook, please."
    assert marked == ["Close the workbook, please."]
