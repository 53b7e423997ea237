"""What the reader returns for one file: which form it is and every answer in it.

This is the contract between reading and everything after it (validation, the ledger, the
`extract --json` output). Values are plain text, except check-box days (a list of day names).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

FormStatus = Literal["current", "old", "not_referral", "unreadable"]


class FormMatch(BaseModel):
    id: str | None = None  # "family-time-referral", "family-time-record", or None
    version: str | None = None  # "2025.1", "2022", "contact-referral", or None
    status: FormStatus
    reason: str  # plain English: why we think so
    kind: Literal["referral", "session_record"] | None = None
    # "old" only because enough of the form's labels are there (no title, no version marker,
    # no property): a care plan or chronology asks the same questions, so beside a current
    # form it is a paper sent with it, not an old form to send back
    by_labels_only: bool = Field(default=False, exclude=True)


class Extraction(BaseModel):
    file: str  # the file's name (never a path an attachment chose)
    form: FormMatch
    fields: dict[str, str | list[str]] = Field(default_factory=dict)
    # Email wrappers (.eml / .msg) only:
    sender: str | None = Field(default=None, serialization_alias="from")
    subject: str | None = None
    date: str | None = None  # ISO 8601
    auto_submitted: bool = False  # the message is itself automatic / bulk / no-reply
    attachments: list[Extraction] = Field(default_factory=list)

    @property
    def is_email(self) -> bool:
        return self.subject is not None or self.sender is not None or bool(self.attachments)

    def to_json_dict(self) -> dict:
        out: dict = {
            "file": self.file,
            "form": self.form.model_dump(exclude={"kind"}),
            "fields": self.fields,
        }
        if self.is_email:
            out.update(
                {
                    "from": self.sender,
                    "subject": self.subject,
                    "date": self.date,
                    "attachments": [a.to_json_dict() for a in self.attachments],
                }
            )
        return out
