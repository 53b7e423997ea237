"""The rota at scale: a service with 200 open referrals and 30 supervisors (target: the Rota
sheet's five weeks, under 2 s), against the naive way (each supervisor's and each venue's view
worked out on its own: every referral's case read again and its sessions planned again, as a
per-person report would). Also measured: one week's printable rotas (a .docx per venue and
per supervisor) and the clash check of one new allocation against the 199 others (what a
workbook save costs the watcher).

    python3 bench/measure_rota.py [--referrals N] [--supervisors N]

Prints a table and the same figures as JSON (bench/run.py's "rota" section).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))

TARGET_S = 2.0
TODAY = dt.date(2026, 12, 1)
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TIMES = ["09:30-11:00", "11:30-13:00", "13:30-15:00", "15:30-17:00"]


def build(ledger, root: Path, referrals: int, supervisors: int, profile) -> list[str]:
    """`referrals` accepted referrals (made-up, bench/season kit) each allocated once on the
    timeline: supervisors, venues, days and times spread so nobody is double-booked."""
    from pipeline.cases import paperwork as PW

    from tests.helpers.season_kit import build_bulk

    build_bulk(ledger, root, referrals=referrals * 8 // 7 + 8, records=0)
    refs = sorted({i.reference for i in ledger.items(outcome="accepted")})[:referrals]
    venues = [v.name for v in profile.venues]
    for n, ref in enumerate(refs):
        slot = n // supervisors  # each supervisor's n-th session of the week
        day = DAYS[slot % len(DAYS)]
        first = TODAY + dt.timedelta(days=(DAYS.index(day) - TODAY.weekday()) % 7 + 7)
        allocation = {
            "supervisor": f"Worker {n % supervisors:02d}",
            "venue": venues[n % len(venues)],
            "room": f"Room {n % 3 + 1}",
            "day": day,
            "time": TIMES[(slot // len(DAYS)) % len(TIMES)],
            "first_date": first.isoformat(),
        }
        ledger.record_event(PW.allocated(ref, 1, allocation, profile.supervisor_role, TODAY))
    return refs


def measure(referrals: int = 200, supervisors: int = 30) -> dict:
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.ledger import Ledger
    from pipeline.rota import clashes, diary
    from pipeline.rota import document as R
    from pipeline.tracker import rota_sheet

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = load_config(init_folder(root / "work"))
        profile = config.load_profile()
        ledger = Ledger(config.ledger_path)
        t = time.perf_counter()
        refs = build(ledger, root, referrals, supervisors, profile)
        built = time.perf_counter() - t

        first = R.week_of(TODAY)
        last = first + dt.timedelta(weeks=R.WEEKS_SHOWN)
        t = time.perf_counter()
        sessions = diary.from_ledger(ledger, profile, first, last)
        xml = rota_sheet.sheet_xml(rota_sheet.rows(sessions, TODAY))
        rota_s = time.perf_counter() - t

        t = time.perf_counter()
        made = R.write_week(sessions, first + dt.timedelta(weeks=1), root / "rota")
        documents_s = time.perf_counter() - t

        t = time.perf_counter()
        naive_rows = _naive(ledger, profile, refs, first, last)
        naive_s = time.perf_counter() - t

        from pipeline.models import Allocation

        new = Allocation(
            reference=refs[0],
            status="Allocated",
            supervisor="Worker 00",
            venue=profile.venues[0].name,
            room="Room 1",
            day="Monday",
            time="17:30-18:30",
            first_date=first + dt.timedelta(weeks=1),
        )
        item = ledger.item_by_reference(refs[0])
        t = time.perf_counter()
        found = clashes.check(ledger, profile, refs[0], new, item, [], TODAY)
        clash_s = time.perf_counter() - t
        ledger.close()
    return {
        "referrals": len(refs),
        "supervisors": supervisors,
        "ledger_build_s": round(built, 2),
        "sessions_in_five_weeks": len(sessions),
        "rota_sheet_s": round(rota_s, 3),
        "rota_sheet_kb": round(len(xml) / 1024, 1),
        "naive_s": round(naive_s, 3),
        "naive_rows": naive_rows,
        "speedup": round(naive_s / rota_s, 1) if rota_s else None,
        "week_documents": len(made),
        "week_documents_s": round(documents_s, 2),
        "clash_check_s": round(clash_s, 3),
        "clashes_found": len(found.clashes),
        "target_s": TARGET_S,
        "passed": rota_s < TARGET_S,
    }


def _naive(ledger, profile, refs: list[str], first: dt.date, last: dt.date) -> int:
    """Each supervisor's and each venue's view on its own: per view, every referral's case
    read from the ledger and its sessions planned again (the one-query-per-referral way)."""
    from pipeline.cases import case_of
    from pipeline.cases import paperwork as PW
    from pipeline.cases import suspension as S
    from pipeline.models import Allocation
    from pipeline.sessions.plan import planned_sessions

    cases = {ref: PW.current_allocation(case_of(ledger, ref)) for ref in refs}
    views = sorted({a["supervisor"] for a in cases.values()}) + [v.name for v in profile.venues]
    n = 0
    for view in views:
        for ref in refs:
            case = case_of(ledger, ref)
            a = PW.current_allocation(case)
            if view not in (a["supervisor"], a["venue"]):
                continue
            item = ledger.item_by_reference(ref)
            plan = planned_sessions(
                item,
                Allocation(
                    reference=ref, day=a["day"], first_date=dt.date.fromisoformat(a["first_date"])
                ),
                profile,
                until=last,
            )
            n += sum(1 for s in plan if s.date >= first and not S.suspended_on(case, s.date))
    return n


def table(r: dict) -> str:
    rows = [
        ("measure", "target", "measured", "result", "vs naive"),
        (
            f"Rota sheet, 5 weeks ({r['referrals']} referrals, {r['supervisors']} supervisors)",
            f"< {r['target_s']} s",
            f"{r['rota_sheet_s']} s ({r['sessions_in_five_weeks']} sessions)",
            "PASS" if r["passed"] else "FAIL",
            f"{r['speedup']}x (naive {r['naive_s']} s)",
        ),
        (
            "One week's printable rotas (.docx)",
            "-",
            f"{r['week_documents_s']} s ({r['week_documents']} files)",
            "info",
            "-",
        ),
        ("Clash check of one allocation", "-", f"{r['clash_check_s']} s", "info", "-"),
    ]
    widths = [max(len(str(row[i])) for row in rows) for i in range(5)]
    return "\n".join(
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--referrals", type=int, default=200)
    ap.add_argument("--supervisors", type=int, default=30)
    ap.add_argument("--json", action="store_true", help="the JSON alone")
    a = ap.parse_args()
    result = measure(a.referrals, a.supervisors)
    if not a.json:
        print(table(result))
    print(json.dumps(result, indent=2))
