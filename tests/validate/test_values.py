"""Parsers: what people actually type becomes the right value, or a message they can act on."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.validate import values as V

D = dt.date(2025, 3, 3)


@pytest.mark.parametrize(
    "text",
    [
        "03/03/2025",
        "3/3/25",
        "3.3.25",
        "3-3-2025",
        "3rd March 2025",
        "3 Mar 2025",
        "March 3rd 2025",
        "2025-03-03",
        " 03 / 03 / 2025 ",
        "Monday 3rd March 2025",
        "3 March, 2025",
        "03.03.2025",
        "3rd of March 2025",
    ],
)
def test_every_date_format_the_spec_lists(text):
    assert V.parse_date(text) == (D, None)


@pytest.mark.parametrize(
    "text, expected",
    [
        # two-digit years are this century everywhere (pipeline/dates.py): 98 is 2098, which the
        # rules then question (a birth or a session in the future), never a silent 1998
        ("14/06/98", dt.date(2098, 6, 14)),
        ("14/06/16", dt.date(2016, 6, 14)),
        ("2025/03/03", D),
        ("2025-03-03T10:00:00", D),
    ],
)
def test_two_digit_years_and_year_first(text, expected):
    assert V.parse_date(text) == (expected, None)


def test_numeric_dates_are_day_first():
    assert V.parse_date("04/03/2025")[0] == dt.date(2025, 3, 4)
    assert V.parse_date("12/01/2025")[0] == dt.date(2025, 1, 12)


@pytest.mark.parametrize(
    "text, message",
    [
        ("31/02/2019", "'31/02/2019' is not a real date."),
        ("13/13/2025", "'13/13/2025' is not a real date."),
        ("next week", "'next week' could not be read as a date; please write it as 03/03/2025."),
        (
            "03/2025",
            "'03/2025' is not a whole date; please give the day, month and year, as 03/03/2025.",
        ),
        (
            "Monday 4 March 2025",
            "'Monday 4 March 2025' does not add up: 4 March 2025 is a "
            "Tuesday, not a Monday; please check which date is meant.",
        ),
    ],
)
def test_bad_dates_say_what_is_wrong(text, message):
    assert V.parse_date(text) == (None, message)


FORMATS = [
    "%d/%m/%Y",
    "%-d/%-m/%y",
    "%-d.%-m.%y",
    "%-d-%-m-%Y",
    "{ord} %B %Y",
    "%-d %b %Y",
    "%B {ord} %Y",
    "%Y-%m-%d",
    "%A %-d %B %Y",
]


def _fmt(d: dt.date, f: str) -> str:
    suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    f = (
        f.replace("{ord}", f"{d.day}{suffix}")
        .replace("%-d", str(d.day))
        .replace("%-m", str(d.month))
    )
    return d.strftime(f)


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2068, 12, 31)),
    st.sampled_from(FORMATS),
)
def test_dates_round_trip_in_every_supported_format(d, f):
    assert V.parse_date(_fmt(d, f)) == (d, None)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10:00", dt.time(10)),
        ("10am", dt.time(10)),
        ("2.30pm", dt.time(14, 30)),
        ("14.30", dt.time(14, 30)),
        ("12pm", dt.time(12)),
        ("12am", dt.time(0)),
        ("9:15 am", dt.time(9, 15)),
        ("noon", dt.time(12)),
    ],
)
def test_times(text, expected):
    assert V.parse_time(text) == (expected, None)


@pytest.mark.parametrize("text", ["25:00", "13pm", "soon", "10"])
def test_bad_times(text):
    value, message = V.parse_time(text)
    assert value is None and f"'{text}'" in message


@pytest.mark.parametrize(
    "text, minutes",
    [
        ("1.5 hours", 90),
        ("90 mins", 90),
        ("90 minutes", 90),
        ("1 hr 30", 90),
        ("1h30", 90),
        ("2 hours", 120),
        ("1 hour 30 minutes", 90),
        ("one hour", 60),
        ("1 and a half hours", 90),
        ("half an hour", 30),
        ("45 min", 45),
        ("2hrs", 120),
        ("1:30", 90),
        ("6 hours", 360),
    ],
)
def test_durations_in_minutes(text, minutes):
    assert V.parse_duration(text) == (minutes, None)


@pytest.mark.parametrize("text", ["a while", "2", "1.33 hours", "hours"])
def test_bad_durations_suggest_a_format(text):
    value, message = V.parse_duration(text)
    assert value is None and '"1.5 hours" or "90 minutes"' in message


@given(st.integers(min_value=1, max_value=12 * 60))
def test_durations_round_trip(minutes):
    h, m = divmod(minutes, 60)
    texts = [f"{minutes} minutes", f"{minutes} mins", V.format_duration(minutes)]
    if h:
        texts += [f"{h}h{m:02d}", f"{h} hr {m}" if m else f"{h} hours"]
    for text in texts:
        assert V.parse_duration(text) == (minutes, None), text


@pytest.mark.parametrize(
    "text, normal",
    [
        ("01604 123456", "01604 123456"),
        ("+44 1604 123456", "01604 123456"),
        ("(01604) 123 456", "01604 123456"),
        ("07700900123", "07700 900123"),
        ("+44 (0)7700 900123", "07700 900123"),
        ("020 7946 0000", "020 7946 0000"),
        ("0044 20 7946 0000", "020 7946 0000"),
        ("0300-123-4567", "0300 123 4567"),
    ],
)
def test_uk_phone_numbers_normalised(text, normal):
    assert V.parse_phone(text) == (normal, None)


@pytest.mark.parametrize("text", ["12345", "+33 1 23 45 67 89", "call the office", "0000 000000"])
def test_bad_phone_numbers(text):
    value, message = V.parse_phone(text)
    assert value is None and "UK phone number" in message


@pytest.mark.parametrize(
    "text, normal",
    [
        ("nn3 0aa", "NN3 0AA"),
        ("NN30AA", "NN3 0AA"),
        ("  sw1a   1aa ", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("EC1A 1BB", "EC1A 1BB"),
    ],
)
def test_postcodes_normalised(text, normal):
    assert V.parse_postcode(text) == (normal, None)


@pytest.mark.parametrize("text", ["NN3", "12345", "Northampton"])
def test_bad_postcodes(text):
    assert V.parse_postcode(text)[0] is None


@pytest.mark.parametrize(
    "text, normal",
    [
        ("alex@example.org", "alex@example.org"),
        (" Alex.Worker@Example.GOV.UK ", "Alex.Worker@example.gov.uk"),
    ],
)
def test_emails(text, normal):
    assert V.parse_email(text) == (normal, None)


@pytest.mark.parametrize(
    "text",
    [
        "alex@example.org\nBcc: everyone@example.org",
        "alex@example.org\r\nSubject: hi",
        "alex@example.org, pat@example.org",
        "Alex Worker <alex@example.org>",
        "alex @example.org",
        "alex@example.org\x00",
        "alex",
        "alex@",
        "@example.org",
        "alex@@example.org",
        "alex@example",
        "alex;pat@example.org",
    ],
)
def test_header_injection_and_bad_emails_are_problems(text):
    value, message = V.parse_email(text)
    assert value is None
    assert "\n" not in message and "\r" not in message


@pytest.mark.parametrize(
    "text, value",
    [
        ("Yes", True),
        ("y", True),
        ("TRUE", True),
        ("checked", True),
        ("☒", True),
        ("No", False),
        ("n", False),
        ("false", False),
        ("☐", False),
    ],
)
def test_yes_no(text, value):
    assert V.parse_yesno(text) == (value, None)


def test_yes_no_other_answer():
    assert V.parse_yesno("maybe") == (None, "'maybe' should be Yes or No.")


LEGAL = [
    "Interim Care Order",
    "Care Order",
    "Section 20 (accommodated)",
    "Placement Order",
    "Special Guardianship Order",
    "Child Protection Plan",
    "Pre-proceedings (PLO)",
    "Other",
]


@pytest.mark.parametrize(
    "text, choice, choices",
    [
        ("section 20", "Section 20 (accommodated)", LEGAL),
        ("S20", "Section 20 (accommodated)", LEGAL),
        ("ICO", "Interim Care Order", LEGAL),
        ("interim care order", "Interim Care Order", LEGAL),
        ("care order", "Care Order", LEGAL),
        ("SGO", "Special Guardianship Order", LEGAL),
        ("PLO", "Pre-proceedings (PLO)", LEGAL),
        ("weekly", "Once a week", ["Once a week", "Fortnightly"]),
        ("fortnight", "Fortnightly", ["Once a week", "Fortnightly"]),
        ("supervised contact", "Supervised", ["Supervised", "Supported"]),
        ("  SUPPORTED. ", "Supported", ["Supervised", "Supported"]),
    ],
)
def test_choices_tolerate_variants(text, choice, choices):
    assert V.parse_choice(text, choices) == (choice, None)


def test_unknown_choice_lists_the_choices():
    value, message = V.parse_choice("Residence order", ["Care Order", "Other"])
    assert value is None and "Care Order; Other" in message


DAYS5 = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@pytest.mark.parametrize(
    "value, days",
    [
        (["Tuesday", "Thursday"], ["Tuesday", "Thursday"]),
        ("Mon, Wed", ["Monday", "Wednesday"]),
        ("Tuesdays and Thursdays", ["Tuesday", "Thursday"]),
        ("tues/thurs", ["Tuesday", "Thursday"]),
        ("Sat", ["Saturday"]),
        (["Friday", "Monday"], ["Monday", "Friday"]),
        ("Mon-Fri", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
        ("Tuesday to Thursday", ["Tuesday", "Wednesday", "Thursday"]),
        ("weekdays", DAYS5),
    ],
)
def test_days(value, days):
    assert V.parse_days(value) == (days, None)


def test_days_not_days():
    assert V.parse_days("Funday")[0] is None


@pytest.mark.parametrize(
    "text, ok", [("1234567", True), (" 123 4567 ", True), ("CF1234567", False), ("12-34", False)]
)
def test_digits(text, ok):
    assert (V.parse_digits(text)[1] is None) == ok


@pytest.mark.parametrize(
    "raw", [None, "", "   ", [], ["", " "], "Click or tap here to enter text."]
)
def test_blank_is_never_an_answer(raw):
    assert V.is_blank(raw)


def test_allowed_answers_are_normalised():
    assert V.parse_text("none known.", ["None known", "None"]) == ("None known", None)
    assert V.parse("date", "Not known", allow=["Not known"]) == ("Not known", None)
