"""Which form is this, which version, and is that version still accepted?

Decided from data only: the catalogue's version markers, custom properties, titles and labels,
and the service profile's lists of current and old versions. When the service issues a new
version it edits the catalogue and profile; this code does not change.
"""

from __future__ import annotations

import re

from pipeline.catalogue import FormSpec, VersionSpec, catalogue, version_number
from pipeline.extract import reasons
from pipeline.extract.labels import count_labels, known_keys
from pipeline.extract.models import FormMatch
from pipeline.extract.text import label_key, normalise


def version_status(form: FormSpec, version: VersionSpec, profile=None) -> str:
    """ "current" or "old": the profile's lists win over the catalogue's own status."""
    if profile is not None:
        name = f"{form.id} {version.version}"
        forms = getattr(profile, "forms", None)
        if forms is not None:
            if name in forms.current:
                return "current"
            if name in forms.old:
                return "old"
    return version.status


def _title_in(text_lines: list[str], form: FormSpec) -> str | None:
    """A title of the form standing as a heading (a line of its own, not inside a sentence)."""
    titles = sorted(
        {*form.titles, form.title, *(v.title for v in form.versions if v.title)},
        key=len,
        reverse=True,
    )
    for line in text_lines:
        lk = label_key(line)
        for t in titles:
            tk = label_key(t)
            if lk == tk or (lk.startswith(tk + " ") and len(lk) <= len(tk) + 30):
                return t
    return None


def _marker_hit(version: VersionSpec, text: str) -> str | None:
    for m in version.markers:
        found = re.search(m, text, re.IGNORECASE)
        if found:
            return normalise(found.group(0))
    return None


def is_newer(form: FormSpec, version: str) -> bool:
    """A version number the catalogue does not list and later than every one it does: a form
    issued after this copy of the service was set up, not an old form."""
    number = version_number(version)
    if number is None or form.version(version) is not None:
        return False
    known = [n for n in (version_number(v.version) for v in form.versions) if n is not None]
    return bool(known) and number > max(known)


def _stated_version(form: FormSpec, text: str) -> str | None:
    """The version the form states in its footer ("version 2027.1"), if any."""
    if not form.version_marker:
        return None
    found = re.search(form.version_marker, text, re.IGNORECASE)
    return found.group(1) if found else None


def _newer(form: FormSpec, version: str, profile=None) -> FormMatch:
    """A newer form than the service knows: for a person in the team (the "unreadable"
    route, with the form and version named), never returned to the social worker as old."""
    return FormMatch(
        id=form.id,
        version=version,
        status="unreadable",
        kind=form.kind,
        reason=reasons.say("identify.newer_version", profile, title=form.title, version=version),
    )


def _match(form: FormSpec, version: VersionSpec | None, status: str, reason: str) -> FormMatch:
    return FormMatch(
        id=form.id,
        version=version.version if version else None,
        status=status,
        reason=reason,
        kind=form.kind,
    )


def _noun(form: FormSpec, profile=None) -> str:
    return reasons.say(
        "identify.session_record" if form.kind == "session_record" else "identify.form", profile
    )


def _describe(form: FormSpec, status: str, profile=None) -> str:
    """ "Current form", "Old session record" (reasons.toml, [identify])."""
    word = reasons.say("identify.current" if status == "current" else "identify.old", profile)
    return reasons.say("identify.what", profile, status=word, noun=_noun(form, profile))


def identify(
    text: str,
    properties: dict[str, str] | None = None,
    tagged_keys: set[str] | None = None,
    labels_found: int = 0,
    profile=None,
) -> FormMatch:
    """The form, version and status of a document, with the reason in plain English.

    text: everything readable (body, headers, footers); properties: Word custom properties;
    tagged_keys: content-control tags or PDF field names found; labels_found: labels the
    caller counted itself (added to what is found in `text`).
    """
    text = text or ""
    properties = properties or {}
    tagged_keys = tagged_keys or set()
    cat = catalogue()
    forms = list(cat.forms.values())
    form_id = normalise(properties.get("FormId", ""))
    version_id = normalise(properties.get("FormVersion", ""))

    # 1. Custom document properties naming a catalogue version.
    found = _by_properties(cat, form_id, version_id, text, profile)
    if found is not None:
        return found

    lines = [ln for ln in normalise(text, keep_lines=True).split("\n") if ln.strip()]
    # 2. A version marker in the text (footer, title); 2b. a version number in the footer
    # later than any the catalogue lists.
    found = _by_marker(forms, lines, text, profile)
    if found is None:
        found = _newer_in_footer(forms, text, profile)
    if found is not None:
        return found

    # 3. Looks like a form (title, labels or tags) but carries no current marker: an old form.
    counts = _label_counts(forms, text, tagged_keys, labels_found)
    found = _old_form(forms, lines, counts, form_id, version_id, profile)
    if found is not None:
        return found

    # 4. Not a referral (nor a session record).
    referral = next((f for f in forms if f.kind == "referral"), forms[0])
    n = counts[referral.id]
    return FormMatch(
        status="not_referral", reason=reasons.say("identify.not_referral", profile, count=n)
    )


def _by_properties(cat, form_id: str, version_id: str, text: str, profile) -> FormMatch | None:
    """The version the Word custom properties name (a newer one than the catalogue lists is
    for the team); None when they name none the catalogue knows."""
    if form_id in cat.forms and version_id:
        form = cat.forms[form_id]
        version = form.version(version_id)
        if version is not None:
            status = version_status(form, version, profile)
            code = (
                "identify.by_property_and_marker"
                if _marker_hit(version, text)
                else "identify.by_property"
            )
            return _match(
                form,
                version,
                status,
                reasons.say(
                    code, profile, what=_describe(form, status, profile), version=version_id
                ),
            )

    if form_id in cat.forms and version_id and is_newer(cat.forms[form_id], version_id):
        return _newer(cat.forms[form_id], version_id, profile)
    return None


def _by_marker(forms: list[FormSpec], lines: list[str], text: str, profile) -> FormMatch | None:
    """The best version marker found: a form whose title is there first, then current
    before old."""
    hits: list[tuple[int, FormSpec, VersionSpec, str]] = []
    for form in forms:
        has_title = _title_in(lines, form) is not None
        for version in form.versions:
            hit = _marker_hit(version, text)
            if hit:
                status = version_status(form, version, profile)
                rank = (0 if has_title else 2) + (0 if status == "current" else 1)
                hits.append((rank, form, version, hit))
    if not hits:
        return None
    hits.sort(key=lambda h: h[0])
    _, form, version, hit = hits[0]
    status = version_status(form, version, profile)
    code = "identify.by_marker" if status == "current" else "identify.old_marker"
    return _match(
        form,
        version,
        status,
        reasons.say(code, profile, what=_describe(form, status, profile), marker=hit),
    )


def _newer_in_footer(forms: list[FormSpec], text: str, profile) -> FormMatch | None:
    for form in forms:
        stated = _stated_version(form, text)
        if stated and is_newer(form, stated):
            return _newer(form, stated, profile)
    return None


def _label_counts(
    forms: list[FormSpec], text: str, tagged_keys: set[str], labels_found: int
) -> dict[str, int]:
    """Each form's labels found in the text (or its tags found, if more); the caller's own
    count goes to the form that matched best, when higher."""
    best: tuple[int, FormSpec] | None = None
    counts: dict[str, int] = {}
    for form in forms:
        n = count_labels(text, form)
        n = max(n, len(tagged_keys & known_keys(form)))
        counts[form.id] = n
        if best is None or n > best[0]:
            best = (n, form)
    if best is not None and labels_found > best[0]:
        counts[best[1].id] = labels_found
    return counts


def _old_form(
    forms: list[FormSpec],
    lines: list[str],
    counts: dict[str, int],
    form_id: str,
    version_id: str,
    profile,
) -> FormMatch | None:
    """An old form: properties naming a version the catalogue does not list, or the form's
    title or enough of its labels without any marker."""
    for form in forms:
        title = _title_in(lines, form)
        n = counts[form.id]
        if form_id == form.id and version_id:
            return _match(
                form,
                None,
                "old",
                reasons.say(
                    "identify.unknown_version",
                    profile,
                    what=_describe(form, "old", profile),
                    version=version_id,
                ),
            )
        if title or n >= form.min_labels:
            seen = (
                reasons.say("identify.seen_title", profile, title=title)
                if title
                else reasons.say("identify.seen_labels", profile, count=n)
            )
            found = _match(
                form,
                None,
                "old",
                reasons.say(
                    "identify.old_no_marker", profile, noun=_noun(form, profile), seen=seen
                ),
            )
            return found.model_copy(update={"by_labels_only": not title})
    return None
