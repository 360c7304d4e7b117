"""A report as a Word document (.docx) in the official layout, as agencies write it: the title, the six
section headings with their text, and the three tables with the official merged headers and the
勾稽关系 note (`ogi_report.layout.grid`, exactly as the HTML render draws them; nothing retyped).

Without a report it is the blank template of a layout. Metadata the document does not show (the
agency's codes, level and kind, scope, publication date, source) is kept in the document's custom
properties (docProps/custom.xml; File > Properties > Custom in Word) under the `ogi:` names the HTML
page uses in its meta tags, so that reading the document back (`readers/docx_page.py`) gives the
report back. python-docx writes the file; it is imported only here, when a document is written.
"""

from __future__ import annotations

import io
from typing import Any

from ogi_report.documents import META_PREFIX
from ogi_report.layout import Layout
from ogi_report.layout.grid import table_grid
from ogi_report.model import Report
from ogi_report.model.tables import TableModel
from ogi_report.writers.html_render import _meta, _value, report_title

BLANK_TITLE = "××××（机关名称）××××年政府信息公开工作年度报告"


CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def _custom_properties(document: Any, pairs: list[tuple[str, str]]) -> None:
    """docProps/custom.xml holding `pairs` as text properties."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    root = etree.Element(f"{{{CUSTOM_PROPERTIES}}}Properties", nsmap={None: CUSTOM_PROPERTIES, "vt": _VT})
    for pid, (name, value) in enumerate(pairs, 2):
        tag = f"{{{CUSTOM_PROPERTIES}}}property"
        prop = etree.SubElement(root, tag, fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = _xml_text(value)
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    content_type = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), content_type, blob, package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def _xml_text(text: str) -> str:
    """Text XML can hold: characters XML 1.0 forbids become U+FFFD."""
    return "".join(
        c
        if c in "\t\n\r" or ("\x20" <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd") or c > "\uffff"
        else "\ufffd"
        for c in text
    )


def _table(document: Any, layout: Layout, code: str, values: TableModel | None) -> None:
    grid = table_grid(layout.table(code))
    table = document.add_table(rows=grid.rows, cols=grid.cols)
    table.style = "Table Grid"
    for cell in grid.cells:
        first = table.cell(cell.row, cell.col)
        if cell.rowspan > 1 or cell.colspan > 1:
            first = first.merge(table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
        if cell.role == "cell":
            assert cell.path is not None
            _, row, column = cell.path.split(".")
            text = _value(values.cell(row, column)) if values is not None else ""
        else:
            text = cell.text
        first.text = text


def docx_bytes(layout: Layout, report: Report | None = None) -> bytes:
    """The report (or, without one, the blank template of `layout`) as a .docx file's bytes."""
    from docx import Document  # python-docx only when a document is written

    document = Document()
    properties = document.core_properties
    title = report_title(report) if report is not None else BLANK_TITLE
    properties.title = title
    properties.author = "ogi-report"
    if report is not None:
        _custom_properties(document, [(f"{META_PREFIX}{name}", value) for name, value in _meta(report)])
    document.add_heading(title, level=0)
    texts = report.sections.__dict__ if report is not None else {}
    for section in layout.sections:
        document.add_heading(section.label, level=1)
        if section.table is None:
            for line in (texts.get(section.code) or "").splitlines():
                if line.strip():
                    document.add_paragraph(line.strip())
            continue
        values = report.table(section.table) if report is not None else None
        if report is not None and values is None:
            continue  # a table the report does not have: none drawn (read back as null)
        _table(document, layout, section.table, values)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_docx(report: Report) -> bytes:
    """The report as a Word document, pre-filled."""
    return docx_bytes(report.layout, report)
