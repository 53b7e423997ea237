"""One referral per child: a copy, an update, or a new referral.

The child is the case ID (CareFirst ID) with the child's name and date of birth: a form
copied for a sibling with the ID left unchanged is another child, never a copy or an update
of the first, and a person is asked which child the ID belongs to. A copy of the same form in
the same email is kept with the first; a referral for a child with an open referral updates
it (same reference, complete or not), or is recorded as a copy when every answer reads the
same; one for a child whose referral a co-ordinator closed in the tracker is a new referral
naming the old reference. Whether it was closed is read from the workbook, and when
the workbook cannot be read the decision is not guessed: WorkbookUnreadable is raised and the
file waits (pipeline/intake/process.py). The words are form_templates/intake/reasons.toml's
[same_child].
"""

from __future__ import annotations

from pipeline.dates import numeric_datetime
from pipeline.effects.contract import owed_by
from pipeline.extract.reasons import say
from pipeline.ledger import ItemDraft, Ledger, normalise_case_id
from pipeline.models import Item, Problem, Verdict
from pipeline.outcomes import REFERRAL_OUTCOMES
from pipeline.paths import FORM_TEMPLATES
from pipeline.sessions.names import name_words as _name_words

WORDS = FORM_TEMPLATES / "intake"  # form_templates/intake/reasons.toml
UPDATED_FLAG = "updated_referral"
CASE_KEY = "child.case_id"
MOTHER = ("mother", "birth mother", "natural mother", "mum", "birth mum")
# On the verdict of a referral a person must look at (shown in the row's Checked cell)
SHARED_ID_FLAG = "ID_shared_with_another_child"
MAYBE_SAME_FLAG = "maybe_the_same_child_as_another_referral"
# An open referral is updated by a form read in full, complete or not (answers missing: the
# social worker is asked, the reference kept); an old version of the form is only returned.
UPDATES = ("accepted", "incomplete")


def _words(key: str, profile, **values) -> str:
    return say(f"same_child.{key}", profile, root=WORDS, **values)


def one_referral_per_child(
    drafts: list[ItemDraft], ledger: Ledger, config, profile
) -> list[ItemDraft]:
    """A child (CareFirst ID) has one open referral: a copy of the same form in the same email
    is kept with the first; a new referral for a child already referred updates the open one
    (same reference, complete or not); one for a child whose referral was closed names the
    old reference. The ID alone is not the child: a form giving the same ID with another
    child's name or date of birth (a sibling's form copied with the ID left unchanged) is
    never a copy or an update, both are kept and a person is asked; a form for a child with
    the same name, date of birth and mother as another referral but another ID is flagged.

    Raises WorkbookUnreadable (pipeline/errors.py) when whether the referral was closed
    cannot be read: nothing is decided, the caller leaves the file for the next try."""
    in_file: dict[str, list[ItemDraft]] = {}
    closed: set[str] | None = None
    for d in drafts:
        if d.outcome not in REFERRAL_OUTCOMES or not d.case_id:
            continue
        _maybe_same_child(d, drafts, ledger, profile)
        earlier_here = in_file.setdefault(d.case_id, [])
        first = next((e for e in earlier_here if same_child(d.verdict, e.verdict)), None)
        if first is not None:
            d.outcome = "duplicate"
            d.effects = owed_by(d)
            d.reason = _words("copy_in_email", profile, name=first.original_name)
            continue
        for other in earlier_here:  # the same ID for another child in the same file
            _shared_id(d, other.original_name, profile)
            _shared_id(other, d.original_name, profile)
        earlier_here.append(d)
        mine, others = [], []
        for i in ledger.referrals_of_case(d.case_id):
            (mine if same_child(d.verdict, i.verdict) else others).append(i)
        if others:  # the same ID on another child's referral: never theirs
            _shared_id(d, others[0].reference, profile)
        if mine and mine[0].outcome != "accepted":  # this child's returned referral, sent again
            d.resubmits = mine[0].reference
        open_ = next((i for i in mine if i.outcome == "accepted"), None)
        if open_ is None or d.outcome not in UPDATES:
            continue
        if closed is None:
            closed = _closed_references(config, profile)
        if open_.reference in closed:
            d.previous_reference, d.resubmits = open_.reference, None
            d.reason = _words("closed", profile, reason=d.reason, reference=open_.reference).strip()
            continue
        if d.outcome == "accepted" and same_answers(d, open_):
            _copy_of(d, open_, profile)
            continue
        d.update_of = open_.reference
        d.reason = _words("update", profile, reference=open_.reference, reason=d.reason).strip()
        if d.verdict is not None and UPDATED_FLAG not in d.verdict.flags:
            d.verdict = d.verdict.model_copy(update={"flags": [*d.verdict.flags, UPDATED_FLAG]})
    return drafts


def _identity(verdict: Verdict | None) -> tuple[tuple[str, ...], str | None]:
    """(the child's name as words, date of birth) as a form gives them."""
    v = verdict.values if verdict else {}
    name = tuple(_name_words(f"{v.get('child.first_name') or ''} {v.get('child.last_name') or ''}"))
    dob = v.get("child.dob")
    return name, (dob.isoformat() if hasattr(dob, "isoformat") else (str(dob) if dob else None))


def same_child(a: Verdict | None, b: Verdict | None) -> bool:
    """Two forms are about the same child: the name and date of birth agree where both give
    them ("Zoe" and "Zoë", any case and spacing, are the same name)."""
    (name_a, dob_a), (name_b, dob_b) = _identity(a), _identity(b)
    if name_a and name_b and name_a != name_b:
        return False
    return not (dob_a and dob_b and dob_a != dob_b)


def _mother(verdict: Verdict | None) -> tuple[str, ...]:
    v = verdict.values if verdict else {}
    for n in range(1, 10):
        if " ".join(_name_words(v.get(f"family[{n}].relationship"))) in MOTHER:
            return tuple(_name_words(v.get(f"family[{n}].name")))
    return ()


def _warn(d: ItemDraft, message: str, profile, flag: str) -> None:
    """A question for a person, shown in the referral's row (Follow up, and the flag in
    Checked) and its reason; the flag also lets a view list these referrals for a person."""
    if d.verdict is None or any(w.message == message for w in d.verdict.warnings):
        return
    d.reason = f"{d.reason} {message}".strip()
    warning = Problem(key=CASE_KEY, label=_id_label(profile), message=message, severity="warning")
    flags = d.verdict.flags if flag in d.verdict.flags else [*d.verdict.flags, flag]
    d.verdict = d.verdict.model_copy(
        update={"warnings": [*d.verdict.warnings, warning], "flags": flags}
    )


def _id_label(profile) -> str:
    words = getattr(profile, "words", None) or {}
    return f"{words.get('case_system', 'Case record')} ID"


def _shared_id(d: ItemDraft, other: str | None, profile) -> None:
    """The same ID with another child: a referral of its own (never a copy or an update, and
    never the sibling's reference), and a person asked which child the ID belongs to."""
    d.own_reference = True
    _warn(
        d,
        _words("shared_id", profile, case_id=d.case_id, other=other, id=_id_label(profile)),
        profile,
        SHARED_ID_FLAG,
    )


def _maybe_same_child(d: ItemDraft, drafts: list[ItemDraft], ledger: Ledger, profile) -> None:
    """Flag a referral whose child has the same name, date of birth and mother as another
    referral's (or another form in this file) under another ID: perhaps a mistyped ID."""
    name, dob = _identity(d.verdict)
    mother = _mother(d.verdict)
    if not (name and dob and mother):
        return
    others = [(o.verdict, o.original_name) for o in drafts if o is not d and o.verdict]
    others += [(i.verdict, i.reference) for i in ledger.referrals_born_on(dob)]
    for verdict, where in others:
        case = normalise_case_id(verdict.values.get(CASE_KEY)) if verdict else None
        if not case or case == d.case_id:
            continue
        if _identity(verdict) == (name, dob) and _mother(verdict) == mother:
            _warn(
                d,
                _words("maybe_same_child", profile, other=where, id=_id_label(profile)),
                profile,
                MAYBE_SAME_FLAG,
            )
            return


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
