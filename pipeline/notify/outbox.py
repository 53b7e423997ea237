"""Deliver automatic emails exactly once: always as an .eml file, and by SMTP when configured.

Every message is written to config.mail_dir as <key>.eml (a private file, written atomically):
people can read and audit it, or a mail server can collect it from the folder. When the
profile has [mail.smtp], the same bytes are also sent, and a small SQLite table of our own
(state/mail-outbox.sqlite) records each key: when written, when sent, attempts, the next
attempt and the last error. A failed send is retried with exponential backoff on later calls;
a message the server accepted is marked sent at once and never sent again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import smtplib
import sqlite3
import ssl
import threading
import time
from collections.abc import Callable

from pydantic import BaseModel

from pipeline import backoff, words
from pipeline import clock as pipeline_clock
from pipeline.config import Config
from pipeline.dates import numeric_datetime
from pipeline.errors import FamilyTimeError
from pipeline.files import private_dir, write_private
from pipeline.ledger.names import MailHow
from pipeline.notify.addresses import clean_address
from pipeline.notify.message import WIRE_POLICY, OutgoingMessage, eml_name
from pipeline.notify.message import message_id as message_id_for
from pipeline.profile import Profile

log = logging.getLogger("pipeline.notify")
WORDS = "mail/followup.toml"  # what `status` and the digest say of held, unknown, bounced mail

_SCHEMA = """
CREATE TABLE IF NOT EXISTS mail (
    key           TEXT PRIMARY KEY,
    file          TEXT NOT NULL,        -- the .eml file's name in the mail folder
    recipients    TEXT NOT NULL,        -- JSON list of envelope recipients
    mode          TEXT NOT NULL,        -- 'file' (written only) or 'smtp' (must be sent)
    written_at    TEXT NOT NULL,
    sent_at       TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  REAL NOT NULL DEFAULT 0,  -- seconds since the epoch
    last_error    TEXT,
    claimed_until REAL                  -- a sender is working on it until then
)
"""
# Added for issue 27 (an older table gains them when opened): the Message-ID recorded before
# any send; the recipients held back (outside the allowed domains); when a send ended with the
# server holding the data but no answer (delivery unknown: never sent again by itself).
_COLUMNS = {"message_id": "TEXT", "held": "TEXT", "unknown_at": "TEXT"}


class PendingMail(BaseModel):
    """One message still waiting for the mail server, for `status`: its next try is on the
    pipeline's clock (MailOutbox.pending_report), like every other time `status` shows."""

    key: str
    file: str
    attempts: int
    written_at: str
    next_attempt: dt.datetime | None
    last_error: str | None

    def describe(self) -> str:
        when = numeric_datetime(self.next_attempt, missing="now")
        tried = f"{self.attempts} attempt(s)" if self.attempts else "not tried yet"
        error = f"; last problem: {self.last_error}" if self.last_error else ""
        return f"{self.key}: {tried}, next try {when}{error}"


class _SendFailed(FamilyTimeError):
    """A send that did not happen; the message is for the person reading `status`."""


class _DeliveryUnknown(FamilyTimeError):
    """The server took the whole message and then gave no answer: it may have kept it, so
    sending again could deliver it twice (issue 27). A person must check."""


class MailOutbox:
    """The only place mail leaves from. Safe to create anew after a restart."""

    LEASE_SECONDS = 300.0  # a crashed sender's claim runs out after this

    def __init__(
        self,
        config: Config,
        profile: Profile,
        *,
        backoff_base: float = 60.0,
        backoff_max: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ):
        self.config = config
        self.profile = profile
        self.mail_dir = config.mail_dir
        self.db_path = config.state_dir / "mail-outbox.sqlite"
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.clock = clock
        self._local = threading.local()
        self.problem: str | None = None  # why the last deliver could not write, plainly
        try:
            private_dir(self.mail_dir)
        except OSError as exc:  # said by deliver, which cannot write there either
            self.problem = folder_problem(exc, self.mail_dir)
        private_dir(config.state_dir)
        with self._db() as db:
            db.execute(_SCHEMA)
            have = {r["name"] for r in db.execute("PRAGMA table_info(mail)")}
            for name, kind in _COLUMNS.items():
                if name not in have:
                    db.execute(f"ALTER TABLE mail ADD COLUMN {name} {kind}")

    # ---- public

    def deliver(self, msg: OutgoingMessage) -> bool:
        """Write `msg` (once) and send it (once) if SMTP is configured.

        True when nothing more is owed for this key; False when a send is still to come
        (it failed, its retry time has not come yet, or the folder could not be written):
        call again later. Never raises for a mail or disk problem.
        """
        self.problem = None
        try:
            return self._deliver(msg)
        except (OSError, sqlite3.Error) as exc:
            self.problem = folder_problem(exc, self.mail_dir)
            log.warning("mail %s not written: %s", msg.key, self.problem)
            return False

    def _deliver(self, msg: OutgoingMessage) -> bool:
        name = eml_name(msg.key)
        path = self.mail_dir / name
        row = self._row(msg.key)
        if row is None or (row["sent_at"] is None and row["mode"] == "smtp" and not path.exists()):
            if not path.exists():
                write_private(path, msg.message.as_bytes(policy=WIRE_POLICY))
            mode = "smtp" if self.profile.mail.smtp else "file"
            with self._db() as db:
                db.execute(
                    "INSERT OR IGNORE INTO mail (key, file, recipients, mode, written_at,"
                    " message_id, held) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        msg.key,
                        name,
                        json.dumps(msg.recipients),
                        mode,
                        self._stamp(),
                        msg.message_id,
                        json.dumps(list(msg.held)) if msg.held else None,
                    ),
                )
            row = self._row(msg.key)
            log.info("mail %s written to %s", msg.key, name)
            if msg.held:  # the domains only: an address often spells a person's name
                log.warning(
                    "mail %s held from %d recipient(s) outside the allowed domains (%s)",
                    msg.key,
                    len(msg.held),
                    ", ".join(sorted({a.rpartition("@")[2] for a in msg.held})),
                )
        if row["mode"] == "file" or row["sent_at"] or row["unknown_at"]:
            return True  # an unknown delivery is never sent again by itself: a person checks
        return self._send(row)

    def retry_due(self) -> int:
        """Send every message whose retry time has come; the number now sent."""
        with self._db() as db:
            rows = db.execute(
                "SELECT * FROM mail WHERE mode = 'smtp' AND sent_at IS NULL AND "
                "unknown_at IS NULL AND next_attempt <= ? ORDER BY written_at",
                (self.clock(),),
            ).fetchall()
        return sum(1 for row in rows if self._send(row))

    def pending_report(self) -> list[PendingMail]:
        """Messages the mail server has not accepted yet, oldest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT * FROM mail WHERE mode = 'smtp' AND sent_at IS NULL AND "
                "unknown_at IS NULL ORDER BY written_at"
            ).fetchall()
        return [
            PendingMail(
                key=r["key"],
                file=r["file"],
                attempts=r["attempts"],
                written_at=r["written_at"],
                last_error=r["last_error"],
                next_attempt=self._on_clock(r["next_attempt"]) if r["next_attempt"] else None,
            )
            for r in rows
        ]

    def written_only(self) -> list[str]:
        """Keys of messages only written to the folder (no mail server when they were made),
        oldest first: nobody received them unless someone sent them by hand."""
        with self._db() as db:
            rows = db.execute(
                "SELECT key FROM mail WHERE mode = 'file' AND sent_at IS NULL ORDER BY written_at"
            ).fetchall()
        return [r["key"] for r in rows]

    def unknown(self) -> list[dict]:
        """Messages whose delivery is unknown (the server took the data, then no answer):
        {key, file, message_id, at}, oldest first. Never sent again by the pipeline."""
        with self._db() as db:
            rows = db.execute(
                "SELECT key, file, message_id, unknown_at FROM mail WHERE unknown_at IS NOT "
                "NULL AND sent_at IS NULL ORDER BY written_at"
            ).fetchall()
        return [
            {
                "key": r["key"],
                "file": r["file"],
                "message_id": r["message_id"] or "",
                "at": r["unknown_at"],
            }
            for r in rows
        ]

    def held(self) -> list[dict]:
        """Messages with documents held from recipients outside the allowed domains:
        {key, file, held: [addresses], written_at}, oldest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT key, file, held, written_at FROM mail WHERE held IS NOT NULL "
                "ORDER BY written_at"
            ).fetchall()
        return [
            {
                "key": r["key"],
                "file": r["file"],
                "held": json.loads(r["held"]),
                "written_at": r["written_at"],
            }
            for r in rows
        ]

    def key_of_message_id(self, message_id: str) -> str | None:
        """The key of our message with this Message-ID (a reply or bounce names it); rows
        written before the Message-ID was kept get theirs from the key, which makes it."""
        wanted = message_id.strip()
        with self._db() as db:
            row = db.execute("SELECT key FROM mail WHERE message_id = ?", (wanted,)).fetchone()
            if row:
                return row["key"]
            rows = db.execute("SELECT key FROM mail WHERE message_id IS NULL").fetchall()
        sender = self.profile.mail.from_address
        return next((r["key"] for r in rows if message_id_for(r["key"], sender) == wanted), None)

    def message_id_of(self, key: str) -> str | None:
        row = self._row(key)
        if row is None:
            return None
        return row["message_id"] or message_id_for(key, self.profile.mail.from_address)

    def knows(self, key: str) -> bool:
        return self._row(key) is not None

    def latest_key(self, reference: str, kinds: tuple[str, ...]) -> str | None:
        """The latest message of these kinds for a referral (a reply naming only the
        reference in its subject is matched to it)."""
        with self._db() as db:
            rows = db.execute(
                "SELECT key FROM mail WHERE key LIKE ? ORDER BY written_at DESC, rowid DESC",
                (f"{reference}:%",),
            ).fetchall()
        for r in rows:
            parts = r["key"].split(":")
            if len(parts) > 1 and parts[1] in kinds:
                return r["key"]
        return None

    def is_sent(self, key: str) -> bool:
        row = self._row(key)
        return bool(row and row["sent_at"])

    # ---- sending

    def _send(self, row: sqlite3.Row) -> bool:
        now = self.clock()
        if row["next_attempt"] > now:
            return False
        with self._db() as db:  # claim it, so two processes never send the same key
            claimed = db.execute(
                "UPDATE mail SET claimed_until = ? WHERE key = ? AND sent_at IS NULL AND "
                "(claimed_until IS NULL OR claimed_until < ?)",
                (now + self.LEASE_SECONDS, row["key"], now),
            ).rowcount
        if not claimed:
            return False
        try:
            data = (self.mail_dir / row["file"]).read_bytes()
            refused = self._smtp_send(row["key"], data, json.loads(row["recipients"]))
        except _DeliveryUnknown as exc:
            with self._db() as db:
                db.execute(
                    "UPDATE mail SET attempts = attempts + 1, unknown_at = ?, last_error = ?, "
                    "claimed_until = NULL WHERE key = ?",
                    (self._stamp(), str(exc), row["key"]),
                )
            log.warning("mail %s: delivery unknown, not sent again: %s", row["key"], exc)
            return True  # nothing more the pipeline may do: a person checks
        except _SendFailed as exc:
            attempts = row["attempts"] + 1
            delay = backoff.delay(attempts, self.backoff_base, self.backoff_max)
            with self._db() as db:
                db.execute(
                    "UPDATE mail SET attempts = ?, next_attempt = ?, last_error = ?, "
                    "claimed_until = NULL WHERE key = ?",
                    (attempts, self.clock() + delay, str(exc), row["key"]),
                )
            log.warning(
                "mail %s not sent (attempt %d, next in %.0f s): %s",
                row["key"],
                attempts,
                delay,
                exc,
            )
            return False
        except OSError as exc:  # the .eml file itself could not be read
            with self._db() as db:
                db.execute(
                    "UPDATE mail SET last_error = ?, claimed_until = NULL WHERE key = ?",
                    (f"The message file {row['file']} could not be read ({exc}).", row["key"]),
                )
            return False
        log.info(
            "mail %s sent%s",
            row["key"],
            f" ({len(refused)} recipient(s) refused)" if refused else "",
        )
        return True

    def _smtp_send(self, key: str, data: bytes, recipients: list[str]) -> dict:
        """Hand `data` to the server; mark the key sent the moment the server accepts it."""
        smtp = self.profile.mail.smtp
        sender = clean_address(self.profile.mail.from_address)
        if smtp is None or sender is None:
            raise _SendFailed("The service profile has no usable mail server or from-address.")
        user, password = _smtp_login(smtp)
        where = f"{smtp.host}:{smtp.port}"
        conn: smtplib.SMTP | None = None
        accepted = False
        handed = [False]  # the whole message reached the server: from then on, unsure
        try:
            conn = _smtp_connect(smtp)
            if user and password:
                conn.login(user, password)
            refused = _send_once(conn, sender, recipients, data, handed)
            accepted = True
        except (smtplib.SMTPException, OSError) as exc:
            if handed[0] and not isinstance(exc, smtplib.SMTPResponseException):
                raise _unknown(exc, where, smtp.timeout_seconds) from exc
            raise _send_failure(exc, where, smtp.timeout_seconds) from exc
        finally:
            if conn is not None and not accepted:
                _close(conn)
        # Accepted: record it before anything else can go wrong (even saying goodbye).
        self._mark_sent(key, refused, recipients)
        _close(conn, polite=True)
        return refused

    def _mark_sent(self, key: str, refused: dict, recipients: list[str]) -> None:
        """Record the server's acceptance, noting any recipients it refused."""
        note = (
            (f"Sent, but the server refused {len(refused)} of {len(recipients)} recipient(s).")
            if refused
            else None
        )
        with self._db() as db:
            db.execute(
                "UPDATE mail SET sent_at = ?, attempts = attempts + 1, last_error = ?, "
                "claimed_until = NULL WHERE key = ?",
                (self._stamp(), note, key),
            )

    # ---- state

    def _db(self) -> contextlib.nullcontext:
        """This thread's connection, opened once per outbox (closing one per message forced
        a WAL checkpoint each time: the biggest cost of writing a message)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            self._local.db = db
        return contextlib.nullcontext(db)

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def how(self, key: str) -> MailHow | None:
        """What became of the message `key`: handed to the mail server (sent), only written to
        the outbox folder because no mail server is set up (written), or None while it is
        still owed. What the case timeline records, so no view says "sent" for a file."""
        row = self._row(key)
        if row is None:
            return None
        if row["sent_at"]:
            return MailHow.SENT
        if row["unknown_at"]:
            return MailHow.UNKNOWN
        return MailHow.WRITTEN if row["mode"] == "file" else None

    def _row(self, key: str) -> sqlite3.Row | None:
        with self._db() as db:
            return db.execute("SELECT * FROM mail WHERE key = ?", (key,)).fetchone()

    def _stamp(self) -> str:
        """written_at and sent_at: when it happened on the pipeline's clock, the day every
        other stamp and the message's own Date header show (a demonstration's moved day)."""
        return pipeline_clock.now().astimezone().isoformat(timespec="seconds")

    def _on_clock(self, moment: float) -> dt.datetime:
        """A retry time (on the machine's clock, which the waiting counts in) as people are
        shown it: the pipeline's now plus the real seconds still to wait."""
        return pipeline_clock.now() + dt.timedelta(seconds=moment - self.clock())


def folder_problem(exc: BaseException, folder) -> str:
    """Why a message could not be written, in plain words: the disk full, the folder not
    writable, or otherwise the error named (never "waiting for the mail server")."""
    import errno

    code = getattr(exc, "errno", None)
    entry = "other"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or "disk is full" in str(exc):
        entry = "disk_full"
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS) or "readonly" in str(exc):
        entry = "not_writable"
    return words.entry(WORDS, "faults", entry, folder=str(folder), error=str(exc)[:200])


def _smtp_login(smtp) -> tuple[str | None, str | None]:
    """The login named by the profile's environment variables; refuse a half-set one."""
    user = os.environ.get(smtp.username_env) if smtp.username_env else None
    password = os.environ.get(smtp.password_env) if smtp.password_env else None
    if (smtp.username_env and not user) or (smtp.password_env and not password):
        missing = [
            n for n, v in ((smtp.username_env, user), (smtp.password_env, password)) if n and not v
        ]
        raise _SendFailed(
            "The mail server's login is not set: the environment variable(s) "
            f"{', '.join(missing)} are empty."
        )
    return user, password


def _smtp_connect(smtp) -> smtplib.SMTP:
    """Open the connection: implicit TLS on 465, otherwise plain with optional STARTTLS."""
    if smtp.port == 465:
        return smtplib.SMTP_SSL(
            smtp.host,
            smtp.port,
            timeout=smtp.timeout_seconds,
            context=ssl.create_default_context(),
        )
    conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
    if smtp.starttls:
        conn.starttls(context=ssl.create_default_context())
    return conn


def _send_once(
    conn: smtplib.SMTP, sender: str, recipients: list[str], data: bytes, handed: list[bool]
) -> dict:
    """smtplib's sendmail, step by step, so we know when the message's last byte was handed
    over (`handed[0]`): a failure before that is a plain failure, retried; after it the server
    may have the message, and only its answer says whether it kept it."""
    conn.ehlo_or_helo_if_needed()
    code, resp = conn.mail(sender)
    if code != 250:
        conn._rset()
        raise smtplib.SMTPSenderRefused(code, resp, sender)
    refused = {}
    for r in recipients:
        code, resp = conn.rcpt(r)
        if code not in (250, 251):
            refused[r] = (code, resp)
    if len(refused) == len(recipients):
        conn._rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    conn.putcmd("data")
    code, resp = conn.getreply()
    if code != 354:
        conn._rset()
        raise smtplib.SMTPDataError(code, resp)
    body = re.sub(rb"(?m)^\.", b"..", data)
    if body[-2:] != b"\r\n":
        body += b"\r\n"
    conn.send(body + b".\r\n")
    handed[0] = True
    code, resp = conn.getreply()
    if code != 250:
        conn._rset()  # the server said no: nothing was kept, so a retry is right
        raise smtplib.SMTPDataError(code, resp)
    return refused


def _unknown(exc: BaseException, where: str, timeout: float) -> _DeliveryUnknown:
    """Say plainly that the server had the message and did not say whether it kept it."""
    return _DeliveryUnknown(
        words.entry(
            WORDS,
            "outbox",
            "delivery_unknown",
            where=where,
            timeout=f"{timeout:g}",
            error=exc.__class__.__name__,
        )
    )


def _send_failure(exc: BaseException, where: str, timeout: float) -> _SendFailed:
    """Say in plain words why the server did not take the message (most specific first)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _ in exc.recipients.values()})
        return _SendFailed(f"The mail server refused every recipient (code {', '.join(codes)}).")
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return _SendFailed(
            f"The mail server at {where} refused the message "
            f"({exc.smtp_code} {' '.join(text.split())})."
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if "timed out" in str(exc):  # smtplib reports a read timeout this way
            return _SendFailed(
                f"No answer from the mail server at {where} within {timeout:g} seconds."
            )
        return _SendFailed(
            f"The mail server at {where} closed the connection before accepting the message."
        )
    if isinstance(exc, TimeoutError):
        return _SendFailed(f"No answer from the mail server at {where} within {timeout:g} seconds.")
    return _SendFailed(
        f"Could not send through the mail server at {where} ({exc.__class__.__name__}: {exc})."
    )


def _close(conn: smtplib.SMTP, polite: bool = False) -> None:
    try:
        if polite:
            conn.quit()
        else:
            conn.close()
    except (smtplib.SMTPException, OSError):
        try:
            conn.close()
        except OSError:
            pass
