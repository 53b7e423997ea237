"""Small Word files built inside the tests: content controls, check boxes, legacy fields,
label tables, and hostile variants (macros, damaged parts) of a saved file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = f'xmlns:w="{W}" xmlns:w14="{W14}"'


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*inner: str) -> str:
    return f"<w:p {NS}>{''.join(inner)}</w:p>"


def _pr(tag: str | None, alias: str | None, extra: str = "") -> str:
    t = f'<w:tag w:val="{escape(tag)}"/>' if tag else ""
    a = f'<w:alias w:val="{escape(alias)}"/>' if alias else ""
    return f"<w:sdtPr>{a}{t}{extra}</w:sdtPr>"


def sdt_inline(
    tag: str | None, text: str, placeholder: bool = False, alias: str | None = None
) -> str:
    """A plain-text content control inside a paragraph."""
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    return f"<w:sdt {NS}>{_pr(tag, alias, flag)}<w:sdtContent>{run(text)}</w:sdtContent></w:sdt>"


def sdt_block(
    tag: str | None,
    text: str,
    placeholder: bool = False,
    alias: str | None = None,
    inner: str | None = None,
) -> str:
    """A content control around whole paragraphs (or around other controls)."""
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    body = (
        inner
        if inner is not None
        else "".join(f"<w:p>{run(line)}</w:p>" for line in text.split("\n"))
    )
    return f"<w:sdt {NS}>{_pr(tag, alias, flag)}<w:sdtContent>{body}</w:sdtContent></w:sdt>"


def checkbox(tag: str, checked: bool, label: str = "") -> str:
    glyph = "☒" if checked else "☐"
    box = (
        f'<w14:checkbox><w14:checked w14:val="{1 if checked else 0}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>'
    )
    return f"<w:sdt {NS}>{_pr(tag, None, box)}<w:sdtContent>{run(glyph)}</w:sdtContent></w:sdt>" + (
        run(" " + label) if label else ""
    )


def dropdown(tag: str, shown: str, items: list[str], placeholder: bool = False) -> str:
    li = "".join(f'<w:listItem w:displayText="{escape(i)}" w:value="{escape(i)}"/>' for i in items)
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    return (
        f"<w:sdt {NS}>{_pr(tag, None, flag + f'<w:dropDownList>{li}</w:dropDownList>')}"
        f"<w:sdtContent>{run(shown)}</w:sdtContent></w:sdt>"
    )


def legacy_text(name: str, result: str) -> str:
    """A pre-2007 FORMTEXT field with its typed result."""
    return (
        f'<w:r {NS}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{escape(name)}"/>'
        "<w:enabled/><w:textInput/></w:ffData></w:fldChar></w:r>"
        f'<w:r {NS}><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'
        f'<w:r {NS}><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(result).replace('<w:r>', f'<w:r {NS}>', 1)}"
        f'<w:r {NS}><w:fldChar w:fldCharType="end"/></w:r>'
    )


def legacy_checkbox(name: str, checked: bool | None, default: bool = False) -> str:
    state = "" if checked is None else f'<w:checked w:val="{1 if checked else 0}"/>'
    return (
        f'<w:r {NS}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{escape(name)}"/>'
        f'<w:enabled/><w:checkBox><w:sizeAuto/><w:default w:val="{1 if default else 0}"/>'
        f"{state}</w:checkBox></w:ffData></w:fldChar></w:r>"
        f'<w:r {NS}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        f'<w:r {NS}><w:fldChar w:fldCharType="end"/></w:r>'
    )


def cell(*inner: str) -> str:
    body = "".join(inner) or "<w:p/>"
    if not body.lstrip().startswith(("<w:p", "<w:sdt", "<w:tbl")):
        body = f"<w:p>{body}</w:p>"
    return f"<w:tc><w:tcPr><w:tcW w:w='2000' w:type='dxa'/></w:tcPr>{body}</w:tc>"


def text_cell(text: str) -> str:
    return cell("".join(f"<w:p>{run(line)}</w:p>" for line in text.split("\n")))


def row(*cells: str) -> str:
    return f"<w:tr>{''.join(cells)}</w:tr>"


def table(*rows: str) -> str:
    return f"<w:tbl {NS}><w:tblPr><w:tblW w:w='0' w:type='auto'/></w:tblPr>{''.join(rows)}</w:tbl>"


def label_table(pairs: list[tuple[str, str]]) -> str:
    """The old forms' layout: label cell, answer cell."""
    return table(*(row(text_cell(lab), text_cell(ans)) for lab, ans in pairs))


class DocBuilder:
    """A .docx assembled from python-docx plus raw XML for what python-docx cannot make."""

    def __init__(self) -> None:
        self.doc = Document()
        self.body = self.doc.element.body
        self._props: dict[str, str] = {}

    def text(self, line: str) -> DocBuilder:
        self.doc.add_paragraph(line)
        return self

    def heading(self, line: str) -> DocBuilder:
        self.doc.add_heading(line, level=1)
        return self

    def xml(self, fragment: str) -> DocBuilder:
        """Append a body-level element (paragraph, table, block control)."""
        self.body.insert(len(self.body) - 1, parse_xml(fragment))
        return self

    def footer(self, line: str) -> DocBuilder:
        self.doc.sections[0].footer.paragraphs[0].text = line
        return self

    def properties(self, **props: str) -> DocBuilder:
        self._props.update(props)
        return self

    def save(self, path: Path) -> Path:
        buf = io.BytesIO()
        self.doc.save(buf)
        data = buf.getvalue()
        if self._props:
            data = add_custom_properties(data, self._props)
        path.write_bytes(data)
        return path


def add_custom_properties(docx_bytes: bytes, props: dict[str, str]) -> bytes:
    """Word custom document properties (FormId, FormVersion), which python-docx cannot write."""
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" '
        f'name="{escape(k)}"><vt:lpwstr>{escape(v)}</vt:lpwstr></property>'
        for i, (k, v) in enumerate(props.items(), start=2)
    )
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    )
    src = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/docProps/custom.xml" '
                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                    b'custom-properties+xml"/></Types>',
                )
            elif info.filename == "_rels/.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdCustom" '
                    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/custom-properties" Target="docProps/custom.xml"/>'
                    b"</Relationships>",
                )
            dst.writestr(info, data)
        dst.writestr("docProps/custom.xml", custom)
    return out.getvalue()


def rewrite_part(
    docx: Path,
    name: str,
    data: bytes,
    extra: dict[str, bytes] | None = None,
    content_types: bytes | None = None,
) -> Path:
    """Replace one part of a saved .docx (to make hostile variants)."""
    src = zipfile.ZipFile(io.BytesIO(docx.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == name:
                body = data
            if info.filename == "[Content_Types].xml" and content_types is not None:
                body = content_types
            dst.writestr(info, body)
        for k, v in (extra or {}).items():
            dst.writestr(k, v)
    docx.write_bytes(out.getvalue())
    return docx


CURRENT_FOOTER = "Family Time Referral Form, version 2025.1 (updated March 2025)"
