"""Build the service's blank forms (the .docx files beside this script) from the catalogue.

Run `python form_templates/build_forms.py`. Every label, key, choice, footer and version
property comes from catalogue.toml, so a new form version is a catalogue edit and a re-run.
The current forms carry Word content controls tagged with the field keys (what the reader
keys on); the old forms are rebuilt as the service issued them (plain label/answer cells, or
legacy FORMTEXT fields) so the reader can be tested against what still arrives.

Output is deterministic (fixed dates, fixed zip timestamps, counted ids): re-running changes
nothing, so the committed files only change when the catalogue does.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(HERE.parent))
if str(HERE) not in sys.path:  # form_controls.py beside it, however it is loaded
    sys.path.append(str(HERE))

from docx import Document  # noqa: E402
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402
from docx.opc.packuri import PackURI  # noqa: E402
from docx.opc.part import Part  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Pt, RGBColor  # noqa: E402

# The XML parts (content controls, legacy fields, runs) are in form_controls.py; W14 and _el
# are named here too because the fixture scripts in tests/ reach them as build_forms.<name>.
from form_controls import (  # noqa: E402,F401
    PPR_ORDER,
    TBLPR_ORDER,
    TCPR_ORDER,
    W14,
    Ids,
    _el,
    _put,
    _run,
    legacy_checkbox,
    legacy_text,
    sdt_checkbox,
    sdt_date,
    sdt_dropdown,
    sdt_text,
)

from pipeline.catalogue import FieldSpec, FormSpec, VersionSpec, catalogue  # noqa: E402
from pipeline.files import write_private  # noqa: E402

# ---- Presentation wording and look. Labels, keys and versions come from the catalogue; this
# is only the chrome a form builder adds (what Word itself shows in an empty control is with
# the controls, in form_controls.py).
SUBTITLE = "Children's Services: Family Time (supervised contact for children in care)"
YES_CAPTION = "Yes"
NO_CAPTION = "No"
FIXED_DATE = dt.datetime(2025, 3, 1, 9, 0, 0)  # core properties: no build-time timestamps
AUTHOR = "Family Time service"

FONT = "Arial"
BAND_FILL = {"controls": "1F4E79", "plain": "404040", "legacy": "365F91"}
LABEL_FILL = {"controls": "DEEAF6", "plain": "F2F2F2", "legacy": "DBE5F1"}
GREY = RGBColor(0x59, 0x59, 0x59)
BORDER = "A6A6A6"
PAGE_WIDTH_CM = 21.0
MARGIN_CM = 1.9
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
LABEL_SHARE = 0.40

# Relative column widths of the family members table.
ROW_WEIGHTS = {
    "name": 3.2,
    "relationship": 2.6,
    "parental_responsibility": 2.6,
    "phone": 2.4,
    "address": 3.6,
    "interpreter": 2.8,
}

# Answers that usually run to several lines get a multi-line control.
LONG_SUFFIXES = (
    "address",
    "needs",
    "purpose",
    "directions",
    "not_to_attend",
    "to_child",
    "to_staff",
    "supervision_notes",
    "arrival",
    "summary",
    "child_views",
    "parenting",
    "significant_details",
    "school",
    "transport",
    "reason",
)

# How each shipped template records its answers (the catalogue's `style` says controls or
# label table; the old label-table forms differ in whether they used legacy form fields).
ANSWER_STYLE = {
    "content-controls": "controls",
    "contact-referral-form.docx": "legacy",
}


def answer_style(version: VersionSpec) -> str:
    """'controls', 'plain' (typed into a cell) or 'legacy' (FORMTEXT / FORMCHECKBOX)."""
    return ANSWER_STYLE.get(version.template) or ANSWER_STYLE.get(version.style) or "plain"


def is_long(field: FieldSpec) -> bool:
    return field.type == "text" and field.key.split(".")[-1].endswith(LONG_SUFFIXES)


# ---------------------------------------------------------------------------------------
# Layout helpers (the schema order of the property elements: form_controls.py)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    _put(tcpr, _el("w:shd", val="clear", color="auto", fill=fill), TCPR_ORDER)


def _cell_margins(table, top=60, bottom=60, left=100, right=100) -> None:
    tblpr = table._tbl.tblPr
    mar = _el("w:tblCellMar")
    for side, v in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        mar.append(_el(f"w:{side}", w=str(v), type="dxa"))
    _put(tblpr, mar, TBLPR_ORDER)


def _borders(table, color: str = BORDER) -> None:
    tblpr = table._tbl.tblPr
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="single", sz="4", space="0", color=color))
    _put(tblpr, borders, TBLPR_ORDER)


def _fixed_table(doc, rows: int, widths_cm: list[float]):
    """A fixed-layout table with the given column widths and light grey borders."""
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    _put(tblpr, _el("w:tblLayout", type="fixed"), TBLPR_ORDER)
    _put(
        tblpr,
        _el("w:tblW", w=str(sum(int(Cm(w).twips) for w in widths_cm)), type="dxa"),
        TBLPR_ORDER,
    )
    _borders(table)
    _cell_margins(table)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(_el("w:cantSplit"))
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
    return table


def _para_spacing(p, before: float = 0, after: float = 0) -> None:
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(after)


def _label_cell(cell, field: FieldSpec, label: str, fill: str) -> None:
    _shade(cell, fill)
    p = cell.paragraphs[0]
    _para_spacing(p)
    p.add_run(label)
    if field.hint:
        hp = cell.add_paragraph()
        _para_spacing(hp, before=1)
        r = hp.add_run(field.hint)
        r.font.size = Pt(8)
        r.font.color.rgb = GREY


def _answer_runs(
    field: FieldSpec, label: str, style: str, ids: Ids, yes_no_boxes: bool = False
) -> list:
    """The XML put in an answer cell for one field, in the form's answer style."""
    if style == "plain":
        return []
    if yes_no_boxes and style == "controls":
        # two boxes, neither ticked: "not answered" stays different from "No"
        return [
            sdt_checkbox(f"{field.key}:{YES_CAPTION}", f"{label}: {YES_CAPTION}", ids),
            _run(f" {YES_CAPTION}     "),
            sdt_checkbox(f"{field.key}:{NO_CAPTION}", f"{label}: {NO_CAPTION}", ids),
            _run(f" {NO_CAPTION}"),
        ]
    if style == "legacy":
        if field.type == "yesno":
            return legacy_checkbox(ids) + [_run(" " + YES_CAPTION)]
        return legacy_text(ids)
    if field.type == "yesno":
        return [sdt_checkbox(field.key, label, ids), _run(" " + YES_CAPTION)]
    if field.type == "date":
        return [sdt_date(field.key, label, ids)]
    if field.type == "choice":
        return [sdt_dropdown(field.key, label, field.choices, ids)]
    return [sdt_text(field.key, label, ids, multiline=is_long(field))]


def _days_runs(field: FieldSpec, label: str, style: str, ids: Ids) -> list:
    """One check box per day, each tagged "request.days:<Day>" on the current form."""
    if style == "plain":
        return []
    runs: list = []
    half = (len(field.choices) + 1) // 2
    for i, day in enumerate(field.choices):
        if i == half:
            runs.append(_run("\n"))  # two lines of days: fits the answer cell
        elif i:
            runs.append(_run("   "))
        if style == "legacy":
            runs.extend(legacy_checkbox(ids))
        else:
            runs.append(sdt_checkbox(f"{field.key}:{day}", f"{label}: {day}", ids))
        runs.append(_run(" " + day))
    return runs


def _fill_answer_cell(cell, runs: list) -> None:
    p = cell.paragraphs[0]
    _para_spacing(p)
    for r in runs:
        p._p.append(r)


# ---------------------------------------------------------------------------------------
# Document parts


def _setup(doc, style: str) -> None:
    """A4, margins, Arial 10pt, and the grey placeholder character style Word uses."""
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(MARGIN_CM))
    sec.top_margin, sec.bottom_margin = Cm(1.6), Cm(1.8)
    sec.header_distance, sec.footer_distance = Cm(0.8), Cm(0.8)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(0)
    ph = doc.styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    ph.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    ph.element.set(qn("w:styleId"), "PlaceholderText")
    # The default template leaves a "Table Grid"-less style set; our tables set their own
    # borders, so nothing else is needed.


def _title(doc, title: str, style: str) -> None:
    p = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    _para_spacing(p, after=2)
    r = p.add_run(title)
    r.bold = True
    r.font.size = Pt(18)
    r.font.color.rgb = RGBColor.from_string(BAND_FILL[style])
    sub = doc.add_paragraph()
    _para_spacing(sub, after=8)
    sr = sub.add_run(SUBTITLE)
    sr.font.size = Pt(10)
    sr.font.color.rgb = GREY


def _band(doc, title: str, guidance: str, style: str) -> None:
    """A section heading on a shaded band, its guidance beneath in smaller grey type."""
    p = doc.add_paragraph()
    _para_spacing(p, before=10, after=2)
    p.paragraph_format.keep_with_next = True
    ppr = p._p.get_or_add_pPr()
    _put(ppr, _el("w:shd", val="clear", color="auto", fill=BAND_FILL[style]), PPR_ORDER)
    r = p.add_run(title)
    r.bold = True
    r.font.size = Pt(11)
    r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    if guidance:
        g = doc.add_paragraph()
        _para_spacing(g, after=4)
        g.paragraph_format.keep_with_next = True
        gr = g.add_run(guidance)
        gr.font.size = Pt(8.5)
        gr.font.color.rgb = GREY


def _pair_table(
    doc,
    fields: list[FieldSpec],
    labels: dict[str, str],
    style: str,
    ids: Ids,
    yes_no_boxes: frozenset[str] = frozenset(),
) -> None:
    """Two-column label/answer rows, label cell shaded."""
    label_w = TEXT_WIDTH_CM * LABEL_SHARE
    table = _fixed_table(doc, len(fields), [label_w, TEXT_WIDTH_CM - label_w])
    for row, field in zip(table.rows, fields):
        label = labels[field.key]
        _label_cell(row.cells[0], field, label, LABEL_FILL[style])
        if field.type == "days":
            runs = _days_runs(field, label, style, ids)
        else:
            runs = _answer_runs(field, label, style, ids, field.key in yes_no_boxes)
        _fill_answer_cell(row.cells[1], runs)


def _rows_table(
    doc, form: FormSpec, fields: list[FieldSpec], labels: dict[str, str], style: str, ids: Ids
) -> None:
    """The repeating rows (family members): a header of labels, then `rows` rows."""
    weights = [ROW_WEIGHTS.get(f.key.split(".")[-1], 2.5) for f in fields]
    widths = [TEXT_WIDTH_CM * w / sum(weights) for w in weights]
    table = _fixed_table(doc, form.rows + 1, widths)
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    tr_pr.append(_el("w:tblHeader"))
    for cell, field in zip(header.cells, fields):
        _shade(cell, LABEL_FILL[style])
        p = cell.paragraphs[0]
        _para_spacing(p)
        hr = p.add_run(labels[field.key])
        hr.bold = True
        hr.font.size = Pt(8.5)
    for n in range(1, form.rows + 1):
        for cell, field in zip(table.rows[n].cells, fields):
            row_field = field.for_row(n)
            label = f"{labels[field.key]} ({n})"
            _fill_answer_cell(cell, _answer_runs(row_field, label, style, ids))


def _field_run(instr: str):
    """A complex field (PAGE / NUMPAGES) as runs."""
    runs = []
    b = _el("w:r")
    b.append(_el("w:fldChar", fldCharType="begin"))
    i = _el("w:r")
    it = _el("w:instrText")
    it.text = f" {instr} "
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    i.append(it)
    s = _el("w:r")
    s.append(_el("w:fldChar", fldCharType="separate"))
    res = _run("1")
    e = _el("w:r")
    e.append(_el("w:fldChar", fldCharType="end"))
    runs.extend([b, i, s, res, e])
    return runs


def _footer(doc, text: str) -> None:
    """The version marker exactly as the catalogue words it, then 'Page n of m'."""
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    _para_spacing(p)
    if text:
        r = p.add_run(text)
        r.font.size = Pt(8)
        r.font.color.rgb = GREY
        pn = footer.add_paragraph()
    else:
        pn = p
    pn.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _para_spacing(pn)
    pn._p.append(_run("Page ", size=8, color="595959"))
    for r in _field_run("PAGE"):
        pn._p.append(r)
    pn._p.append(_run(" of ", size=8, color="595959"))
    for r in _field_run("NUMPAGES"):
        pn._p.append(r)


def custom_properties_xml(props: dict[str, str]) -> bytes:
    """docProps/custom.xml holding the form's identity (FormId, FormVersion)."""
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" '
        f'name="{escape(name)}"><vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
        for i, (name, value) in enumerate(props.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/docPropsVTypes">{items}</Properties>'
    ).encode()


def _add_custom_properties(doc, props: dict[str, str]) -> None:
    package = doc.part.package
    part = Part(
        PackURI("/docProps/custom.xml"),
        "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        custom_properties_xml(props),
        package,
    )
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _drop_thumbnail(doc) -> None:
    """The stock template's preview picture shows an unrelated blank page: leave it out."""
    rels = doc.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del rels[rid]


def _core_properties(doc, title: str) -> None:
    cp = doc.core_properties
    cp.title = title
    cp.author = AUTHOR
    cp.last_modified_by = AUTHOR
    cp.created = FIXED_DATE
    cp.modified = FIXED_DATE
    cp.last_printed = FIXED_DATE
    cp.revision = 1
    cp.subject = ""
    cp.comments = ""
    cp.keywords = ""


def deterministic_bytes(doc) -> bytes:
    """Save with fixed zip timestamps, so the same input always gives the same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    return normalise_zip(raw.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Re-pack a .docx zip with fixed member timestamps and attributes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# Whole forms


def form_labels(
    form: FormSpec, version: VersionSpec, words: dict[str, str] | None = None
) -> dict[str, str]:
    """Label shown for each generic key on this version (label_overrides applied); `words`:
    a service's own ({case_system} ...), for its copy of the form."""
    return {
        f.key: version.label_overrides.get(f.key, f.display_label(**(words or {})))
        for f in form.fields
    }


def build_document(form: FormSpec, version: VersionSpec, words: dict[str, str] | None = None):
    """The python-docx Document of one form version (not yet saved)."""
    style = answer_style(version)
    ids = Ids()
    doc = Document()
    _setup(doc, style)
    title = version.title or form.title
    _title(doc, title, style)
    labels = form_labels(form, version, words)
    for section in form.sections:
        if section.id in version.omit_sections:
            continue
        fields = [f for f in form.fields if f.section == section.id]
        if not fields:
            continue
        _band(doc, section.title, section.guidance, style)
        rows = [f for f in fields if f.repeating]
        singles = [f for f in fields if not f.repeating]
        if rows:
            _rows_table(doc, form, rows, labels, style, ids)
            if singles:
                doc.add_paragraph()
        if singles:
            _pair_table(doc, singles, labels, style, ids, frozenset(version.yes_no_boxes))
    _footer(doc, version.footer)
    if version.properties:
        _add_custom_properties(doc, version.properties)
    _drop_thumbnail(doc)
    _core_properties(doc, title)
    return doc


def build_form(form: FormSpec, version: VersionSpec) -> bytes:
    return deterministic_bytes(build_document(form, version))


def build_all(out_dir: Path = HERE) -> list[Path]:
    """Write every form version the catalogue lists; return the paths written."""
    written = []
    for form in catalogue().forms.values():
        for version in form.versions:
            path = out_dir / version.template
            write_private(path, build_form(form, version))
            written.append(path)
    return written


# ---------------------------------------------------------------------------------------
# Each service's copy of the current referral form

SERVICE_FORMS = HERE / "documents" / "referral_form.toml"


def service_form(form: FormSpec, profile_id: str) -> tuple[FormSpec, dict[str, str]]:
    """The form with the service's own guidance, labels and hints (documents/referral_form.toml)
    and the profile's words for the labels that follow it ({case_system} ID ...)."""
    import tomllib

    from pipeline.profile import load_profile

    with open(SERVICE_FORMS, "rb") as fh:
        own = tomllib.load(fh).get(profile_id, {})
    words = own.get("words") or load_profile(profile_id).words  # [shared]: its own words
    guidance, labels, hints = (own.get(k, {}) for k in ("guidance", "labels", "hints"))
    sections = [
        s.model_copy(update={"guidance": guidance[s.id].format(**words)}) if s.id in guidance else s
        for s in form.sections
    ]
    fields = []
    for f in form.fields:
        update = {}
        if f.key in labels:
            update.update(label=labels[f.key].format(**words), label_template=None)
        if f.key in hints:
            update["hint"] = hints[f.key].format(**words) or None
        fields.append(f.model_copy(update=update) if update else f)
    return form.model_copy(update={"sections": sections, "fields": fields}), words


def build_service_forms(out_dir: Path = HERE / "documents") -> list[Path]:
    """Each service's blank current referral form, in documents/<profile id>/: the form its
    request to re-submit on the current form attaches."""
    import tomllib

    with open(SERVICE_FORMS, "rb") as fh:
        services = sorted(tomllib.load(fh))
    form = catalogue().by_kind("referral")
    written = []
    for profile_id in services:
        own, words = service_form(form, profile_id)
        for version in form.current_versions:
            path = out_dir / profile_id / version.template
            path.parent.mkdir(parents=True, exist_ok=True)
            write_private(path, deterministic_bytes(build_document(own, version, words)))
            written.append(path)
    return written


def main() -> int:
    for path in build_all() + build_service_forms():
        print(f"wrote {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
