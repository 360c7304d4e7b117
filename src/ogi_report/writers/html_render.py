"""A report as an HTML5 page in the official layout: title, the six sections under their headings,
and the three tables with the official merged headers (`ogi_report.layout.grid`).

Every text is escaped; the page has no script and loads nothing. Metadata a page does not show (the
agency's codes, level and kind, scope, publication date, source, and the publisher's explanations of
findings as JSON) is carried in `<meta name="ogi:…">` tags, so that `extract_page(render_html(report))`
gives the report back.
"""

from __future__ import annotations

import json
from decimal import Decimal
from html import escape

from ogi_report.documents import META_PREFIX, page_title
from ogi_report.layout import Layout
from ogi_report.layout.grid import GridCell, table_grid
from ogi_report.model import Report
from ogi_report.model.cells import Cell
from ogi_report.model.tables import TableModel

_STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:auto;line-height:1.6}"
    "table{border-collapse:collapse;margin:1em 0}"
    "td{border:1px solid #333;padding:2px 6px;text-align:center}"
    "td.label{text-align:left}"
)


def _attr(text: str) -> str:
    """An attribute value: escaped, line breaks kept as character references."""
    return escape(text, quote=True).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def report_title(report: Report) -> str:
    """××人民政府2024年政府信息公开工作年度报告."""
    return page_title(report.agency.name, report.year)


def _meta(report: Report) -> list[tuple[str, str]]:
    data = report.to_dict()
    pairs: list[tuple[str, str]] = [("format", report.format), ("year", str(report.year))]
    pairs += [(f"agency.{k}", str(v)) for k, v in data["agency"].items() if v is not None]
    pairs += [
        (key, str(data[key])) for key in ("scope", "published", "source_url") if data.get(key) is not None
    ]
    if report.note is not None:
        pairs.append(("note", report.note))
    if report.explanations:  # the publisher's explanations of findings: kept, never shown
        pairs.append(("explanations", explanations_text(report)))
    return pairs


def explanations_text(report: Report) -> str:
    """The report's explanations as the JSON its `ogi:explanations` metadata holds."""
    return json.dumps(
        [e.model_dump(mode="json", exclude_none=True) for e in report.explanations],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _value(value: Cell) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _td(cell: GridCell, values: TableModel) -> str:
    spans = "".join(
        f' {name}="{n}"' for name, n in (("rowspan", cell.rowspan), ("colspan", cell.colspan)) if n > 1
    )
    if cell.role == "cell":
        assert cell.path is not None
        _, row, column = cell.path.split(".")
        return f"<td{spans}>{_value(values.cell(row, column))}</td>"
    css = ' class="label"' if cell.role in ("row", "group") else ""
    return f"<td{spans}{css}>{escape(cell.text)}</td>"


def _table(layout: Layout, code: str, values: TableModel) -> str:
    grid = table_grid(layout.table(code))
    rows = ["<tr>" + "".join(_td(cell, values) for cell in row) + "</tr>" for row in grid.by_row()]
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def _paragraphs(text: str | None) -> list[str]:
    return [f"<p>{escape(line.strip())}</p>" for line in (text or "").splitlines() if line.strip()]


def render_html(report: Report) -> str:
    """The report as a complete HTML5 page (UTF-8)."""
    title = escape(report_title(report))
    head = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        *(f'<meta name="{META_PREFIX}{name}" content="{_attr(value)}">' for name, value in _meta(report)),
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
    ]
    body: list[str] = []
    texts = report.sections.__dict__
    for section in report.layout.sections:
        body.append(f"<h2>{escape(section.label)}</h2>")
        if section.table is None:
            body += _paragraphs(texts.get(section.code))
            continue
        values = report.table(section.table)
        if values is not None:
            body.append(_table(report.layout, section.table, values))
    return "\n".join([*head, *body, "</body>", "</html>"]) + "\n"
