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
    RULE = "rule"                             # the missed-session rule's letters and notice
    SIGNIFICANT_EVENT = "significant_event"   # the social worker emailed at once
    LAC_REPORT = "lac_report"                 # review reports: not owed by items, found by date
    DIGEST = "digest"                         # the team's daily digest: found by the clock
    COMMITMENTS_MET = "commitments_met"       # dates typed for commitments kept: found by a save


class EffectStatus(enum.StrEnum):
    """The statuses the ledger stores for an owed effect (the effects table's `status`)."""
    PENDING = "pending"          # owed; tried when its next attempt is due (maybe Waiting)
    DONE = "done"
    FAILED = "failed"            # tried and failed: retried with backoff
    WITHHELD = "withheld"        # deliberately not done (the reason kept): never retried


class Waiting(enum.StrEnum):
    """Why an owed effect is not done (the ledger's `waiting` column, read by `status`).

    NOT_INSTALLED is only read: old ledgers hold it from before every module existed."""
    WORKBOOK_OPEN = "workbook_open"
    ALLOCATION = "allocation"
    SMTP = "smtp"
    SETUP = "setup"
    ERROR = "error"
    WITHHELD = "withheld"            # deliberately not done (e.g. an email not sent): never retried
    NOT_INSTALLED = "not_installed"
