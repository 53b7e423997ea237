"""One reading of typed dates and times (pipeline/dates.py), the same for forms, the tracker and
the commands. No test here reads the clock: the parser never fills anything from today."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import dates
from pipeline.dates import DAYS, MONTHS, DateNotRead, TimeNotRead, parse_date, parse_time

D = dt.date(2025, 3, 4)  # a Tuesday


# ---------------------------------------------------------------- dates: what is read


@pytest.mark.parametrize(
    "text",
    [
        "04/03/2025",
        "4/3/25",
        "4.3.2025",
        "4-3-2025",
        "4 3 2025",
        "04.03.25",
        "2025-03-04",
        "2025/03/04",
        "2025-3-4",
        "20250304",
        "2025-03-04T10:00:00",
        "2025-03-04 10:00",
        "4 March 2025",
        "4th March 2025",
        "4th of March, 2025",
        "4 Mar 2025",
        "4 MARCH 2025",
        "4 Mar 25",
        "March 4th 2025",
        "Tue 4 March 2025",
        "Tuesday 4th March 2025",
        "Tues 4 March 2025",
        "Tuesday, 4 March 2025",
        " 04 / 03 / 2025 ",
        "4 March 2025.",
        "04/03/2025 10:00",
        "4\u00a0March\u00a02025",
    ],
)
def test_every_way_people_write_the_date_is_read(text):
    assert parse_date(text) == D


@pytest.mark.parametrize("value", [D, dt.datetime(2025, 3, 4, 10, 30)])
def test_date_cells_are_taken_as_they_are(value):
    """openpyxl gives a date cell as a datetime (midnight), sometimes as a date."""
    assert parse_date(value) == D


def test_two_digit_years_are_this_century_whatever_today_is():
    """dateutil's own rule (within 50 years of today) moves with the clock: 4/3/99 would be
    1999 now and 2099 in a few years. Here it is always 2099."""
    assert parse_date("4/3/25") == dt.date(2025, 3, 4)
    assert parse_date("4/3/00") == dt.date(2000, 3, 4)
    assert parse_date("4/3/99") == dt.date(2099, 3, 4)
    assert parse_date("4 Mar 25") == dt.date(2025, 3, 4)


def test_numbers_are_day_first_and_a_four_digit_year_first_is_iso():
    assert parse_date("12/01/2025") == dt.date(2025, 1, 12)
    assert parse_date("01/12/2025") == dt.date(2025, 12, 1)
    # dateutil's dayfirst alone would read 2025-04-03 as 4 March
    assert parse_date("2025-04-03") == dt.date(2025, 4, 3)
    assert parse_date("2025/04/03") == dt.date(2025, 4, 3)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 11 <= n <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


FORMATS = {  # written without strftime: %B and %A follow the machine's locale
    "dd/mm/yyyy": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "d/m/yy": lambda d: f"{d.day}/{d.month}/{d.year % 100:02d}",
    "d.m.yyyy": lambda d: f"{d.day}.{d.month}.{d.year}",
    "d-m-yyyy": lambda d: f"{d.day}-{d.month}-{d.year}",
    "iso": lambda d: d.isoformat(),
    "d Month yyyy": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    "dth Month yyyy": lambda d: f"{_ordinal(d.day)} {MONTHS[d.month - 1]} {d.year}",
    "d Mon yy": lambda d: f"{d.day} {MONTHS[d.month - 1][:3]} {d.year % 100:02d}",
    "Month dth, yyyy": lambda d: f"{MONTHS[d.month - 1]} {_ordinal(d.day)}, {d.year}",
    "Wkd d Month yyyy": lambda d: f"{DAYS[d.weekday()][:3]} {d.day} {MONTHS[d.month - 1]} {d.year}",
    "Weekday dth Month yyyy": lambda d: (
        f"{DAYS[d.weekday()]} {_ordinal(d.day)} {MONTHS[d.month - 1]} {d.year}"
    ),
    "numeric_date": dates.numeric_date,
    "long_date": dates.long_date,
    "date_in_words": dates.date_in_words,
}


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(sorted(FORMATS)),
)
def test_every_format_round_trips(d, name):
    assert parse_date(FORMATS[name](d)) == d


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_four_digit_years_round_trip_over_the_whole_range(d):
    for name in ("dd/mm/yyyy", "iso", "Weekday dth Month yyyy"):
        assert parse_date(FORMATS[name](d)) == d


# ---------------------------------------------------------------- dates: what is refused


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "unreadable"),
        ("next week", "unreadable"),
        ("today", "unreadable"),
        ("tbc", "unreadable"),
        ("n/a", "unreadable"),
        ("10:00", "unreadable"),
        ("Tuesday", "unreadable"),
        ("foo 4 March 2025", "unreadable"),
        ("4/3/2025 junk", "unreadable"),
        ("04032025", "unreadable"),
        ("4/3/5", "unreadable"),
        ("4/3/202", "unreadable"),
        # a part missing is never filled in from today
        ("2025", "incomplete"),
        ("March", "incomplete"),
        ("March 2025", "incomplete"),
        ("4 March", "incomplete"),
        ("4/3", "incomplete"),
        ("03/2025", "incomplete"),
        ("2025-03", "incomplete"),
        ("29 Feb", "incomplete"),
        ("12", "incomplete"),
        ("4th", "incomplete"),
        # no such day; the month is never guessed from the order (4/13 is not 13 April)
        ("30/02/2025", "not_real"),
        ("29/02/2027", "not_real"),
        ("31/04/2025", "not_real"),
        ("4/13/2025", "not_real"),
        ("13/13/2025", "not_real"),
        ("32/1/2025", "not_real"),
        ("4/3/0025", "not_real"),
        ("4/3/2200", "not_real"),
        ("2025-02-30", "not_real"),
        ("Mon 4 March 2025", "wrong_weekday"),
    ],
)
def test_what_is_refused_and_why(text, problem):
    with pytest.raises(DateNotRead) as caught:
        parse_date(text)
    assert caught.value.problem == problem
    assert isinstance(caught.value, ValueError) and str(caught.value).startswith(
        f"'{text.strip()}'"
    )


def test_a_wrong_weekday_says_which_day_it_is():
    with pytest.raises(DateNotRead, match="4 March 2025 is a Tuesday, not a Monday"):
        parse_date("Mon 4 March 2025")


def test_29_february_is_read_in_a_leap_year_only():
    assert parse_date("29/02/2028") == dt.date(2028, 2, 29)
    with pytest.raises(DateNotRead):
        parse_date("29/02/2026")


@given(st.integers(1900, 2099), st.integers(1, 12), st.integers(1, 40))
def test_impossible_days_are_not_real_dates(year, month, day):
    try:
        real = dt.date(year, month, day)
    except ValueError:
        real = None
    text = f"{day}/{month}/{year}"
    if real is None:
        with pytest.raises(DateNotRead) as caught:
            parse_date(text)
        assert caught.value.problem == "not_real"
    else:
        assert parse_date(text) == real


@given(st.text(max_size=40))
def test_anything_typed_is_a_date_or_a_plain_refusal(text):
    try:
        day = parse_date(text)
    except DateNotRead as exc:
        assert exc.problem in dates.DATE_PROBLEMS
    else:
        assert 1900 <= day.year <= 2099
        assert len(re.findall(r"\d+", text)) >= 2  # never a day from nothing


@given(st.sampled_from(["2025", "March", "March 2025", "4 March", "4/3", "Tuesday", "4th"]))
def test_partials_are_refused_whatever_the_default(text):
    assert dates.date_or_none(text) is None


# ---------------------------------------------------------------- the callers agree

AGREE = [
    "04/03/2025",
    "4/3/25",
    "4.3.2025",
    "2025-03-04",
    "4 March 2025",
    "4th March 2025",
    "Tue 4 March 2025",
    "4/3/99",
    "30/02/2025",
    "March 2025",
    "2025",
    "next week",
    "Mon 4 March 2025",
    "4/13/2025",
    "2025-03-04T10:00:00",
]


def _report_date(text):
    from pipeline.commands.report import _date

    try:
        return _date(text)
    except argparse.ArgumentTypeError:
        return None


@pytest.mark.parametrize("text", AGREE)
def test_the_form_the_tracker_and_the_command_read_the_same_date(text):
    from pipeline.tracker.rows import parse_date as tracker_date
    from pipeline.tracker.typed import read_date
    from pipeline.validate.values import parse_date as form_date

    expected = dates.date_or_none(text)
    assert form_date(text)[0] == expected
    assert tracker_date(text) == expected
    assert read_date(text) == expected
    assert _report_date(text) == expected


def test_report_lac_reads_4_3_25_as_2025():
    from pipeline.cli import build_parser

    args = build_parser().parse_args(
        ["report", "lac", "FT-2025-00001", "--from", "4/3/25", "--to", "4 March 2026"]
    )
    assert (args.period_from, args.period_to) == (dt.date(2025, 3, 4), dt.date(2026, 3, 4))


def test_report_lac_says_why_a_date_is_refused(capsys):
    from pipeline.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["report", "lac", "FT-2025-00001", "--from", "30/02/2025"])
    assert "'30/02/2025' is not a real date; write it as 15/01/2027" in capsys.readouterr().err


# ---------------------------------------------------------------- times


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10:00", (10, 0)),
        ("10.00", (10, 0)),
        ("10 : 00", (10, 0)),
        ("10:00:00", (10, 0)),
        ("10am", (10, 0)),
        ("10 a.m.", (10, 0)),
        ("2.30pm", (14, 30)),
        ("2:30 PM", (14, 30)),
        ("14.30", (14, 30)),
        ("1430", (14, 30)),
        ("0930", (9, 30)),
        ("930am", (9, 30)),
        ("12pm", (12, 0)),
        ("12am", (0, 0)),
        ("noon", (12, 0)),
        ("Midday", (12, 0)),
        (dt.time(9, 15), (9, 15)),
    ],
)
def test_clock_times(text, expected):
    assert parse_time(text) == dt.time(*expected)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("25:00", "not_real"),
        ("13pm", "not_real"),
        ("10:60", "not_real"),
        ("0am", "not_real"),
        ("soon", "unreadable"),
        ("10", "unreadable"),
        ("", "unreadable"),
        ("10-11", "unreadable"),
    ],
)
def test_times_refused(text, problem):
    with pytest.raises(TimeNotRead) as caught:
        parse_time(text)
    assert caught.value.problem == problem


def test_a_number_alone_is_an_hour_only_when_the_caller_says_so():
    assert parse_time("10", hour_alone=True) == dt.time(10)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("10:00-11:30", (10, 0), (11, 30)),
        ("10am - 11.30am", (10, 0), (11, 30)),
        ("10 - 11.30am", (10, 0), (11, 30)),
        ("11 - 1pm", (11, 0), (13, 0)),
        ("2 - 4pm", (14, 0), (16, 0)),
        ("10 to 11.30", (10, 0), (11, 30)),
        ("9.30 till 12", (9, 30), (12, 0)),
        ("10:00–11:30", (10, 0), (11, 30)),
        ("1000-1130", (10, 0), (11, 30)),
        ("14:00 to 15:30", (14, 0), (15, 30)),
        ("10:00to11:30", (10, 0), (11, 30)),
        ("10am", (10, 0), None),
        ("10", (10, 0), None),
    ],
)
def test_time_ranges(text, start, end):
    assert dates.parse_time_range(text) == (dt.time(*start), dt.time(*end) if end else None)


@given(st.text(max_size=20))
def test_anything_typed_is_a_time_or_a_plain_refusal(text):
    for read in (parse_time, dates.parse_time_range):
        try:
            read(text)
        except TimeNotRead as exc:
            assert exc.problem in dates.TIME_PROBLEMS


# What was accepted before the times had one parser (copied from the three readers as they
# were), so anything they read is still read the same.

_OLD_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.]\s*(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


def _old_form_time(text: str) -> dt.time | None:  # validate/values.parse_time
    s = " ".join(str(text).split()).lower().replace(" ", "")
    if s in {"noon", "midday", "12noon"}:
        return dt.time(12, 0)
    m = _OLD_TIME.match(s)
    if m and (m[2] or m[3]):
        h, mins = int(m[1]), int(m[2] or 0)
        suffix = (m[3] or "").replace(".", "")
        if suffix and not 1 <= h <= 12:
            return None
        if suffix == "pm" and h != 12:
            h += 12
        elif suffix == "am" and h == 12:
            h = 0
        return dt.time(h, mins) if h < 24 and mins < 60 else None
    return None


_OLD_DASH = re.compile(r"\s*(?:-|–|—|\bto\b|\btill\b|\buntil\b)\s*")
_OLD_SUFFIX = re.compile(r"(am|pm|a\.m\.|p\.m\.)\s*$", re.I)


def _old_clock(text: str) -> dt.time | None:
    text = text.strip()
    if re.fullmatch(r"\d{1,2}", text):
        text += ":00"
    return _old_form_time(text)


def _old_tracker_times(text: str) -> tuple[dt.time | None, dt.time | None]:  # tracker/typed
    s = " ".join(str(text or "").split())
    if not s:
        return None, None
    if m := re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?", s):
        s = f"{m[1]}:{m[2]}"
    parts = _OLD_DASH.split(s)
    if len(parts) == 1:
        start = _old_clock(parts[0])
        return (None, None) if start is None else (start, "default")
    if len(parts) != 2:
        return None, None
    a, b = parts
    end, start = _old_clock(b), _old_clock(a)
    suffix = _OLD_SUFFIX.search(b)
    if end is not None and suffix and not _OLD_SUFFIX.search(a):
        guess = _old_clock(a + suffix.group(1))
        if guess is not None and guess < end:
            start = guess
    if start is None or end is None or end <= start:
        return None, None
    return start, end


_OLD_RANGE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(?:-|–|to)\s*(\d{1,2})[:.](\d{2})\s*$")


def _old_document_times(text: str):  # render/context.parse_times
    m = _OLD_RANGE.match(text or "")
    if not m:
        return None, None
    try:
        return dt.time(int(m[1]), int(m[2])), dt.time(int(m[3]), int(m[4]))
    except ValueError:
        return None, None


_clock_text = st.builds(
    lambda h, sep, m, suffix: f"{h}{sep}{m if sep else ''}{suffix}",
    st.integers(0, 26).map(str) | st.integers(0, 9).map(lambda n: f"0{n}"),
    st.sampled_from(["", ":", ".", " : ", " ."]),
    st.integers(0, 62).map(lambda n: f"{n:02d}"),
    st.sampled_from(["", "am", "pm", " am", " PM", "a.m.", " p.m."]),
) | st.sampled_from(["noon", "midday", "12noon", "Noon"])
_range_text = st.builds(
    lambda a, dash, b: f"{a}{dash}{b}",
    _clock_text,
    st.sampled_from(["-", " - ", "–", " — ", " to ", "to", " till ", " until ", " To "]),
    _clock_text,
)


@given(_clock_text)
def test_every_time_a_form_read_before_is_read_the_same(text):
    before = _old_form_time(text)
    if before is not None:
        assert parse_time(text) == before


@given(_clock_text | _range_text)
def test_every_time_the_tracker_read_before_is_read_the_same(text):
    from pipeline.tracker.typed import read_times

    before = _old_tracker_times(text)
    if before[0] is not None:
        start, end = read_times(text, 90)
        assert start == before[0]
        if before[1] != "default":
            assert end == before[1]


@given(_range_text)
def test_every_time_range_the_documents_read_before_is_read_the_same(text):
    from pipeline.render.context import parse_times

    before = _old_document_times(text)
    if before[0] is not None:
        assert parse_times(text) == before


# ---------------------------------------------------------------- day names and formats


def test_one_list_of_day_names():
    from pipeline.commands import calendar
    from pipeline.profile import WEEKDAYS, Weekday
    from pipeline.validate import calendar as service_calendar
    from pipeline.validate import values

    assert DAYS == ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    assert tuple(WEEKDAYS) == DAYS and typing.get_args(Weekday) == DAYS
    assert calendar.WEEKDAYS is DAYS and values.DAYS is DAYS
    assert list(service_calendar.WEEKDAY_INDEX) == list(DAYS)


def test_no_other_module_spells_out_the_week():
    """A second list drifts ("Tues" in one, "Tuesday" in another). profile.Weekday spells the
    names for the type checker (checked above); extract/labels.py has its own still."""
    from pathlib import Path

    import pipeline

    root = Path(pipeline.__file__).parent
    week = re.compile(r'"Monday",\s*"Tuesday",\s*"Wednesday"')
    found = sorted(
        str(p.relative_to(root)).replace("\\", "/")
        for p in root.rglob("*.py")
        if week.search(p.read_text(encoding="utf-8"))
    )
    assert found == ["dates.py", "extract/labels.py", "profile.py"]


def test_formatters_say_what_they_produce():
    assert dates.numeric_date(D) == "04/03/2025"
    assert dates.numeric_datetime(dt.datetime(2025, 3, 4, 14, 5)) == "04/03/2025 14:05"
    assert dates.long_date(D) == "Tuesday 4 March 2025"
    assert dates.date_in_words(D) == "4 March 2025"
    assert dates.clock_time(dt.time(9, 5)) == "09:05"
    assert dates.times_text(dt.time(10), dt.time(11, 30)) == "10:00-11:30"


def test_the_old_formatter_names_are_left_only_where_they_could_not_be_changed_yet():
    """dates.short_date was "04/03/2025" while render/context.short_date was "4 March 2025".
    The old names stay in dates.py, but nothing uses them any more (intake/process.py and the
    tracker effect were renamed after that change); a new use of them fails here."""
    from pathlib import Path

    import pipeline

    root = Path(pipeline.__file__).parent
    old = re.compile(r"\b(short_date|short_datetime|day_month_year)\b")
    found = sorted(
        str(p.relative_to(root)).replace("\\", "/")
        for p in root.rglob("*.py")
        if p.name != "dates.py" and old.search(p.read_text(encoding="utf-8"))
    )
    assert found == []


@pytest.mark.parametrize(
    "typed",
    [
        "4 March 2025",
        "4th March 2025",
        "04/03/2025",
        "4/3/25",
        "Tue 4 March 2025",
        dt.datetime(2025, 3, 4),
    ],
)
def test_a_commitment_date_typed_in_the_tracker_is_read_every_way(typed):
    """Meeting on, Next review and commitment columns: "4 March 2025" was "not a date"."""
    from pipeline.tracker.met import check_met

    checked = check_met(
        {"contact": typed},
        {"contact": "Contact made on"},
        received=dt.date(2025, 3, 1),
        today=dt.date(2025, 3, 10),
    )
    assert checked.dates == {"contact": D} and not checked.problems


def test_a_tracker_date_that_is_not_a_date_is_still_said_back():
    from pipeline.tracker.met import check_met

    checked = check_met(
        {"contact": "March 2025"},
        {"contact": "Contact made on"},
        received=dt.date(2025, 3, 1),
        today=dt.date(2025, 3, 10),
    )
    assert checked.dates == {} and "March 2025" in checked.problems[0]
