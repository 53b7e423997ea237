"""Parsers: the text a person typed into a form becomes a typed value, or a plain-English problem.

Each parser returns (value, None) or (None, message). Messages leave out the label: the rules
module puts the form's own label in front, so "Date of birth: ... is not a real date.".
Dates and times are read by pipeline/dates.py, the one reading shared with the tracker and the
commands (day first, as people in England write them).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pipeline import dates, words
from pipeline.dates import DAYS
from pipeline.validate.messages import say

Result = tuple[Any, str | None]


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text)).split())


_DATE_MESSAGES = {
    "unreadable": "date_unreadable",
    "not_real": "date_not_real",
    "incomplete": "date_incomplete",
    "wrong_weekday": "date_wrong_weekday",
}


def parse_date(text: str) -> Result:
    """A date as pipeline.dates reads every typed date (day first; the rules are there), with
    the form's words for one that cannot be read."""
    try:
        return dates.parse_date(_clean(text)), None
    except dates.DateNotRead as exc:
        return None, say("values", _DATE_MESSAGES[exc.problem], text=exc.text, why=str(exc))


def parse_time(text: str) -> Result:
    """A clock time as pipeline.dates reads every typed time (10:00, 10am, 2.30pm, 14.30,
    1430, noon); a number alone is refused here: on a form it may be a length of time."""
    try:
        return dates.parse_time(text), None
    except dates.TimeNotRead as exc:
        return None, say("values", f"time_{exc.problem}", text=exc.text)


_HOURS = r"(?:hours?|hrs?|h)"
_MINS = r"(?:minutes?|mins?|m)"
_NUM = r"(\d+(?:\.\d+)?|\d+\s*½|½)"


def _num(s: str) -> float:
    s = s.replace(" ", "")
    if "½" in s:
        return float(s.replace("½", "") or 0) + 0.5
    return float(s)


def parse_duration(text: str) -> Result:
    """Session lengths in minutes: 1.5 hours, 90 mins, 1 hr 30, 1h30, 1 hour 30 minutes,
    one hour."""
    raw = _clean(text)
    s = raw.lower().replace(",", " ")
    for word, n in (("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6)):
        s = re.sub(rf"\b{word}\b", str(n), s)
    s = re.sub(r"^(an?|half an?)\s+(?=hour)", lambda m: "0.5 " if "half" in m[0] else "1 ", s)
    s = re.sub(r"(\d)\s+and\s+a\s+half", r"\1.5", s)
    s = re.sub(r"\s+and\s+", " ", s)
    s = " ".join(s.split())
    patterns = [
        (
            rf"^{_NUM}\s*{_HOURS}\.?\s*(\d{{1,2}})\s*(?:{_MINS})?\.?$",
            lambda m: _num(m[1]) * 60 + int(m[2]),
        ),
        (rf"^{_NUM}\s*{_HOURS}\.?$", lambda m: _num(m[1]) * 60),
        (rf"^{_NUM}\s*{_MINS}\.?$", lambda m: _num(m[1])),
        (r"^(\d{1,2}):(\d{2})$", lambda m: int(m[1]) * 60 + int(m[2])),
    ]
    for pattern, minutes in patterns:
        if m := re.match(pattern, s):
            value = minutes(m)
            if value != int(value):
                break
            return int(value), None
    return None, say("values", "duration_unreadable", text=raw)


def format_duration(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    if not h:
        return f"{m} minutes"
    hours = f"{h} hour{'s' if h != 1 else ''}"
    return f"{hours} {m} minutes" if m else hours


def parse_phone(text: str) -> Result:
    """UK landline or mobile, +44 or 0, spaces, dashes and brackets tolerated; normalised."""
    raw = _clean(text)
    s = re.sub(r"(?i)\s*(ext\.?|extension|x)\s*\d+$", "", raw)
    s = re.sub(r"[\s\-().]", "", s.replace("(0)", ""))
    if s.startswith("+44"):
        s = "0" + s[3:]
    elif s.startswith("0044"):
        s = "0" + s[4:]
    elif s.startswith("44") and len(s) == 12:
        s = "0" + s[2:]
    if not re.fullmatch(r"0\d{9,10}", s) or s[1] in "0":
        return None, say("values", "phone", text=raw)
    if s.startswith("07"):
        return f"{s[:5]} {s[5:]}", None
    if s.startswith("02"):
        return f"{s[:3]} {s[3:7]} {s[7:]}", None
    if s.startswith(("03", "08", "09")):
        return f"{s[:4]} {s[4:7]} {s[7:]}", None
    return f"{s[:5]} {s[5:]}", None


_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")


def parse_postcode(text: str) -> Result:
    """UK postcodes, upper case with one space (nn3 0aa -> NN3 0AA)."""
    raw = _clean(text)
    m = _POSTCODE.match(raw.upper().replace(" ", ""))
    if not m:
        return None, say("values", "postcode", text=raw)
    return f"{m[1]} {m[2]}", None


_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def parse_email(text: str) -> Result:
    """One plain address. Anything that could smuggle a mail header is refused, not repaired."""
    raw = str(text)
    s = raw.strip()
    control = any(unicodedata.category(c).startswith("C") for c in s)
    if control or any(c in s for c in ' ,;<>"\n\r\t'):
        shown = _clean(raw)[:80]
        return None, say("values", "email_not_single", text=shown)
    if not _EMAIL.match(s) or ".." in s or s.startswith(".") or ".@" in s:
        return None, say("values", "email", text=s)
    local, domain = s.rsplit("@", 1)
    return f"{local}@{domain.lower()}", None


_YES = {"yes", "y", "true", "checked", "ticked", "☒", "☑", "✓", "✔", "x", "1", "on"}
_NO = {"no", "n", "false", "unchecked", "☐", "0", "off"}


def parse_yesno(text: str) -> Result:
    """Yes / no answers, including check boxes (☒ / ☐)."""
    raw = _clean(text)
    s = raw.lower().strip(" .!")
    if s in _YES:
        return True, None
    if s in _NO:
        return False, None
    return None, say("values", "yesno", text=raw)


def _squash(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", _clean(s).lower().replace("&", "and"))


def choice_variants() -> dict[str, str]:
    """Obvious other ways of writing a choice (S20, ICO, weekly ...), from
    form_templates/validate/choice_variants.toml."""
    return words.load("validate/choice_variants.toml")


def parse_choice(text: str, choices: list[str]) -> Result:
    """One of the form's choices, tolerant of case, spacing, punctuation and common variants."""
    raw = _clean(text)
    key = _squash(raw)
    by_key = {_squash(c): c for c in choices}
    if key in by_key:
        return by_key[key], None
    variant = choice_variants().get(key)
    if variant in choices:
        return variant, None
    # a unique choice that starts with the answer ("Section 20" -> "Section 20 (accommodated)")
    starts = [c for k, c in by_key.items() if key and k.startswith(key) and len(key) >= 4]
    if len(starts) == 1:
        return starts[0], None
    return None, say("values", "choice", text=raw, choices="; ".join(choices))


_DAY_RANGE = re.compile(r"^([a-z]+)\s*(?:-|–|to|until)\s*([a-z]+)$")


def parse_days(value: str | list[str]) -> Result:
    """Day names from check boxes (a list) or text ("Mon, Wed", "Tuesdays and Thursdays")."""
    if isinstance(value, str) and (m := _DAY_RANGE.match(_clean(value).lower())):
        first, _ = parse_days(m[1])
        last, _ = parse_days(m[2])
        if first and last and len(first) == len(last) == 1:
            a, b = DAYS.index(first[0]), DAYS.index(last[0])
            if a <= b:
                return list(DAYS[a : b + 1]), None
    items = value if isinstance(value, list) else re.split(r"[,;/&+\n]|\band\b|\s+", str(value))
    days: list[str] = []
    bad: list[str] = []
    for item in items:
        word = _clean(item).lower().strip(" .")
        if not word:
            continue
        if word in {"weekdays", "weekday"}:
            days.extend(DAYS[:5])
            continue
        stem = word[:-1] if word.endswith("s") and len(word) > 4 else word
        match = None
        if len(stem) >= 2:
            match = next(
                (
                    d
                    for d in DAYS
                    if d.lower().startswith(stem)
                    or (
                        stem in {"weds", "thur", "thurs", "tues"} and d.lower().startswith(stem[:3])
                    )
                ),
                None,
            )
        if match is None:
            bad.append(_clean(item))
        elif match not in days:
            days.append(match)
    if bad:
        return None, say("values", "days", text=", ".join(bad))
    return [d for d in DAYS if d in days], None


def parse_digits(text: str) -> Result:
    """Case numbers: digits only, after spaces are taken out."""
    raw = _clean(text)
    s = raw.replace(" ", "")
    if s.isdigit() and s.isascii():
        return s, None
    return None, say("values", "digits", text=raw)


def parse_text(text: str, allow: list[str] | None = None) -> Result:
    """Free text: anything said is an answer; the catalogue's `allow` list is normalised."""
    raw = _clean(text)
    for a in allow or []:
        if _squash(a) == _squash(raw):
            return a, None
    return raw, None


def is_blank(value: Any) -> bool:
    """A blank answer (nothing, spaces, an empty list, a placeholder) is never complete."""
    if value is None:
        return True
    if isinstance(value, list):
        return not any(_clean(v) for v in value)
    s = _clean(value).lower()
    return s in {
        "",
        "-",
        "--",
        "n/a.",
        "click or tap here to enter text.",
        "click or tap to enter a date.",
        "choose an item.",
        "tbc",
        "?",
    }


def parse(
    field_type: str,
    value: str | list[str],
    choices: list[str] | None = None,
    allow: list[str] | None = None,
) -> Result:
    """Dispatch on the catalogue's field type."""
    if field_type == "days":
        return parse_days(value)
    if isinstance(value, list):
        value = ", ".join(value)
    if field_type == "text":
        return parse_text(value, allow)
    if allow:
        for a in allow:
            if _squash(a) == _squash(value):
                return a, None
    funcs = {
        "date": parse_date,
        "time": parse_time,
        "duration": parse_duration,
        "phone": parse_phone,
        "postcode": parse_postcode,
        "email": parse_email,
        "yesno": parse_yesno,
        "digits": parse_digits,
    }
    if field_type == "choice":
        return parse_choice(value, choices or [])
    return funcs[field_type](value)
