"""`family-time demo`: the whole loop on sample forms, then the status.

1. The sample forms and emails go into the inbox and are processed as `watch --once` does.
2. Acting as a co-ordinator, the demo lists the supervisor on the Staff sheet and allocates
   the first accepted referral in the tracker, with a first session a week ahead; the pack is
   made and its email to the supervisor and the social worker is sent, or, with no mail server
   set up (a new folder), only written to outbox/mail: the demo says which, never "emailed"
   for a message that went nowhere.
3. Weeks later (the pipeline's clock is moved on, FAMILY_TIME_TODAY), acting as the
   supervisor, it sends back two completed session records (the parent did not come): the
   missed-session rule suspends family time and the letters are made.
"""

from __future__ import annotations

import argparse
import sys

HELP = (
    "Try it out on sample forms: process them, allocate one referral, send back two missed "
    "session records, then show the status."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="the working folder's family-time.toml")
    parser.add_argument(
        "--forms-only",
        action="store_true",
        help="only process the sample forms (no allocation, no session records)",
    )


def sample_files():
    from pipeline import words
    from pipeline.paths import ROOT

    listed = words.load("samples.toml").get("files", [])
    return [ROOT / p for p in listed if (ROOT / p).is_file()]


def _show(items) -> None:
    for item in items:
        ref = f" [{item.reference}]" if item.reference else ""
        print(f"  {item.original_name}: {item.outcome.replace('_', ' ')}{ref}")


def _story(config, profile, ledger, watcher, item) -> None:
    """Steps 2 and 3: what a co-ordinator and a supervisor would do by hand."""
    import datetime as dt
    import os

    from pipeline import clock
    from pipeline.demo_roles import (
        allocate,
        first_date_ahead,
        list_staff,
        pack_mail_words,
        send_back_missed_records,
    )
    from pipeline.sessions.plan import planned_sessions
    from pipeline.tracker import allocations_by_reference

    today = clock.today()
    first = first_date_ahead(profile, today)
    list_staff(config, profile)
    typed = allocate(config, profile, item, first)
    print(
        f"\nActing as the co-ordinator: {item.reference} allocated in the tracker "
        f"({typed['day']}s {typed['time']} at {typed['venue']}, first session "
        f"{first:%d/%m/%Y})."
    )
    watcher._run_effects_safely()  # the pack, as the watcher makes it
    watcher._run_effects_safely()  # and its "Pack made" in the tracker
    pack = ledger.latest_pack(item.reference)
    if pack is None:
        print("  No pack was made: see the Paperwork cell of the row.")
        return
    print(f"  {pack_mail_words(config, profile, ledger, pack, config.outbox_dir / item.reference)}")
    allocation = allocations_by_reference(config, profile)[item.reference]
    second = [
        s.date
        for s in planned_sessions(
            item, allocation.model_copy(update={"time": None}), profile, count=2
        )
    ][-1]
    later = second + dt.timedelta(days=1)
    os.environ[clock.VARIABLE] = later.isoformat()
    print(f"\n{clock.notice()}")
    sent = send_back_missed_records(
        config.outbox_dir / item.reference, config.inbox_dir, sent_on=later
    )
    print(
        f"Acting as the supervisor: {len(sent)} completed session records sent back "
        "(the parent did not come, no reason given)."
    )
    watcher.handled.clear()
    watcher.run_once()
    _show(watcher.handled)
    from pipeline.demo_roles import approve_proposals, demo_decider
    from pipeline.effects import run_effects

    if approve_proposals(config, profile, item):
        print(
            f"\nActing as the person who decides: the proposal approved by "
            f"{demo_decider(profile, item)[0]} "
            "in the tracker's Decisions sheet."
        )
        run_effects(ledger, config, profile)
    from pipeline.cases import case_of
    from pipeline.cases import suspension as S

    for told in S.proposals(case_of(ledger, item.reference)):
        # what the timeline says, in the Status cell's own words ("Suspended until the
        # review meeting (at least ...)"), never a date the case does not hold
        said = S.status_text(told) or told.state
        print(f"  Missed-session rule: {said}; letters in {config.outbox_dir / item.reference}")


def run(args: argparse.Namespace) -> int:
    from pipeline.commands.status import describe, gather
    from pipeline.commands.watch import open_working_folder
    from pipeline.intake.watcher import InboxWatcher

    opened = open_working_folder(args.config)
    if opened is None:
        return 2
    config, profile, ledger = opened
    samples = sample_files()
    if not samples:
        print(
            "No sample forms found (they are in tests/fixtures/ of the repository).",
            file=sys.stderr,
        )
        return 2
    from pipeline import clock
    from pipeline.demo_samples import put_in_inbox

    put_in_inbox(samples, config.inbox_dir, clock.now())
    print(f"Copied {len(samples)} sample file(s) into {config.inbox_dir}.")
    watcher = InboxWatcher(config, profile, ledger)
    watcher.run_once()
    _show(watcher.handled)
    accepted = [i for i in watcher.handled if i.outcome == "accepted" and i.reference]
    import os

    before = os.environ.get(clock.VARIABLE)
    try:
        if accepted and not args.forms_only:
            _story(config, profile, ledger, watcher, accepted[0])
        print()
        lines = describe(gather(ledger, config, profile))
        print("\n".join([clock.notice(), *lines] if clock.notice() else lines))
    finally:  # the demo's clock ends with the demo
        if before is None:
            os.environ.pop(clock.VARIABLE, None)
        else:
            os.environ[clock.VARIABLE] = before
    return 0
