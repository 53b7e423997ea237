"""The paperwork an approved suspension (or the advice to seek legal advice) makes: the
letters to each parent and the carer, the agreement to sign again, and the notice to the
social worker listing each of them; none of it is sent by the service.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from pipeline.clock import today as clock_today
from pipeline.files import private_dir
from pipeline.models import Allocation, Item, RuleAction
from pipeline.profile import Profile
from pipeline.render import context as C
from pipeline.render import wording as W
from pipeline.render.documents import render_agreement
from pipeline.render.rendering import (
    PaperworkProblem,
    _check,
    _name,
    _planned,
    _render,
    _restart_after,
    _title,
)

log = logging.getLogger(__name__)


def render_suspension_letters(
    item: Item,
    allocation: Allocation | None,
    profile: Profile,
    out_dir: Path,
    action: RuleAction,
    *,
    today: dt.date | None = None,
) -> list[Path]:
    """Everything an approved suspension makes, none of it sent by the service: a letter to
    each parent (a parent with no address gets a copy named "to be given by hand"), a letter
    to the carer, the agreement to be signed again (where the service re-signs it), and the
    notice to the social worker, which lists each of them and whom it is for, and names the
    children's guardian as to be told. For legal advice, the notice only."""
    _check(item, allocation)
    if action.reference and action.reference != item.reference:
        raise PaperworkProblem(
            f"The missed-session decision is for {action.reference}, not {item.reference}."
        )
    if action.kind == "suspension" and (
        action.suspended_from is None or action.suspended_until is None
    ):
        raise PaperworkProblem(
            f"The suspension for {item.reference} has no start or end date, "
            "so the letters cannot say when family time is paused."
        )
    out_dir = private_dir(Path(out_dir))
    restart = _restart_after(item, allocation, profile, action.suspended_until)
    fields = C.action_fields(action, restart)
    when = (
        action.suspended_from
        or (action.session_dates[-1] if action.session_dates else today or clock_today())
    ).isoformat()
    written: list[Path] = []
    made: list[C.MadeCtx] = []
    if action.kind == "suspension":
        written, made = _suspension_documents(
            item, allocation, profile, out_dir, action, fields, when, today
        )
    from pipeline.sessions.proposals import guardian_name

    ctx = C.document_context(
        C.SocialWorkerNoticeContext,
        item,
        allocation,
        profile,
        today=today,
        title=_title("notice_social_worker"),
        kind=action.kind,
        further_misses=len(action.session_dates),
        made=made,
        guardian=guardian_name(item) if made else "",
        **fields,
    )
    _court(ctx, court_directed_action=action.court_directed)
    kind_words = "suspension" if action.kind == "suspension" else "legal advice"
    written.append(
        _render(
            "notice_social_worker",
            ctx,
            out_dir / _name("notice_social_worker_dated", kind=kind_words, date=when),
            profile,
        )
    )
    log.info("paperwork: %s letters written for %s", action.kind, item.reference)
    return Written(written, made)


class Written(list):
    """The paths written, with `made`: the notice's list of what each document is and how it
    reaches its reader, so the email to the social worker lists the same documents."""

    def __init__(self, paths: list[Path], made: list):
        super().__init__(paths)
        self.made = made


def _suspension_documents(
    item, allocation, profile, out_dir: Path, action: RuleAction, fields: dict, when: str, today
) -> tuple[list[Path], list]:
    """The letters and the agreement to sign again, with the notice's line for each."""
    how = lambda key: W.say("notice_social_worker", key, profile.id)  # noqa: E731
    written, made = [], []

    def add(path: Path, recipient: str, how_key: str) -> None:
        written.append(path)
        made.append(C.MadeCtx(document=path.name, recipient=recipient, how=how(how_key)))

    court = dict(court_directed_action=action.court_directed)
    for parent in C.parents_to_write_to(C.family_rows(item.verdict.values)):
        by_hand = parent.address == C.NOT_GIVEN
        ctx = C.document_context(
            C.SuspensionLetterContext,
            item,
            allocation,
            profile,
            today=today,
            title=_title("suspension_letter"),
            parent=parent,
            by_hand=by_hand,
            **fields,
        )
        _court(ctx, **court)
        name = _name(
            "suspension_letter_by_hand" if by_hand else "suspension_letter", n=parent.n, date=when
        )
        who = (
            parent.name
            if parent.relationship == C.NOT_GIVEN
            else f"{parent.name} ({parent.relationship.lower()})"
        )
        add(
            _render("suspension_letter", ctx, out_dir / name, profile),
            who if by_hand else f"{who}, {parent.address}",
            "by_hand" if by_hand else "by_post",
        )

    ctx = C.document_context(
        C.CarerSuspensionLetterContext,
        item,
        allocation,
        profile,
        today=today,
        title=_title("suspension_letter_carer"),
        paused_sessions=_paused_sessions(item, allocation, profile, action),
        **fields,
    )
    _court(ctx, **court)
    if ctx.carer.name != C.NOT_GIVEN:
        add(
            _render(
                "suspension_letter_carer",
                ctx,
                out_dir / _name("suspension_letter_carer", date=when),
                profile,
            ),
            f"{ctx.carer.name}, carer",
            "to_carer",
        )

    if profile.missed_sessions is not None and profile.missed_sessions.resign_agreement:
        # only a service whose agreement is signed again after a pause (its own rule)
        agreement = render_agreement(
            item, allocation, profile, out_dir, resigned_after=action, today=today
        )
        parents = C.parents_to_write_to(C.family_rows(item.verdict.values))
        family = C.join_words([p.name for p in parents]) or C.NOT_GIVEN
        add(agreement, family, "to_sign")
    return written, made


def _paused_sessions(item, allocation, profile, action: RuleAction) -> list[str]:
    """The planned sessions inside the pause: the ones not taking place."""
    if allocation is None or not allocation.first_date:
        return []
    planned = _planned(item, allocation, profile, until=action.suspended_until)
    return [
        C.uk_date(s.date)
        for s in planned
        if action.suspended_from <= s.date <= action.suspended_until
    ]


def _court(ctx: C.DocumentContext, court_directed_action: bool) -> None:
    """The rule's own decision says whether the court limit applies to this suspension."""
    ctx.arrangement.court_directed = bool(court_directed_action or ctx.arrangement.court_directed)
