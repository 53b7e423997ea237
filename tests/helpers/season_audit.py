"""The claims auditor: every output of a played season (tests/helpers/season_script.py) read
against the script, which is the truth the pipeline is never asked for.

Each rule reads one kind of claim ("sent", "approved", "suspended", "waiting for", a count)
and says what in the script would make it true. A message counts as sent only if the local
mail server the script started received it (by the key the pipeline stamps on each message);
nothing else is taken from the pipeline's own account of itself. A false claim is reported as
"<service> <day> <output>: says '<text>' but the script <fact>", once per output and text (the
first day it is seen).
"""

from __future__ import annotations

import datetime as dt
import re

from tests.helpers.season_script import SCRIPT, ScriptEvent, Season

DATE = r"(\d{2}/\d{2}/\d{4})"


def _d(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def _long(text: str) -> dt.date:
    """'26 November 2026' or '26/11/2026'."""
    if "/" in text:
        return _d(text)
    return dt.datetime.strptime(text, "%d %B %Y").date()


class Truth:
    """What the script did, as of a day (the references are the only thing looked up)."""

    def __init__(self, season: Season):
        self.s = season
        undone = {id(e) for e, _ in season.not_done}
        self.events = [e for e in SCRIPT if id(e) not in undone]
        self.ref_child = {ref: child for child, ref in season.refs.items()}
        self.sent_on = season.smtp.keys_on if season.smtp else {}

    def done(self, what: str, day: dt.date, ref: str | None = None) -> list[ScriptEvent]:
        child = self.ref_child.get(ref) if ref else None
        return [
            e
            for e in self.events
            if e.what == what and e.day <= day and (ref is None or e.child == child)
        ]

    def decision(self, ref: str, day: dt.date) -> str | None:
        made = self.done("decide", day, ref)
        return made[-1].get("decision") if made else None

    def approved(self, ref: str, day: dt.date) -> bool:
        return any(e.get("decision") == "Approved" for e in self.done("decide", day, ref))

    def referred(self, day: dt.date) -> list[str]:
        return [e.child for e in self.done("referral", day)]

    def allocated(self, child: str, day: dt.date) -> dt.date | None:
        made = [
            e for e in self.events if e.what == "allocate" and e.child == child and e.day <= day
        ]
        return made[0].day if made else None

    def record_sent(self, ref: str, session: dt.date, day: dt.date) -> bool:
        return any(e.get("on") == session for e in self.done("record", day, ref))

    def mail_sent(self, key_start: str, day: dt.date) -> bool:
        return any(k.startswith(key_start) and on <= day for k, on in self.sent_on.items())

    def smtp_by(self, day: dt.date) -> bool:
        return bool(self.done("smtp_up", day))


class Auditor:
    def __init__(self, season: Season):
        self.s, self.t = season, Truth(season)
        self.false: list[str] = []
        self._seen: set[tuple] = set()

    def claim(self, day: dt.date, output: str, text: str, fact: str) -> None:
        key = (output, re.sub(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", "", text), fact)
        if key not in self._seen:
            self._seen.add(key)
            joined = "" if fact.startswith("'s") else " "
            self.false.append(
                f"{self.s.service} {day} {output}: says '{text}' but the script{joined}{fact}"
            )

    # ------------------------------------------------------------ the rules
    def run(self) -> list[str]:
        for key, on in self.t.sent_on.items():
            if ":review" in key:
                self.claim(
                    on,
                    "mail server",
                    f"received {key}",
                    "never had the supervisor write the recommendation",
                )
        self.written: dict[str, dt.date] = {}  # every message key written so far
        for d in self.s.days:
            for _, msg in d.mails:
                key = str(msg.get("X-Family-Time-Key") or "")
                if key:
                    self.written.setdefault(key, d.day)
            self.workbook(d)
            self.status(d)
            self.sessions(d)
            self.mails(d)
            self.documents(d)
            self.month(d)
        return self.false

    def ack_fact(self, ref: str, day: dt.date) -> str | None:
        """None when the acknowledgement of `ref` had reached the mail server by `day`."""
        if self.t.mail_sent(f"{ref}:accepted:", day):
            return None
        if not self.t.smtp_by(day):
            return "had no mail server yet (the acknowledgement was only written to a folder)"
        return (
            "'s mail server never received the acknowledgement (it was written to the "
            "folder before the server was set up, and never sent)"
        )

    def workbook(self, d) -> None:
        for row in d.referrals:
            ref = row.get("Reference")
            sent = row.get("Acknowledgement sent")
            # a cell that says it was only written, or not sent, claims no sending
            says_not_sent = re.match(r"\s*(Written to|Not sent)", str(sent or ""), re.I)
            if ref and sent not in (None, "") and not says_not_sent:
                fact = self.ack_fact(ref, d.day)
                if fact:
                    self.claim(
                        d.day, f"workbook {ref} 'Acknowledgement sent'", str(sent)[:10], fact
                    )
            if re.search(r"suspend", str(row.get("Status") or ""), re.I) and not self.t.approved(
                ref, d.day
            ):
                self.claim(
                    d.day,
                    f"workbook {ref} 'Status'",
                    str(row.get("Status")),
                    "never approved a suspension",
                )
            review = str(row.get("Review report") or "")
            if (
                re.search(r"\bsent\b", review, re.I)
                and not re.search(r"not sent", review, re.I)
                and not self.t.mail_sent(f"{ref}:review", d.day)
            ):
                self.claim(
                    d.day,
                    f"workbook {ref} 'Review report'",
                    review,
                    "never had the report checked and its mail server received no review report",
                )
            received = row.get("Received")
            child = self.t.ref_child.get(ref)
            if child and isinstance(received, dt.datetime):
                first = [e.day for e in self.t.events if e.what == "referral" and e.child == child]
                sent = [
                    e.day
                    for e in self.t.events
                    if e.what in ("referral", "update") and e.child == child
                ]
                if sent and received.date() not in sent:
                    self.claim(
                        d.day,
                        f"workbook {ref} 'Received'",
                        received.date().isoformat(),
                        "sent the referral (or its update) only on " + ", ".join(map(str, sent)),
                    )
                if first and not ref.startswith(f"FT-{first[0].year}-"):
                    self.claim(
                        d.day, f"workbook {ref} 'Reference'", ref, f"received it in {first[0].year}"
                    )
        for row in d.decisions:
            ref, made = row.get("Reference"), row.get("What was made")
            typed = row.get("Decision")
            truth = self.t.decision(ref, d.day)
            if typed and truth is None:
                self.claim(
                    d.day,
                    f"workbook Decisions {row.get('Proposal no.')}",
                    str(typed),
                    "never decided it",
                )
            if (
                made
                and re.search(r"letter|notice|re-signed", str(made), re.I)
                and not self.t.approved(ref, d.day)
            ):
                self.claim(
                    d.day,
                    f"workbook Decisions {row.get('Proposal no.')} 'What was made'",
                    str(made)[:80],
                    f"never approved it (decision: {truth})",
                )

    def lines(self, d, text: str, output: str, morning: bool = False) -> None:
        """The rules for the lines `status` and the digest share. The digest goes out with
        the day's first pass, before anyone types a decision that day (`morning`)."""
        decided_by = d.day - dt.timedelta(days=1) if morning else d.day
        for m in re.finditer(r"next try " + DATE, text):
            when = _d(m.group(1))
            if not d.day <= when <= d.day + dt.timedelta(days=7):
                self.claim(
                    d.day,
                    output,
                    m.group(0),
                    "was on that day (a retry that is not "
                    "within the week ahead: the machine's clock, not the pipeline's day)",
                )
        for m in re.finditer(r"(FT-\d{4}-\d{5}): no session record for " + DATE, text):
            if self.t.record_sent(m.group(1), _d(m.group(2)), d.day):
                self.claim(d.day, output, m.group(0), "sent that record back")
        for m in re.finditer(r"(P\d+) (FT-\d{4}-\d{5}): '[^']+' waits for a decision", text):
            if self.t.decision(m.group(2), decided_by):
                self.claim(
                    d.day,
                    output,
                    m.group(0),
                    f"decided it ({self.t.decision(m.group(2), decided_by)})",
                )
        for m in re.finditer(r"(P\d+) (FT-\d{4}-\d{5}): family time resumes on " + DATE, text):
            if not self.t.approved(m.group(2), d.day):
                self.claim(d.day, output, m.group(0), "never approved a suspension")
        for m in re.finditer(r"(FT-\d{4}-\d{5}): the review report[^\n]*", text):
            line = m.group(0)
            if (
                re.search(r"\bsent\b", line)
                and "not sent" not in line
                and not self.t.mail_sent(f"{m.group(1)}:review", d.day)
            ):
                self.claim(d.day, output, line[:100], "never had the report sent")

    def status(self, d) -> None:
        if not d.status:
            return
        text = d.status
        if "Every referral has been acknowledged" in text:
            late = [
                self.t.s.refs[c]
                for c in self.t.referred(d.day)
                if c in self.t.s.refs and self.ack_fact(self.t.s.refs[c], d.day)
            ]
            if late:
                self.claim(
                    d.day,
                    "status",
                    "Every referral has been acknowledged.",
                    f"never had the acknowledgement of {', '.join(late)} sent",
                )
        m = re.search(r"Paperwork packs: (\d+) - Waiting for a co-ordinator to allocate", text)
        waiting = [c for c in self.t.referred(d.day) if not self.t.allocated(c, d.day)]
        if m and int(m.group(1)) != len(waiting):
            self.claim(
                d.day,
                "status",
                m.group(0),
                f"has {len(waiting)} referral(s) not allocated yet"
                + (f" ({', '.join(waiting)})" if waiting else ""),
            )
        self.lines(d, text, "status")
        unsent = sorted(k for k in getattr(self, "written", {}) if not self.t.mail_sent(k, d.day))
        if "every tracker row, email and pack is done" in text and unsent:
            self.claim(
                d.day,
                "status",
                "every tracker row, email and pack is done",
                "'s mail server never received messages written to the folder (the "
                f"first: {unsent[0]})",
            )
        if (
            "mail_not_sent" in d.status_json
            and not d.status_json["mail_not_sent"]
            and unsent
            and self.t.smtp_by(d.day)
        ):
            self.claim(
                d.day,
                "status --json",
                "mail_not_sent: []",
                "'s mail server never received messages written to the folder (the "
                f"first: {unsent[0]})",
            )
        for m in re.finditer(r"(FT-\d{4}-\d{5})[^\n]*\bsuspended\b[^\n]*", text):
            if not self.t.approved(m.group(1), d.day):
                self.claim(d.day, "status", m.group(0).strip()[:100], "never approved a suspension")
        j = d.status_json
        if j.get("oldest_unacknowledged") is None:
            late = [
                self.t.s.refs[c]
                for c in self.t.referred(d.day)
                if c in self.t.s.refs and self.ack_fact(self.t.s.refs[c], d.day)
            ]
            if late:
                self.claim(
                    d.day,
                    "status --json",
                    "oldest_unacknowledged: null",
                    f"never had the acknowledgement of {', '.join(late)} sent",
                )
        for w in j.get("waiting", []):
            if w.get("kind") == "allocation" and w.get("count") != len(waiting):
                self.claim(
                    d.day,
                    "status --json",
                    f"waiting allocation count {w.get('count')}",
                    f"has {len(waiting)} referral(s) not allocated yet",
                )
            nt = w.get("next_try")
            if (
                nt
                and re.match(DATE, nt)
                and not (d.day <= _d(nt[:10]) <= d.day + dt.timedelta(days=7))
            ):
                self.claim(
                    d.day,
                    "status --json",
                    f"next_try {nt[:10]}",
                    "was on that day (the machine's clock, not the pipeline's day)",
                )
        for r in j.get("reminders", []):
            self.lines(d, r.get("text", ""), "status --json reminders")

    def sessions(self, d) -> None:
        for ref, facts in d.sessions.items():
            for date in facts.get("waiting_for_records", []):
                if self.t.record_sent(ref, dt.date.fromisoformat(date), d.day):
                    self.claim(
                        d.day,
                        f"sessions {ref} --json",
                        f"waiting_for_records {date}",
                        "sent that record back",
                    )
            for a in facts.get("actions", []):
                if a.get("kind") != "suspension":
                    continue
                said = (
                    f"suspension {a.get('suspended_from')} to {a.get('suspended_until')}"
                    f", letters_sent {a.get('letters_sent')}, state {a.get('state')}"
                )
                claims_it = (
                    a.get("state") not in ("proposed", "declined")
                    or a.get("suspended_from")
                    or a.get("letters_sent")
                )
                if claims_it and not self.t.approved(ref, d.day):
                    self.claim(
                        d.day,
                        f"sessions {ref} --json",
                        said,
                        f"never approved a suspension (decision: {self.t.decision(ref, d.day)})",
                    )
                elif a.get("suspended_from") and a.get("suspended_until"):
                    f, u = (
                        dt.date.fromisoformat(a[k]) for k in ("suspended_from", "suspended_until")
                    )
                    self.suspension_dates(
                        d,
                        f"sessions {ref} --json",
                        ref,
                        f"suspended from {f:%d/%m/%Y} until {u:%d/%m/%Y}",
                    )
                if a.get("letters_sent") and not a.get("documents"):
                    self.claim(d.day, f"sessions {ref} --json", said, "has no letters made")
            if facts.get("phase") in ("suspended", "resumed") and not self.t.approved(ref, d.day):
                self.claim(
                    d.day,
                    f"sessions {ref} --json",
                    f"phase {facts.get('phase')}",
                    "never approved a suspension",
                )

    def mails(self, d) -> None:
        for name, msg in d.mails:
            subject = str(msg.get("Subject", ""))
            key = str(msg.get("X-Family-Time-Key", ""))
            ref = next(iter(re.findall(r"FT-\d{4}-\d{5}", subject + " " + key)), None)
            if name.startswith("digest_"):
                from tests.helpers.season_script import mail_text

                self.lines(d, mail_text(msg), f"digest {name[:17]}", morning=True)
                continue
            if re.search(r"suspend", subject, re.I) and ref and not self.t.approved(ref, d.day):
                self.claim(d.day, f"mail {name}", subject, "never approved a suspension")
            if (
                re.search(r"\bapproved\b", subject, re.I)
                and ref
                and not self.t.approved(ref, d.day)
            ):
                self.claim(d.day, f"mail {name}", subject, "never approved it")
            if (
                re.search(r"new arrangements|changed", subject, re.I)
                and ref
                and not self.t.done("reallocate", d.day, ref)
            ):
                self.claim(d.day, f"mail {name}", subject, "never changed the allocation")
            if (
                re.search(r"allocated, pack", subject, re.I)
                and ref
                and not self.t.done("allocate", d.day, ref)
            ):
                self.claim(d.day, f"mail {name}", subject, "never allocated it")
            from tests.helpers.season_script import mail_text

            body = mail_text(msg)
            if (
                ref
                and re.search(r"sent before", body)
                and not any(
                    k.startswith(f"{ref}:pack:") and on < d.day and k != key
                    for k, on in self.t.sent_on.items()
                )
            ):
                self.claim(
                    d.day,
                    f"mail {name}",
                    "the ones sent before",
                    "'s mail server never received an earlier pack for this referral "
                    "(it was only written to the folder)",
                )
            changed = re.search(r"have changed \(([^)]*)\)", body)
            if ref and changed:
                self.changes(d, f"mail {name}", ref, changed.group(1))
            self.suspension_dates(d, f"mail {name}", ref, subject + "\n" + body)
            said = re.search(r"[^.\n]*\b(is suspended|has been suspended|approved)\b[^.\n]*", body)
            if ref and said and not self.t.approved(ref, d.day):
                self.claim(
                    d.day,
                    f"mail {name}",
                    said.group(0).strip()[:100],
                    "never approved a suspension",
                )

    def changes(self, d, output: str, ref: str, said: str) -> None:
        """'(day changed, first session changed)' against what the co-ordinator retyped."""
        child = self.t.ref_child.get(ref)
        typed = [
            e
            for e in self.t.events
            if e.child == child and e.day <= d.day and e.what in ("allocate", "reallocate")
        ]
        if len(typed) < 2:
            self.claim(d.day, output, f"have changed ({said})", "never changed the allocation")
            return
        before, after = typed[-2], typed[-1]
        really = {
            "day": before.get("weekday") != after.get("weekday"),
            "first session": before.get("first") != after.get("first"),
        }
        for part in (p.strip() for p in said.split(",")):
            what = part.removesuffix(" changed")
            if not really.get(what, False):
                self.claim(d.day, output, f"have changed ({said})", f"did not change the {what}")

    def suspension_dates(self, d, output: str, ref: str | None, text: str) -> None:
        """A suspension said to run from X until Y: someone approved it by X, and it lasts
        no longer than the service's suspension (the profile's rule, the service's own)."""
        if not ref:
            return
        days = self.s.profile.missed_sessions.suspension_days
        for m in re.finditer(
            r"[Ss]uspended from (?:\w+ )?(\d{1,2} \w+ \d{4}|\d{2}/\d{2}/\d{4})"
            r" until (?:\w+ )?(\d{1,2} \w+ \d{4}|\d{2}/\d{2}/\d{4})",
            text,
        ):
            start, until = (_long(x) for x in m.groups())
            approvals = [
                e.day for e in self.t.done("decide", d.day, ref) if e.get("decision") == "Approved"
            ]
            if not approvals:
                self.claim(d.day, output, m.group(0), "never approved a suspension")
            elif start < approvals[-1]:
                self.claim(d.day, output, m.group(0), f"approved it only on {approvals[-1]}")
            if isinstance(days, int) and (until - start).days >= days:
                self.claim(
                    d.day, output, m.group(0), f"'s service suspends for {days} days at most"
                )

    def review_report(self, d, path, text: str) -> None:
        """The review report's figures against the records the script sent for the period."""
        ref = next(iter(re.findall(r"FT-\d{4}-\d{5}", str(path))), None)
        lines = [x.strip() for x in text.splitlines()]
        period = next((lines[i + 1] for i, x in enumerate(lines[:-1]) if x == "Period covered"), "")
        m = re.match(r"\w+ (\d{1,2} \w+ \d{4}) to \w+ (\d{1,2} \w+ \d{4})", period)
        if not ref or not m:
            return
        start, end = (_long(x) for x in m.groups())
        sent = [e for e in self.t.done("record", d.day, ref) if start <= e.get("on") <= end]
        figures = {}
        for i, x in enumerate(lines[:-1]):
            if re.fullmatch(r"\d+", lines[i + 1]) and x and x not in figures:
                figures[x] = int(lines[i + 1])
        out = f"review report {ref}/{path.name}"
        want = {
            "Took place": sum(e.get("outcome") == "Took place" for e in sent),
            "Parent did not attend": sum(e.get("outcome") == "missed" for e in sent),
            "Sessions offered so far": len(sent),
        }
        for label, n in want.items():
            if label in figures and figures[label] != n:
                self.claim(
                    d.day,
                    out,
                    f"{label}: {figures[label]}",
                    f"sent {n} such record(s) for {start} to {end}",
                )
        said = next(
            (
                lines[i + 1]
                for i, x in enumerate(lines[:-1])
                if x == "Sent to the reviewing officer on"
            ),
            "",
        )
        if re.search(r"\d", said) and not self.t.mail_sent(f"{ref}:review", d.day):
            self.claim(
                d.day,
                out,
                f"Sent to the reviewing officer on {said}",
                "'s mail server received no review report",
            )

    def documents(self, d) -> None:
        for path, text in d.documents:
            ref = next(iter(re.findall(r"FT-\d{4}-\d{5}", str(path))), None)
            if not ref or "superseded" in path.parts:
                continue
            if re.search(r"suspen", path.name, re.I) and not self.t.approved(ref, d.day):
                self.claim(
                    d.day,
                    f"document {ref}/{path.name}",
                    "(a suspension letter or notice)",
                    "never approved a suspension",
                )
            if re.search(r"re-signed", path.name) and not self.t.approved(ref, d.day):
                self.claim(
                    d.day,
                    f"document {ref}/{path.name}",
                    "(a re-signed agreement)",
                    "never approved a suspension",
                )
            self.suspension_dates(d, f"document {ref}/{path.name}", ref, text)
            if re.search(r"review report", path.name, re.I):
                self.review_report(d, path, text)

    def month(self, d) -> None:
        for kind, month, figures in d.reports:
            rows = {str(r[0]): r[1] for r in figures.get("Figures", []) if r and r[0]}
            y, m = map(int, month.split("-"))
            inside = [e for e in self.t.events if (e.day.year, e.day.month) == (y, m)]
            records = [
                e
                for e in self.t.events
                if e.what == "record"
                and (e.get("on").year, e.get("on").month) == (y, m)
                and e.day <= d.day
            ]
            expect = {
                "Referrals received": sum(e.what == "referral" for e in inside),
                "Updates received (a referral sent again with changed answers)": sum(
                    e.what == "update" for e in inside
                ),
                "Sessions recorded (offered)": len(records),
                "Held (took place or ended early)": sum(
                    e.get("outcome") == "Took place" for e in records
                ),
                "Parent did not attend": sum(e.get("outcome") == "missed" for e in records),
                "Proposals approved": sum(
                    e.what == "decide" and e.get("decision") == "Approved" for e in inside
                ),
                "Proposals declined": sum(
                    e.what == "decide" and e.get("decision") == "Declined" for e in inside
                ),
            }
            out = f"report month {month} (run {d.day})"
            for label, want in expect.items():
                if label in rows and rows[label] != want:
                    self.claim(d.day, out, f"{label}: {rows[label]}", f"counts {want}")
            ack = rows.get("Acknowledgement sent")
            mm = re.search(r"\((\d+) of (\d+)\)", str(ack or ""))
            if mm:
                sent = sum(
                    1
                    for e in inside
                    if e.what == "referral"
                    and e.child in self.s.refs
                    and self.t.mail_sent(f"{self.s.refs[e.child]}:accepted:", d.day)
                )
                if int(mm.group(1)) > sent:
                    self.claim(
                        d.day,
                        out,
                        f"Acknowledgement sent: {ack}",
                        f"had {sent} of them reach its mail server",
                    )
            late = str(rows.get("Late, by reference: Allocated (pack made)") or "")
            for ref in re.findall(r"FT-\d{4}-\d{5}", late):
                child = self.t.ref_child.get(ref)
                row = next((r for r in self.s.days[-1].referrals if r.get("Reference") == ref), {})
                by = row.get("Allocate by")
                when = self.t.allocated(child, d.day) if child else None
                if when and isinstance(by, dt.datetime) and when <= by.date():
                    self.claim(
                        d.day,
                        out,
                        f"Late, by reference: Allocated (pack made): {ref}",
                        f"allocated it on {when}, by {by.date()}",
                    )


def audit(season: Season) -> list[str]:
    return Auditor(season).run()
