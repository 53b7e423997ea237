"""The service's rules, each a small named function over typed answers.

Three kinds: `required` (the catalogue's M / C / O with its `when` conditions), single-field
named rules (the catalogue's `rule = "..."`), and cross-field rules from the referral spec
(section 1.3) and the session record rules (section 2). Every finding names the form's label
and says, in plain English, what is wrong and what would be right.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.catalogue import FieldSpec, FormSpec
from pipeline.dates import add_months, long_date
from pipeline.profile import Profile
from pipeline.validate import values as V
from pipeline.validate.calendar import ServiceCalendar
from pipeline.validate.messages import has, say


@dataclass
class Finding:
    """One rule's result: an error, a warning, or just a flag for the team."""

    key: str | None
    message: str = ""
    severity: str = "error"  # "error" | "warning" | "flag"
    flag: str | None = None


@dataclass
class Context:
    """Everything a rule may look at."""

    form: FormSpec
    profile: Profile
    received: dt.datetime
    values: dict[str, Any]  # typed, valid answers only
    raw: dict[str, Any] = field(default_factory=dict)
    agreement_attached: bool = False
    read_on: dt.date | None = None  # the day the pipeline read it (its clock)

    def label(self, key: str) -> str:
        spec = self.form.field(key)
        return spec.display_label(**self.profile.words) if spec else key

    def say(self, key: str, message: str) -> str:
        return f"{self.label(key)}: {message}"

    @property
    def today(self) -> dt.date:
        return self.received.date()

    @property
    def latest_possible(self) -> dt.date:
        """The last day a date on the form can be without being "in the future": the day the
        pipeline read it. An email's Date header (the sender's clock, or a forward's inner date)
        may be earlier than a form genuinely dated since, so it is not the yardstick."""
        return max(self.today, self.read_on or self.today)


def age_on(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


# ---------------------------------------------------------------- conditions ("when")


def condition_holds(when: str | None, values: dict[str, Any]) -> bool:
    """The catalogue's tiny condition language, evaluated on typed answers."""
    if not when or when == "never":
        return False
    if m := re.fullmatch(r"(\S+) is filled", when):
        return m[1] in values
    if m := re.fullmatch(r"(\S+) includes (.+)", when):
        return m[2].strip() in (values.get(m[1]) or [])
    if m := re.fullmatch(r"(\S+) is one of (.+)", when):
        options = [o.strip() for o in m[2].split("|")]
        return _as_text(values.get(m[1])) in options
    if m := re.fullmatch(r"(\S+) is (.+)", when):
        return _as_text(values.get(m[1])) == m[2].strip()
    raise ValueError(f"catalogue condition not understood: {when!r}")


def _as_text(v: Any) -> str | None:
    if isinstance(v, bool):
        return "Yes" if v else "No"
    return v if isinstance(v, str) else None


def because(ctx: Context, spec: FieldSpec) -> str:
    """Why a conditional answer is needed: the field's own words, else the condition's."""
    if has("because", spec.key):
        return say("because", spec.key)
    when = spec.when or ""
    if m := re.fullmatch(r"family\[(\d+)\]\.name is filled", when):
        return say("because", "row_filled", row=m[1])
    if m := re.fullmatch(r"(\S+) is filled", when):
        return say("because", "filled", label=ctx.label(m[1]))
    if m := re.fullmatch(r"(\S+) (?:is one of|is|includes) .+", when):
        value = _as_text(ctx.values.get(m[1]))
        if value:
            return say("because", "answer", label=ctx.label(m[1]), value=value)
    return say("because", "other")


def required(ctx: Context, spec: FieldSpec) -> Finding | None:
    """M: always needed. C: needed when its condition holds. A blank answer is never complete."""
    if not V.is_blank(ctx.raw.get(spec.key)):
        return None
    if spec.key == "request.days":
        return Finding(spec.key, ctx.say(spec.key, say("required", "no_day")))
    if spec.required == "M":
        message = (
            say("required", "mandatory_allow", allow=spec.allow[0])
            if spec.allow
            else say("required", "mandatory")
        )
        return Finding(spec.key, ctx.say(spec.key, message))
    if spec.required == "C" and condition_holds(spec.when, ctx.values):
        return Finding(
            spec.key, ctx.say(spec.key, say("required", "conditional", because=because(ctx, spec)))
        )
    return None


# ---------------------------------------------------------------- named single-field rules


def not_future(ctx: Context, key: str, v: dt.date) -> Finding | None:
    if v > ctx.latest_possible:
        return Finding(key, ctx.say(key, say("rules", "not_future", date=long_date(v))))
    return None


def child_under_18(ctx: Context, key: str, v: dt.date) -> Finding | None:
    on = ctx.values.get("referral.date", ctx.today)
    if v > ctx.latest_possible:
        return Finding(key, ctx.say(key, say("rules", "dob_future", date=long_date(v))))
    if age_on(v, on) >= 18:
        return Finding(key, ctx.say(key, say("rules", "over_18", age=age_on(v, on))))
    return None


def duration_30m_to_6h(ctx: Context, key: str, v: int) -> Finding | None:
    if not 30 <= v <= 360:
        return Finding(key, ctx.say(key, say("rules", "duration", duration=V.format_duration(v))))
    return None


def _not_before(
    ctx: Context, key: str, v: dt.date, earlier_key: str, message: str, placeholder: str
) -> Finding | None:
    """A date that may not come before another answer's date (when that one is given)."""
    earlier = ctx.values.get(earlier_key)
    if earlier and v < earlier:
        return Finding(
            key,
            ctx.say(
                key, say("rules", message, date=long_date(v), **{placeholder: long_date(earlier)})
            ),
        )
    return None


def not_before_referral_date(ctx: Context, key: str, v: dt.date) -> Finding | None:
    return _not_before(ctx, key, v, "referral.date", "before_referral", "referral")


def must_be_yes(ctx: Context, key: str, v: bool) -> Finding | None:
    if v is False:
        return Finding(key, ctx.say(key, say("rules", "must_be_yes")))
    return None


def yes_or_agreement_attached(ctx: Context, key: str, v: bool) -> Finding | None:
    if v is False and not ctx.agreement_attached:
        return Finding(key, ctx.say(key, say("rules", "agreement")))
    return None


REFERENCE = re.compile(r"^FT-\d{4}-\d{5}$")


def reference_format(ctx: Context, key: str, v: str) -> Finding | None:
    if not REFERENCE.match(v.strip().upper()):
        return Finding(key, ctx.say(key, say("rules", "reference", value=v)))
    return None


def not_before_session_date(ctx: Context, key: str, v: dt.date) -> Finding | None:
    return _not_before(ctx, key, v, "session.date", "before_session", "session")


NAMED_RULES: dict[str, Callable[[Context, str, Any], Finding | None]] = {
    "not_future": not_future,
    "child_under_18": child_under_18,
    "duration_30m_to_6h": duration_30m_to_6h,
    "not_before_referral_date": not_before_referral_date,
    "must_be_yes": must_be_yes,
    "yes_or_agreement_attached": yes_or_agreement_attached,
    "reference_format": reference_format,
    "not_before_session_date": not_before_session_date,
}


# ---------------------------------------------------------------- referral cross-field rules

CONCLUDED = {"Care Order", "Placement Order", "Special Guardianship Order"}
OTHER_LA = "On behalf of another local authority"


def out_of_county(ctx: Context) -> list[Finding]:
    v = ctx.values
    if v.get("referral.type") == "Out of county" or v.get("placement.out_of_county") is True:
        key = (
            "referral.type"
            if v.get("referral.type") == "Out of county"
            else "placement.out_of_county"
        )
        return [
            Finding(key, ctx.say(key, say("rules", "out_of_county")), "warning", "out_of_county")
        ]
    return []


def other_local_authority(ctx: Context) -> list[Finding]:
    v = ctx.values
    if v.get("referral.type") != OTHER_LA:
        return []
    status = v.get("legal.status")
    rules = ctx.profile.referrals
    if status == "Section 20 (accommodated)" and rules.other_la_refuses_section_20:
        message = say("rules", "other_la_section_20", coordinator=ctx.profile.coordinator_role)
        return [Finding("legal.status", ctx.say("legal.status", message))]
    out = [Finding(None, severity="flag", flag="charge_other_la")]
    if status not in CONCLUDED and rules.other_la_proceedings_concluded:
        out.append(
            Finding(
                "referral.type",
                ctx.say("referral.type", say("rules", "other_la_open")),
                "warning",
                "other_la",
            )
        )
    return out


_LIMIT = re.compile(r"(\d+)\s*(week|month)s?", re.I)
_OF_THE_PLAN = re.compile(r"\bof the plan\b", re.I)


def time_limited(ctx: Context) -> list[Finding]:
    """Family time a service limits in time (its profile's [limits], in its own words: "up to
    3 months", "the first 2 weeks of the plan"); nothing where the service states no limit."""
    v = ctx.values
    # Which status and level are time-limited is in messages.toml: "time_limited.<status>.<level>",
    # and which profile limit applies, [time_limits].
    level = f"{v.get('legal.status')}.{v.get('request.supervision')}"
    name = f"time_limited.{level}"
    limit_key = say("time_limits", level) if has("time_limits", level) else None
    limit = getattr(ctx.profile.limits, limit_key, None) if limit_key else None
    m = _LIMIT.search(limit or "")
    if not has("rules", name) or m is None:
        return []
    n, unit = int(m.group(1)), m.group(2).lower()
    if _OF_THE_PLAN.search(limit):
        # counted from the plan's start, which the form does not give: the plan began on or
        # before the referral, so the limit ends by this date at the latest
        start = v.get("referral.date") or ctx.today
        entry = "time_limited_plan"
    else:
        start = v.get("request.start_date") or v.get("referral.date") or ctx.today
        entry = "time_limited"
    end = add_months(start, n) if unit == "month" else start + dt.timedelta(weeks=n)
    message = say("rules", entry, what=say("rules", name), limit=limit, end=long_date(end))
    return [
        Finding(
            "request.supervision",
            ctx.say("request.supervision", message),
            "warning",
            f"time_limited:{end.isoformat()}",
        )
    ]


def court_directed(ctx: Context) -> list[Finding]:
    if ctx.values.get("referral.court_directed") is True:
        return [Finding(None, severity="flag", flag="court_directed")]
    return []


_RANGE = re.compile(
    r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*(?:-|–|to|until|till)\s*"
    r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?"
)
_ONE = re.compile(r"(\d{1,2})(?:[:.](\d{2}))\s*(am|pm)?|(\d{1,2})\s*(am|pm)")


def _hour(h: str, m: str | None, suffix: str | None) -> dt.time | None:
    hh = int(h)
    if suffix == "pm" and hh < 12:
        hh += 12
    elif suffix is None and 1 <= hh <= 7:
        hh += 12  # "3-5" on a family time form is afternoon, not the small hours
    mm = int(m or 0)
    return dt.time(hh, mm) if hh < 24 and mm < 60 else None


def earliest_time(text: str) -> dt.time | None:
    """The earliest clock time a free-text 'preferred times' answer mentions, if any."""
    s = text.lower()
    times: list[dt.time] = []
    for m in _RANGE.finditer(s):
        first_suffix = m[3] or (m[6] if m[6] == "pm" and int(m[1]) <= int(m[4]) else m[3])
        for t in (_hour(m[1], m[2], first_suffix), _hour(m[4], m[5], m[6])):
            if t:
                times.append(t)
    if not times:
        for m in _ONE.finditer(s):
            t = _hour(m[1], m[2], m[3]) if m[1] else _hour(m[4], None, m[5])
            if t:
                times.append(t)
    if not times and "after school" in s:
        return dt.time(15, 15)
    return min(times) if times else None


def preschool_after_3pm(ctx: Context) -> list[Finding]:
    v = ctx.values
    if not ctx.profile.referrals.preschool_before_3pm:
        return []  # the service keeps no slots for school-age children
    dob, times = v.get("child.dob"), v.get("request.times")
    on = v.get("request.start_date") or ctx.today
    if dob is None or not times or age_on(dob, on) >= 4:
        return []
    t = earliest_time(times)
    if t and t > dt.time(15, 0):
        return [
            Finding(
                "request.times", ctx.say("request.times", say("rules", "preschool_late")), "warning"
            )
        ]
    return []


def unborn_notice(ctx: Context) -> list[Finding]:
    v = ctx.values
    edd, days = v.get("child.edd"), ctx.profile.timescales.unborn_notice_days
    if v.get("child.unborn") is not True or edd is None or days is None:
        return []  # no notice period stated: nothing to compare with
    if (edd - ctx.today).days < days:
        message = say("rules", "unborn_notice", days=(edd - ctx.today).days, notice=days)
        return [Finding("child.edd", ctx.say("child.edd", message), "warning")]
    return []


def days_offered(ctx: Context) -> list[Finding]:
    days = ctx.values.get("request.days") or []
    out = []
    offered = ctx.profile.hours.session_days
    if "Sunday" in days and "Sunday" not in offered:
        out.append(Finding("request.days", ctx.say("request.days", say("rules", "sunday"))))
    other = [d for d in days if d != "Sunday" and d not in offered]
    if other:
        message = say(
            "rules",
            "day_not_offered",
            days=", ".join(other),
            offered=", ".join(ctx.profile.hours.session_days),
        )
        out.append(Finding("request.days", ctx.say("request.days", message)))
    return out


def within_opening_hours(ctx: Context) -> list[Finding]:
    """A time asked for outside the hours the service states for a day it is asked for
    (Milton Keynes: Saturday 9:30am to 4:30pm); nothing for a day whose hours are not stated."""
    v = ctx.values
    t = earliest_time(v.get("request.times") or "")
    if t is None:
        return []
    outside = [
        (day, hours)
        for day in v.get("request.days") or []
        if (hours := ctx.profile.hours.opening.get(day)) is not None
        and not hours.opens <= t < hours.closes
    ]
    if not outside:
        return []
    day, hours = outside[0]
    message = say(
        "rules",
        "outside_opening",
        time=_clock(t),
        day=day,
        opens=_clock(hours.opens),
        closes=_clock(hours.closes),
    )
    return [Finding("request.times", ctx.say("request.times", message), "warning")]


def _clock(t: dt.time) -> str:
    """ "9:30am", "4:30pm", "2pm": as the services write their hours."""
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    return f"{hour}:{t.minute:02d}{suffix}" if t.minute else f"{hour}{suffix}"


REFERRAL_RULES = [
    out_of_county,
    other_local_authority,
    time_limited,
    court_directed,
    preschool_after_3pm,
    unborn_notice,
    days_offered,
    within_opening_hours,
]


# ---------------------------------------------------------------- session record rules


def times_in_order(ctx: Context) -> list[Finding]:
    v = ctx.values
    out = []
    for start, end in (
        ("session.planned_start", "session.planned_end"),
        ("session.actual_start", "session.actual_end"),
    ):
        if v.get(start) and v.get(end) and v[end] <= v[start]:
            message = say(
                "rules",
                "times_order",
                end=f"{v[end]:%H:%M}",
                start_label=ctx.label(start).lower(),
                start=f"{v[start]:%H:%M}",
            )
            out.append(Finding(end, ctx.say(end, message)))
    return out


def recording_deadline(profile: Profile, session_day: dt.date) -> dt.date:
    """The last day a record of a session counts as on time (the stricter profile setting)."""
    rec = profile.recording
    limits = []
    if rec.deadline_hours is not None:
        limits.append(session_day + dt.timedelta(days=-(-rec.deadline_hours // 24)))
    if rec.deadline_working_days is not None:
        limits.append(
            ServiceCalendar(profile).add_working_days(session_day, rec.deadline_working_days)
        )
    return min(limits) if limits else dt.date.max


def late_recording(ctx: Context) -> list[Finding]:
    v = ctx.values
    session, written = v.get("session.date"), v.get("session.written_on")
    if not session or not written:
        return []
    due = recording_deadline(ctx.profile, session)
    if written > due:
        message = say(
            "rules",
            "late_recording",
            written=long_date(written),
            due=long_date(due),
            session=long_date(session),
        )
        return [
            Finding(
                "session.written_on",
                ctx.say("session.written_on", message),
                "warning",
                "late_recording",
            )
        ]
    return []


def significant_event(ctx: Context) -> list[Finding]:
    """A significant event is flagged (the social worker is told at once); one written later
    than the service's own limit (its profile's significant_event_hours) is flagged as late."""
    v = ctx.values
    if v.get("session.significant_event") is not True:
        return []
    out = [Finding(None, severity="flag", flag="significant_event")]
    hours = ctx.profile.recording.significant_event_hours
    session, written = v.get("session.date"), v.get("session.written_on")
    if (
        hours is not None
        and session
        and written
        and written > session + dt.timedelta(days=-(-hours // 24))
    ):
        message = say(
            "rules",
            "significant_event_late",
            written=long_date(written),
            session=long_date(session),
            hours=hours,
        )
        out.append(
            Finding(
                "session.written_on",
                ctx.say("session.written_on", message),
                "warning",
                "significant_event_late",
            )
        )
    return out


RECORD_RULES = [times_in_order, late_recording, significant_event]


# ---------------------------------------------------------------- the whole form


def _drop_empty_rows(form: FormSpec, values: dict[str, Any]) -> None:
    """An unused table row still carries its unticked check boxes ("no"): that is no answer."""
    for n in range(1, form.rows + 1):
        prefix = f"[{n}]."
        row = {k: v for k, v in values.items() if prefix in k}
        if row and all(v is False for v in row.values()):
            for k in row:
                del values[k]


def _as_the_service_asks(spec: FieldSpec, profile: Profile) -> FieldSpec:
    """A signed agreement with the referral is asked for only by a service that requires it
    (Milton Keynes signs its written agreement at the planning meeting); a reason for a
    Saturday only by one that keeps Saturdays for some families (Northamptonshire)."""
    if spec.rule == "yes_or_agreement_attached" and not profile.agreement.required_with_referral:
        return spec.model_copy(update={"required": "O", "rule": None})
    if spec.key == "request.saturday_reason" and not profile.referrals.saturday_reason:
        return spec.model_copy(update={"required": "O"})  # Saturdays kept for nobody in particular
    return spec


def check_form(
    form: FormSpec,
    fields: dict[str, Any],
    profile: Profile,
    received: dt.datetime,
    agreement_attached: bool = False,
    read_on: dt.date | None = None,
) -> tuple[dict[str, Any], list[Finding]]:
    """Parse every answer, then apply required, named and cross-field rules, in that order."""
    specs = form.expanded_fields()
    ctx = Context(
        form=form,
        profile=profile,
        received=received,
        values={},
        raw=dict(fields),
        agreement_attached=agreement_attached,
        read_on=read_on,
    )
    findings: list[Finding] = []
    for spec in specs:
        raw = fields.get(spec.key)
        if V.is_blank(raw):
            continue
        value, problem = V.parse(spec.type, raw, spec.choices, spec.allow)
        if problem:
            findings.append(Finding(spec.key, ctx.say(spec.key, problem)))
        else:
            ctx.values[spec.key] = value
    _drop_empty_rows(form, ctx.values)
    specs = [_as_the_service_asks(spec, profile) for spec in specs]
    for spec in specs:
        if (f := required(ctx, spec)) is not None:
            findings.append(f)
    for spec in specs:
        if (
            spec.rule
            and spec.key in ctx.values
            and spec.rule in NAMED_RULES
            and (f := NAMED_RULES[spec.rule](ctx, spec.key, ctx.values[spec.key])) is not None
        ):
            findings.append(f)
    for rule in REFERRAL_RULES if form.kind == "referral" else RECORD_RULES:
        findings.extend(rule(ctx))
    return ctx.values, findings
