"""What each tracker cell says, worked out from the ledger's items (pipeline.tracker.rows,
no workbook): the words, dates and summaries a co-ordinator reads in each sheet."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import Item, Problem, Verdict
from pipeline.tracker.columns import load_spec
from pipeline.tracker.rows import EXCEL_MAX_TEXT, desired_rows, row_sources

from tests.helpers.tracker_kit import accepted, attention, returned

SPEC = load_spec()
REF = "FT-2026-00001"


def rows(*items):
    return desired_rows(list(items), SPEC)


def referral_row(item):
    return rows(item)["Referrals"][item.reference]


def record(n=9, reference=REF, flags=(), **values) -> Item:
    base = {"session.date": dt.date(2026, 11, 19), "session.outcome": "Took place"}
    base.update(values)
    return Item(
        id=n,
        file_sha256=f"{n:064x}",
        original_name="record.docx",
        received_at=dt.datetime(2026, 11, 20, 16),
        outcome="session_record",
        reason="Session record",
        reference=reference,
        verdict=Verdict(verdict="complete", kind="session_record", values=base, flags=list(flags)),
    )


def session_row(item):
    [row] = rows(item)["Sessions"].values()
    return row


# -- how answers are written ------------------------------------------------------------


def test_answers_are_written_as_a_person_would_write_them():
    item = accepted(
        1,
        **{
            "request.days": ["Tuesday", "", None, "Thursday"],
            "request.frequency": "  Once   a\tweek ",
            "request.venue": "  Penfold Centre\nRoom 2  ",
            "referral.type": True,
            "legal.status": False,
            "request.supervision": dt.time(9, 5),
        },
    )
    row = referral_row(item)
    assert row["days"] == "Tuesday, Thursday"
    assert row["frequency"] == "Once a week"
    assert row["preferred_venue"] == "Penfold Centre\nRoom 2"  # its lines kept
    assert (row["referral_type"], row["legal_status"]) == ("Yes", "No")
    assert row["supervision"] == "09:05"


def test_a_date_given_where_text_is_expected_is_written_the_uk_way():
    item = accepted(
        1,
        **{
            "request.frequency": dt.date(2026, 11, 2),
            "request.days": [dt.date(2026, 11, 3), dt.datetime(2026, 11, 5, 9)],
        },
    )
    row = referral_row(item)
    assert row["frequency"] == "02/11/2026" and row["days"] == "03/11/2026, 05/11/2026"


@pytest.mark.parametrize(
    "written",
    [
        "04/05/2019",
        "2019-05-04",
        "2019-5-4",
        "04/05/19",
        "04-05-2019",
        "04.05.2019",
        " 04/05/2019 ",
        "2019-05-04T10:30",
    ],
)
def test_a_date_of_birth_written_any_usual_way_is_a_date(written):
    assert referral_row(accepted(1, **{"child.dob": written}))["dob"] == dt.date(2019, 5, 4)


def test_a_date_that_cannot_be_read_is_kept_as_the_words_written():
    assert referral_row(accepted(1, **{"child.dob": "due in spring"}))["dob"] == "due in spring"
    assert referral_row(accepted(1, **{"child.dob": 2019}))["dob"] == "2019"


def test_received_is_the_day_not_the_time():
    item = accepted(1, received=dt.datetime(2026, 11, 2, 23, 59))
    assert referral_row(item)["received"] == dt.date(2026, 11, 2)


def test_text_longer_than_excel_allows_is_cut_to_fit():
    item = accepted(1, **{"request.venue": "x" * (EXCEL_MAX_TEXT + 10)})
    assert len(referral_row(item)["preferred_venue"]) == EXCEL_MAX_TEXT


# -- the Referrals sheet's summaries ------------------------------------------------------


def test_the_check_column_says_accepted_and_every_flag():
    item = accepted(1)
    item.verdict.flags[:] = ["court_directed", "updated_referral", "out_of_county"]
    assert referral_row(item)["verdict"] == "Accepted; court directed, out of county"


def test_an_updated_referral_says_when_it_arrived():
    first = accepted(1, reference=REF)
    later = accepted(2, reference=REF, received=dt.datetime(2026, 11, 20, 9))
    row = rows(first, later)["Referrals"][REF]
    assert row["verdict"] == "Accepted; updated referral received 20/11/2026"


def test_every_warning_is_listed():
    item = accepted(1)
    item.verdict.warnings.append(
        Problem(key="x", label="X", message="Second warning", severity="warning")
    )
    assert referral_row(item)["warnings"] == (
        "The Family Time Agreement was not attached; Second warning"
    )


def test_interpreters_needed_are_named():
    item = accepted(1, **{"family[1].name": "Jo Parent", "family[1].interpreter": "Polish"})
    assert referral_row(item)["interpreter"] == "Jo Parent: Polish"


def test_a_person_column_with_nothing_new_is_left_alone_and_a_seed_is_set_once():
    row = referral_row(accepted(1, **{"review.next_date": "12/01/2027"}))
    assert row["seed:next_review"] == dt.date(2027, 1, 12)
    assert "next_review" not in row and "status" not in row and "notes" not in row
    assert "seed:next_review" not in referral_row(accepted(1))


def test_extra_text_reaches_its_referral_only():
    item, other = accepted(1), accepted(2)
    out = desired_rows([item, other], SPEC, {"paperwork": {item.reference: "Pack sent"}})
    assert out["Referrals"][item.reference]["paperwork"] == "Pack sent"
    assert "paperwork" not in out["Referrals"][other.reference]


# -- the Returned sheet ------------------------------------------------------------------


def test_a_returned_form_says_why_and_what_was_asked_for():
    old = returned(2, "FT-2026-00009", outcome="old_form")
    row = rows(old)["Returned"]["FT-2026-00009"]
    assert row["why"] == "Old version of the form"
    assert row["asked_for"] == "This is an old version of the form: please use the current one"
    inc = returned(3, "FT-2026-00010")
    inc.verdict.problems.append(Problem(key="x", label="X", message="Case ID is missing"))
    row = rows(inc)["Returned"]["FT-2026-00010"]
    assert row["why"] == "Information missing"
    assert row["asked_for"] == (
        "Date of birth is missing: give the child's date of birth; Case ID is missing"
    )


def test_the_returned_row_names_the_child_by_initials_only():
    item = returned(2, "FT-2026-00009")
    item.verdict.values.update({"child.first_name": " amy", "child.last_name": "smith-jones"})
    assert rows(item)["Returned"]["FT-2026-00009"]["initials"] == "AS-J"  # as in mail


def test_resubmissions_are_listed_oldest_first_in_words():
    first = returned(2, REF)
    again = returned(3, REF, received=dt.datetime(2026, 11, 4, 9))
    other = returned(4, REF, outcome="unreadable", received=dt.datetime(2026, 11, 5, 9))
    done = accepted(5, reference=REF, received=dt.datetime(2026, 11, 6, 9))
    row = rows(done, other, again, first)["Returned"][REF]
    assert row["received"] == dt.date(2026, 11, 2)  # the first submission's day
    assert row["resubmission"] == (
        "Re-submitted on 04/11/2026: still incomplete; "
        "Re-submitted on 05/11/2026: unreadable; "
        "Re-submitted on 06/11/2026: complete"
    )


# -- the Sessions sheet ------------------------------------------------------------------


def test_a_session_row_is_keyed_by_referral_and_session_date():
    out = rows(record(reference=None, **{"session.reference": " ft-2026- 00001 "}))
    [key] = out["Sessions"]
    assert key == "FT-2026-00001 19/11/2026"
    assert out["Sessions"][key]["reference"] == "FT-2026-00001"


def test_a_record_without_a_date_or_referral_gets_its_own_row():
    out = rows(record(9, reference=None, **{"session.date": "no idea"}))
    assert list(out["Sessions"]) == ["Item 9"]
    assert out["Sessions"]["Item 9"]["reference"] == ""
    out = rows(record(9, **{"session.date": "no idea"}))
    assert list(out["Sessions"]) == ["Item 9"]


@pytest.mark.parametrize(
    "arrival, lateness",
    [
        ("On time", "On time"),
        ("20 minutes late", "20 minutes late"),
        ("", ""),
        ("Arrived at 10:20", "20 minutes late"),
        ("Arrived at 9:55", "On time"),
    ],
)
def test_lateness_is_said_in_words(arrival, lateness):
    row = session_row(
        record(**{"session.arrival": arrival, "session.planned_start": dt.time(10, 0)})
    )
    assert row["lateness"] == lateness


def test_a_record_written_late_says_so():
    assert session_row(record(flags=["late_recording"]))["late_recording"] == "Written late"
    assert session_row(record())["late_recording"] == ""


@pytest.mark.parametrize(
    "outcome, valid, shown",
    [
        ("Took place", True, ""),
        ("took place", False, ""),
        ("Parent did not attend", False, "No"),
        ("Parent did not attend", True, "Yes"),
    ],
)
def test_a_valid_reason_is_shown_only_for_a_session_that_did_not_take_place(outcome, valid, shown):
    row = session_row(record(**{"session.outcome": outcome, "session.valid_reason": valid}))
    assert row["valid_reason"] == shown


def test_a_session_row_gives_the_childs_initials_from_the_names_on_the_record():
    row = session_row(record(**{"session.child_names": "amy, ben smith, carl"}))
    assert row["initials"] == "A, BS, C"  # each child on the record
    assert session_row(record(**{"session.child_names": "amy,ben"}))["initials"] == "A, B"
    blank_first = returned(2, "FT-2026-00009")
    blank_first.verdict.values.update({"child.first_name": "  ", "child.last_name": "Smith"})
    assert rows(blank_first)["Returned"]["FT-2026-00009"]["initials"] == "S"
    assert session_row(record())["initials"] == ""


# -- which row and which workbook ---------------------------------------------------------


def test_a_referral_keeps_one_row_across_the_new_year():
    first = returned(2, REF, received=dt.datetime(2026, 12, 30, 9))
    done = accepted(3, reference=REF, received=dt.datetime(2027, 1, 4, 9))
    out = rows(done, first)
    assert list(out["Referrals"]) == [REF]


def test_the_latest_submission_is_the_one_shown():
    first = returned(2, REF)
    again = returned(3, REF, outcome="old_form", received=dt.datetime(2026, 11, 4, 9))
    assert rows(again, first)["Returned"][REF]["why"] == "Old version of the form"


def test_a_file_needing_attention_has_a_row_of_its_own():
    out = row_sources([attention(3), attention(4)], SPEC)
    assert sorted(out["Attention"]) == ["Item 3", "Item 4"]


# -- blanks never overwrite, and a blank answer falls back -------------------------------


def test_a_blank_answer_falls_back_to_what_the_ledger_knows():
    item = accepted(1, **{"child.case_id": ""}).model_copy(update={"case_id": "100001"})
    assert referral_row(item)["case_id"] == "100001"  # the item's own case id


def test_blank_text_never_fills_a_persons_cell():
    assert "seed:next_review" not in referral_row(accepted(1, **{"review.next_date": ""}))
    item = accepted(1)
    out = desired_rows([item], SPEC, {"status": {item.reference: ""}})
    assert "status" not in out["Referrals"][item.reference]
    out = desired_rows([item], SPEC, {"status": {item.reference: "On hold"}})
    assert out["Referrals"][item.reference]["status"] == "On hold"


def test_submissions_with_and_without_a_time_zone_are_put_in_order():
    first = returned(2, REF, received=dt.datetime(2026, 11, 2, 9, 0))
    later = returned(
        3,
        REF,
        outcome="old_form",
        received=dt.datetime(2026, 11, 2, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    )  # 09:30 UTC
    row = rows(later, first)["Returned"][REF]
    assert row["why"] == "Old version of the form"
    assert row["resubmission"] == "Re-submitted on 02/11/2026: old form again"


def test_a_tracker_layout_naming_an_unknown_source_says_which():
    sheet = SPEC.sheet("Attention")
    bad = sheet.model_copy(
        update={"columns": [sheet.columns[0].model_copy(update={"from_": ["bogus.thing"]})]}
    )
    spec = SPEC.model_copy(update={"sheets": [bad]})
    with pytest.raises(ValueError, match="unknown source 'bogus.thing'"):
        desired_rows([attention(3)], spec)


def test_the_iro_the_referral_names_starts_the_iro_cell():
    row = referral_row(accepted(1, **{"iro.name": "Iris Reviewer-Example"}))
    assert row["seed:iro_name"] == "Iris Reviewer-Example"
    assert "iro_name" not in row


def test_an_update_keeps_the_due_dates_of_the_complete_referral():
    """Sent again with changed answers a week later: the row shows the update's answers, but
    the service's promises still count from the complete referral (every view agrees)."""
    first = accepted(1, reference=REF, received=dt.datetime(2026, 11, 2, 9))
    update = accepted(
        2, reference=REF, received=dt.datetime(2026, 11, 9, 9), **{"request.frequency": "Weekly"}
    )
    row = rows(first, update)["Referrals"][REF]
    assert row["allocation_due"] == dt.date(2026, 11, 16)  # 02/11 + the kit's 14 days
    assert row["contact_due"] == dt.date(2026, 11, 4)
