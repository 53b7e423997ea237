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
    """A stand-in ledger: the proposals, and their story on the case timeline as the
    missed-session rule's effect writes it (raised; decided; letters and the suspension)."""

    def __init__(self, actions):
        self._actions = actions

    def rule_actions(self):
        return self._actions

    def item_by_reference(self, reference):
        return None

    def events(self, reference=None, kinds=None):
        import dataclasses

        from pipeline.cases import suspension as S
        from pipeline.cases.case import Case

        out = []
        for sa in self._actions:
            a = sa.action
            out.append(S.proposal_raised(sa.id, a, sa.created_at.date()))
            if a.decision:
                out.append(
                    S.decided(Case(a.reference), sa.id, a.decision, a.decided_by, a.decided_on)
                )
            if a.decision == "Approved" and sa.done_at is not None:
                start = a.suspended_from or a.decided_on + dt.timedelta(days=1)
                until = a.suspended_until or start + dt.timedelta(days=6)
                span = S.Span(
                    start, until, to_meeting=a.meeting_on is None, meeting_on=a.meeting_on
                )
                out.append(S.letters_made(a.reference, sa.id, ["letter.docx"], a.decided_on))
                out.append(
                    S.suspension_started(a.reference, sa.id, span, a.decided_by, a.decided_on)
                )
        out = [dataclasses.replace(e, id=n) for n, e in enumerate(out, start=1)]
        return [
            e
            for e in out
            if (reference is None or e.reference == reference)
            and (kinds is None or e.kind in kinds)
        ]


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
    said = status_lines(ledger, profile, resuming=True)  # `status`
    assert [line.split(":")[0].split()[-1] for line in said] == [
        "FT-1",
        "FT-2",
        "FT-3",
    ]
    waiting = proposals_waiting(ledger, profile)
    assert [r.text for r in waiting] == said[:2] == status_lines(ledger, profile)


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


def _reworded(tmp_path, monkeypatch, rel: str, old: str, new: str) -> None:
    """The wording read from a copy of form_templates/ in which one entry of `rel` says `new`
    where it said `old`: what a service's editor would do, no Python touched."""
    import shutil

    root = tmp_path / "form_templates"
    shutil.copytree(paths.FORM_TEMPLATES, root, ignore=shutil.ignore_patterns("*.docx"))
    text = (root / rel).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (root / rel).write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(words, "FORM_TEMPLATES", root)


def _status_facts(**facts) -> dict:
    base = dict(
        files=3,
        total_items=4,
        counts={},
        updates=0,
        waiting=[],
        workbook_open=0,
        oldest_unacknowledged=None,
        moves_owed=0,
    )
    return {**base, **facts}


def test_status_says_what_its_wording_file_says(tmp_path, monkeypatch):
    """`status`'s lines are commands/status.toml's entries, word for word, and follow an edit."""
    from pipeline.commands.status import describe

    facts = _status_facts(
        workbook_open=2,
        waiting=[
            dict(
                effect="tracker",
                count=2,
                why="Not tried yet.",
                kind="workbook_open",
                next_try="now",
            )
        ],
        ignored=[f"old/{n}.docx" for n in range(22)],
    )
    said = describe(facts)
    assert said[0] == "Files received: 3  (forms and emails recorded: 4)"
    assert "  Tracker rows: 2 - Not tried yet. (next try now)" in said
    assert (
        "2 tracker row(s) are waiting because the tracking workbook is open. Close it in Excel "
        "and they will be written."
    ) in said
    assert (
        "22 file(s) in inbox sub-folders set to be ignored ([watch] ignore_subfolders), not processed:"
        in said
    )
    assert "  ... and 2 more" in said

    _reworded(
        tmp_path,
        monkeypatch,
        "commands/status.toml",
        "Close it in Excel and they will be written.",
        "Close the workbook in Excel: they are written when it is closed.",
    )
    assert (
        "2 tracker row(s) are waiting because the tracking workbook is open. Close the workbook "
        "in Excel: they are written when it is closed."
    ) in describe(facts)


def test_proposals_and_the_digest_say_what_proposals_toml_says(tmp_path, monkeypatch):
    """The proposals' lines in `status` and the digest are sessions/proposals.toml [status]:
    a service rewording one sees both follow, and the digest still lists only what waits."""
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-03-10")
    from pipeline.notify.digest import proposals_waiting
    from pipeline.sessions.proposals import status_lines

    profile = load_profile("northamptonshire")
    misses = [dt.date(2026, 2, 23), dt.date(2026, 3, 2)]
    ledger = _Ledger(
        [
            _stored(1, RuleAction(reference="FT-1", kind="suspension", session_dates=misses)),
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
    assert status_lines(ledger, profile, resuming=True)[1] == (
        "P3 FT-3: family time resumes on 20/03/2026."
    )
    assert status_lines(ledger, profile)[0].endswith("(decide by 04/03/2026) OVERDUE.")
    _reworded(
        tmp_path,
        monkeypatch,
        "sessions/proposals.toml",
        'overdue = " OVERDUE"',
        'overdue = ", late"',
    )
    [waiting] = proposals_waiting(ledger, profile)
    assert waiting.text.endswith("(decide by 04/03/2026), late.")
    assert waiting.text == status_lines(ledger, profile)[0]


def test_the_digest_lines_follow_digest_toml(tmp_path, monkeypatch):
    """A worker over the weekly limit is said in digest.toml [reminders]'s words."""
    from pipeline.notify import digest

    said = digest._say("workload_many", who="Sam", n=7, most=6)
    assert said == "Sam: 7 sessions this week (the service's limit is 6)"
    assert digest._say("workload_one", who="Sam", n=1, most=0) == (
        "Sam: 1 session this week (the service's limit is 0)"
    )
    _reworded(
        tmp_path,
        monkeypatch,
        "digest.toml",
        'workload_many = "{who}: {n} sessions this week',
        'workload_many = "{who} has {n} sessions this week',
    )
    assert digest._say("workload_many", who="Sam", n=7, most=6).startswith("Sam has 7 sessions")


def test_the_emails_working_days_and_withheld_words_are_mail_toml(tmp_path, monkeypatch):
    from pipeline.notify.templates import MailTemplates, working_days

    assert working_days(1) == "1 working day" and working_days(10) == "10 working days"
    mail = tmp_path / "mail"
    mail.mkdir()
    settings = (paths.MAIL_TEMPLATES / "mail.toml").read_text(encoding="utf-8")
    (mail / "mail.toml").write_text(
        settings.replace('many = "{n} working days"', 'many = "{n} days (working days)"'),
        encoding="utf-8",
    )
    env = MailTemplates("northamptonshire", root=mail).env
    assert env.filters["working_days"](10) == "10 days (working days)"
    assert env.filters["working_days"](1) == "1 working day"


def _saved_report(path: Path, heading: str, prompt: str, written: str, by: str) -> Path:
    """A review report as a supervisor saves it: the box under the recommendation's heading
    (its prompt printed, what they wrote after it), then the sign-off."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("What this report covers")
    doc.add_paragraph(heading)
    box = doc.add_table(rows=1, cols=1).rows[0].cells[0]
    box.paragraphs[0].text = prompt
    if written:
        box.add_paragraph(written)
    doc.add_paragraph("Sign-off")
    row = doc.add_table(rows=1, cols=2).rows[0]
    row.cells[0].text, row.cells[1].text = "Written by", by
    doc.save(str(path))
    return path


def test_the_review_report_is_read_back_however_its_heading_is_worded(tmp_path, monkeypatch):
    """A service that words the recommendation's heading and prompt with placeholders (the
    child's name, its own role) still has a blank box read as blank and a written one read:
    the heading is found from its whole entry, not from the text before its first {{."""
    import copy

    from pipeline.notify import review
    from pipeline.render import wording as W

    profile = load_profile("northamptonshire")
    real = W.wording

    def reworded(profile_id, root=None):
        data = copy.deepcopy(real(profile_id, root))
        data["lac_report"]["boxes"] = [
            [
                "What {{ child.call_name }}'s supervisor recommends",
                "Write here, {{ service.supervisor_role }}, what should change and why.",
            ]
        ]
        return data

    monkeypatch.setattr(W, "wording", reworded)
    heading = "What Amy's supervisor recommends"
    prompt = "Write here, family time worker, what should change and why."
    blank = _saved_report(tmp_path / "blank.docx", heading, prompt, "", "Sam Supervisor-Example")
    assert review.read_back(blank, profile) == ("", "Sam Supervisor-Example")
    written = _saved_report(
        tmp_path / "written.docx", heading, prompt, "Fortnightly in the community.", "Sam S"
    )
    assert review.read_back(written, profile) == ("Fortnightly in the community.", "Sam S")

    def bare(profile_id, root=None):
        data = reworded(profile_id, root)
        data["lac_report"]["boxes"] = [["{{ words.shared.heading }}", ""]]
        return data

    monkeypatch.setattr(W, "wording", bare)  # no words of its own: named, never any paragraph
    with pytest.raises(words.WordsProblem, match=r"boxes\[0\]\[0\]"):
        review.read_back(blank, profile)
    assert "could not be read (WordsProblem)" in review.hold("FT-1", "Jo", blank, profile)
