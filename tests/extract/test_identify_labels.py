"""Label fallback and text clean-up, shared by the Word and PDF readers."""

from __future__ import annotations

from pipeline.catalogue import catalogue
from pipeline.extract.labels import count_labels, fields_from_label_pairs, fields_from_text
from pipeline.extract.text import is_placeholder, normalise

REFERRAL = catalogue().form("family-time-referral")
CONTACT = REFERRAL.version("contact-referral")


def test_normalise() -> None:
    assert normalise("\u201cHello\u201d \u2018you\u2019") == "\"Hello\" 'you'"
    assert normalise("  a\u00a0\u2009b\t\tc \n\n d  ") == "a b c d"
    assert normalise("Zo\u00eb\u200b\u202e") == "Zoë"
    assert normalise("e\u0301") == "é"  # composed, accent kept
    assert normalise(None) == ""


def test_placeholders_are_blank() -> None:
    for s in (
        "Click or tap here to enter text.",
        "Click or tap to enter a date.",
        "Choose an item.",
        " choose an item ",
        "",
        "\u00a0",
    ):
        assert is_placeholder(s), s
    assert not is_placeholder("Choose an item later")


def test_pairs_match_labels_loosely() -> None:
    got = fields_from_label_pairs(
        [
            ("DATE OF REFERRAL:", "3/3/25"),
            ("Child's surname *", "Example"),
            ("Mosaic ID", "1234567"),
            ("Known as", "Click or tap here to enter text."),
            ("Not a label", "ignored"),
        ],
        REFERRAL,
    )
    assert got == {
        "referral.date": "3/3/25",
        "child.last_name": "Example",
        "child.case_id": "1234567",
    }


def test_version_overrides_and_family_rows() -> None:
    pairs = [
        ("Purpose of contact", "To keep the bond"),
        ("Name", "Jo"),
        ("Phone", "07700 900123"),
        ("Name", "Chris"),
        ("Phone", ""),
        ("Name", ""),
        ("Name 4", "Sam"),
    ]
    got = fields_from_label_pairs(pairs, REFERRAL, CONTACT)
    assert got == {
        "request.purpose": "To keep the bond",
        "family[1].name": "Jo",
        "family[1].phone": "07700 900123",
        "family[2].name": "Chris",
        "family[4].name": "Sam",
    }


def test_check_marks_choose_answers() -> None:
    got = fields_from_label_pairs(
        [
            ("Is the child unborn?", "☐ Yes ☒ No"),
            ("Preferred days", "☒ Monday ☐ Tuesday [x] Saturday"),
            ("Parents are aware of this referral", "☐ Yes ☐ No"),
        ],
        REFERRAL,
    )
    assert got == {"child.unborn": "No", "request.days": ["Monday", "Saturday"]}


def test_flat_text_answers_run_until_the_next_label() -> None:
    lines = [
        "Family Time Referral Form",
        "1. About this referral",
        "Date of referral 03/03/2025 Type of referral New referral",
        "Child's first name(s)",
        "Test Child",
        "Carer's address",
        "1 Fictional Row",
        "Exampleton",
        "Health, disability, medication and care needs",
        "Include allergies, medication, toileting and intimate care.",
        "2. The child",
        "Preferred days ☐ Monday ☒ Wednesday",
    ]
    got = fields_from_text(lines, REFERRAL)
    assert got == {
        "referral.date": "03/03/2025",
        "referral.type": "New referral",
        "child.first_name": "Test Child",
        "carer.address": "1 Fictional Row Exampleton",
        "request.days": ["Wednesday"],
    }


def test_count_labels() -> None:
    text = "Date of referral\nChild's surname\nGender\nA letter mentioning gender in passing"
    assert count_labels(text, REFERRAL) == 3
    assert count_labels("Dear Sir, nothing to see", REFERRAL) == 0


def test_typed_days_ranges_and_unknown_words() -> None:
    def days(text: str):
        return fields_from_label_pairs([("Preferred days", text)], REFERRAL).get("request.days")

    assert days("Monday to Wednesday") == ["Monday", "Tuesday", "Wednesday"]
    assert days("Mon-Fri") == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert days("Tuesdays and Thursdays") == ["Tuesday", "Thursday"]
    assert days("Any day that suits") == "Any day that suits"  # left for validation to query
    assert days("☐ Monday ☐ Tuesday") == []
