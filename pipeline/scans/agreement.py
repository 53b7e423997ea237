"""The agreement before the first session. Where the service's policy says the agreement is
signed before sessions start (the profile's `agreement.signed_before_first_session`), a
referral whose first session has come (its day or later) with no signed agreement on file
(none came with the referral, none scanned back) is flagged in the Paperwork cell and the
digest; never blocked, as the policy says "where possible". What is said is drawn from the
case timeline alone, on the pipeline's clock."""

from __future__ import annotations

import datetime as dt

from pipeline import clock, words
from pipeline.dates import numeric_date
from pipeline.scans.filing import WORDING, agreement_signed, scanned_session_dates


def first_session(case) -> dt.date | None:
    from pipeline.cases import paperwork as PW

    allocation = PW.current_allocation(case) or {}
    try:
        return dt.date.fromisoformat(str(allocation.get("first_date") or ""))
    except ValueError:
        return None


def required(profile) -> bool:
    return bool(getattr(getattr(profile, "agreement", None), "signed_before_first_session", False))


def missing_before_first(
    case, profile, came_with_referral: bool, today: dt.date | None = None
) -> dt.date | None:
    """The first session's date when it has come and no signed agreement is on file."""
    if not required(profile) or came_with_referral or agreement_signed(case) is not None:
        return None
    first = first_session(case)
    return first if first is not None and first <= (today or clock.today()) else None


def paperwork_note(case, profile, came_with_referral: bool) -> str:
    """What the Paperwork cell adds after the pack's words: the signed scan on file, or the
    missing agreement flagged; "" when there is nothing to add."""
    signed = agreement_signed(case)
    if signed is not None:
        return words.entry(WORDING, "tracker", "agreement_signed", date=numeric_date(signed.on))
    first = missing_before_first(case, profile, came_with_referral)
    if first is not None:
        return words.entry(WORDING, "tracker", "agreement_missing", date=numeric_date(first))
    return ""


# The digest asks for the agreement from the first session's day for this many days: a
# reminder to act on, not a line every morning for a family whose sessions began long ago
# (the Paperwork cell keeps saying it).
DIGEST_DAYS = 14


def digest_lines(
    cases: dict, profile, attached: dict, have_records: dict, today: dt.date | None = None
) -> list[str]:
    """The digest's lines: each first session in the last DIGEST_DAYS with no signed
    agreement on file, and each session record that came back on paper and is not typed into
    the record form yet."""
    today = today or clock.today()
    out = []
    for ref, case in sorted(cases.items()):
        first = missing_before_first(case, profile, attached.get(ref, False), today)
        if first is not None and (today - first).days < DIGEST_DAYS:
            out.append(
                words.entry(
                    WORDING, "digest", "agreement_missing", reference=ref, date=numeric_date(first)
                )
            )
        for day in sorted(scanned_session_dates(case) - have_records.get(ref, set())):
            out.append(
                words.entry(
                    WORDING, "digest", "scanned_record", reference=ref, session=numeric_date(day)
                )
            )
    return out
