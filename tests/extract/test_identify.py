"""Form identification: versions, markers, titles and labels decide, from data only."""

from __future__ import annotations

from pipeline.catalogue import catalogue
from pipeline.extract.identify import identify
from pipeline.profile import load_profile

CURRENT_FOOTER = "Family Time Referral Form, version 2025.1 (updated March 2025)"
PROPS = {"FormId": "family-time-referral", "FormVersion": "2025.1"}


def referral_labels(n: int) -> str:
    form = catalogue().form("family-time-referral")
    singles = [f.label for f in form.fields if not f.repeating and len(f.label.split()) >= 2]
    return "\n".join(singles[:n])


def test_properties_and_footer_make_a_current_form() -> None:
    m = identify("Family Time Referral Form\n" + CURRENT_FOOTER, PROPS, set(), 0)
    assert (m.id, m.version, m.status, m.kind) == (
        "family-time-referral",
        "2025.1",
        "current",
        "referral",
    )
    assert m.reason == "Current form: custom property FormVersion=2025.1 and footer marker"


def test_properties_alone_are_enough() -> None:
    m = identify("", PROPS, set(), 0)
    assert (m.version, m.status) == ("2025.1", "current")


def test_unknown_property_version_falls_back_to_the_text() -> None:
    m = identify(
        "Family Time Referral Form\nFamily Time Referral Form (updated August 2022)",
        {"FormId": "family-time-referral", "FormVersion": "1999"},
        set(),
        0,
    )
    assert (m.version, m.status) == ("2022", "old")


def test_old_footer_names_the_old_version() -> None:
    m = identify(
        "Family Time Referral Form\n"
        + referral_labels(8)
        + "\nFamily Time Referral Form (updated August 2022)",
        {},
        set(),
        0,
    )
    assert (m.version, m.status) == ("2022", "old")
    assert m.reason.startswith("Old form:") and "updated August 2022" in m.reason


def test_contact_referral_title_is_an_old_version() -> None:
    m = identify("Contact Referral Form\nDate of referral", {}, set(), 0)
    assert (m.id, m.version, m.status) == ("family-time-referral", "contact-referral", "old")


def test_title_without_marker_is_old_with_no_version() -> None:
    m = identify("Family Time Referral Form\nDate of referral", {}, set(), 0)
    assert (m.id, m.version, m.status) == ("family-time-referral", None, "old")


def test_enough_labels_without_title_is_old() -> None:
    assert identify(referral_labels(6), {}, set(), 0).status == "old"
    m = identify(referral_labels(2), {}, set(), 0)
    assert m.status == "not_referral"
    assert m.reason == "Not a referral: no form title and only 2 of the form's labels"


def test_title_inside_a_sentence_is_not_a_form() -> None:
    text = (
        "Dear colleague,\nPlease complete the Family Time Referral Form and send it to us "
        "with the signed agreement.\nThank you"
    )
    assert identify(text, {}, set(), 0).status == "not_referral"


def test_tags_of_known_fields_count_as_labels() -> None:
    keys = {
        "child.first_name",
        "child.last_name",
        "carer.name",
        "carer.phone",
        "referral.date",
        "request.days",
    }
    assert identify("", {}, keys, 0).status == "old"


def test_labels_counted_by_the_caller_are_used() -> None:
    assert identify("nothing here", {}, set(), 7).status == "old"


def test_session_record_current_and_kind() -> None:
    m = identify("Family Time Record\nFamily Time Record, version 2025.1", {}, set(), 0)
    assert (m.id, m.status, m.kind) == ("family-time-record", "current", "session_record")
    assert m.reason.startswith("Current session record")


def test_profile_lists_override_the_catalogue() -> None:
    base = load_profile("northamptonshire")
    retire = base.model_copy(
        update={
            "forms": base.forms.model_copy(
                update={
                    "current": ["family-time-referral 2026.1"],
                    "old": ["family-time-referral 2025.1"],
                }
            )
        }
    )
    m = identify(CURRENT_FOOTER, PROPS, set(), 0, profile=retire)
    assert (m.version, m.status) == ("2025.1", "old")
    revive = base.model_copy(
        update={
            "forms": base.forms.model_copy(
                update={"current": ["family-time-referral 2022"], "old": []}
            )
        }
    )
    m = identify("Family Time Referral Form (updated August 2022)", {}, set(), 0, profile=revive)
    assert (m.version, m.status) == ("2022", "current")


def test_unknown_version_in_properties_is_old_and_says_so() -> None:
    m = identify(
        "Family Time Referral Form",
        {"FormId": "family-time-referral", "FormVersion": "2019.9"},
        set(),
        0,
    )
    assert (m.id, m.version, m.status) == ("family-time-referral", None, "old")
    assert "FormVersion=2019.9" in m.reason
