"""One inbox file through the whole pipeline: hash, duplicate check, read, validate, record, move.

Order matters for never losing or doubling a referral: the ledger commits first (one
transaction per file, with the effects it owes), and only then is the original moved out of
the inbox. A file whose row committed but was not moved (a crash, a locked file) is moved at
the next look, never processed twice. A transient problem (the file is locked, the ledger is
busy, the tracking workbook cannot be read to tell a new referral from an update) leaves the
file where it is for the next try; anything else gets an outcome.

The rules it applies live beside it: one referral per child (same_child.py), which referral
a session record belongs to (pipeline/sessions/linking.py); the words are data
(form_templates/intake/reasons.toml).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import pipeline.extract as extract
import pipeline.validate as validate
from pipeline import clock
from pipeline.dates import numeric_datetime
from pipeline.effects.contract import owe, owed_by
from pipeline.errors import WorkbookUnreadable
from pipeline.extract.reasons import say
from pipeline.files import private_dir, scratch_name
from pipeline.intake.archive import archive_original, reason_text
from pipeline.intake.inbox import is_busy_error
from pipeline.intake.same_child import one_referral_per_child
from pipeline.ledger import AlreadyRecorded, FileRecord, ItemDraft, Ledger, normalise_case_id
from pipeline.ledger.archive_paths import archive_name
from pipeline.models import Item, Verdict
from pipeline.notify import replies
from pipeline.outcomes import outcome_of
from pipeline.paths import FORM_TEMPLATES
from pipeline.server.logs import log_fault
from pipeline.sessions.linking import link_sessions

log = logging.getLogger("pipeline.process")

JUST_SAVED = 3600.0  # seconds: a file this fresh arrived now, on the pipeline clock

WORDS = FORM_TEMPLATES / "intake"  # form_templates/intake/reasons.toml
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


class WaitingForWorkbook(NotYet):
    """The tracking workbook cannot be read, so a new referral cannot yet be told from an
    update of a closed one: the file waits rather than be recorded on a guess."""


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


def process_file(
    path: Path, config, profile, ledger: Ledger, *, keep_source: bool | None = None
) -> list[Item]:
    """Handle one file completely; its items (already recorded earlier, if it was).

    Raises NotYet when the file is locked or the ledger is busy: nothing was recorded and
    the file is still in place. Never raises for a bad file.
    """
    path = Path(path)
    if keep_source is None:  # a file given on the command line is copied
        keep_source = not _within(path, config.inbox_dir)
    read = _size_and_digest(path)
    if read is None:  # gone already
        return []
    size, digest = read
    earlier = _earlier_records(digest, ledger)
    for rec in earlier:  # recorded already but not moved: finish the move only
        if not rec.archived and Path(rec.source_path) == path:
            finish_archive(rec, ledger)
            return ledger.items_of_file(rec.id)
        if Path(rec.source_path) == path and not path.exists():
            return ledger.items_of_file(rec.id)  # recorded and moved by another run meanwhile

    received = _received(path)
    drafts, internal_error = _first_drafts(path, digest, earlier, received, config, profile, ledger)
    if not internal_error and not earlier:  # a bounce or out-of-office reply to our mail
        drafts = replies.file_replies(path, digest, drafts, ledger, config, profile)
    if not internal_error:
        drafts = _one_per_child(drafts, digest, ledger, config, profile)
    try:
        record, items = ledger.record_file(
            sha256=digest,
            original_name=path.name,
            size=size,
            received_at=received,
            source_path=path,
            archive_root=config.archive_dir,
            drafts=drafts,
            keep_source=keep_source,
            archive_folder="failed" if internal_error else None,
            subfolder=None if keep_source else _subfolder(path, config.inbox_dir),
        )
    except sqlite3.OperationalError as exc:  # locked or full: nothing committed
        raise NotYet(f"ledger could not record: {exc}") from exc
    except AlreadyRecorded as exc:  # another process got there first
        record = ledger.file(exc.file_id)
        finish_archive(record, ledger)
        return ledger.items_of_file(record.id)
    finish_archive(record, ledger, items)
    return ledger.items_of_file(record.id)


def _size_and_digest(path: Path) -> tuple[int, str] | None:
    """The file's size and hash; None when it is gone; NotYet when it cannot be read now."""
    try:
        return path.stat().st_size, sha256_of(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if is_busy_error(exc):
            raise NotYet(str(exc)) from exc
        raise NotYet(f"could not read: {exc}") from exc


def _earlier_records(digest: str, ledger: Ledger) -> list[FileRecord]:
    """The files recorded before with the same content (NotYet while the ledger is busy)."""
    try:
        return ledger.files_with_hash(digest)
    except sqlite3.OperationalError as exc:
        raise NotYet(f"ledger busy: {exc}") from exc


def _first_drafts(
    path: Path, digest: str, earlier, received, config, profile, ledger: Ledger
) -> tuple[list[ItemDraft], bool]:
    """The items read from the file (or one duplicate item); True with a single unreadable
    item when a bug in a later stage failed it, so the file is set aside, never lost."""
    if earlier:
        return [_duplicate_draft(path.name, earlier, ledger, profile)], False
    try:
        drafts = _read_and_validate(path, config, profile, received)
        filed = _filed_scan(path, digest, drafts, config, profile, ledger, received)
        return filed or drafts, False
    except NotYet:
        raise
    except OSError as exc:  # disk full, share gone: the environment, not the file
        raise NotYet(f"{type(exc).__name__}: {exc}") from exc
    except Exception:  # a bug in a later stage must not lose the file
        # the detail (which can quote a child's name) goes to the log at DEBUG only; the
        # reason reaches the reason file, the tracker and the team's email
        log_fault(log, "file %s: could not be processed", digest[:12])
        draft = ItemDraft(
            original_name=path.name,
            outcome="unreadable",
            reason=say("process.fault", profile, root=WORDS),
        )
        return [owe(draft)], True


def _filed_scan(path: Path, digest: str, drafts, config, profile, ledger, received) -> list | None:
    """A scan or photo no reader could read, filed instead by the page codes printed on it
    (pipeline/scans/): one item saying where its pages went, owing no email. None when it
    carries none of our codes (it stays "could not be read")."""
    from pipeline.scans.filing import IMAGE_SUFFIXES, file_scan

    if len(drafts) != 1 or drafts[0].outcome not in ("unreadable", "not_referral"):
        return None
    # only what a scanner or a camera makes: an image-only PDF, a photo; never a damaged,
    # locked or oversized file, which stays refused for its own reason
    scanned = drafts[0].reason in (say("pdf.scanned"), say("pdf.scanned", profile))
    if not (scanned or path.suffix.lower() in IMAGE_SUFFIXES):
        return None

    filing = file_scan(path, digest, ledger, config.outbox_dir, received.date())
    if filing is None:
        return None
    draft = ItemDraft(original_name=path.name, outcome="not_referral", reason=filing.summary)
    return [owe(draft, mail=False)]


def _one_per_child(
    drafts: list[ItemDraft], digest: str, ledger: Ledger, config, profile
) -> list[ItemDraft]:
    """Link the items to earlier referrals and keep one referral per child; wait (never
    guess) while the ledger is busy or the tracking workbook cannot be read."""
    try:
        linked = _linked(drafts, ledger, profile, config)
        return one_referral_per_child(linked, ledger, config, profile)
    except sqlite3.OperationalError as exc:
        raise NotYet(f"ledger busy: {exc}") from exc
    except WorkbookUnreadable:
        # whether the child's earlier referral was closed cannot be read: never guess
        # (an update of a closed referral would be recorded for ever); no OSError cause,
        # so waiting on the workbook never counts towards setting the file aside
        log.warning("file %s: waits until the tracking workbook can be read", digest[:12])
        raise WaitingForWorkbook("the tracking workbook cannot be read") from None


def finish_archive(record: FileRecord, ledger: Ledger, items: list[Item] | None = None) -> bool:
    """Move a recorded original to its archive place; True when it is there.

    A locked original stays owed (the next look finishes it). An original that is already
    gone after a crash is found at its destination and marked done.
    """
    source, dest = Path(record.source_path), Path(record.archive_path)
    if source.exists() and not record.keep_source and _replaced(source, record):
        source = Path(record.source_path + ".gone")  # a new file now has the old name
    if items is None:
        items = ledger.items_of_file(record.id)
    if not source.exists() or (record.keep_source and dest.exists()):
        if dest.exists():
            ledger.mark_archived(record.id)
            return True
        if not source.exists():
            log.warning("file %s: original missing from the inbox and the archive", record.id)
            ledger.mark_archived(record.id)
            return False
    try:
        archive_original(source, dest, reason_text(record.outcome, items), record.keep_source)
    except OSError as exc:
        log.warning(
            "file %s: recorded, but could not be moved yet (%s); will retry",
            record.id,
            type(exc).__name__,
        )
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
    """When the file arrived, on the pipeline's one clock: its modification time, never in
    the future. While a demonstration sets the day (FAMILY_TIME_TODAY), a file saved just now
    (within JUST_SAVED of the machine's clock) arrives on that day, as old as it really is; a
    file whose time was set to a day of the story keeps that day."""
    now = clock.now()
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return now.replace(microsecond=0)
    age = time.time() - stamp
    if clock.fixed_today() is not None and 0 <= age <= JUST_SAVED:
        return (now - dt.timedelta(seconds=age)).replace(microsecond=0)
    return min(now, dt.datetime.fromtimestamp(stamp)).replace(microsecond=0)


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
        copy = Path(tmp) / scratch_name(1, path.name)  # short: Windows' 260 characters
        try:
            shutil.copyfile(path, copy)
        except OSError as exc:
            if is_busy_error(exc) or not path.exists():
                raise NotYet(str(exc)) from exc
            raise
        extractions = [e.model_copy(update={"file": path.name}) for e in read_file(copy, profile)]
    drafts: list[ItemDraft] = []
    for i, extraction in enumerate(extractions, start=1):  # one per form in the file
        label = extract.part_name(path.name, i, len(extractions))
        drafts.extend(drafts_for(label, extraction, profile, received))
    return drafts


def drafts_for(name: str, extraction, profile, received: dt.datetime) -> list[ItemDraft]:
    """One draft per submission: the file, or each form attached to an email."""
    if not extraction.is_email:
        verdict = validate.validate_extraction(extraction, profile, received, read_on=clock.today())
        verdict = recognise_own(extraction, verdict, profile)
        return [_draft(name, extraction, verdict)]
    when = _email_received(extraction.date, received)
    parts = extraction.attachments or [extraction]
    verdicts = [
        recognise_own(
            part,
            validate.validate_extraction(
                part, profile, when, email=extraction, read_on=clock.today()
            ),
            profile,
            email=extraction,
        )
        for part in parts
    ]
    has_form = any(v.verdict in ("complete", "incomplete", "old") for v in verdicts)
    if any(v.verdict in ("complete", "incomplete") for v in verdicts):
        # a care plan asks the form's questions without being the form: beside a current
        # form it is a paper sent with it, never an old form sent back
        not_the_form = say("process.not_the_form", profile, root=WORDS)
        verdicts = [
            v.model_copy(update={"verdict": "not_referral", "reason": not_the_form})
            if v.verdict == "old" and part.form.by_labels_only
            else v
            for part, v in zip(parts, verdicts)
        ]
    drafts = []
    for part, verdict in zip(parts, verdicts):
        label = name if part is extraction else f"{name} > {part.file}"
        d = _draft(label, part, verdict, email=extraction)
        d.received_at = when
        if has_form and d.outcome == "not_referral":
            # e.g. the signed agreement sent with the referral: kept, no "attention" email
            d.reason = say("process.sent_with_form", profile, root=WORDS, reason=d.reason).strip()
            d.effects = owed_by(d, mail=False)
        drafts.append(d)
    return drafts


def recognise_own(extraction, verdict: Verdict, profile, email=None) -> Verdict:
    """The service's own paperwork coming back (its blank form, its own automatic emails) is
    not a referral: it goes to Attention for a person and is never given a reference."""
    from pipeline.extract.reasons import say

    src = email or extraction
    if _our_automatic_message(src, profile):
        return Verdict(
            verdict="not_referral",
            reason=say("own.own_email", profile),
            form_id=verdict.form_id,
            form_version=verdict.form_version,
        )
    if (
        verdict.kind == "referral"
        and verdict.verdict in ("incomplete", "old")
        and _blank(extraction)
    ):
        from pipeline.catalogue import catalogue

        try:
            title = catalogue().form(verdict.form_id or "").title
        except KeyError:
            title = "referral form"
        return Verdict(
            verdict="not_referral",
            reason=say("own.blank_form", profile, title=title),
            form_id=verdict.form_id,
            form_version=verdict.form_version,
        )
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
    return owe(
        ItemDraft(
            original_name=name,
            outcome=outcome,
            reason=verdict.reason or outcome,
            case_id=normalise_case_id(case) if outcome != "not_referral" else None,
            sender=src.sender,
            subject=src.subject,
            auto_submitted=bool(src.auto_submitted),
            verdict=verdict,
            agreement_attached=agreement,
        )
    )


SESSION_OUTCOMES = ("session_record", "session_attention")


def _linked(drafts: list[ItemDraft], ledger: Ledger, profile, config=None) -> list[ItemDraft]:
    """Session records linked to their referral or sent to Attention, each owing what it now
    is (linking sits below the effects' contract, so the effects are set here). The tracker
    is read only for a record whose day the timeline's allocations do not plan: an
    allocation typed since the last pass (WorkbookUnreadable while it cannot be read)."""
    typed: dict = {}

    def allocations() -> dict:
        if "read" not in typed and config is not None:
            from pipeline.tracker import allocations_or_unreadable

            typed["read"] = allocations_or_unreadable(config, profile)
        return typed.get("read", {})

    return [
        owe(d) if d.outcome in SESSION_OUTCOMES else d
        for d in link_sessions(drafts, ledger, profile, allocations)
    ]


def _duplicate_draft(
    name: str, earlier: list[FileRecord], ledger: Ledger, profile=None
) -> ItemDraft:
    first = earlier[0]
    items = ledger.items_of_file(first.id)
    ref = next((i.reference for i in items if i.reference), None)
    when = numeric_datetime(first.received_at)
    reason = (
        say("process.same_file_reference", profile, root=WORDS, when=when, reference=ref)
        if ref
        else say("process.same_file", profile, root=WORDS, when=when)
    )
    return owe(
        ItemDraft(
            original_name=name,
            outcome="duplicate",
            reason=reason,
            linked_to=items[0].id if items else None,
        )
    )
