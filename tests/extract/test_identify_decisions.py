"""Which form, which version, current or old, and the reason a person reads: the decisions
behind "returned as an old form" (to the social worker) and "a newer version" (to the team)."""

from __future__ import annotations

import shutil

import pytest

from pipeline.extract import reasons
from pipeline.extract.identify import identify
from pipeline.profile import load_profile

PROFILE = load_profile("northamptonshire")
REFERRAL = "family-time-referral"
RECORD = "family-time-record"
TITLE = "Family Time Referral Form"
CURRENT = "Family Time Referral Form, version 2025.1"
OLD = "Family Time Referral Form (updated August 2022)"
BODY = (
    "Please fill in every section of this form and send it to the Family Time team.\n"
    "The team will contact you within two working days."
)


def with_lists(current, old):
    return PROFILE.model_copy(
        update={"forms": PROFILE.forms.model_copy(update={"current": current, "old": old})}
    )


def labels(n: int) -> str:
    from pipeline.catalogue import catalogue

    form = catalogue().form(REFERRAL)
    return "\n".join(
        [f.label for f in form.fields if not f.repeating and len(f.label.split()) >= 2][:n]
    )


# -- current against old: the tie-break -------------------------------------------------


def test_a_form_carrying_both_the_current_and_an_old_marker_is_current():
    m = identify(f"{TITLE}\n{BODY}\n{OLD}\n{CURRENT}", {}, set(), 0)
    assert (m.id, m.version, m.status) == (REFERRAL, "2025.1", "current")
    assert m.reason == f"Current form: version marker '{CURRENT}'"


def test_the_services_current_version_wins_the_tie_whatever_the_catalogue_says():
    revive = with_lists([f"{REFERRAL} 2022"], [f"{REFERRAL} 2025.1"])
    m = identify(f"{TITLE}\n{CURRENT}\n{OLD}", {}, set(), 0, profile=revive)
    assert (m.version, m.status) == ("2022", "current")


def test_the_title_on_the_page_decides_which_form_it_is():
    """A session record quoting the referral form's footer is a session record."""
    text = (
        f"Family Time Record\nNotes: see the {CURRENT} sent by the social worker\n"
        "Family Time Record, version 2025.1"
    )
    m = identify(text, {}, set(), 0)
    assert (m.id, m.status, m.kind) == (RECORD, "current", "session_record")


def test_an_old_form_with_its_title_is_not_taken_for_another_form_quoted_in_it():
    retired = with_lists([f"{REFERRAL} 2025.1"], [f"{RECORD} 2025.1"])
    text = (
        f"Family Time Record\nNotes: see the {CURRENT} sent by the social worker\n"
        "Family Time Record, version 2025.1"
    )
    m = identify(text, {}, set(), 0, profile=retired)
    assert (m.id, m.status) == (RECORD, "old")


def test_a_record_stating_two_current_versions_is_current():
    m = identify(
        "Family Time Record\nFamily Time Record, version 2025.1\n"
        "Family Time Record, version 2026.1",
        {},
        set(),
        0,
    )
    assert (m.id, m.status) == (RECORD, "current")


def test_a_footer_in_capitals_is_still_read():
    m = identify(f"{TITLE}\n{CURRENT.upper()}", {}, set(), 0)
    assert (m.version, m.status) == ("2025.1", "current")
    assert identify(f"{TITLE}\n{TITLE.upper()} VERSION 2027.1", {}, set(), 0).status == "unreadable"


# -- a newer version goes to the team, never back to the social worker as old -------------

NEWER = (
    "This is the Family Time Referral Form in a newer or unknown version (2027.1) that "
    "the service does not use yet."
)


def test_a_newer_version_in_the_footer_goes_to_the_team():
    m = identify(f"{TITLE}\n{BODY}\nFamily Time Referral Form version 2027.1", {}, set(), 0)
    assert (m.id, m.version, m.status, m.kind) == (REFERRAL, "2027.1", "unreadable", "referral")
    assert m.reason.startswith(NEWER)


def test_a_newer_version_in_the_properties_goes_to_the_team():
    m = identify(BODY, {"FormId": REFERRAL, "FormVersion": "2027.1"}, set(), 0)
    assert (m.id, m.version, m.status) == (REFERRAL, "2027.1", "unreadable")
    assert m.reason.startswith(NEWER)


@pytest.mark.parametrize("version", ["2019.9", "draft"])
def test_an_earlier_or_unnumbered_version_in_the_properties_is_old(version):
    m = identify(f"{TITLE}\n{BODY}", {"FormId": REFERRAL, "FormVersion": version}, set(), 0)
    assert (m.id, m.version, m.status) == (REFERRAL, None, "old")
    assert m.reason == (
        f"Old form: custom property FormVersion={version} is not a version the service knows"
    )


def test_a_form_id_without_a_version_is_read_from_the_text():
    m = identify(f"{TITLE}\n{CURRENT}", {"FormId": REFERRAL}, set(), 0)
    assert (m.version, m.status) == ("2025.1", "current")
    m = identify(f"{TITLE}\n{BODY}", {"FormId": REFERRAL}, set(), 0)
    assert m.reason == (
        f"Old form: it has the title '{TITLE}' but no current version marker "
        "(no version number in the footer)"
    )


def test_another_organisations_version_property_does_not_make_a_form():
    m = identify(BODY, {"FormVersion": "3.2"}, set(), 0)
    assert m.status == "not_referral"


# -- the reason a person reads ------------------------------------------------------------


def test_an_old_form_without_a_marker_names_its_full_title():
    m = identify(f"{TITLE}\n{BODY}\nDate of referral", {}, set(), 0)
    assert (m.id, m.version, m.status) == (REFERRAL, None, "old")
    assert m.reason == (
        f"Old form: it has the title '{TITLE}' but no current version marker "
        "(no version number in the footer)"
    )


def test_an_old_form_known_by_its_labels_says_how_many():
    m = identify(labels(6), {}, set(), 0)
    assert m.reason == (
        "Old form: it has 6 of the form's labels but no current version marker "
        "(no version number in the footer)"
    )


def test_an_old_marker_is_quoted_as_not_accepted():
    m = identify(f"{TITLE}\n{OLD}", {}, set(), 0)
    assert m.reason == (
        "Old form: the form says 'updated August 2022', which is not a version we accept now"
    )


def test_the_properties_alone_say_so():
    m = identify(BODY, {"FormId": REFERRAL, "FormVersion": "2025.1"}, set(), 0)
    assert m.reason == "Current form: custom property FormVersion=2025.1"


def test_an_empty_document_is_not_a_referral_with_no_labels():
    m = identify("", {}, set())
    assert m.status == "not_referral"
    assert m.reason == "Not a referral: no form title and only 0 of the form's labels"


def test_labels_counted_by_the_reader_make_an_old_referral():
    m = identify("", {}, set(), 7)
    assert (m.id, m.status, m.kind) == (REFERRAL, "old", "referral")


@pytest.mark.parametrize(
    "heading, is_title",
    [
        (TITLE + " - " + "x" * 29, True),  # up to 30 characters after the title
        (TITLE + " - " + "x" * 30, False),  # longer: a sentence beginning with it
    ],
)
def test_a_heading_may_carry_a_short_addition_after_the_title(heading, is_title):
    m = identify(f"{heading}\n{BODY}", {}, set(), 0)
    assert (m.status == "old") is is_title


# -- a service's own wording reaches every reason -------------------------------------------

SERVICE_WORDING = """
[identify]
current = "Live"
old = "Retired"
form = "paper"
session_record = "visit note"
what = "{noun} ({status})"
by_property = "P1 {what} {version}"
by_property_and_marker = "P2 {what} {version}"
by_marker = "M1 {what} {marker}"
old_marker = "M2 {what} {marker}"
newer_version = "N {title} {version}"
unknown_version = "U {what} {version}"
seen_title = "title {title}"
seen_labels = "{count} labels"
old_no_marker = "O {noun}: {seen}"
not_referral = "X {count}"
"""


@pytest.fixture
def service_wording(tmp_path, monkeypatch):
    root = tmp_path / "reader"
    shutil.copytree(reasons.ROOT, root)
    (root / PROFILE.id).mkdir(exist_ok=True)
    (root / PROFILE.id / reasons.FILE).write_text(SERVICE_WORDING, encoding="utf-8")
    monkeypatch.setattr(reasons, "ROOT", root)


@pytest.mark.parametrize(
    "text, props, found, reason",
    [
        (
            f"{TITLE}\n{CURRENT}",
            {"FormId": REFERRAL, "FormVersion": "2025.1"},
            0,
            "P2 paper (Live) 2025.1",
        ),
        (BODY, {"FormId": REFERRAL, "FormVersion": "2025.1"}, 0, "P1 paper (Live) 2025.1"),
        (f"{TITLE}\n{CURRENT}", {}, 0, f"M1 paper (Live) {CURRENT}"),
        (
            "Family Time Record\nFamily Time Record, version 2025.1",
            {},
            0,
            "M1 visit note (Live) Family Time Record, version 2025.1",
        ),
        (f"{TITLE}\n{OLD}", {}, 0, "M2 paper (Retired) updated August 2022"),
        (BODY, {"FormId": REFERRAL, "FormVersion": "2027.1"}, 0, f"N {TITLE} 2027.1"),
        (f"{TITLE}\nFamily Time Referral Form version 2027.1", {}, 0, f"N {TITLE} 2027.1"),
        (TITLE, {"FormId": REFERRAL, "FormVersion": "2019.9"}, 0, "U paper (Retired) 2019.9"),
        (f"{TITLE}\n{BODY}", {}, 0, f"O paper: title {TITLE}"),
        ("", {}, 0 + 7, "O paper: 7 labels"),
        (BODY, {}, 0, "X 0"),
    ],
)
def test_a_services_own_wording_reaches_every_reason(service_wording, text, props, found, reason):
    assert identify(text, props, set(), found, profile=PROFILE).reason == reason


@pytest.mark.parametrize("written", ["2025.01", "2025.1.0", " 2025.1 "])
def test_the_current_version_written_another_way_is_current(written):
    """A template saved by another tool may write the version number differently: it is still
    the current form, not returned as old and not sent to the team as a newer one."""
    m = identify(BODY, {"FormId": REFERRAL, "FormVersion": written}, set(), 0)
    assert (m.id, m.version, m.status) == (REFERRAL, "2025.1", "current")
