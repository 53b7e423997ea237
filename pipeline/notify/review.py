"""The review report's email: to the IRO, copy to the social worker and the team, the report
attached. Like every outside email it carries the reference and the child's initials only;
the names are in the attached report.

A report made is mailed apart from its making, and only when people have let it go: the
supervisor writes the recommendation into the saved report in outbox/<REF>/, and someone types
their name in the Referrals sheet's "Review report checked (name)" (`hold`: a blank cell, the
name left there from the last report, or a recommendation still blank, is not an answer, so
nothing is sent). The file is mailed as
saved. With no IRO email yet, or the mail server down, the same report waits and is tried
again (`send_review_report`); the tracker's "Review report" cell, `status` and the digest say
whether it went and why not (form_templates/reports/review_mail.toml). "sent to the IRO" is said
only where the case's timeline has the report's mail as sent (the mail server took it); with no
mail server it was only written to outbox/mail, and the cell says that
(pipeline/cases/acknowledgement.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jinja2

from pipeline import paths
from pipeline import words as house
from pipeline.initials import child_initials
from pipeline.models import Item
from pipeline.notify.addresses import clean_address
from pipeline.notify.compose import our_addresses, service_context, service_message
from pipeline.notify.message import OutgoingMessage
from pipeline.notify.templates import templates_for
from pipeline.profile import Profile


def report_key(reference: str, review_date: dt.date) -> str:
    """The outbox's key of the report's email: one per referral and review date."""
    return f"{reference}:review_report:{review_date.isoformat()}"


def review_report_message(
    referral: Item,
    review_date: dt.date,
    iro_email: str,
    report: Path,
    profile: Profile,
    now: dt.datetime | None = None,
    written_by: str = "",
    checked_by: str = "",
) -> OutgoingMessage:
    """The report for the review on `review_date`, mailed once (keyed by reference and date)."""
    kind = "review_report"
    key = report_key(referral.reference, review_date)
    templates = templates_for(profile.id, paths.MAIL_TEMPLATES)
    team, sender = our_addresses(profile)
    values = dict(referral.verdict.values) if referral.verdict else {}
    iro = clean_address(iro_email)
    social_worker = clean_address(str(values.get("social_worker.email") or ""))
    to = (iro,) if iro else (team,)
    cc = tuple(a for a in (social_worker, team) if a and a not in to)
    context = {
        "kind": kind,
        "reference": referral.reference,
        "initials": child_initials(values),
        "review_date": review_date,
        "to_iro": bool(iro),
        "written_by": written_by,
        "checked_by": checked_by,
        "service": service_context(profile),
        "fallback": {"sw": None, "used": None},
    }
    return service_message(
        kind,
        key,
        profile,
        templates,
        to,
        cc,
        context,
        [report] if Path(report).is_file() else [],
        now,
    )


# ---------------------------------------------------------------- sending, and saying so


def _words() -> dict:
    return house.load("reports/review_mail.toml")


def _flat(text: str) -> str:
    return " ".join((text or "").split())


def _body_text(doc) -> list[tuple[str, list[list[list[str]]]]]:
    """The document's body in order: (paragraph text, []) or ("", table rows of cells, each
    the texts of its paragraphs)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out = []
    for el in doc.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append((_flat(Paragraph(el, doc).text), []))
        elif tag == "tbl":
            rows = Table(el, doc).rows
            out.append(
                ("", [[[_flat(p.text) for p in c.paragraphs] for c in row.cells] for row in rows])
            )
    return out


def read_back(report: Path, profile: Profile) -> tuple[str, str]:
    """(the recommendation as written, the sign-off's "Written by") from the report as saved:
    the text between the recommendation's heading and the sign-off's, less the printed prompt.
    The headings and prompt are the wording's (form_templates/documents/wording.toml)."""
    from docx import Document

    from pipeline.render.wording import wording

    words = wording(profile.id)["lac_report"]
    where = "documents/wording.toml [lac_report]"
    heading = _shape(words["boxes"][0][0], f"{where} boxes[0][0]")
    prompt = _shape(words["boxes"][0][1], f"{where} boxes[0][1]", may_be_blank=True)
    sign_off = _shape(words["sign_off_heading"], f"{where} sign_off_heading")
    written_label = _shape(words["sign_off"][0][0], f"{where} sign_off[0][0]")
    body = _body_text(Document(str(report)))
    start = next((i for i, (t, _) in enumerate(body) if t and heading.match(t)), None)
    end = next(
        (
            i
            for i, (t, _) in enumerate(body)
            if t and sign_off.match(t) and (start is None or i > start)
        ),
        len(body),
    )
    said: list[str] = []
    for text, rows in body[(start + 1 if start is not None else end) : end]:
        for paragraphs in [[text]] + [c for row in rows for c in row]:
            kept = [_flat(prompt.sub("", p)) for p in paragraphs if not prompt.fullmatch(p)]
            part = _flat(" ".join(kept))
            if part:
                said.append(part)
    written_by = ""
    for _text, rows in body[end:]:
        for row in rows:
            if len(row) >= 2 and written_label.fullmatch(_flat(" ".join(row[0]))):
                written_by = written_by or _flat(" ".join(row[1]))
    return " ".join(said), written_by


_LEXER = jinja2.Environment()
_BLOCKS = {"if": 1, "for": 1, "endif": -1, "endfor": -1}


def _shape(entry: str, where: str, may_be_blank: bool = False) -> re.Pattern:
    """How a paperwork wording entry reads once filled in, however a service worded it: its
    own words as written (any spacing between them), and any text where it has a {{ value }}
    or a {% choice %}. So the saved report's heading is found from its entry, never from the
    text before its first placeholder. An entry with no words of its own cannot be found:
    refused, naming it, rather than matching any paragraph. `may_be_blank`: a blank entry
    (a service that prints no prompt) matches nothing."""
    from pipeline.render.wording import source

    if may_be_blank and not str(entry).strip():
        return re.compile(r"(?!)")
    pieces: list[str] = []
    depth, own, after_begin = 0, False, False
    for _, kind, value in _LEXER.lex(source(entry)):
        if kind == "block_begin":
            after_begin = True
            continue
        if kind == "whitespace":
            continue
        if after_begin and kind == "name":
            depth += _BLOCKS.get(value, 0)
        after_begin = False
        if kind == "data" and depth == 0:
            for word in value.split():
                pieces.append(re.escape(word))
                own = True
        elif not pieces or pieces[-1] != ".*?":
            pieces.append(".*?")
    if not own:
        raise house.WordsProblem(
            f"The wording {where} has no words of its own, so the saved report's part it "
            "names cannot be found: give it some words besides its placeholders."
        )
    return re.compile(r"\s*".join(pieces), re.DOTALL)


def same_name(a: str, b: str) -> bool:
    """The same name as typed, whatever the spacing and capitals."""
    return _flat(a).casefold() == _flat(b).casefold()


def hold(
    reference: str, checked_by: str, report: Path, profile: Profile, left: str = ""
) -> str | None:
    """Why the report may not go yet (a person has not let it go), or None. A blank
    "Review report checked (name)" is not an answer, nor is `left` (the name the cell held
    when this report was made: it was for the last one), nor a recommendation still blank."""
    w = _words()
    where = {"reference": reference, "file": Path(report).name, "role": profile.supervisor_role}
    if not _flat(checked_by):
        return w["ready"].format(**where)
    if _flat(left) and same_name(checked_by, left):
        return w["left"].format(left=_flat(left), **where)
    try:
        recommendation, _ = read_back(Path(report), profile)
    except Exception as exc:  # e.g. half-saved, or not a Word file any more
        return w["unreadable"].format(error=type(exc).__name__, **where)
    if not recommendation:
        return w["blank"].format(checked_by=_flat(checked_by), **where)
    return None


def send_review_report(
    config,
    profile: Profile,
    referral: Item,
    review_date: dt.date,
    iro_email: str,
    report: Path,
    checked_by: str = "",
) -> str | None:
    """Mail the report already made, as saved, to the IRO (copy to the social worker), once
    someone has checked it. None when the message is written, and sent where SMTP is set;
    otherwise why not (it is tried again)."""
    from pipeline.notify import MailOutbox  # (one name, so a test can stand in)

    w = _words()
    if not clean_address(iro_email or ""):
        return w["no_iro"]
    _, written_by = read_back(Path(report), profile)
    msg = review_report_message(
        referral,
        review_date,
        iro_email,
        report,
        profile,
        written_by=written_by,
        checked_by=_flat(checked_by),
    )
    outbox = MailOutbox(config, profile)
    if outbox.deliver(msg):
        return None
    pending = next((m for m in outbox.pending_report() if m.key == msg.key), None)
    if pending is None:
        return w["not_written"]
    return w["server"].format(error=pending.last_error or "not tried yet")


def report_cells(ledger) -> dict[str, str]:
    """reference -> the tracker's "Review report" cell, for its latest report: made, and sent
    to the IRO on a date (only when the case's timeline says the mail server took it), only
    written to outbox/mail (no mail server), or not sent yet and why."""
    from pipeline.cases.acknowledgement import reports_sent
    from pipeline.dates import numeric_date
    from pipeline.ledger.names import MailHow

    w = _words()
    mailed = reports_sent(ledger)
    out: dict[str, str] = {}
    for r in ledger.report_states():
        made = w["made"].format(
            made=numeric_date(dt.datetime.fromisoformat(r["made_at"])),
            review=numeric_date(dt.date.fromisoformat(r["review_date"])),
        )
        event = mailed.get((r["reference"], r["review_date"]))
        if not r["sent_at"]:
            out[r["reference"]] = w["not_sent"].format(
                made_text=made, why=r["last_error"] or "not tried yet"
            )
        elif event is not None and event.detail.get("how") == MailHow.SENT:
            out[r["reference"]] = w["sent"].format(made_text=made, sent=numeric_date(event.on))
        elif event is not None and event.detail.get("how") == MailHow.WRITTEN:
            out[r["reference"]] = w["written"].format(
                made_text=made, written=numeric_date(event.on)
            )
        else:  # mailed before the timeline, and the outbox cannot tell
            out[r["reference"]] = w["unrecorded"].format(
                made_text=made, written=numeric_date(dt.datetime.fromisoformat(r["sent_at"]))
            )
    return out


def unsent_lines(ledger) -> list[str]:
    """One line per report made and not mailed, for `status` and the digest."""
    from pipeline.dates import numeric_date

    w = _words()
    return [
        w["status"].format(reference=ref, review=numeric_date(day), why=why or "not tried yet")
        for ref, day, _, why in ledger.reports_unsent()
    ]
