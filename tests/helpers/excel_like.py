"""Save a workbook the way Excel does: every text cell moved into the shared-string table.

openpyxl 3.1 writes inline strings, so a person's "save in Excel" is simulated by editing
with openpyxl and then running `to_shared_strings`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def to_shared_strings(path: Path) -> None:
    z = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    strings: dict[str, int] = {}
    out: dict[str, bytes] = {}
    for name in z.namelist():
        data = z.read(name)
        if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
            root = etree.fromstring(data)
            for c in root.iter(f"{{{NS}}}c"):
                if c.get("t") == "inlineStr":
                    text = "".join(c.find(f"{{{NS}}}is").itertext())
                    idx = strings.setdefault(text, len(strings))
                    for child in list(c):
                        c.remove(child)
                    c.set("t", "s")
                    etree.SubElement(c, f"{{{NS}}}v").text = str(idx)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out[name] = data
    sst = etree.Element(f"{{{NS}}}sst", count=str(len(strings)), uniqueCount=str(len(strings)))
    for text in strings:
        t = etree.SubElement(etree.SubElement(sst, f"{{{NS}}}si"), f"{{{NS}}}t")
        t.text = text
    if "xl/sharedStrings.xml" not in out:
        rels = etree.fromstring(out["xl/_rels/workbook.xml.rels"])
        etree.SubElement(
            rels,
            f"{{{PKG}}}Relationship",
            Id="rIdSst",
            Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings",
            Target="sharedStrings.xml",
        )
        out["xl/_rels/workbook.xml.rels"] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8"
        )
        ct = etree.fromstring(out["[Content_Types].xml"])
        etree.SubElement(
            ct,
            f"{{{CT}}}Override",
            PartName="/xl/sharedStrings.xml",
            ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
        )
        out["[Content_Types].xml"] = etree.tostring(ct, xml_declaration=True, encoding="UTF-8")
    out["xl/sharedStrings.xml"] = etree.tostring(
        sst, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zw:
        for name, data in out.items():
            zw.writestr(name, data)
    path.write_bytes(buf.getvalue())


def save_as_excel(wb, path: Path) -> None:
    """openpyxl save, then shared strings, as Excel would leave the file."""
    wb.save(path)
    to_shared_strings(path)
