"""`family-time bundle REFERENCE [--from D] [--to D] [--for court|parties]`: the child's
Family Time records as one paginated, indexed bundle in date order (the shape Practice
Direction 27A asks of court bundles), in outbox/<reference>/bundle/: a .docx, and its PDF
where LibreOffice is installed."""

from __future__ import annotations

import argparse

HELP = (
    "Make the bundle of a child's Family Time records for the court or the parties "
    "(paginated, indexed, in date order)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from pipeline.commands.report import _date

    parser.add_argument("reference", help="the referral reference, FT-YYYY-NNNNN")
    parser.add_argument(
        "--from", dest="period_from", type=_date, help="first day (default: the first session)"
    )
    parser.add_argument("--to", dest="period_to", type=_date, help="last day (default: today)")
    parser.add_argument(
        "--for",
        dest="audience",
        choices=["court", "parties"],
        default="court",
        help="parties: the carer's address and postcode, the child's school and who must "
        "not know where the child lives are withheld",
    )
    parser.add_argument("--no-pdf", action="store_true", help="the Word bundle only")
    parser.add_argument("--config", help="the working folder's family-time.toml")


def run(args: argparse.Namespace) -> int:
    from pipeline import clock
    from pipeline.bundle.gather import BundleRefused, say
    from pipeline.bundle.make import make_bundle
    from pipeline.commands.paperwork import _err, open_sources

    opened = open_sources(args.config)
    if isinstance(opened, int):
        return opened
    config, profile, ledger, allocations = opened
    ref = args.reference.strip().upper()
    try:
        made = make_bundle(
            ledger,
            profile,
            ref,
            allocations.get(ref),
            config.outbox_dir,
            today=clock.today(),
            start=args.period_from,
            end=args.period_to,
            for_parties=args.audience == "parties",
            pdf=not args.no_pdf,
        )
    except BundleRefused as exc:
        return _err(str(exc))
    finally:
        ledger.close()
    b = made.bundle
    print(say("made", "bundle", reference=ref, title=made.layout.title, pages=b.pages, path=b.docx))
    if b.pdf:
        print(say("made", "pdf", path=b.pdf))
    elif not args.no_pdf:
        print(say("made", "no_pdf", why=b.pdf_problem))
    if made.contents.missing:
        print(say("made", "missing", count=len(made.contents.missing)))
    if made.withheld is not None:
        held = made.withheld.pdf or made.withheld.docx
        print(say("made", "withheld", count=len(made.layout.withheld), path=held))
    return 0
