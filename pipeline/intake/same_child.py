"""One referral per child (CareFirst ID): a copy, an update, or a new referral.

A copy of the same form in the same email is kept with the first; a referral for a child
with an open referral updates it (same reference), or is recorded as a copy when every answer
reads the same; one for a child whose referral a co-ordinator closed in the tracker is a new
referral naming the old reference. Whether it was closed is read from the workbook, and when
the workbook cannot be read the decision is not guessed: WorkbookUnreadable is raised and the
file waits (pipeline/intake/process.py). The words are form_templates/intake/reasons.toml's
[same_child].
"""

from __future__ import annotations

from pipeline.dates import numeric_datetime
from pipeline.effects.contract import owed_by
from pipeline.extract.reasons import say
from pipeline.ledger import ItemDraft, Ledger
from pipeline.models import Item
from pipeline.outcomes import REFERRAL_OUTCOMES
from pipeline.paths import FORM_TEMPLATES

WORDS = FORM_TEMPLATES / "intake"  # form_templates/intake/reasons.toml
UPDATED_FLAG = "updated_referral"


def _words(key: str, profile, **values) -> str:
    return say(f"same_child.{key}", profile, root=WORDS, **values)


def one_referral_per_child(
    drafts: list[ItemDraft], ledger: Ledger, config, profile
) -> list[ItemDraft]:
    """A child (CareFirst ID) has one open referral: a copy of the same form in the same email
    is kept with the first; a new referral for a child already referred updates the open one
    (same reference); one for a child whose referral was closed names the old reference.

    Raises WorkbookUnreadable (pipeline/errors.py) when whether the referral was closed
    cannot be read: nothing is decided, the caller leaves the file for the next try."""
    first_of_case: dict[str, ItemDraft] = {}
    closed: set[str] | None = None
    for d in drafts:
        if d.outcome not in REFERRAL_OUTCOMES or not d.case_id:
            continue
        if d.case_id in first_of_case:
            first = first_of_case[d.case_id]
            d.outcome = "duplicate"
            d.effects = owed_by(d)
            d.reason = _words("copy_in_email", profile, name=first.original_name)
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
            d.reason = _words("closed", profile, reason=d.reason, reference=open_.reference).strip()
            continue
        if same_answers(d, open_):
            _copy_of(d, open_, profile)
            continue
        d.update_of = open_.reference
        d.reason = _words("update", profile, reference=open_.reference, reason=d.reason).strip()
        if d.verdict is not None and UPDATED_FLAG not in d.verdict.flags:
            d.verdict = d.verdict.model_copy(update={"flags": [*d.verdict.flags, UPDATED_FLAG]})
    return drafts


def same_answers(d: ItemDraft, earlier: Item) -> bool:
    """The same referral sent again (as Word and as PDF, or the same form twice): every answer
    reads the same as the open referral's latest version. Anything changed is an update."""
    if d.verdict is None or earlier.verdict is None:
        return False
    return d.verdict.values == earlier.verdict.values


def _copy_of(d: ItemDraft, earlier: Item, profile=None) -> None:
    """One referral, not an update: recorded as a duplicate copy, with no acknowledgement."""
    d.outcome, d.linked_to = "duplicate", earlier.id
    d.effects = owed_by(d)
    d.reason = _words(
        "copy",
        profile,
        reference=earlier.reference,
        name=earlier.original_name,
        received=numeric_datetime(earlier.received_at),
    )


def _closed_references(config, profile) -> set[str]:
    """References whose Status a co-ordinator set to Closed in the tracker (raises
    WorkbookUnreadable rather than answer "none" for a workbook it could not read)."""
    from pipeline.tracker import allocations_or_unreadable

    return {
        ref
        for ref, a in allocations_or_unreadable(config, profile).items()
        if (a.status or "").strip().casefold() == "closed"
    }
