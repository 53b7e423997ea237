"""`family-time paperwork REFERENCE | --pending [--pdf]`: make the paperwork pack now for one
allocated referral, or for every allocated referral that has no pack yet.

The watcher makes packs on its own once a row is allocated; this command is for a
co-ordinator who wants one straight away, or again after correcting the tracker row. Both
forms go through the watcher's own path (the paperwork effect's `settle`): the same checks (a
first session already past is refused, with the same words the Paperwork cell shows), the
pack recorded in the ledger and on the case's timeline and mailed to the supervisor, so the
watcher never makes it a second time and every view knows it was made.
"""

from __future__ import annotations

import argparse
import sys

HELP = "Make the paperwork pack (agreement, letters, session records) for allocated referrals."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reference", nargs="?", help="the referral reference, FT-YYYY-NNNNN")
    parser.add_argument(
        "--pending", action="store_true", help="every allocated referral that has no pack yet"
    )
    parser.add_argument(
        "--pdf", action="store_true", help="also save PDF copies (needs LibreOffice)"
    )
    parser.add_argument("--config", help="the working folder's family-time.toml")


def _err(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def open_sources(config_path):
    """(config, profile, ledger, allocations by reference) or an exit code after a message."""
    from types import SimpleNamespace

    from pipeline.commands import folder

    opened = folder.open_for(SimpleNamespace(config=config_path), False)
    if opened is None:
        return 2
    config, profile = opened
    try:
        from pipeline.render import TemplateProblem, preflight

        preflight()
    except TemplateProblem as exc:
        return _err(str(exc))
    from pipeline.ledger import Ledger
    from pipeline.tracker import allocations_by_reference

    if not config.ledger_path.exists():
        return _err(f"No ledger yet ({config.ledger_path}): no referral has been processed.")
    try:
        allocations = allocations_by_reference(config, profile)
    except Exception as exc:  # a locked or damaged workbook: say so, never a traceback
        return _err(
            f"The tracking workbook could not be read ({type(exc).__name__}). If it is "
            "open in Excel, close it and try again."
        )
    return config, profile, Ledger(config.ledger_path), allocations


def pack_exists(config, reference: str, profile) -> bool:
    from pipeline.render.context import settings

    name = settings()["names"]["agreement"].format(
        reference=reference, agreement=profile.agreement.title
    )
    return (config.outbox_dir / reference / name).exists()


def settle_pending(config, profile, ledger, allocations, todo: list[str], pdf: bool) -> int:
    """Each referral's pack through the paperwork effect's path (checks, ledger, mail)."""
    import time

    from pipeline import clock
    from pipeline.effects.contract import EffectPass, EffectsReport
    from pipeline.effects.paperwork import PaperworkEffect
    from pipeline.tracker.sync import read_staff

    if pdf:
        from pipeline.render.pdf import libreoffice_available

        if not libreoffice_available():
            print(
                "LibreOffice is not installed, so only the Word copies are made.", file=sys.stderr
            )
            pdf = False
    effect = PaperworkEffect()
    p = EffectPass(ledger, config, profile, time.time(), EffectsReport())
    newest = {i.reference: i for i in ledger.items(outcome="accepted") if i.reference}
    staff = read_staff(config, profile) or []
    today = clock.today()
    worst = 0
    for ref in todo:
        item = newest.get(ref)
        if item is None:
            worst = max(worst, _err(f"{ref}: no referral with this reference in the ledger."))
            continue
        settled = effect.settle(p, item, allocations[ref], staff, today, pdf=pdf)
        if settled.outcome == "made":
            print(f"{ref}: {len(settled.documents)} documents in {config.outbox_dir / ref}")
            for d in settled.documents:
                print(f"  {d.name}")
        elif settled.outcome == "unchanged":
            print(f"{ref}: the pack made from this allocation stands; nothing changed.")
        elif settled.outcome == "failed":
            worst = max(worst, _err(f"{ref}: the pack could not be made ({settled.text})."))
        else:
            worst = max(worst, _err(f"{ref}: no pack made: {settled.text}"))
    return worst


def run(args: argparse.Namespace) -> int:
    if not args.reference and not args.pending:
        return _err("Give a referral reference (FT-YYYY-NNNNN) or --pending.")
    if args.reference and args.pending:
        return _err("Give either a reference or --pending, not both.")
    opened = open_sources(args.config)
    if isinstance(opened, int):
        return opened
    config, profile, ledger, allocations = opened
    try:
        if args.reference:
            ref = args.reference.strip().upper()
            if ledger.item_by_reference(ref) is None:
                return _err(f"{ref}: no referral with this reference in the ledger.")
            if ref not in allocations:
                return _err(f"{ref}: the tracker has no row for this referral yet.")
            return settle_pending(config, profile, ledger, allocations, [ref], args.pdf)
        todo = [
            ref
            for ref, a in sorted(allocations.items())
            if a.complete and not pack_exists(config, ref, profile)
        ]
        if not todo:
            print("Every allocated referral already has its paperwork.")
            return 0
        return settle_pending(config, profile, ledger, allocations, todo, args.pdf)
    finally:
        ledger.close()
