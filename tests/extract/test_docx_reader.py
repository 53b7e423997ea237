"""The Word reader on small documents built here: every kind of control, wherever it sits."""

from __future__ import annotations

from pathlib import Path

from pipeline.extract import extract_file
from pipeline.extract.docx import read_docx
from pipeline.profile import load_profile

from tests.helpers.docx_kit import (
    CURRENT_FOOTER,
    NS,
    DocBuilder,
    cell,
    checkbox,
    dropdown,
    label_table,
    legacy_checkbox,
    legacy_text,
    para,
    row,
    run,
    sdt_block,
    sdt_inline,
    table,
    text_cell,
)

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def current_form() -> DocBuilder:
    return (
        DocBuilder()
        .heading("Family Time Referral Form")
        .footer(CURRENT_FOOTER)
        .properties(FormId="family-time-referral", FormVersion="2025.1")
    )


def day_boxes(ticked: set[str]) -> str:
    return para(*(checkbox(f"request.days:{d}", d in ticked, d) for d in DAYS))


def test_controls_at_every_level_are_read(tmp_path: Path) -> None:
    row_level = (
        f"<w:sdt {NS}><w:sdtPr><w:tag w:val='family-row-1'/></w:sdtPr><w:sdtContent>"
        + row(text_cell("Name"), cell(para(sdt_inline("family[1].name", "Jo Sample-Parent"))))
        + "</w:sdtContent></w:sdt>"
    )
    doc = (
        current_form()
        .xml(sdt_block("referral.date", "03/03/2025"))  # body
        .xml(para(run("Child's surname: "), sdt_inline("child.last_name", "Example")))  # inline
        .xml(
            table(
                row(
                    text_cell("Child's first name(s)"),
                    cell(sdt_block("child.first_name", "Test Child")),
                )
            )
        )  # cell
        .xml(table(row_level))  # row
        .xml(
            sdt_block(
                "group.outer",
                "",
                inner=para(  # nested
                    sdt_inline("carer.name", "Pat Placeholder-Carer")
                ),
            )
        )
    )
    got = read_docx(doc.save(tmp_path / "f.docx"))
    assert got.form.status == "current"
    assert got.fields["referral.date"] == "03/03/2025"
    assert got.fields["child.last_name"] == "Example"
    assert got.fields["child.first_name"] == "Test Child"
    assert got.fields["family[1].name"] == "Jo Sample-Parent"
    assert got.fields["carer.name"] == "Pat Placeholder-Carer"
    assert "group.outer" not in got.fields


def test_placeholders_and_blanks_are_left_out(tmp_path: Path) -> None:
    doc = (
        current_form()
        .xml(sdt_block("child.known_as", "Click or tap here to enter text.", placeholder=True))
        .xml(sdt_block("child.school", "Type the school here", placeholder=True))
        .xml(sdt_block("child.dob", "Click or tap to enter a date."))
        .xml(para(dropdown("child.gender", "Choose an item.", ["Female", "Male"])))
        .xml(sdt_block("child.ethnicity", "   "))
    )
    fields = read_docx(doc.save(tmp_path / "f.docx")).fields
    for key in ("child.known_as", "child.school", "child.dob", "child.gender", "child.ethnicity"):
        assert key not in fields
    assert "" not in fields.values()


def test_check_boxes_drop_downs_and_days(tmp_path: Path) -> None:
    doc = (
        current_form()
        .xml(para(checkbox("consent.parents_aware", True)))
        .xml(para(checkbox("consent.photos", False)))
        .xml(para(dropdown("child.gender", "Female", ["Female", "Male", "Other"])))
        .xml(day_boxes({"Saturday", "Tuesday"}))
    )
    fields = read_docx(doc.save(tmp_path / "f.docx")).fields
    assert fields["consent.parents_aware"] == "yes"
    assert fields["consent.photos"] == "no"
    assert fields["child.gender"] == "Female"
    assert fields["request.days"] == ["Tuesday", "Saturday"]


def test_day_boxes_none_ticked_is_an_empty_list(tmp_path: Path) -> None:
    with_boxes = read_docx(current_form().xml(day_boxes(set())).save(tmp_path / "a.docx"))
    assert with_boxes.fields["request.days"] == []
    without = read_docx(
        current_form().xml(sdt_block("referral.date", "1/3/25")).save(tmp_path / "b.docx")
    )
    assert "request.days" not in without.fields


def test_text_is_cleaned_but_accents_kept(tmp_path: Path) -> None:
    doc = (
        current_form()
        .xml(sdt_block("child.first_name", "\u200bZo\u00eb\u00a0 Ann"))
        .xml(sdt_block("child.last_name", "O\u2019Brien\u2011\u0106osi\u0107"))
        .xml(sdt_block("carer.address", "1 Fictional Row\nExampleton\t "))
    )
    fields = read_docx(doc.save(tmp_path / "f.docx")).fields
    assert fields["child.first_name"] == "Zoë Ann"
    assert fields["child.last_name"] == "O'Brien-Ćosić"
    assert fields["carer.address"] == "1 Fictional Row Exampleton"


def test_typed_over_control_is_found_by_its_label(tmp_path: Path) -> None:
    doc = current_form().xml(
        table(
            row(text_cell("Child's surname"), cell(sdt_block("child.last_name", "Example"))),
            row(text_cell("Carer's postcode\nFor example NN1 1AA"), text_cell("NN99 9ZZ")),
            row(text_cell("Social worker's email:"), text_cell("sam@example.gov.uk")),
        )
    )
    fields = read_docx(doc.save(tmp_path / "f.docx")).fields
    assert fields["child.last_name"] == "Example"
    assert fields["carer.postcode"] == "NN99 9ZZ"
    assert fields["social_worker.email"] == "sam@example.gov.uk"


def test_untagged_control_is_keyed_by_its_title(tmp_path: Path) -> None:
    doc = current_form().xml(sdt_block(None, "Mother", alias="Carer's name(s)"))
    assert read_docx(doc.save(tmp_path / "f.docx")).fields["carer.name"] == "Mother"


def test_legacy_form_fields(tmp_path: Path) -> None:
    doc = (
        DocBuilder()
        .heading("Contact Referral Form")
        .xml(para(legacy_text("referral_date", "3rd March 2025")))
        .xml(
            table(
                row(text_cell("Child's surname"), cell(para(legacy_text("Text7", "Example")))),
                row(
                    text_cell("Is the child unborn?"),
                    cell(para(legacy_checkbox("Check1", True), run(" Yes"))),
                ),
                row(
                    text_cell("Parents are aware of this referral"),
                    cell(para(legacy_checkbox("Check2", None, default=False), run(" Yes"))),
                ),
            )
        )
        .xml(para(legacy_text("request_parent_trave", "Bus pass")))
    )
    got = read_docx(doc.save(tmp_path / "f.docx"))
    assert (got.form.id, got.form.version, got.form.status) == (
        "family-time-referral",
        "contact-referral",
        "old",
    )
    assert got.fields["referral.date"] == "3rd March 2025"
    assert got.fields["child.last_name"] == "Example"
    assert got.fields["child.unborn"] == "yes"
    assert got.fields["consent.parents_aware"] == "no"
    assert got.fields["request.parent_travel"] == "Bus pass"  # name cut to 20 characters


def test_old_label_table_form_with_family_table(tmp_path: Path) -> None:
    doc = (
        DocBuilder()
        .heading("Family Time Referral Form")
        .footer("Family Time Referral Form (updated August 2022)")
        .xml(
            label_table(
                [
                    ("Date of referral", "03/03/2022"),
                    ("Child's surname*", "Example"),
                    ("Preferred days", "Tuesdays and Thursdays"),
                    ("Is the child unborn?", "No"),
                ]
            )
        )
        .xml(
            table(
                row(text_cell("Name"), text_cell("Relationship to child"), text_cell("Phone")),
                row(text_cell("Jo Sample-Parent"), text_cell("Mother"), text_cell("07700 900123")),
                row(text_cell("Chris Sample-Parent"), text_cell("Father"), text_cell("")),
            )
        )
    )
    got = read_docx(doc.save(tmp_path / "f.docx"))
    assert (got.form.version, got.form.status) == ("2022", "old")
    assert got.fields["child.last_name"] == "Example"
    assert got.fields["request.days"] == ["Tuesday", "Thursday"]
    assert got.fields["child.unborn"] == "No"
    assert got.fields["family[2].relationship"] == "Father"
    assert "family[2].phone" not in got.fields


def test_very_long_answer_is_trimmed_not_refused(tmp_path: Path) -> None:
    doc = current_form().xml(sdt_block("child.needs", "asthma " * 10_000))
    fields = read_docx(doc.save(tmp_path / "f.docx")).fields
    assert 0 < len(fields["child.needs"]) <= 20_000


def test_identity_from_properties_footer_title_and_profile(tmp_path: Path) -> None:
    props_only = DocBuilder().properties(FormId="family-time-referral", FormVersion="2025.1")
    got = extract_file(props_only.save(tmp_path / "p.docx"))
    assert (got.form.status, got.form.version) == ("current", "2025.1")
    assert "FormVersion=2025.1" in got.form.reason

    footer_only = DocBuilder().heading("Family Time Referral Form").footer(CURRENT_FOOTER)
    got = extract_file(footer_only.save(tmp_path / "f.docx"))
    assert (got.form.status, got.form.version) == ("current", "2025.1")

    title_only = DocBuilder().heading("Family Time Referral Form").text("Date of referral")
    got = extract_file(title_only.save(tmp_path / "t.docx"))
    assert (got.form.status, got.form.version) == ("old", None)
    assert "no current version marker" in got.form.reason

    profile = load_profile("northamptonshire")
    retired = profile.model_copy(
        update={
            "forms": profile.forms.model_copy(
                update={"current": [], "old": ["family-time-referral 2025.1"]}
            )
        }
    )
    got = extract_file(footer_only.save(tmp_path / "f2.docx"), profile=retired)
    assert (got.form.status, got.form.version) == ("old", "2025.1")


def test_letter_is_not_a_referral_and_gives_no_answers(tmp_path: Path) -> None:
    doc = (
        DocBuilder()
        .text("Dear Social Worker,")
        .text("The court has listed a hearing.")
        .text("Name: Jo Sample-Parent")
        .text("Yours sincerely")
    )
    got = extract_file(doc.save(tmp_path / "letter.docx"))
    assert got.form.status == "not_referral"
    assert got.form.reason.startswith("Not a referral")
    assert got.fields == {}


def test_session_record_is_its_own_kind(tmp_path: Path) -> None:
    doc = (
        DocBuilder()
        .heading("Family Time Record")
        .footer("Family Time Record, version 2025.1")
        .xml(para(dropdown("session.outcome", "Took place", ["Took place", "Child unwell"])))
        .xml(para(checkbox("session.significant_event", False)))
    )
    got = extract_file(doc.save(tmp_path / "record.docx"))
    assert (got.form.id, got.form.kind, got.form.status) == (
        "family-time-record",
        "session_record",
        "current",
    )
    assert got.fields == {"session.outcome": "Took place", "session.significant_event": "no"}


def test_tick_symbols_on_an_old_form(tmp_path: Path) -> None:
    def sym(code: str) -> str:
        return f'<w:r {NS}><w:sym w:font="Wingdings" w:char="{code}"/></w:r>'

    doc = (
        DocBuilder()
        .heading("Family Time Referral Form")
        .footer("Family Time Referral Form (updated August 2022)")
        .xml(
            table(
                row(
                    text_cell("Preferred days"),
                    cell(para(sym("F0A8"), run(" Monday "), sym("F0FE"), run(" Friday"))),
                ),
                row(
                    text_cell("Is the child unborn?"),
                    cell(para(sym("F0FE"), run(" Yes "), sym("F0A8"), run(" No"))),
                ),
            )
        )
    )
    fields = read_docx(doc.save(tmp_path / "f.docx")).fields
    assert fields["request.days"] == ["Friday"]
    assert fields["child.unborn"] == "Yes"
