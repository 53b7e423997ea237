"""The names the ledger stores for owed effects: which effect, its status, and why it waits.

They live with the ledger, which keeps them as text, so the ledger never imports the effect
contract (pipeline/effects/contract.py), which imports the ledger."""

from __future__ import annotations

import enum


class EffectName(enum.StrEnum):
    """The ledger's effect names (stored as text: the values never change)."""

    TRACKER = "tracker"
    MAIL = "mail"
    PAPERWORK = "paperwork"
    RULE = "rule"  # the missed-session rule's letters and notice
    SIGNIFICANT_EVENT = "significant_event"  # the social worker emailed at once
    LAC_REPORT = "lac_report"  # review reports: not owed by items, found by date
    DIGEST = "digest"  # the team's daily digest: found by the clock
    COMMITMENTS_MET = "commitments_met"  # dates typed for commitments kept: found by a save


class EffectStatus(enum.StrEnum):
    """The statuses the ledger stores for an owed effect (the effects table's `status`)."""

    PENDING = "pending"  # owed; tried when its next attempt is due (maybe Waiting)
    DONE = "done"
    FAILED = "failed"  # tried and failed: retried with backoff
    WITHHELD = "withheld"  # deliberately not done (the reason kept): never retried


class Waiting(enum.StrEnum):
    """Why an owed effect is not done (the ledger's `waiting` column, read by `status`).

    NOT_INSTALLED is only read: old ledgers hold it from before every module existed."""

    WORKBOOK_OPEN = "workbook_open"
    ALLOCATION = "allocation"
    SMTP = "smtp"
    SETUP = "setup"
    ERROR = "error"
    WITHHELD = "withheld"  # deliberately not done (e.g. an email not sent): never retried
    NOT_INSTALLED = "not_installed"


class EventKind(enum.StrEnum):
    """What can happen to a referral, as the case timeline records it (stored as text).

    Each is written once, when it happens, by the part of the pipeline that made it happen;
    every view of a case (tracker cells, `status`, `sessions`, the digest, letters, reports) is
    drawn from these, so a word like "sent" or "suspended" exists only where its event does."""

    RECEIVED = "received"  # a submission of the referral arrived
    RETURNED = "returned"  # sent back: incomplete, or on an old form
    ACCEPTED = "accepted"  # by the pipeline, or by a named person
    ACKNOWLEDGED = "acknowledged"  # detail.how: sent | written | withheld
    ALLOCATED = "allocated"  # one per version of the allocation
    PACK_MADE = "pack_made"  # one per pack version
    PACK_MAILED = "pack_mailed"  # detail.to, detail.how
    PROPOSAL_RAISED = "proposal_raised"  # the missed-session rule proposes; nobody decided
    DECIDED = "decided"  # detail.decision: Approved | Declined, detail.by
    SUSPENSION_STARTED = "suspension_started"
    SUSPENSION_ENDED = "suspension_ended"
    LETTERS_MADE = "letters_made"  # the decision's letters and notice, detail.documents
    REVIEW_REPORT_MADE = "review_report_made"
    REVIEW_REPORT_SENT = "review_report_sent"  # detail.how: sent | written, detail.checked_by
    CLOSED = "closed"
    SUSPENSION_CHANGED = "suspension_changed"  # a meeting date typed later moves the end
    DECISION_REFUSED = "decision_refused"  # a decision typed that cannot be applied, and why
    REVIEW_REPORT_CHECKED = "review_report_checked"  # a named person checked it (file's hash)
    MAIL_BOUNCED = "mail_bounced"  # a delivery failure of our own mail: detail.message, code
    MAIL_AUTO_REPLY = "mail_auto_reply"  # an out-of-office reply to our mail, filed only
    MAIL_HELD = "mail_held"  # documents not sent to an address outside the allowed domains
    SCAN_FILED = "scan_filed"  # paper back by its page code: detail.document, .session_date
    ROTA_CHECKED = "rota_checked"  # an allocation checked for clashes: detail.clashes, .warnings
    INVITED = "invited"  # a calendar invitation for the sessions: detail.sequence, .method


class MailHow(enum.StrEnum):
    """What became of a message: handed to the mail server, or only written to the outbox
    folder (no mail server set up), or deliberately not sent (the reason is kept)."""

    SENT = "sent"
    WRITTEN = "written"
    WITHHELD = "withheld"
    UNKNOWN = "unknown"  # the server took the data and never answered: a person checks
    BOUNCED = "bounced"  # it came back undelivered (a later event than the one it bounces)
