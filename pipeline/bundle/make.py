"""One bundle made end to end: gathered, laid out, written (and, for the parties, the court's
list of what was withheld). Used by `family-time bundle`, the tests and the benchmark."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pipeline.bundle.gather import Contents, gather
from pipeline.bundle.layout import Layout, lay_out
from pipeline.bundle.write import Written, withheld_list, write
from pipeline.files import private_dir


@dataclass
class Made:
    contents: Contents
    layout: Layout
    bundle: Written
    withheld: Written | None  # the court's list, for a parties' bundle


def make_bundle(
    ledger,
    profile,
    reference: str,
    allocation,
    outbox: Path,
    *,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    for_parties: bool = False,
    pdf: bool = True,
) -> Made:
    contents = gather(ledger, profile, reference, allocation, today=today, start=start, end=end)
    layout = lay_out(contents, for_parties, today)
    folder = private_dir(Path(outbox) / reference / "bundle")
    who = "parties" if for_parties else "court"
    period = f"{contents.start.isoformat()} to {contents.end.isoformat()}"
    stem = f"{reference} bundle for the {who} {period}"
    bundle = write(layout, folder, stem, pdf=pdf)
    held = None
    if for_parties:
        held = withheld_list(layout, folder, f"{stem} withheld (court's copy only)", today, pdf=pdf)
    return Made(contents, layout, bundle, held)
