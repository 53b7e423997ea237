"""Each service's due dates, on arrival dates held out from the code: Christmas, Easter and the
May bank holidays. Worked out by hand from a paper calendar: the Nth working day after the day
the referral counts as received (after 17:00, or on a closed day, it counts from the next
working day); weekends and England's bank holidays skipped."""

import datetime as dt

import pytest

from pipeline.profile import load_profile
from pipeline.validate.calendar import due_dates

D = dt.date
ARRIVALS = {
    # Tuesday before Christmas 2025: 25, 26 Dec and 1 Jan closed
    "christmas": dt.datetime(2025, 12, 23, 10, 0),
    # Maundy Thursday 2026: Good Friday 3 Apr and Easter Monday 6 Apr closed
    "easter": dt.datetime(2026, 4, 2, 10, 0),
    # Friday evening before the Early May bank holiday (4 May 2026): counts from Tuesday 5 May
    "early_may": dt.datetime(2026, 5, 1, 18, 30),
    # Friday before the Spring bank holiday (25 May 2026)
    "spring": dt.datetime(2026, 5, 22, 10, 0),
}

EXPECTED = {
    "northamptonshire": {
        "christmas": {"contact": D(2025, 12, 29), "allocation": D(2026, 1, 9)},
        "easter": {"contact": D(2026, 4, 8), "allocation": D(2026, 4, 20)},
        "early_may": {"contact": D(2026, 5, 7), "allocation": D(2026, 5, 19)},
        "spring": {"contact": D(2026, 5, 27), "allocation": D(2026, 6, 8)},
    },
    "blackpool": {
        "christmas": {
            "acknowledgement": D(2025, 12, 24),
            "planning_meeting": D(2025, 12, 29),
            "allocation": D(2025, 12, 24),
            "first_session": D(2025, 12, 30),
        },
        "easter": {
            "acknowledgement": D(2026, 4, 7),
            "planning_meeting": D(2026, 4, 8),
            "allocation": D(2026, 4, 7),
            "first_session": D(2026, 4, 9),
        },
        "early_may": {
            "acknowledgement": D(2026, 5, 6),
            "planning_meeting": D(2026, 5, 7),
            "allocation": D(2026, 5, 6),
            "first_session": D(2026, 5, 8),
        },
        "spring": {
            "acknowledgement": D(2026, 5, 26),
            "planning_meeting": D(2026, 5, 27),
            "allocation": D(2026, 5, 26),
            "first_session": D(2026, 5, 28),
        },
    },
    # Milton Keynes' documents state no timescale: it promises no date at all
    "milton-keynes": {name: {} for name in ARRIVALS},
}


@pytest.mark.parametrize("service", sorted(EXPECTED))
@pytest.mark.parametrize("arrival", sorted(ARRIVALS))
def test_due_dates_are_the_services_own(service, arrival):
    assert due_dates(ARRIVALS[arrival], load_profile(service)) == EXPECTED[service][arrival]


def test_review_report_only_where_the_service_promises_one():
    review = D(2026, 4, 24)
    assert due_dates(ARRIVALS["easter"], load_profile("northamptonshire"), review)[
        "review_report"
    ] == D(2026, 4, 17)  # 5 working days before
    for service in ("blackpool", "milton-keynes"):
        assert "review_report" not in due_dates(ARRIVALS["easter"], load_profile(service), review)
