"""Every sentence a person reads is data, read by one loader (pipeline/words.py) with one
placeholder syntax per kind, and no code depends on how an entry is worded."""

from __future__ import annotations

import ast
import datetime as dt
import string
import tomllib
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from pipeline import paths, words
from pipeline.models import RuleAction
from pipeline.profile import load_profile

PIPELINE = paths.ROOT / "pipeline"
# the configuration loaders read settings, not wording
CONFIG_LOADERS = {"words.py", "profile.py", "catalogue.py", "config.py"}


def _wording_files() -> list[Path]:
    """Every wording file: form_templates/**/*.toml but the profiles and the forms catalogue
    (configuration, read by profile.py and catalogue.py)."""
    out = []
    for f in sorted(paths.FORM_TEMPLATES.rglob("*.toml")):
        rel = f.relative_to(paths.FORM_TEMPLATES).as_posix()
        if not rel.startswith("profiles/") and rel != "catalogue.toml":
            out.append(f)
    return out


def _is_jinja(path: Path, where: str) -> bool:
    """The paperwork's wording and the emails' subject lines choose and repeat text, so they
    are Jinja; every other entry is a sentence with {name} placeholders."""
    rel = path.relative_to(paths.FORM_TEMPLATES).as_posix()
    return (rel.startswith("documents/") and path.name == "wording.toml") or (
        rel.startswith("mail/") and path.name == "mail.toml" and where.startswith("subjects.")
    )


def _strings(value, where=""):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{where}.{k}" if where else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")


def test_no_data_file_is_kept_inside_the_code():
    """Wording lives under form_templates/, where a service edits it, not beside the code."""
    assert sorted(p.relative_to(paths.ROOT).as_posix() for p in PIPELINE.rglob("*.toml")) == []


def test_only_the_wording_house_and_the_configuration_loaders_read_toml():
    readers = []
    for py in sorted(PIPELINE.rglob("*.py")):
        if py.relative_to(PIPELINE).as_posix() in CONFIG_LOADERS:
            continue
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if "tomllib" in names:
                readers.append(py.relative_to(paths.ROOT).as_posix())
    assert readers == []


def test_every_wording_entry_reads_in_its_one_syntax():
    """Each entry parses: Jinja for the paperwork and the mail subjects, str.format {name}
    for every other sentence, with named placeholders only (callers fill them by name) and
    no Jinja left in a {name} sentence."""
    env = jinja2.Environment()
    bad = []
    files = _wording_files()
    assert len(files) > 10
    for path in files:
        data = words.load(path)
        for where, text in _strings(data):
            name = f"{path.relative_to(paths.FORM_TEMPLATES).as_posix()} {where}"
            if _is_jinja(path, where):
                try:
                    env.parse(text)
                except jinja2.TemplateSyntaxError as exc:
                    bad.append(f"{name}: {exc}")
                continue
            try:
                fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
            except ValueError as exc:
                bad.append(f"{name}: {exc}")
                continue
            if any(f == "" or f.isdigit() for f in fields):
                bad.append(f"{name}: a placeholder without a name")
            if "{{" in text or "{%" in text:
                bad.append(f"{name}: Jinja in a {{name}} sentence")
    assert bad == []


def test_a_missing_value_is_an_error_naming_the_entry_never_a_blank():
    with pytest.raises(words.WordsProblem, match=r"validate/messages.toml \[values\] yesno"):
        from pipeline.validate.messages import say

        say("values", "yesno")
    with pytest.raises(words.WordsProblem, match="needs a value for {who}"):
        words.fill("Ask {who} today.", "test [x] y")
    assert words.fill("Ask {who} today.", "test [x] y", who="the team") == "Ask the team today."


def test_a_service_rewords_single_entries_and_a_typo_is_refused(tmp_path):
    area = tmp_path / "area"
    (area / "blackpool").mkdir(parents=True)
    (area / "w.toml").write_text('[t]\na = "Shared A"\nb = "Shared B {n}"\n', encoding="utf-8")
    (area / "blackpool" / "w.toml").write_text('[t]\nb = "Own B {n}"\n', encoding="utf-8")
    assert words.for_service(area / "w.toml", "blackpool") == {
        "t": {"a": "Shared A", "b": "Own B {n}"}
    }
    assert words.for_service(area / "w.toml", "milton-keynes")["t"]["b"] == "Shared B {n}"
    assert words.entry(area / "w.toml", "t", "b", "blackpool", n=3) == "Own B 3"
    (area / "blackpool" / "w.toml").write_text('[t]\nbb = "typo"\n', encoding="utf-8")
    with pytest.raises(words.UnknownEntry, match=r"\[t\] bb"):
        words.for_service(area / "w.toml", "blackpool")


def test_an_edited_file_is_read_again(tmp_path):
    """A co-ordinator fixes a sentence while `watch` runs: the next message uses it."""
    f = tmp_path / "w.toml"
    f.write_text('a = "first"\n', encoding="utf-8")
    assert words.load(f)["a"] == "first"
    f.write_text('a = "second, longer"\n', encoding="utf-8")
    assert words.load(f)["a"] == "second, longer"


def test_an_unreadable_wording_file_is_named(tmp_path):
    f = tmp_path / "w.toml"
    f.write_text('a = "unclosed\n', encoding="utf-8")
    with pytest.raises(words.Unreadable, match="w.toml is not valid TOML"):
        words.load(f)


def test_the_month_chart_follows_the_held_row_however_it_is_worded():
    """A service that rewords "Held (...)" still gets its chart bar, labelled as it says."""
    from pipeline.reports.month import _sessions_section
    from pipeline.reports.month import words as month_words

    s = dict(
        month_words()["sections"]["sessions"], held="Sessions that happened", held_short="Happened"
    )
    section = _sessions_section(s, [])
    assert list(section.chart)[0] == "Happened"
    assert ("Sessions that happened", 0) in section.rows


class _Ledger:
    def __init__(self, actions):
        self._actions = actions

    def rule_actions(self):
        return self._actions

    def item_by_reference(self, reference):
        return None


def _stored(n, action, created=dt.datetime(2026, 3, 2, 9, 0)):
    return SimpleNamespace(
        id=n,
        action=action,
        done_at=None if action.decision is None else created,
        created_at=created,
    )


def test_the_digest_leaves_out_a_suspension_that_waits_for_nobody(monkeypatch):
    """`status` says when family time resumes; the digest lists only what waits for a person
    (a proposal undecided, a suspension with no meeting date), told by the proposal's fields."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-03-10")
    from pipeline.notify.digest import proposals_waiting
    from pipeline.sessions.proposals import status_lines

    profile = load_profile("northamptonshire")
    misses = [dt.date(2026, 2, 23), dt.date(2026, 3, 2)]
    ledger = _Ledger(
        [
            _stored(1, RuleAction(reference="FT-1", kind="suspension", session_dates=misses)),
            _stored(
                2,
                RuleAction(
                    reference="FT-2",
                    kind="suspension",
                    session_dates=misses,
                    decision="Approved",
                    decided_by="A Manager",
                    decided_on=dt.date(2026, 3, 3),
                ),
            ),
            _stored(
                3,
                RuleAction(
                    reference="FT-3",
                    kind="suspension",
                    session_dates=misses,
                    decision="Approved",
                    decided_by="A Manager",
                    decided_on=dt.date(2026, 3, 3),
                    meeting_on=dt.date(2026, 3, 20),
                    suspended_from=dt.date(2026, 3, 4),
                    suspended_until=dt.date(2026, 3, 19),
                ),
            ),
        ]
    )
    assert [line.split(":")[0].split()[-1] for line in status_lines(ledger, profile)] == [
        "FT-1",
        "FT-2",
        "FT-3",
    ]
    waiting = proposals_waiting(ledger, profile)
    assert [r.text for r in waiting] == status_lines(ledger, profile)[:2]


def test_the_drop_downs_say_what_tracker_toml_says():
    from pipeline.tracker.columns import load_spec
    from pipeline.tracker.validations import rule_for

    profile = load_profile("northamptonshire")
    spec = load_spec(profile=profile)
    said = {
        rule.error
        for sheet in spec.sheets
        for column in sheet.columns
        if (rule := rule_for(column, spec, profile)) is not None
    }
    shared = tomllib.loads((paths.FORM_TEMPLATES / "tracker.toml").read_text(encoding="utf-8"))
    plain = {v for k, v in shared["drop_downs"].items() if "{" not in v}
    assert said & plain
    assert all(
        any(s.startswith(v.split("{")[0]) for v in shared["drop_downs"].values()) for s in said
    )


def _calls(py: Path, names: set[str]):
    for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            fn = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", None)
            )
            if fn in names:
                yield node


def _entry_of(node, data: dict, dotted: bool):
    consts = [
        a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
    ]
    if dotted and consts:
        table, _, key = consts[0].partition(".")
    elif not dotted and len(consts) >= 2:
        table, key = consts[:2]
    else:
        return None
    text = data.get(table, {}).get(key) if isinstance(data.get(table), dict) else None
    return (f"{table}.{key}", text) if isinstance(text, str) else None


def test_the_callers_give_every_placeholder_their_entry_names():
    """Each call that names its entry outright (validation's messages, the reader's reasons,
    the allocation's problems) passes a value for every {name} in that entry, so no message
    fails in front of a person for want of a value."""
    houses = [  # (wording file, the helper that fills it, the helper's entry is "table.key")
        ("validate/messages.toml", {"say"}, False, sorted((PIPELINE / "validate").glob("*.py"))),
        ("reader/reasons.toml", {"say", "reason"}, True, sorted(PIPELINE.rglob("*.py"))),
        ("allocation.toml", {"_say"}, False, [PIPELINE / "tracker" / "allocation.py"]),
    ]
    checked, missing = 0, []
    for rel, names, dotted, files in houses:
        data = words.load(rel)
        for py in files:
            for node in _calls(py, names):
                found = _entry_of(node, data, dotted)
                if found is None:
                    continue
                given = {k.arg for k in node.keywords}
                if None in given:  # **values: checked where they are built
                    continue
                checked += 1
                lacking = set(words.placeholders(found[1])) - given
                if lacking:
                    missing.append(
                        f"{py.relative_to(paths.ROOT)}:{node.lineno} {rel} "
                        f"{found[0]} lacks {sorted(lacking)}"
                    )
    assert checked > 80 and missing == []
