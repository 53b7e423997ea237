"""The month report at scale: `family-time report month` over a ledger of 1,000 referrals and
20,000 session records (target: under 10 s for the figures, the Word report and the workbook),
against the naive way (the ledger asked once per referral for its records and each record's
item, as a per-case report would).

    python3 bench/measure_month.py [--referrals N] [--records N]
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

TARGET_S = 10.0


def measure(referrals: int = 1000, records: int = 20000, month=dt.date(2026, 6, 1)) -> dict:
    from pipeline.commands.init import init_folder
    from pipeline.config import load_config
    from pipeline.ledger import Ledger
    from pipeline.reports.month import month_figures, write_month_report

    from tests.helpers.season_kit import build_bulk

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = load_config(init_folder(root / "work"))
        profile = config.load_profile()
        ledger = Ledger(config.ledger_path)
        t = time.perf_counter()
        build_bulk(ledger, root, referrals, records)
        built = time.perf_counter() - t

        t = time.perf_counter()
        fig = month_figures(ledger, profile, month)
        figures_s = time.perf_counter() - t
        t = time.perf_counter()
        write_month_report(fig, profile, root / "reports")
        write_s = time.perf_counter() - t

        t = time.perf_counter()  # naive: per referral, its records and their items
        refs = {i.reference for i in ledger.items(outcome="accepted")}
        n = 0
        for ref in refs:
            for s in ledger.sessions_of(ref):
                if month <= s.date < month.replace(month=month.month + 1):
                    ledger.item(s.item_id)
                    n += 1
        naive_s = time.perf_counter() - t
        ledger.close()
    total = figures_s + write_s
    return {
        "referrals": referrals,
        "records": records,
        "ledger_build_s": round(built, 1),
        "figures_s": round(figures_s, 2),
        "write_s": round(write_s, 2),
        "month_report_s": round(total, 2),
        "target_s": TARGET_S,
        "passed": total < TARGET_S,
        "naive_session_lookup_s": round(naive_s, 2),
        "records_in_month": n,
    }


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--referrals", type=int, default=1000)
    ap.add_argument("--records", type=int, default=20000)
    a = ap.parse_args()
    print(json.dumps(measure(a.referrals, a.records), indent=2))
