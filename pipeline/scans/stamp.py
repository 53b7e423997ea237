"""Putting the code on a Word document the pipeline made: a QR code floating in the top left
corner of the first page ("page 1") and of every later page ("page n"), in the page's margin,
so it moves no line of the document. Word shows one header on a section's first page and
another on the rest, never a different one on each page, hence "1" and "n".

Done on the .docx's parts directly (a header part each, the picture, their relationships),
not by opening the document in python-docx: a pack is five documents and opening and saving
each would triple the time a pack takes. The template's own header and footer are copied to
the first page's, so they still show there.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

from lxml import etree

from pipeline.files import write_private
from pipeline.scans.code import LATER_PAGE, PageCode, png

SIZE_MM = 14.5  # 2.6 px a module at 150 dpi (zxing reads from 2); ends inside the left margin
CORNER_MM = 4.0  # from the top and left edges; its quiet zone takes what printers leave white

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
HEADER, FOOTER, IMAGE = (f"{R}/header", f"{R}/footer", f"{R}/image")
CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"
_EMU_MM = 36000


def _picture(rid: str, shape_id: int) -> str:
    size, at = round(SIZE_MM * _EMU_MM), round(CORNER_MM * _EMU_MM)
    graphic = (
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
        'picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="page-code.png"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
        '</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{size}" cy="{size}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>"
    )
    return (
        f'<w:p xmlns:w="{W}" xmlns:r="{R}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/></w:pPr>'
        '<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        'relativeHeight="251659264" behindDoc="0" locked="1" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{at}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{at}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{size}" cy="{size}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapNone/><wp:docPr id="{shape_id}" name="Page code {shape_id}"/>'
        f"<wp:cNvGraphicFramePr/>{graphic}</wp:anchor></w:drawing></w:r></w:p>"
    )


class _Package:
    """The .docx's parts, changed in memory and written back in their order."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.parts = {i.filename: z.read(i.filename) for i in z.infolist()}
        self.types = etree.fromstring(self.parts["[Content_Types].xml"])
        self.doc_rels = self.rels_of("word/document.xml")

    @staticmethod
    def rels_name(part: str) -> str:
        folder, name = part.rsplit("/", 1)
        return f"{folder}/_rels/{name}.rels"

    def rels_of(self, part: str):
        data = self.parts.get(self.rels_name(part))
        if data is None:
            return etree.fromstring(f'<Relationships xmlns="{PKG}"/>'.encode())
        return etree.fromstring(data)

    @staticmethod
    def add_rel(rels, kind: str, target: str) -> str:
        taken = {r.get("Id") for r in rels}
        n = len(taken) + 1
        while f"rIdFt{n}" in taken:
            n += 1
        etree.SubElement(rels, f"{{{PKG}}}Relationship", Id=f"rIdFt{n}", Type=kind, Target=target)
        return f"rIdFt{n}"

    def new_name(self, stem: str, ext: str, folder: str = "word") -> str:
        n = 1
        while f"{folder}/{stem}{n}.{ext}" in self.parts:
            n += 1
        return f"{folder}/{stem}{n}.{ext}"

    def override(self, part: str, kind: str) -> None:
        etree.SubElement(
            self.types, f"{{{CT}}}Override", PartName=f"/{part}", ContentType=CONTENT.format(kind)
        )

    def bytes(self) -> bytes:
        self.parts["[Content_Types].xml"] = etree.tostring(
            self.types, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for name, data in self.parts.items():
                z.writestr(name, data)
        return out.getvalue()


def stamp_docx(path: Path, code: PageCode) -> Path:
    """Add the code to the document at `path` (rewritten in place, privately); returns it."""
    pkg = _Package(Path(path).read_bytes())
    if not any(t.get("Extension", "").lower() == "png" for t in pkg.types):
        etree.SubElement(pkg.types, f"{{{CT}}}Default", Extension="png", ContentType="image/png")
    document = etree.fromstring(pkg.parts["word/document.xml"])
    targets = {r.get("Id"): r.get("Target") for r in pkg.doc_rels}
    shape = 9001
    for sect in document.iter(f"{{{W}}}sectPr"):
        refs = {
            (el.tag.rsplit("}", 1)[1], el.get(f"{{{W}}}type")): el.get(f"{{{R}}}id")
            for el in sect
            if el.tag in (f"{{{W}}}headerReference", f"{{{W}}}footerReference")
        }
        titled = sect.find(f"{{{W}}}titlePg") is not None
        for page, kind in (("1", "first"), (LATER_PAGE, "default")):
            part = _header_for(pkg, sect, refs, targets, kind, titled)
            _put(pkg, part, replace(code, page=page), shape)
            shape += 1
        if not titled:
            default_footer = targets.get(refs.get(("footerReference", "default")) or "")
            if default_footer:  # the template's footer on the first page too
                _copy_part(pkg, sect, "word/" + default_footer, "footer", "first")
            etree.SubElement(sect, f"{{{W}}}titlePg")
            _in_schema_order(sect)
    pkg.parts["word/document.xml"] = etree.tostring(
        document, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    pkg.parts[pkg.rels_name("word/document.xml")] = etree.tostring(
        pkg.doc_rels, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return write_private(Path(path), pkg.bytes())


def _header_for(pkg, sect, refs, targets, kind: str, titled: bool) -> str:
    """The header part showing on the section's first page ("first") or the rest
    ("default"): the template's own, a copy of its default for a first page it never had, or
    a new empty one."""
    own = targets.get(refs.get(("headerReference", kind)) or "")
    if own and (kind == "default" or titled):
        return "word/" + own
    default = targets.get(refs.get(("headerReference", "default")) or "")
    if default:
        return _copy_part(pkg, sect, "word/" + default, "header", kind)
    name = pkg.new_name("header_code", "xml")
    pkg.parts[name] = f'<w:hdr xmlns:w="{W}" xmlns:r="{R}"/>'.encode()
    return _refer(pkg, sect, name, "header", kind)


def _copy_part(pkg, sect, source: str, what: str, kind: str) -> str:
    name = pkg.new_name(f"{what}_code", "xml")
    pkg.parts[name] = pkg.parts[source]
    rels = pkg.parts.get(pkg.rels_name(source))
    if rels is not None:
        pkg.parts[pkg.rels_name(name)] = rels
    return _refer(pkg, sect, name, what, kind)


def _refer(pkg, sect, name: str, what: str, kind: str) -> str:
    rid = pkg.add_rel(pkg.doc_rels, HEADER if what == "header" else FOOTER, name[len("word/") :])
    ref = etree.Element(f"{{{W}}}{what}Reference")
    ref.set(f"{{{W}}}type", kind)
    ref.set(f"{{{R}}}id", rid)
    sect.insert(0, ref)
    pkg.override(name, what)
    return name


def _put(pkg, part: str, code: PageCode, shape: int) -> None:
    """The code's picture into header `part`, as its first paragraph."""
    media = pkg.new_name("page_code", "png", "word/media")
    pkg.parts[media] = png(code)
    rels = pkg.rels_of(part)
    rid = pkg.add_rel(rels, IMAGE, "media/" + media.rsplit("/", 1)[1])
    pkg.parts[pkg.rels_name(part)] = etree.tostring(
        rels, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    header = etree.fromstring(pkg.parts[part])
    header.insert(0, etree.fromstring(_picture(rid, shape)))
    pkg.parts[part] = etree.tostring(
        header, xml_declaration=True, encoding="UTF-8", standalone=True
    )


# the order WordprocessingML requires inside a section's properties (Word refuses others)
_ORDER = [
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
    "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
    "sectPrChange",
]  # fmt: skip


def _in_schema_order(sect) -> None:
    def rank(el) -> int:
        name = el.tag.rsplit("}", 1)[-1]
        return _ORDER.index(name) if name in _ORDER else len(_ORDER)

    children = sorted(sect, key=rank)  # stable: references keep their order
    for el in children:
        sect.append(el)
