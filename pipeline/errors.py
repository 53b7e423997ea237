"""The errors the pipeline raises on purpose: one base, each named for what went wrong.

The message is for people (it is shown as it is); the type is for code.
"""


class FamilyTimeError(Exception):
    """Something a person must put right; the message says what and how."""


class WorkbookUnreadable(FamilyTimeError):
    """The tracking workbook exists but cannot be read just now (open, locked, damaged): a
    decision that depends on what people typed in it must wait, not assume it says nothing."""
