"""From allocation to pack, as co-ordinators type: what cannot be read or would put something
wrong in a letter is said back in the Paperwork cell and no pack is made; a changed allocation
remakes the pack, moves the old one aside and mails the new one once."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from pipeline.tracker.typed import read_times

from tests.helpers.allocation_kit import SUPERVISOR_EMAIL, Desk, libreoffice_round_trip

REF = "FT-2026-00001"
TODAY = "2026-12-01"  # a Tuesday; the first session allocated is a week later
# What the Paperwork cell says of the fixture referral beside "Pack made" (issue 26): it asks
# for twice a week from 16/03/2026 and is read on 02/11/2026; Tuesdays alone are allocated.
AGAINST_REQUEST = (
    "; 1 session a week allocated; the referral asked for 2; the requested start (16/03/2026) "
    "had already passed when the referral was read ({read}): the pack starts on the first "
    "session, {first}; tell the social worker"
)


def made_cell(date: str, first: str = "08/12/2026", read: str = "02/11/2026") -> str:
    """The Paperwork cell of a first pack made on `date` from the fixture referral."""
    return f"Pack made {date}" + AGAINST_REQUEST.format(first=first, read=read)


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    d = Desk(tmp_path / "work")
    d.receive()
    return d


@pytest.mark.parametrize(
    "typed, start, end",
    [
        ("10:00-11:30", "10:00", "11:30"),
        ("10am", "10:00", "11:30"),
        ("10.00", "10:00", "11:30"),
        ("10 - 11.30am", "10:00", "11:30"),
        ("2pm for 1.5 hours", "14:00", "15:30"),
        ("11 - 1pm", "11:00", "13:00"),
        ("2 - 4pm", "14:00", "16:00"),
    ],
)
def test_times_are_read_as_people_type_them(typed, start, end):
    a, b = read_times(typed, 90)
    assert (f"{a:%H:%M}", f"{b:%H:%M}") == (start, end)


@pytest.mark.parametrize("typed", ["after school", "25:00", "11:30-10:00", ""])
def test_times_that_cannot_be_read_are_not_guessed(typed):
    assert read_times(typed, 90) == (None, None)


def test_a_time_typed_10am_gives_arrival_and_planned_times(desk):
    desk.allocate(REF, Time="10am")
    desk.effects()
    assert desk.row(REF)["Paperwork"].startswith("Pack made ")
    carer = next(p for p in desk.pack(REF) if "carer" in p.name.lower())
    from tests.helpers.render_kit import docx_text

    text = docx_text(carer)
    assert "Not given" not in text and "10:00" in text


MISTAKES = [
    ({"Time": "after school"}, "the time 'after school' cannot be read"),
    ({"First_session": dt.date(2026, 11, 24)}, "is before today (01/12/2026)"),
    ({"First_session": dt.date(2026, 12, 11)}, "is a Friday, but Day says Tuesday"),
    ({"Venue": "The Old Library"}, "'The Old Library' is not one of the service's venues"),
    ({"First_session": "next Tuesday"}, "the first session 'next Tuesday' is not a date"),
    ({"Day": "Funday"}, "'Funday' in Day is not a day of the week"),
    ({"Time": None}, "fill in the time before the pack can be made"),
]


@pytest.mark.parametrize("change, words", MISTAKES)
def test_every_mistake_is_said_in_the_row_and_no_pack_is_made(desk, change, words):
    desk.allocate(REF, **change)
    desk.effects()
    cell = desk.row(REF)["Paperwork"]
    assert cell.startswith("To correct: ") and words in cell, cell
    assert desk.pack(REF) == []
    assert desk.mails("pack") == []
    from pipeline.commands.status import gather

    waiting = {w["effect"]: w for w in gather(desk.ledger)["waiting"]}
    assert words in waiting["paperwork"]["why"]


def test_a_supervisor_not_on_the_staff_sheet_is_refused(desk):
    desk.add_staff()
    desk.allocate(REF, Allocated_Family_Time_Supervisor="Someone Else")
    desk.effects()
    assert "'Someone Else' is not on the Staff sheet" in desk.row(REF)["Paperwork"]
    assert desk.pack(REF) == []


def test_correcting_the_mistake_makes_the_pack(desk):
    desk.allocate(REF, Venue="The Old Library")
    desk.effects()
    assert desk.pack(REF) == []
    desk.allocate(REF)  # the venue chosen from the list
    desk.effects()
    assert desk.row(REF)["Paperwork"] == made_cell("01/12/2026")
    assert any("Agreement" in p.name for p in desk.pack(REF))


def test_the_pack_goes_to_the_supervisor_and_social_worker_once(desk):
    desk.add_staff()
    desk.allocate(REF)
    desk.effects()
    desk.effects()
    mails = desk.mails("pack")
    assert len(mails) == 1
    msg = mails[0]
    assert SUPERVISOR_EMAIL in msg["To"]
    assert REF in msg["Subject"]
    attached = [p.get_filename() for p in msg.iter_attachments()]
    assert any("Agreement" in n for n in attached)
    assert any(n.startswith("Session record ") for n in attached)
    body = msg.get_body(("plain",)).get_content()
    from pipeline.extract import extract_file

    from tests.helpers.allocation_kit import FORM

    child = extract_file(FORM).fields
    for key in ("child.first_name", "child.last_name"):
        assert str(child[key]) not in body and str(child[key]) not in msg["Subject"]


def test_a_changed_time_remakes_the_pack_and_mails_it_once(desk):
    desk.add_staff()
    desk.allocate(REF)
    desk.effects()
    first = {p.name for p in desk.pack(REF)}
    desk.allocate(REF, Time="2pm for 1.5 hours")
    desk.effects()
    desk.effects()
    row = desk.row(REF)
    assert row["Paperwork"].startswith("Pack remade 01/12/2026 (time changed)")
    old = desk.config.outbox_dir / REF / "superseded" / "2026-12-01"
    assert {p.name for p in old.iterdir()} == first
    assert len(desk.mails("pack")) == 2
    from tests.helpers.render_kit import docx_text

    carer = next(p for p in desk.pack(REF) if "carer" in p.name.lower())
    text = docx_text(carer)
    # the old time is said only as what changed; the arrangements are the new ones
    assert (
        "From Tuesday 8 December 2026 sessions move from Tuesdays, 10:00 to 11:30 to "
        "Tuesdays, 14:00 to 15:30." in text
    )
    assert text.count("10:00") == 1 and "14:00" in text.split("15:30.", 1)[1]
    records = [p for p in desk.pack(REF) if p.name.startswith("Session record ")]
    assert records and all(
        dt.date.fromisoformat(p.stem.rsplit(" ", 1)[-1]) >= dt.date(2026, 12, 1) for p in records
    )


def test_a_change_with_short_notice_is_made_but_flagged(desk, monkeypatch):
    from pipeline.profile import Timescales

    monkeypatch.setattr(Timescales, "change_notice_days", 7, raising=False)
    desk.allocate(REF)
    desk.effects()
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-04")  # four days before the session
    desk.allocate(REF, Venue=desk.profile.venues[1].name)
    desk.effects()
    cell = desk.row(REF)["Paperwork"]
    assert cell.startswith("Pack remade 04/12/2026 (venue changed)")
    assert "less than 7 days' notice" in cell


def test_an_unchanged_allocation_is_not_remade(desk):
    desk.allocate(REF)
    desk.effects()
    desk.type_in(REF, Notes="Dad prefers mornings")  # not part of the pack
    desk.effects()
    assert desk.row(REF)["Paperwork"] == made_cell("01/12/2026")
    assert not (desk.config.outbox_dir / REF / "superseded").exists()


def test_the_same_child_referred_again_keeps_one_reference(desk):
    from tests.helpers.allocation_kit import FORM, resent

    again = resent(FORM, desk.config.state_dir / "referral again.docx")
    items = desk.receive(again, arrived=dt.datetime(2026, 11, 20, 10, 0))
    assert [i.reference for i in items] == [REF]
    refs = {i.reference for i in desk.ledger.items(outcome="accepted")}
    assert refs == {REF}
    assert "updated referral received 20/11/2026" in desk.row(REF)["Checked"]
    acks = desk.mails("accepted")
    assert len(acks) == 2 and "updated referral received" in acks[-1]["Subject"]
    assert f"update of {REF}" in acks[-1].get_body(("plain",)).get_content()


def test_a_closed_referral_is_named_by_the_new_one(desk):
    from tests.helpers.allocation_kit import FORM, resent

    desk.type_in(REF, Status="Closed")
    again = resent(FORM, desk.config.state_dir / "new referral.docx")
    items = desk.receive(again, arrived=dt.datetime(2026, 11, 25, 10))
    assert items[0].reference == "FT-2026-00002"
    assert REF in items[0].reason


def test_a_form_and_its_pdf_in_one_email_are_one_referral(tmp_path, monkeypatch):
    from email.message import EmailMessage

    from tests.helpers.paths import FIXTURES

    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    desk = Desk(tmp_path / "work")
    msg = EmailMessage()
    msg["From"], msg["To"] = "sw@council.example.org", "familytime@nct.example.org"
    msg["Subject"] = "Referral"
    msg.set_content("Please find the referral attached, as Word and as PDF.")
    for name, kind in (
        ("referral-complete.docx", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("referral-complete.pdf", "pdf"),
    ):
        msg.add_attachment(
            (FIXTURES / "forms" / name).read_bytes(),
            maintype="application",
            subtype=kind,
            filename=name,
        )
    src = tmp_path / "referral.eml"
    src.write_bytes(bytes(msg))
    items = desk.receive(src)
    assert len({i.reference for i in items if i.reference}) == 1
    assert [i.outcome for i in items].count("accepted") == 1
    assert len(desk.mails("accepted")) == 1


@pytest.mark.libreoffice
def test_new_rows_go_where_people_look_after_libreoffice_saved_the_workbook(desk):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    import openpyxl
    from openpyxl.styles import PatternFill

    wb = openpyxl.load_workbook(desk.workbook)  # formatted empty rows down to 501,
    ws = wb["Referrals"]  # as a Calc save leaves them
    for r in range(3, 502):
        ws.cell(r, 1).fill = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
    wb.save(desk.workbook)
    libreoffice_round_trip(desk.workbook)
    assert openpyxl.load_workbook(desk.workbook)["Referrals"].max_row >= 500
    from tests.helpers.allocation_kit import FORM
    from tests.helpers.intake_kit import variant

    variant(FORM, desk.config.state_dir / "other.docx", 3)
    items = desk.receive(desk.config.state_dir / "other.docx")
    ws = openpyxl.load_workbook(desk.workbook)["Referrals"]
    refs = [ws.cell(r, 1).value for r in range(2, 6)]
    assert refs[:2] == [REF, items[0].reference]


@pytest.mark.libreoffice
def test_an_allocation_saved_by_libreoffice_makes_the_pack(desk):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    libreoffice_round_trip(desk.workbook)
    desk.allocate(REF, Time="10 - 11.30am")
    libreoffice_round_trip(desk.workbook)
    desk.effects()
    assert desk.row(REF)["Paperwork"] == made_cell("01/12/2026")


def test_an_excel_table_grows_with_new_rows(desk):
    import openpyxl
    from openpyxl.worksheet.table import Table

    wb = openpyxl.load_workbook(desk.workbook)
    ws = wb["Referrals"]
    ws.auto_filter.ref = None
    last = openpyxl.utils.get_column_letter(ws.max_column - 1)
    ws.add_table(Table(displayName="Referrals", ref=f"A1:{last}2"))
    wb.save(desk.workbook)
    from tests.helpers.allocation_kit import FORM
    from tests.helpers.intake_kit import variant

    variant(FORM, desk.config.state_dir / "other.docx", 4)
    desk.receive(desk.config.state_dir / "other.docx")
    table = openpyxl.load_workbook(desk.workbook)["Referrals"].tables["Referrals"]
    assert table.ref == f"A1:{last}3"


def test_dropdowns_list_venues_days_and_staff(desk):
    import openpyxl

    wb = openpyxl.load_workbook(desk.workbook)
    ws = wb["Referrals"]
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert any("Staff!$A$2" in f for f in formulas)
    assert any("Lists!$A$2" in f for f in formulas)
    lists = wb["Lists"]
    venues = [c.value for c in lists["A"][1:] if c.value]
    assert venues == [v.name for v in desk.profile.venues]
    assert [c.value for c in wb["Staff"][1]][:4] == ["Name", "Role", "Email", "Hours per week"]


def test_the_same_answers_sent_again_are_a_copy_not_an_update(desk, capsys):
    """A social worker sends the form as Word, then the same answers again (as a PDF, or saved
    again): one referral, one acknowledgement; the copy is recorded and `status` says so."""
    from pipeline.cli import main

    from tests.helpers.allocation_kit import FORM, copied
    from tests.helpers.paths import FIXTURES

    pdf = desk.config.state_dir / "referral-complete.pdf"
    shutil.copyfile(FIXTURES / "forms" / "referral-complete.pdf", pdf)
    for src in (pdf, copied(FORM, desk.config.state_dir / "saved again.docx")):
        items = desk.receive(src, arrived=dt.datetime(2026, 11, 20, 10, 0))
        assert [i.outcome for i in items] == ["duplicate"]
        assert f"copy of referral {REF} with the same answers" in items[0].reason
    desk.effects()
    acks = desk.mails("accepted")
    assert len(acks) == 1 and "updated" not in acks[0]["Subject"]
    assert "updated referral" not in (desk.row(REF)["Checked"] or "")
    assert main(["status", "--config", str(desk.config.base / "family-time.toml")]) == 0
    out = capsys.readouterr().out
    assert "Duplicates                 2" in out
    assert (
        f"referral-complete.pdf: a copy of {REF} with the same answers (no acknowledgement sent)"
    ) in out


BLACKPOOL = {
    "Allocated Family Time Supervisor": None,
    "Allocated Together Worker": "Robin Supervisor-Example",
}


def _blackpool_desk(root, arrived):
    from pipeline.commands.init import init_folder

    init_folder(root, "blackpool")
    d = Desk(root)
    d.receive(arrived=arrived)
    # a Blackpool supervisor at a Blackpool address: packs go only to the service's domains
    d.add_staff(email_address="robin.supervisor@blackpool.example.org")
    return d


def test_a_first_session_later_than_promised_is_made_and_flagged(tmp_path, monkeypatch, capsys):
    """Blackpool promises a first session within 3 working days: one allocated weeks later
    still gets its pack, and the Paperwork cell and the digest on `status` say so."""
    from pipeline.cli import main

    monkeypatch.setenv("FAMILY_TIME_TODAY", TODAY)
    desk = _blackpool_desk(tmp_path / "work", dt.datetime(2026, 11, 23, 9, 0))
    desk.allocate(REF, **BLACKPOOL)
    desk.effects()
    cell = desk.row(REF)["Paperwork"]
    assert cell.startswith(
        "Pack made 01/12/2026; 1 session a week allocated; the referral asked for 2; the "
        "requested start (16/03/2026) had already passed when the referral was read (23/11/2026)"
    ), cell
    assert "; first session 08/12/2026 is later than the service promises (by 26/11/2026)" in cell
    assert any(p.name.startswith("Letter to parent") for p in desk.pack(REF))  # made
    assert main(["status", "--config", str(desk.config.base / "family-time.toml")]) == 0
    assert (
        f"{REF}: first session 08/12/2026 is later than the service promises"
        in capsys.readouterr().out
    )


def test_a_first_session_within_the_promise_is_not_flagged(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-04")
    desk = _blackpool_desk(tmp_path / "work", dt.datetime(2026, 12, 4, 9, 0))
    desk.allocate(REF, **BLACKPOOL)
    desk.effects()
    cell = desk.row(REF)["Paperwork"]
    assert cell.startswith("Pack made 04/12/2026; ") and "later than the service" not in cell


# ---------------------------------------------------------------- the timeline of a pack


def _events(desk, kind):
    from pipeline.ledger.names import EventKind

    return desk.ledger.events(REF, kinds=[EventKind(kind)])


def test_a_changed_allocation_says_what_moved_and_which_sessions_are_off(desk, monkeypatch):
    """Thursdays at The Forum, then Fridays at Penfold from 18 December: the new letters and
    the email say what changed, from when, and which Thursdays will not take place; the
    timeline holds each allocation and pack once; a save with nothing changed does nothing."""
    from tests.helpers.render_kit import docx_text

    desk.add_staff()
    forum, penfold = desk.profile.venues[0].name, desk.profile.venues[1].name
    desk.allocate(REF, Day="Thursday", Venue=forum, First_session=dt.date(2026, 12, 10))
    desk.effects()
    assert desk.row(REF)["Paperwork"] == made_cell("01/12/2026", first="10/12/2026")

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-14")  # four days before the move
    desk.allocate(REF, Day="Friday", Venue=penfold, First_session=dt.date(2026, 12, 18))
    desk.effects()
    cell = desk.row(REF)["Paperwork"]
    assert cell.startswith(
        "Pack remade 14/12/2026 (venue changed, day changed, first session changed)"
    ), cell
    moved = (
        "From Friday 18 December 2026 sessions move from Thursdays at "
        + forum
        + " to Fridays at Penfold Centre; the sessions on Thursday 17 December 2026 and "
        "Thursday 31 December 2026 will not take place."
    )
    for letter in [p for p in desk.pack(REF) if p.name.startswith("Letter to")]:
        text = docx_text(letter)
        assert moved in text, letter.name
        # Northamptonshire asks a week's notice for a change: the letters say it falls short
        assert "less than the 7 days' notice" in text
        # 24 December stays: it is the new pattern's session in place of Christmas Day
        assert (
            "The next sessions are on:\nFriday 18 December 2026\nThursday 24 December "
            "2026 (in place of Friday 25 December 2026" in text
        )
    mails = desk.mails("pack")
    assert len(mails) == 2
    assert "new arrangements" in mails[1]["Subject"]
    body = mails[1].get_body(("plain",)).get_content()
    assert moved in body and "less than 7 days' notice" in body

    allocated, made, mailed = (_events(desk, k) for k in ("allocated", "pack_made", "pack_mailed"))
    assert [(e.detail["version"], e.on, e.detail["day"], e.detail["venue"]) for e in allocated] == [
        (1, dt.date(2026, 12, 1), "Thursday", forum),
        (2, dt.date(2026, 12, 14), "Friday", penfold),
    ]
    assert allocated[0].detail["supervisor_role"] == "Family Time Supervisor"
    assert [(e.detail["version"], e.on) for e in made] == [
        (1, dt.date(2026, 12, 1)),
        (2, dt.date(2026, 12, 14)),
    ]
    assert made[1].detail["change"]["off"] == ["2026-12-17", "2026-12-31"]
    assert made[1].detail["short_notice"] is True
    # no mail server in a test folder: the email was only written to outbox/mail
    assert [(e.detail["version"], e.detail["how"], e.detail["to"]) for e in mailed] == [
        (1, "written", ["supervisor", "social worker"]),
        (2, "written", ["supervisor", "social worker"]),
    ]

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-15")
    desk.type_in(REF, Notes="Dad prefers mornings")  # saved, nothing changed
    desk.effects()
    assert len(desk.mails("pack")) == 2
    assert len(_events(desk, "pack_made")) == 2 and len(_events(desk, "allocated")) == 2
    assert len(_events(desk, "pack_mailed")) == 2
    assert desk.row(REF)["Paperwork"] == cell


def test_a_service_without_a_notice_rule_says_nothing_of_notice(tmp_path, monkeypatch):
    """Blackpool states no notice for changes: its changed letters say the move, no notice."""
    from tests.helpers.render_kit import docx_text

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-04")
    desk = _blackpool_desk(tmp_path / "work", dt.datetime(2026, 12, 4, 9, 0))
    desk.allocate(REF, **BLACKPOOL)
    desk.effects()
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-07")
    desk.allocate(REF, **BLACKPOOL, Time="2pm for 1.5 hours")
    desk.effects()
    letter = next(p for p in desk.pack(REF) if p.name.startswith("Letter to carer"))
    text = docx_text(letter)
    assert (
        "From Tuesday 8 December 2026 sessions move from Tuesdays, 10:00 to 11:30 to "
        "Tuesdays, 14:00 to 15:30."
    ) in text
    assert "notice" not in text.split("sessions move", 1)[1].split("\n", 1)[0]
    body = desk.mails("pack")[-1].get_body(("plain",)).get_content()
    assert "sessions move from" in body and "days' notice" not in body


def test_an_update_before_allocation_says_nothing_of_a_pack(desk):
    """An update of the referral arriving before anyone allocated it: no pack exists, so the
    Paperwork cell says nothing of one (it used to say "Pack made")."""
    from tests.helpers.allocation_kit import FORM, resent

    again = resent(FORM, desk.config.state_dir / "referral again.docx")
    desk.receive(again, arrived=dt.datetime(2026, 11, 20, 10, 0))
    desk.effects()
    assert not (desk.row(REF)["Paperwork"] or "").startswith("Pack")
    assert _events(desk, "pack_made") == [] and desk.mails("pack") == []
    desk.allocate(REF)
    desk.effects()
    # the pack is made from the update, read on 20/11/2026
    assert desk.row(REF)["Paperwork"] == made_cell("01/12/2026", read="20/11/2026")


def test_a_pack_made_again_for_an_updated_referral_is_not_called_a_change(desk, monkeypatch):
    from tests.helpers.allocation_kit import FORM, resent
    from tests.helpers.render_kit import docx_text

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-02")
    desk.allocate(REF)
    desk.effects()
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-03")  # five days before: short
    again = resent(FORM, desk.config.state_dir / "referral again.docx")
    desk.receive(again, arrived=dt.datetime(2026, 12, 3, 10, 0))
    desk.effects()
    mails = desk.mails("pack")
    assert len(mails) == 2
    body = mails[1].get_body(("plain",)).get_content()
    assert "have changed" not in body and "notice" not in body
    assert "referral was updated" in body and "new arrangements" not in mails[1]["Subject"]
    letter = next(p for p in desk.pack(REF) if p.name.startswith("Letter to carer"))
    assert "arrangements have changed" not in docx_text(letter)
    assert "notice we aim" not in docx_text(letter)
    made = _events(desk, "pack_made")
    assert made[1].detail["change"] is None and made[1].detail["short_notice"] is False
    assert len(_events(desk, "allocated")) == 1  # the allocation did not change
    assert "notice" not in desk.row(REF)["Paperwork"]


def test_the_month_report_times_allocation_by_the_timeline_and_keeps_its_figures(
    tmp_path, monkeypatch
):
    """November's "Allocated" figure is the day the pack was first made, on the pipeline's
    clock; passes, a changed allocation and a month later give the same figures."""
    from pipeline.reports.month import month_figures

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-11-12")
    desk = Desk(tmp_path / "work")
    desk.receive()  # 2 November: allocate by the 16th
    desk.allocate(REF)
    desk.effects()
    november = dt.date(2026, 11, 1)

    def figures():
        f = month_figures(desk.ledger, desk.profile, november, made=dt.date(2026, 12, 1))
        return [(s.key, s.rows, s.lists) for s in f.sections]

    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    first = figures()
    assert dict(first[1][1])["Allocated (pack made)"] == "100% (1 of 1)"
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-02")
    desk.allocate(REF, Time="2pm for 1.5 hours")  # remade, a new allocation version
    desk.effects(passes=6)
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2027-01-02")
    desk.type_in(REF, Notes="saved again")
    desk.effects(passes=6)
    assert figures() == first


def test_packs_made_before_the_timeline_are_written_to_it_once(desk, monkeypatch):
    """A ledger from before the timeline (its packs recorded, no events): the next pass writes
    each pack and its allocation as events on the day the pack was made, once."""
    desk.allocate(REF)
    desk.effects()
    with desk.ledger._tx() as db:  # as an older ledger has it
        db.execute("DELETE FROM events WHERE kind IN ('allocated', 'pack_made', 'pack_mailed')")
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-03")
    desk.type_in(REF, Notes="saved again")
    desk.effects()
    desk.effects()
    made = _events(desk, "pack_made")
    assert [(e.detail["version"], e.on) for e in made] == [(1, dt.date(2026, 12, 1))]
    assert [e.on for e in _events(desk, "allocated")] == [dt.date(2026, 12, 1)]
    # written from the older ledger's pack row, which knew nothing of the request
    assert desk.row(REF)["Paperwork"] == "Pack made 01/12/2026"


def test_a_pack_email_sent_later_is_recorded_the_day_it_went(desk, monkeypatch):
    """The mail server was down as the pack was made: no PACK_MAILED (nothing says mailed);
    once the outbox says it went, the timeline says sent, on that day, once."""
    from pipeline.ledger.names import MailHow
    from pipeline.notify.outbox import MailOutbox

    desk.add_staff()
    monkeypatch.setattr(MailOutbox, "how", lambda self, key: None)  # still owed
    desk.allocate(REF)
    desk.effects()
    assert _events(desk, "pack_mailed") == []
    assert _events(desk, "pack_made")[0].detail["mail_to"] == ["supervisor", "social worker"]
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-02")
    monkeypatch.setattr(MailOutbox, "how", lambda self, key: MailHow.SENT)
    desk.effects()
    desk.effects()
    assert [(e.on, e.detail["how"], e.detail["to"]) for e in _events(desk, "pack_mailed")] == [
        (dt.date(2026, 12, 2), "sent", ["supervisor", "social worker"])
    ]
