"""Oversight reports: the figures of a Looked After Child review report and the service's
monthly figures, worked out from the ledger (and the tracker's allocations) alone."""
