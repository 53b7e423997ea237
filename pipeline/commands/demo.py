"""`family-time demo`: the whole loop on sample forms, then the status.

1. The sample forms and emails go into the inbox and are processed as `watch --once` does.
2. Acting as a co-ordinator, the demo allocates the first accepted referral in the tracker,
   and the paperwork pack is made.
3. Acting as the supervisor, it sends back two completed session records (the parent did not
   come): the missed-session rule suspends family time and the letters are made.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tomllib

HELP = ("Try it out on sample forms: process them, allocate one referral, send back two missed "
        "session records, then show the status.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="the working folder's family-time.toml")
    parser.add_argument("--forms-only", action="store_true",
                        help="only process the sample forms (no allocation, no session records)")


def sample_files():
    from pipeline.paths import FORM_TEMPLATES, ROOT
    with open(FORM_TEMPLATES / "samples.toml", "rb") as fh:
        listed = tomllib.load(fh).get("files", [])
    return [ROOT / p for p in listed if (ROOT / p).is_file()]


def _show(items) -> None:
    for item in items:
        ref = f" [{item.reference}]" if item.reference else ""
        print(f"  {item.original_name}: {item.outcome.replace('_', ' ')}{ref}")


def _story(config, profile, ledger, watcher, item) -> None:
    """Steps 2 and 3: what a co-ordinator and a supervisor would do by hand."""
    import datetime as dt

    from pipeline.commands.paperwork import make_pack
    from pipeline.demo_roles import allocate, first_date_weeks_ago, send_back_missed_records
    from pipeline.tracker import allocations_by_reference

    first = first_date_weeks_ago(profile, dt.date.today())
    typed = allocate(config, profile, item, first)
    print(f"\nActing as the co-ordinator: {item.reference} allocated in the tracker "
          f"({typed['day']}s {typed['time']} at {typed['venue']}, first session "
          f"{first:%d/%m/%Y}).")
    allocation = allocations_by_reference(config, profile)[item.reference]
    make_pack(config, profile, ledger, allocation, item.reference, pdf=False)
    sent = send_back_missed_records(config.outbox_dir / item.reference, config.inbox_dir)
    print(f"\nActing as the supervisor: {len(sent)} completed session records sent back "
          "(the parent did not come, no reason given).")
    watcher.handled.clear()
    watcher.run_once()
    _show(watcher.handled)
    from pipeline.demo_roles import DEMO_DECIDER, approve_proposals
    from pipeline.effects import run_effects
    if approve_proposals(config, profile, item):
        print(f"\nActing as the person who decides: the proposal approved by {DEMO_DECIDER} "
              "in the tracker's Decisions sheet.")
        run_effects(ledger, config, profile)
    for stored in ledger.rule_actions(item.reference):
        action = stored.action
        until = f" until {action.suspended_until:%d/%m/%Y}" if action.suspended_until else ""
        print(f"  Missed-session rule: {action.kind.replace('_', ' ')}{until}; letters in "
              f"{config.outbox_dir / item.reference}")


def run(args: argparse.Namespace) -> int:
    from pipeline.commands.status import describe, gather
    from pipeline.commands.watch import open_working_folder
    from pipeline.watcher import InboxWatcher
    opened = open_working_folder(args.config)
    if opened is None:
        return 2
    config, profile, ledger = opened
    samples = sample_files()
    if not samples:
        print("No sample forms found (they are in tests/fixtures/ of the repository).",
              file=sys.stderr)
        return 2
    for src in samples:
        shutil.copyfile(src, config.inbox_dir / src.name)
    print(f"Copied {len(samples)} sample file(s) into {config.inbox_dir}.")
    watcher = InboxWatcher(config, profile, ledger)
    watcher.run_once()
    _show(watcher.handled)
    accepted = [i for i in watcher.handled if i.outcome == "accepted" and i.reference]
    if accepted and not args.forms_only:
        _story(config, profile, ledger, watcher, accepted[0])
    print()
    print("\n".join(describe(gather(ledger, config, profile))))
    return 0
