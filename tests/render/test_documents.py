"""The paperwork as a family, a carer, a reviewing officer or a social worker reads it."""

from __future__ import annotations

import datetime as dt
import stat
import sys

import pytest
from docx import Document

from pipeline.models import RuleAction, SessionRecord
from pipeline.render import (
    PaperworkProblem,
    render_agreement,
    render_lac_report,
    render_pack,
    render_suspension_letters,
)

from tests.helpers.render_kit import (
    CARER,
    CARER_ADDRESS,
    IRO,
    PARENT_1,
    PARENT_2,
    SOCIAL_WORKER,
    SUPERVISOR,
    assert_clean,
    docx_text,
    make_allocation,
    make_item,
    referral_values,
)
from tests.helpers.venues import KIND_ADDRESS

TODAY = dt.date(2026, 11, 23)


def pack(tmp_path, profile, item=None, **alloc):
    item = item or make_item()
    return render_pack(
        item, make_allocation(profile, **alloc), profile, tmp_path / "out", today=TODAY
    )


def by_name(paths):
    return {p.name: p for p in paths}


def agreement_name(profile, resigned: str = "") -> str:
    """The agreement's file name: the service's own name for it ("Written agreement")."""
    title = profile.agreement.name[:1].upper() + profile.agreement.name[1:]
    return f"FT-2026-00001 {title}{' re-signed ' + resigned if resigned else ''}.docx"


def test_pack_files_for_every_service(tmp_path, profile):
    paths = pack(tmp_path, profile)
    names = sorted(by_name(paths))
    assert names == sorted(
        [
            agreement_name(profile),
            "Letter to parent 1.docx",
            "Letter to parent 2.docx",
            "Letter to carer.docx",
            "Session record 2026-12-01.docx",
            "Session record 2026-12-08.docx",
            "Session record 2026-12-15.docx",
            "Session record 2026-12-22.docx",
        ]
    )
    for p in paths:
        Document(str(p))  # opens in python-docx
        text = docx_text(p)
        assert_clean(text)
        for leak in ("Sample-Parent", "Example", "Testy"):
            assert leak not in p.name  # no names in file names


def test_agreement_facts_follow_the_profile(tmp_path, profile):
    text = docx_text(by_name(pack(tmp_path, profile))[agreement_name(profile)])
    assert profile.name in text and profile.phone in text
    assert "Test Child Example (known as Testy)" in text
    assert "3 March 2019" in text
    assert PARENT_1 in text and PARENT_2 in text and SOCIAL_WORKER in text
    assert SUPERVISOR in text and profile.supervisor_role in text
    assert "Tuesday, 10:00 to 11:30" in text and "Tuesday 1 December 2026" in text
    if profile.venues:  # with its postcode only where one is stated (never invented)
        assert profile.venues[0].printed_address in text and "None" not in text
    else:  # a kind of place with the address the co-ordinator typed (Blackpool lists none)
        assert KIND_ADDRESS in text and "address to follow" not in text
    assert "not stated" not in text
    late, missed = profile.lateness, profile.missed_sessions
    if late is None:  # the service states no lateness rule
        assert "arrive in good time" in text and "minutes late" not in text
    elif late.max_late_minutes == 0:
        assert f"at least {late.arrive_minutes_before} minutes before" in text
        assert "If you are late, for any reason, the session will be cancelled" in text
    else:
        assert f"about {late.arrive_minutes_before} minutes before" in text
        assert f"more than {late.max_late_minutes} minutes late" in text
    if missed is None or not missed.published:  # no rule of its own: none stated
        assert "suspended" not in text
    else:
        assert f"suspended (paused) for at least {missed.suspension_days} days" in text
        # court-directed limit (the referral says so)
        assert (
            f"more than {missed.court_directed_max_suspension_days} days "
            "without the matter going back to court" in text
        )
    # closures from the calendar, with the replacement rule where the service has one
    assert "Friday 25 December 2026: Christmas Day" in text
    assert "Friday 26 March 2027: Good Friday" in text
    promised = profile.closures.replacement_for_single_weekly_session
    assert ("replacement session in the same week" in text) == promised
    # the carer's address never goes to the family
    assert CARER_ADDRESS not in text
    # the agreement's conduct rules are Northamptonshire's own (its 2025 agreement)
    assert ("No smoking or vaping" in text) == (profile.id == "northamptonshire")


def test_milton_keynes_any_lateness_cancels(tmp_path, mk):
    text = docx_text(by_name(pack(tmp_path, mk))["Letter to parent 1.docx"])
    assert "at least 15 minutes before the session starts (by 09:45)" in text
    assert "If you are late, for any reason, the session will be cancelled" in text
    assert "minutes late" not in text


def test_training_day_listed_and_replacement_noted(tmp_path, nct):
    # Tuesday 4 March 2025 is a Northamptonshire training day: the family's only session
    # that week moves, and the letter says which closed day it replaces
    paths = pack(tmp_path, nct, first_date=dt.date(2025, 2, 25))
    agreement = docx_text(by_name(paths)["FT-2026-00001 Family Time Agreement.docx"])
    assert "Tuesday 4 March 2025: Team training day" in agreement
    assert "Tuesday 23 September 2025: Team training day" in agreement
    letter = docx_text(by_name(paths)["Letter to parent 1.docx"])
    assert "in place of Tuesday 4 March 2025 (Team training day)" in letter
    assert "Session record 2025-03-04.docx" not in by_name(paths)


def test_parent_letter_confirms_arrangements(tmp_path, nct):
    paths = by_name(pack(tmp_path, nct))
    one = docx_text(paths["Letter to parent 1.docx"])
    two = docx_text(paths["Letter to parent 2.docx"])
    assert f"Dear {PARENT_1}," in one and f"Dear {PARENT_2}," in two
    assert "7 Thistlewood Row" in one and "7 Thistlewood Row" not in two
    for d in (
        "Tuesday 1 December 2026",
        "Tuesday 8 December 2026",
        "Tuesday 15 December 2026",
        "Tuesday 22 December 2026",
    ):
        assert d in one
    assert "The Forum Family Time Centre, Weston Favell, Northampton, NN3 0AA" in one
    assert nct.phone in one and "Family Time Supervisor" in one
    assert CARER_ADDRESS not in one and CARER not in one
    # a grandparent without parental responsibility gets no letter
    assert "Letter to parent 3.docx" not in paths


def test_everyone_named_gets_a_letter_when_no_one_has_pr_marked(tmp_path, nct):
    values = referral_values(
        **{
            "family[1].parental_responsibility": None,
            "family[2].parental_responsibility": None,
            "family[3].parental_responsibility": None,
        }
    )
    names = by_name(pack(tmp_path, nct, item=make_item(values)))
    assert {"Letter to parent 1.docx", "Letter to parent 2.docx", "Letter to parent 3.docx"} <= set(
        names
    )


def test_carer_letter(tmp_path, profile):
    text = docx_text(by_name(pack(tmp_path, profile))["Letter to carer.docx"])
    assert f"Dear {CARER}," in text and CARER_ADDRESS in text
    assert "11:30" in text
    # the handover at reception is Milton Keynes' own practice (004), no one else's
    mk = profile.id == "milton-keynes"
    assert ("last feed and nappy change" in text) == mk and ("marks or bruises" in text) == mk
    assert ("communication book" in text) == mk and ("medication" in text) == mk
    # holidays: Northamptonshire's agreement says photos and videos instead of a session
    assert ("videos and photos" in text) == (profile.id == "northamptonshire")
    if profile.out_of_hours_phone:
        assert profile.out_of_hours_phone in text


def test_session_records_prefilled_and_still_record_forms(tmp_path, nct):
    from pipeline.extract import extract_file

    paths = by_name(pack(tmp_path, nct))
    ex = extract_file(paths["Session record 2026-12-08.docx"])
    assert ex.form.id == "family-time-record" and ex.form.version == "2026.1"
    assert ex.fields["session.reference"] == "FT-2026-00001"
    assert ex.fields["session.child_names"] == "Test Child Example"
    assert "Sam Supervisor-Example" in ex.fields["session.supervisor"]


def test_escaping_and_missing_values(tmp_path, nct):
    values = referral_values(
        **{
            "family[1].name": "Jo & Sam <Smith>",
            "child.known_as": None,
            "iro.name": None,
            "social_worker.phone": None,
            "consent.photos": None,
            "request.duration": None,
        }
    )
    paths = by_name(pack(tmp_path, nct, item=make_item(values), room=None))
    for p in paths.values():
        assert_clean(docx_text(p))
    letter = docx_text(paths["Letter to parent 1.docx"])
    assert "Dear Jo & Sam <Smith>," in letter
    agreement = docx_text(paths["FT-2026-00001 Family Time Agreement.docx"])
    assert "Jo & Sam <Smith>" in agreement and "known as" not in agreement
    assert "Not given" in agreement


def test_files_are_private(tmp_path, nct):
    if sys.platform.startswith("win"):
        pytest.skip("permissions on Windows come from the folder's ACL")
    for p in pack(tmp_path, nct):
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0


def test_pack_is_rendered_again_identically(tmp_path, nct):
    first = {p.name: docx_text(p) for p in pack(tmp_path, nct)}
    second = {p.name: docx_text(p) for p in pack(tmp_path, nct)}
    assert first == second


def test_no_reference_is_a_clear_problem(tmp_path, nct):
    item = make_item(reference=None)
    with pytest.raises(PaperworkProblem, match="no referral reference"):
        render_pack(item, make_allocation(nct), nct, tmp_path)


def record(day, outcome, n, **kw):
    return SessionRecord(item_id=n, reference="FT-2026-00001", date=day, outcome=outcome, **kw)


def test_lac_report_counts_chart_and_events(tmp_path, profile):
    d = [dt.date(2026, 12, 1) + dt.timedelta(days=7 * i) for i in range(7)]
    sessions = [
        record(d[0], "Took place", 1),
        record(d[1], "Took place", 2, late_minutes=10),
        record(d[2], "Parent did not attend", 3, significant_event=True),
        record(d[3], "Cancelled by carer", 4),
        record(d[4], "Child unwell", 5),
        record(d[5], "Took place", 6),
        record(d[5], "Ended early", 7, replaces=6),
        record(dt.date(2026, 11, 1), "Took place", 8),
    ]  # before the period
    path = render_lac_report(
        make_item(),
        make_allocation(profile),
        profile,
        tmp_path,
        sessions,
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 15),
        today=dt.date(2027, 1, 15),  # made on the day the period ends: it has all come
    )
    # named in the service's own words for its review, never another council's (Milton
    # Keynes states no report for its own review meetings: the date is the child's review)
    meeting = {
        "northamptonshire": "Looked After Child review",
        "blackpool": "statutory review",
        "milton-keynes": "review",
    }[profile.id]
    assert path.name == f"Family time report for the {meeting} 2027-01-15.docx"
    text = docx_text(path)
    assert_clean(text)
    lines = text.splitlines()

    def count(label):
        return int(lines[lines.index(label) + 1])

    # Christmas 2026 falls on a Friday: Tuesdays 1 Dec .. 12 Jan are all open (7 sessions)
    assert count("Sessions planned") == 7
    assert count("Took place") == 2 and count("Ended early") == 1
    assert count("Parent did not attend") == 1 and count("Cancelled by carer") == 1
    assert count("Child unwell") == 1 and count("Family arrived late (session went ahead)") == 1
    assert "Tuesday 15 December 2026: see the session record." in text
    assert f"{profile.words['case_system']} ID" in text
    # Milton Keynes reviews at its own meetings (004) and names no reviewing officer
    assert (IRO in text) == (profile.id != "milton-keynes")
    assert "Friday 15 January 2027" in text
    doc = Document(str(path))
    assert doc.inline_shapes and len(doc.inline_shapes) == 1  # the chart


def test_lac_report_without_records(tmp_path, nct):
    path = render_lac_report(
        make_item(),
        make_allocation(nct),
        nct,
        tmp_path,
        [],
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 15),
        today=dt.date(2027, 1, 16),
    )
    text = docx_text(path)
    assert "No session records received for this period" in text
    assert "7 sessions were planned" in text
    assert not Document(str(path)).inline_shapes
    assert_clean(text)


def test_lac_report_period_backwards(tmp_path, nct):
    with pytest.raises(PaperworkProblem, match="ends"):
        render_lac_report(
            make_item(),
            make_allocation(nct),
            nct,
            tmp_path,
            [],
            dt.date(2027, 1, 15),
            dt.date(2026, 12, 1),
        )


SUSPENSION = RuleAction(
    reference="FT-2026-00001",
    kind="suspension",
    session_dates=[dt.date(2026, 12, 8), dt.date(2026, 12, 15)],
    suspended_from=dt.date(2026, 12, 16),
    suspended_until=dt.date(2026, 12, 22),
    court_directed=True,
)


def test_suspension_letters_and_notice(tmp_path, profile):
    if profile.missed_sessions is None:
        pytest.skip(f"{profile.id} states no missed-session rule, so it suspends nothing")
    paths = by_name(
        render_suspension_letters(
            make_item(), make_allocation(profile), profile, tmp_path, SUSPENSION, today=TODAY
        )
    )
    # the agreement to sign again only where the service's own rule re-signs it
    resigned = {agreement_name(profile, "2026-12-22")}
    assert set(paths) == {
        "Suspension letter to parent 1 2026-12-16.docx",
        "Suspension letter to parent 2 2026-12-16.docx",
        "Suspension letter to carer 2026-12-16.docx",
        "Notice to social worker suspension 2026-12-16.docx",
    } | (resigned if profile.missed_sessions.resign_agreement else set())
    letter = docx_text(paths["Suspension letter to parent 1 2026-12-16.docx"])
    assert_clean(letter)
    assert "Tuesday 8 December 2026" in letter and "Tuesday 15 December 2026" in letter
    assert "suspended from Wednesday 16 December 2026 until Tuesday 22 December 2026" in letter
    assert ("signed again" in letter) == profile.missed_sessions.resign_agreement
    # the meeting during the pause is Northamptonshire's rule (000), said by no one else
    assert ("meeting" in letter) == profile.missed_sessions.resign_agreement
    if not profile.missed_sessions.published:  # no rule of its own: who decided, not a rule
        assert (
            profile.decisions.suspend_or_cease is None
            or f"{profile.decisions.suspend_or_cease} has decided" in " ".join(letter.split())
        )
    days = profile.missed_sessions.court_directed_max_suspension_days
    flat = " ".join(letter.split())
    # the court's limit, said once: in the service's own rule where it publishes one
    if profile.missed_sessions.published:
        assert f"more than {days} days without the matter going back to court" in flat
        assert "unless the court agrees." not in flat.split("What happens next")[0]
    else:
        assert f"cannot be paused for more than {days} days unless the court agrees" in flat
    assert "Tuesday 29 December 2026" in letter  # the next session in the plan
    assert f"Copy to: {SOCIAL_WORKER}" in letter
    notice = docx_text(paths["Notice to social worker suspension 2026-12-16.docx"])
    assert_clean(notice)
    assert "family time suspended" in notice and "34(4)" not in notice


def test_not_court_directed_leaves_out_the_court_limit(tmp_path, nct):
    item = make_item(referral_values(**{"referral.court_directed": False}), flags=[])
    action = SUSPENSION.model_copy(update={"court_directed": False})
    paths = render_suspension_letters(item, make_allocation(nct), nct, tmp_path, action)
    assert all("going back to court" not in docx_text(p) for p in paths)


def test_legal_advice_notice_only(tmp_path, nct):
    action = RuleAction(
        reference="FT-2026-00001",
        kind="legal_advice",
        session_dates=[dt.date(2027, 1, 5), dt.date(2027, 1, 12)],
    )
    paths = render_suspension_letters(make_item(), make_allocation(nct), nct, tmp_path, action)
    assert [p.name for p in paths] == ["Notice to social worker legal advice 2027-01-12.docx"]
    text = docx_text(paths[0])
    assert_clean(text)
    assert "section 34(4) of the Children Act 1989" in text
    assert "Tuesday 5 January 2027" in text and "Tuesday 12 January 2027" in text


def test_resigned_agreement(tmp_path, nct):
    path = render_agreement(
        make_item(), make_allocation(nct), nct, tmp_path, resigned_after=SUSPENSION, today=TODAY
    )
    assert path.name == "FT-2026-00001 Family Time Agreement re-signed 2026-12-22.docx"
    text = docx_text(path)
    assert_clean(text)
    assert "signed again after a pause" in text
    assert "Tuesday 8 December 2026 and Tuesday 15 December 2026" in text
    assert "start again on Tuesday 29 December 2026" in text


def test_suspension_without_dates_is_a_clear_problem(tmp_path, nct):
    action = SUSPENSION.model_copy(update={"suspended_until": None})
    with pytest.raises(PaperworkProblem, match="no start or end date"):
        render_suspension_letters(make_item(), make_allocation(nct), nct, tmp_path, action)


@pytest.mark.parametrize("day", ["Tues-ish", "Sunday"])
def test_a_day_the_schedule_cannot_use_is_a_clear_problem(tmp_path, nct, day):
    with pytest.raises(PaperworkProblem, match="tracker row"):
        pack(tmp_path, nct, day=day)


def test_pdf_copies_when_asked_and_a_failed_one_does_not_stop_the_pack(tmp_path, nct, monkeypatch):
    import pipeline.render.pdf as pdf

    def fake_to_pdfs(docxs, timeout=120):
        for docx in docxs:  # LibreOffice converts the rest, then says which failed
            if "carer" not in docx.name:
                docx.with_suffix(".pdf").write_bytes(b"%PDF-1.4 test")
        raise pdf.PdfProblem("No PDF of Letter to carer.docx was made: LibreOffice took too long")

    monkeypatch.setattr(pdf, "libreoffice_available", lambda: True)
    monkeypatch.setattr(pdf, "to_pdfs", fake_to_pdfs)
    paths = render_pack(make_item(), make_allocation(nct), nct, tmp_path, pdf=True)
    names = {p.name for p in paths}
    assert "FT-2026-00001 Family Time Agreement.pdf" in names
    assert "Letter to carer.docx" in names and "Letter to carer.pdf" not in names
    monkeypatch.setattr(pdf, "libreoffice_available", lambda: False)
    paths = render_pack(make_item(), make_allocation(nct), nct, tmp_path / "b", pdf=True)
    assert all(p.suffix == ".docx" for p in paths)


def test_lac_report_before_allocation_says_not_given(tmp_path, nct):
    path = render_lac_report(
        make_item(),
        None,
        nct,
        tmp_path,
        [],
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 15),
        today=TODAY,
    )
    text = docx_text(path)
    assert_clean(text)
    said = " ".join(text.split())
    assert "No family time session had taken place by the date of this report" in said
    assert "Not given" in text


def test_a_substitute_bank_holiday_is_said_plainly_once_in_the_letters(tmp_path, nct):
    # a Monday family: Monday 28 December 2026 is the substitute day for Boxing Day
    paths = by_name(pack(tmp_path, nct, day="Monday", first_date=dt.date(2026, 12, 21)))
    letter = " ".join(docx_text(paths["Letter to parent 1.docx"]).split())
    assert (
        "Tuesday 29 December 2026 (in place of Monday 28 December 2026 (the substitute "
        "bank holiday for Boxing Day))"
    ) in letter
    assert "(Boxing Day (substitute day))" not in letter and ")))" not in letter


def test_christmas_day_session_replaced_in_the_letters(tmp_path, nct):
    # a Friday family: Christmas Day 2026 is a Friday, so that week's session moves
    paths = by_name(pack(tmp_path, nct, day="Friday", first_date=dt.date(2026, 12, 18)))
    letter = docx_text(paths["Letter to parent 1.docx"])
    assert "in place of Friday 25 December 2026 (Christmas Day)" in letter
    assert "Session record 2026-12-25.docx" not in paths


def test_lac_report_attendance_adds_up_with_a_suspension_and_sessions_booked(tmp_path, nct):
    """Every planned date to the report's day counted once (by its record, inside the
    suspension), the sessions after it a count of their own:
    the counts add up to the planned, worded singular or plural; the approved suspension is
    said: when, why, who approved it."""
    import re

    d = [dt.date(2026, 12, 1) + dt.timedelta(days=7 * i) for i in range(7)]
    recs = [record(d[0], "Took place", 1), record(d[1], "Parent did not attend", 2)]
    approved = RuleAction(
        reference="FT-2026-00001",
        kind="suspension",
        session_dates=[d[1]],
        suspended_from=dt.date(2026, 12, 14),
        suspended_until=dt.date(2026, 12, 20),
        decision="Approved",
        decided_by="Jo Manager-Example",
        decided_on=dt.date(2026, 12, 11),
    )
    path = render_lac_report(
        make_item(),
        make_allocation(nct),
        nct,
        tmp_path,
        recs,
        d[0],
        dt.date(2027, 1, 15),
        today=dt.date(2026, 12, 16),
        actions=[approved],
    )
    text = " ".join(docx_text(path).split())
    m = re.search(
        r"Of (\d+) sessions planned in this period, (\d+) took place, (\d+) was "
        r"missed because the parent did not attend and (\d+) fell while family time was "
        r"suspended and was not offered\.",
        text,
    )
    assert m, text
    planned, held, missed, suspended = map(int, m.groups())
    assert (planned, held, missed, suspended) == (3, 1, 1, 1)
    assert held + missed + suspended == planned
    # the sessions after the report's day are booked, not part of the period
    assert "4 more sessions are booked after Wednesday 16 December 2026" in text
    assert "dates fell" not in text
    assert (
        "Family time was suspended from Monday 14 December 2026 until Sunday 20 December "
        "2026, because"
    ) in text
    assert "Jo Manager-Example approved the suspension on Friday 11 December 2026" in text
