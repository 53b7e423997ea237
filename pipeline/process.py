"""One inbox file through the whole pipeline: hash, duplicate check, read, validate, record, move.

Order matters for never losing or doubling a referral: the ledger commits first (one
transaction per file, with the effects it owes), and only then is the original moved out of
the inbox. A file whose row committed but was not moved (a crash, a locked file) is moved at
the next look, never processed twice. A transient problem (the file is locked, the ledger is
busy) leaves the file where it is for the next try; anything else gets an outcome.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pipeline.extract as extract
import pipeline.validate as validate
from pipeline import clock
from pipeline.archive import archive_name, archive_original, reason_text
from pipeline.dates import short_date, short_datetime
from pipeline.effects.contract import owe, owed_by
from pipeline.files import private_dir, scratch_name
from pipeline.intake import is_busy_error, log_fault
from pipeline.ledger import AlreadyRecorded, FileRecord, ItemDraft, Ledger, normalise_case_id
from pipeline.models import Item, SessionRecord, Verdict
from pipeline.outcomes import REFERRAL_OUTCOMES, outcome_of
from pipeline.sessions.record import session_record, unanswered_valid_reason

log = logging.getLogger("pipeline.process")

CASE_KEY = "child.case_id"
# No file holds the watcher longer than this: reading runs in a worker process that is stopped
# past the limit, and the file is recorded as unreadable with a plain reason
# (pipeline/extract/bounded.py). None reads in this process (a test replacing a reader here).
READ_LIMIT_SECONDS: float | None = 10.0


def read_file(path: Path, profile) -> list:
    """Every form in the file (one Extraction each; a file holding two children's forms gives
    two), read under the time limit."""
    if READ_LIMIT_SECONDS is None:
        return extract.extract_all(path, profile)
    from pipeline.extract.bounded import extract_all_bounded
    return extract_all_bounded(path, profile, limit=READ_LIMIT_SECONDS)


class NotYet(Exception):
    """The file cannot be handled right now (locked, still being written): try again later."""


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            h.update(block)
    return h.hexdigest()


def _within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError):
        return False


def _subfolder(path: Path, inbox: Path) -> Path | None:
    """The sub-folder of the inbox a file came from (kept in its archive place), or None."""
    try:
        rel = path.resolve().parent.relative_to(inbox.resolve())
    except (ValueError, OSError):
        return None
    parts = [archive_name(p) for p in rel.parts if p not in ("", ".", "..")]
    return Path(*parts) if parts else None


def process_file(path: Path, config, profile, ledger: Ledger, *,
                 keep_source: bool | None = None) -> list[Item]:
    """Handle one file completely; its items (already recorded earlier, if it was).

    Raises NotYet when the file is locked or the ledger is busy: nothing was recorded and
    the file is still in place. Never raises for a bad file.
    """
    path = Path(path)
    if keep_source is None:                    # a file given on the command line is copied
        keep_source = not _within(path, config.inbox_dir)
    try:
        size = path.stat().st_size
        digest = sha256_of(path)
    except FileNotFoundError:
        return []
    except OSError as exc:
        if is_busy_error(exc):
            raise NotYet(str(exc)) from exc
        raise NotYet(f"could not read: {exc}") from exc

    try:
        earlier = ledger.files_with_hash(digest)
    except sqlite3.OperationalError as exc:
        raise NotYet(f"ledger busy: {exc}") from exc
    for rec in earlier:               # recorded already but not moved: finish the move only
        if not rec.archived and Path(rec.source_path) == path:
            finish_archive(rec, ledger)
            return ledger.items_of_file(rec.id)

    received = _received(path)
    internal_error = False
    if earlier:
        drafts = [_duplicate_draft(path.name, earlier, ledger)]
    else:
        try:
            drafts = _read_and_validate(path, config, profile, received)
        except NotYet:
            raise
        except OSError as exc:        # disk full, share gone: the environment, not the file
            raise NotYet(f"{type(exc).__name__}: {exc}") from exc
        except Exception as exc:      # a bug in a later stage must not lose the file
            # the detail (which can quote a child's name) goes to the log at DEBUG only; the
            # reason reaches the reason file, the tracker and the team's email
            log_fault(log, "file %s: could not be processed", digest[:12])
            internal_error = True
            drafts = [owe(ItemDraft(original_name=path.name, outcome="unreadable",
                                reason="This file could not be processed because of a fault in "
                                       "the Family Time pipeline, not in the form. It is kept "
                                       "in archive/failed; please ask IT to look at the "
                                       "pipeline's log, and process the form by hand "
                                       "meanwhile."))]
    if not internal_error:
        try:
            drafts = one_referral_per_child(link_sessions(drafts, ledger, profile), ledger,
                                            config, profile)
        except sqlite3.OperationalError as exc:
            raise NotYet(f"ledger busy: {exc}") from exc
    try:
        record, items = ledger.record_file(
            sha256=digest, original_name=path.name, size=size, received_at=received,
            source_path=path, archive_root=config.archive_dir, drafts=drafts,
            keep_source=keep_source, archive_folder="failed" if internal_error else None,
            subfolder=None if keep_source else _subfolder(path, config.inbox_dir))
    except sqlite3.OperationalError as exc:      # locked or full: nothing committed
        raise NotYet(f"ledger could not record: {exc}") from exc
    except AlreadyRecorded as exc:               # another process got there first
        record = ledger.file(exc.file_id)
        finish_archive(record, ledger)
        return ledger.items_of_file(record.id)
    finish_archive(record, ledger, items)
    return ledger.items_of_file(record.id)


def finish_archive(record: FileRecord, ledger: Ledger, items: list[Item] | None = None) -> bool:
    """Move a recorded original to its archive place; True when it is there.

    A locked original stays owed (the next look finishes it). An original that is already
    gone after a crash is found at its destination and marked done.
    """
    source, dest = Path(record.source_path), Path(record.archive_path)
    if source.exists() and not record.keep_source and _replaced(source, record):
        source = Path(record.source_path + ".gone")     # a new file now has the old name
    if items is None:
        items = ledger.items_of_file(record.id)
    if not source.exists() or (record.keep_source and dest.exists()):
        if dest.exists():
            ledger.mark_archived(record.id)
            return True
        if not source.exists():
            log.warning("file %s: original missing from the inbox and the archive",
                        record.id)
            ledger.mark_archived(record.id)
            return False
    try:
        archive_original(source, dest, reason_text(record.outcome, items), record.keep_source)
    except OSError as exc:
        log.warning("file %s: recorded, but could not be moved yet (%s); will retry",
                    record.id, type(exc).__name__)
        return False
    ledger.mark_archived(record.id)
    return True


def _replaced(source: Path, record: FileRecord) -> bool:
    """Whether the file at the recorded place is now a different file (do not move it)."""
    try:
        return source.stat().st_size != record.size or sha256_of(source) != record.sha256
    except OSError:
        return False


def recover(ledger: Ledger, config=None) -> int:
    """Finish the moves a crash or a locked file left owed; the number finished.

    With `config`, also clear the half-written temporary files a killed run left behind in
    the archive and the scratch folder (ours alone: the start of a single watcher).
    """
    if config is not None:
        _clear_leftovers(config)
    return sum(1 for rec in ledger.unarchived() if finish_archive(rec, ledger))


def _clear_leftovers(config) -> None:
    """Temporary files of writes a kill interrupted (pipeline.files.write_private names them
    ".tmp-*" with the final suffix, so a half-written ".tmp-x.eml" could be taken for mail)."""
    folders = [config.mail_dir, config.tracker_dir]
    archive = config.archive_dir
    if archive.is_dir():
        folders += [archive, *(p for p in archive.iterdir() if p.is_dir())]
    for folder in folders:
        if not folder.is_dir():
            continue
        for p in folder.iterdir():
            if p.is_file() and p.name.startswith((".tmp-", ".copying-")):
                try:
                    p.unlink()
                except OSError:
                    pass
    scratch = config.state_dir / "scratch"
    if scratch.is_dir():
        for p in scratch.iterdir():
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


# ---------------------------------------------------------------- reading

def _received(path: Path) -> dt.datetime:
    """When the file arrived: its modification time, never in the future (the pipeline's
    today, which a demonstration may set)."""
    now = clock.now()
    try:
        mtime = dt.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return now.replace(microsecond=0)
    return min(now, mtime).replace(microsecond=0)


def _email_received(date_text: str | None, fallback: dt.datetime) -> dt.datetime:
    if not date_text:
        return fallback
    try:
        when = dt.datetime.fromisoformat(date_text)
    except ValueError:
        return fallback
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    return when.replace(microsecond=0) if when <= clock.now() else fallback


def _read_and_validate(path: Path, config, profile, received: dt.datetime) -> list[ItemDraft]:
    """Read a private scratch copy, so the inbox file is never held open or changed."""
    scratch_root = private_dir(config.state_dir / "scratch")
    with tempfile.TemporaryDirectory(dir=scratch_root) as tmp:
        copy = Path(tmp) / scratch_name(1, path.name)     # short: Windows' 260 characters
        try:
            shutil.copyfile(path, copy)
        except OSError as exc:
            if is_busy_error(exc) or not path.exists():
                raise NotYet(str(exc)) from exc
            raise
        extractions = [e.model_copy(update={"file": path.name})
                       for e in read_file(copy, profile)]
    drafts: list[ItemDraft] = []
    for i, extraction in enumerate(extractions, start=1):   # one per form in the file
        label = extract.part_name(path.name, i, len(extractions))
        drafts.extend(drafts_for(label, extraction, profile, received))
    return drafts


def drafts_for(name: str, extraction, profile, received: dt.datetime) -> list[ItemDraft]:
    """One draft per submission: the file, or each form attached to an email."""
    if not extraction.is_email:
        verdict = validate.validate_extraction(extraction, profile, received,
                                               read_on=clock.today())
        verdict = recognise_own(extraction, verdict, profile)
        return [_draft(name, extraction, verdict)]
    when = _email_received(extraction.date, received)
    parts = extraction.attachments or [extraction]
    verdicts = [recognise_own(part, validate.validate_extraction(part, profile, when,
                                                                 email=extraction,
                                                                 read_on=clock.today()),
                              profile, email=extraction)
                for part in parts]
    has_form = any(v.verdict in ("complete", "incomplete", "old") for v in verdicts)
    drafts = []
    for part, verdict in zip(parts, verdicts):
        label = name if part is extraction else f"{name} > {part.file}"
        d = _draft(label, part, verdict, email=extraction)
        d.received_at = when
        if has_form and d.outcome == "not_referral":
            # e.g. the signed agreement sent with the referral: kept, no "attention" email
            d.reason = f"Sent with a form in the same email; kept with it. {d.reason}".strip()
            d.effects = owed_by(d, mail=False)
        drafts.append(d)
    return drafts


def recognise_own(extraction, verdict: Verdict, profile, email=None) -> Verdict:
    """The service's own paperwork coming back (its blank form, its own automatic emails) is
    not a referral: it goes to Attention for a person and is never given a reference."""
    from pipeline.extract.reasons import say
    src = email or extraction
    if _our_automatic_message(src, profile):
        return Verdict(verdict="not_referral", reason=say("own.own_email", profile),
                       form_id=verdict.form_id, form_version=verdict.form_version)
    if verdict.kind == "referral" and verdict.verdict in ("incomplete", "old") and \
            _blank(extraction):
        from pipeline.catalogue import catalogue
        try:
            title = catalogue().form(verdict.form_id or "").title
        except KeyError:
            title = "referral form"
        return Verdict(verdict="not_referral", reason=say("own.blank_form", profile,
                                                          title=title),
                       form_id=verdict.form_id, form_version=verdict.form_version)
    return verdict


def _our_automatic_message(src, profile) -> bool:
    """Our own mail carries Auto-Submitted and comes from our address; a person forwarding
    from the team's mailbox (often the same address) sends no Auto-Submitted."""
    from pipeline.notify.addresses import clean_address, same_address
    if not getattr(src, "is_email", False) or not src.auto_submitted or not src.sender:
        return False
    return same_address(clean_address(src.sender), clean_address(profile.mail.from_address))


def _blank(extraction) -> bool:
    """No answer written anywhere: only unticked boxes (a blank form reads them as "no")."""
    for value in extraction.fields.values():
        values = value if isinstance(value, list) else [value]
        if any(str(v).strip() and str(v).strip().lower() != "no" for v in values):
            return False
    return True


SW_EMAIL_KEY = "social_worker.email"


def _old_form_reply_to(extraction, verdict: Verdict) -> Verdict:
    """An old form is not validated, but the social worker's email it gives is the person to
    ask for the current form: keep that one answer (only a usable address), so the refusal
    goes to them and not only to the team."""
    from pipeline.notify.addresses import clean_address
    address = clean_address(extraction.fields.get(SW_EMAIL_KEY))
    if not address or verdict.values.get(SW_EMAIL_KEY):
        return verdict
    return verdict.model_copy(update={"values": {**verdict.values, SW_EMAIL_KEY: address}})


def _draft(name: str, extraction, verdict: Verdict, email=None) -> ItemDraft:
    outcome = outcome_of(verdict)
    if outcome == "old_form":
        verdict = _old_form_reply_to(extraction, verdict)
    case = verdict.values.get(CASE_KEY) or extraction.fields.get(CASE_KEY)
    if isinstance(case, list):
        case = " ".join(case)
    src = email or extraction
    agreement = bool(email is not None and validate.agreement_in_email(email, extraction))
    return owe(ItemDraft(original_name=name, outcome=outcome, reason=verdict.reason or outcome,
                     case_id=normalise_case_id(case) if outcome != "not_referral" else None,
                     sender=src.sender, subject=src.subject,
                     auto_submitted=bool(src.auto_submitted), verdict=verdict,
                     agreement_attached=agreement))


# ---------------------------------------------------------------- session records

REFERENCE_KEY = "session.reference"


def normalise_reference(value) -> str | None:
    """"ft-2026-00001 " is FT-2026-00001."""
    if value in (None, ""):
        return None
    return "".join(str(value).split()).upper() or None


def link_sessions(drafts: list[ItemDraft], ledger: Ledger, profile) -> list[ItemDraft]:
    """Give each completed session record its referral, or send it to Attention saying why.

    A record the validator found incomplete is not added to the sessions (the missed-session
    rule must not act on a guess); a person asks the supervisor for the missing answers.
    """
    for d in drafts:
        v = d.verdict
        if d.outcome != "session_record" or v is None:
            continue
        ref = normalise_reference(v.values.get(REFERENCE_KEY))
        if v.verdict != "complete":
            missing = "; ".join(p.message for p in v.problems[:6]) or v.reason
            _to_attention(d, "This Family Time Record was not added to the referral's sessions "
                             f"because answers are missing or wrong: {missing} Please ask the "
                             "supervisor to correct the record and send it again.")
            continue
        referral = ledger.item_by_reference(ref) if ref else None
        if referral is None or referral.outcome not in REFERRAL_OUTCOMES:
            _to_attention(d, f"This Family Time Record gives the referral reference "
                             f"'{ref or 'none'}', but no referral with that reference has been "
                             "received, so it could not be added to anyone's sessions. Please "
                             "check the reference with the supervisor and send it again.")
            continue
        if unanswered_valid_reason(v):
            _to_attention(d, f"This Family Time Record for {ref}, session on "
                             f"{short_date(v.values['session.date'])} "
                             f"({v.values.get('session.outcome')}), does not say whether the "
                             "reason was accepted as valid, so it was not added to the "
                             "referral's sessions and counts towards nothing yet. Please ask "
                             "the supervisor to answer 'Reason accepted as valid?' (Yes or "
                             "No) and send the record again.")
            continue
        d.session = session_record(v, 0, ref, profile)
        d.reason = (f"Session record for {ref}, session on {short_date(d.session.date)}: "
                    f"{d.session.outcome}.")
        if d.session.late_recording:
            d.reason += " Written later than the recording deadline."
        d.reason += _replacement_note(d.session, ledger)
        d.effects = owed_by(d)
    return drafts


def _replacement_note(record: SessionRecord, ledger: Ledger) -> str:
    """A second record for the same session replaces the first (the ledger keeps both); say so,
    and when the rule already acted on the first, ask a person to check the decision."""
    earlier = [r for r in ledger.sessions_of(record.reference) if r.date == record.date]
    if not earlier:
        return ""
    note = (f" It replaces the record for the session on {short_date(record.date)} received "
            f"earlier (item {max(r.item_id for r in earlier)}).")
    acted = next((sa.action for sa in ledger.rule_actions(record.reference)
                  if record.date in sa.action.session_dates), None)
    if acted is not None and not record.missed_by_parent:
        words = "suspension" if acted.kind == "suspension" else "legal advice"
        note += (f" The {words} decided on the earlier record counted this session as "
                 "missed; please check whether it still stands.")
    return note


def _to_attention(d: ItemDraft, reason: str) -> None:
    d.outcome, d.reason = "session_attention", reason
    d.effects = owed_by(d)


# ---------------------------------------------------------------- one child, one referral

UPDATED_FLAG = "updated_referral"


def one_referral_per_child(drafts: list[ItemDraft], ledger: Ledger, config, profile
                           ) -> list[ItemDraft]:
    """A child (CareFirst ID) has one open referral: a copy of the same form in the same email
    is kept with the first; a new referral for a child already referred updates the open one
    (same reference); one for a child whose referral was closed names the old reference."""
    first_of_case: dict[str, ItemDraft] = {}
    closed: set[str] | None = None
    for d in drafts:
        if d.outcome not in REFERRAL_OUTCOMES or not d.case_id:
            continue
        if d.case_id in first_of_case:
            first = first_of_case[d.case_id]
            d.outcome = "duplicate"
            d.effects = owed_by(d)
            d.reason = (f"A copy of the form '{first.original_name}' sent in the same email; "
                        "kept with it as one referral.")
            continue
        first_of_case[d.case_id] = d
        if d.outcome != "accepted":
            continue
        open_ = ledger.open_referral_of_case(d.case_id)
        if open_ is None:
            continue
        if closed is None:
            closed = _closed_references(config, profile)
        if open_.reference in closed:
            d.previous_reference = open_.reference
            d.reason = (f"{d.reason} This child's earlier referral {open_.reference} was "
                        "closed, so this is a new referral.").strip()
            continue
        if same_answers(d, open_):
            _copy_of(d, open_)
            continue
        d.update_of = open_.reference
        d.reason = (f"Updated referral for {open_.reference} (the child already has an open "
                    f"referral): {d.reason}").strip()
        if d.verdict is not None and UPDATED_FLAG not in d.verdict.flags:
            d.verdict = d.verdict.model_copy(update={"flags": [*d.verdict.flags, UPDATED_FLAG]})
    return drafts


def same_answers(d: ItemDraft, earlier: Item) -> bool:
    """The same referral sent again (as Word and as PDF, or the same form twice): every answer
    reads the same as the open referral's latest version. Anything changed is an update."""
    if d.verdict is None or earlier.verdict is None:
        return False
    return d.verdict.values == earlier.verdict.values


def _copy_of(d: ItemDraft, earlier: Item) -> None:
    """One referral, not an update: recorded as a duplicate copy, with no acknowledgement."""
    d.outcome, d.linked_to = "duplicate", earlier.id
    d.effects = owed_by(d)
    d.reason = (f"A copy of referral {earlier.reference} with the same answers (received as "
                f"'{earlier.original_name}' on {short_datetime(earlier.received_at)}); it is "
                "the same referral, so no acknowledgement was sent.")


def _closed_references(config, profile) -> set[str]:
    """References whose Status a co-ordinator set to Closed in the tracker."""
    from pipeline.tracker import allocations_or_none
    return {ref for ref, a in allocations_or_none(config, profile).items()
            if (a.status or "").strip().casefold() == "closed"}


def _duplicate_draft(name: str, earlier: list[FileRecord], ledger: Ledger) -> ItemDraft:
    first = earlier[0]
    items = ledger.items_of_file(first.id)
    ref = next((i.reference for i in items if i.reference), None)
    when = short_datetime(first.received_at)
    reason = (f"The same file was already received on {when}"
              + (f" (reference {ref})" if ref else "")
              + "; it was not processed again and no email was sent.")
    return owe(ItemDraft(original_name=name, outcome="duplicate", reason=reason,
                         linked_to=items[0].id if items else None))
