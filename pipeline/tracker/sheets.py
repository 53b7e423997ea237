"""Sheets found by their headers, not their names.

People rename tabs ("Referrals 2026") and move them (Staff first). A sheet the layout names
that the workbook no longer has by that name is looked for among the other sheets by its
column headings: the sheet whose headings are most like the layout's (and hold its key
column) is that sheet. Without this, a renamed Referrals sheet got a second "Referrals" sheet
with every row, and the allocation typed on the renamed one was never read.
"""

from __future__ import annotations

from pipeline.profile import Profile
from pipeline.tracker.columns import TrackerSpec
from pipeline.tracker.workbook import HEADER_SEARCH_ROWS, Package, norm_header

LIKENESS = 0.5  # shared headings / all headings of both: below this, not the same sheet


def resolve(pkg: Package, spec: TrackerSpec, profile: Profile) -> dict[str, str]:
    """Layout sheet name -> the workbook's sheet holding it, for the sheets not found by
    name; kept in `pkg.aliases`, which Package.sheet follows."""
    wanted = [s for s in spec.enabled_sheets if s.name not in pkg.sheet_parts]
    if not wanted:
        return pkg.aliases
    names = {s.name for s in spec.enabled_sheets} | {spec.lists_sheet}
    candidates = {n: _headings(pkg, n) for n in pkg.sheet_parts if n not in names}
    scored = []
    for sheet in wanted:
        want = {norm_header(c.header_for(profile)) for c in sheet.columns}
        key = norm_header(sheet.key_column.header_for(profile))
        for name, have in candidates.items():
            have = have - {norm_header(spec.check_column), norm_header(spec.note_column)}
            if key not in have:
                continue
            likeness = len(want & have) / len(want | have)
            if likeness >= LIKENESS:
                scored.append((likeness, sheet.name, name))
    taken: set[str] = set()
    for _likeness, layout_name, name in sorted(scored, reverse=True):
        if layout_name in pkg.aliases or name in taken:
            continue
        pkg.aliases[layout_name] = name
        taken.add(name)
    return pkg.aliases


def _headings(pkg: Package, name: str) -> set[str]:
    """Every heading text in the first rows of a sheet (the header row is found there)."""
    from lxml import etree

    from pipeline.tracker.workbook import NS

    part = pkg.sheet_parts.get(name)
    if part is None or part not in pkg.zip.NameToInfo:
        return set()
    out: set[str] = set()
    rows = etree.iterparse(pkg.zip.open(part), tag=f"{{{NS}}}row", huge_tree=True)
    for n, (_, row) in enumerate(rows, start=1):
        out |= {norm_header(pkg.value(c)) for c in pkg.cells(row).values()} - {""}
        if n >= HEADER_SEARCH_ROWS:
            break
    return out
