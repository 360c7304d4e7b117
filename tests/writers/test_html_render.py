"""The report as an HTML page (writers/html_render.py): valid HTML5, no script, everything escaped,
the official grid, and read back by the page reader to the same report."""

from __future__ import annotations

from typing import Any

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from lxml import html as lxml_html

import ogi_report
from ogi_report.documents import META_PREFIX
from ogi_report.layout import LAYOUTS, Table
from ogi_report.layout.grid import table_grid
from ogi_report.model import Report
from ogi_report.readers.page import extract_page
from ogi_report.writers.html_render import render_html
from tests.helpers import EXAMPLE_FILES, patched, raw
from tests.rules.strategies import explained_reports

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & </td></table> "\' -->'
TABLES = [(lay.code, t) for lay in LAYOUTS.values() for t in lay.tables]


def report_of(data: dict[str, Any]) -> Report:
    return ogi_report.parse_report(data).report


def strict_parse(page: str) -> Any:
    """Parse as HTML5 with html5lib in strict mode: any parse error raises."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_examples_render_as_valid_html5_and_read_back(path: Any) -> None:
    report = ogi_report.load_report(path)
    page = render_html(report)
    strict_parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert extract_page(page).report.to_dict() == report.to_dict()


def test_hostile_text_is_escaped_and_still_reads_back() -> None:
    data = patched(
        raw("illustrative-2021-county.json"),
        {
            "agency.name": "示例县人民政府" + HOSTILE,
            "sections.overview": HOSTILE + "\n第二段",
            "sections.problems": "a & b < c",
            "source_url": 'https://example.gov.cn/"><script>x</script>',
            "_note": HOSTILE,
        },
    )
    report = report_of(data)
    page = render_html(report)
    strict_parse(page)
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    root = lxml_html.document_fromstring(page)
    assert root.xpath("//script") == []
    assert root.xpath("//img") == []
    assert root.xpath("//@onerror") == []  # no attribute broke out of its quotes
    metadata = {e.get("name"): e.get("content") for e in root.xpath("//meta[@name]")}
    assert metadata[f"{META_PREFIX}source_url"] == 'https://example.gov.cn/"><script>x</script>'
    assert len(root.xpath("//table")) == 3
    assert extract_page(page).report.to_dict() == report.to_dict()


@pytest.mark.parametrize(("layout", "table"), TABLES, ids=[f"{c}-{t.code}" for c, t in TABLES])
def test_the_grid_covers_every_position_once(layout: str, table: Table) -> None:
    grid = table_grid(table)
    covered: dict[tuple[int, int], int] = {}
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                covered[(r, c)] = covered.get((r, c), 0) + 1
    assert set(covered) == {(r, c) for r in range(grid.rows) for c in range(grid.cols)}
    assert set(covered.values()) == {1}
    paths = sorted(c.path for c in grid.cells if c.path is not None)
    assert paths == sorted(f"{table.code}.{row.code}.{col.code}" for row, col in table.cells())


def test_official_merged_headers_of_table_three() -> None:
    page = render_html(ogi_report.load_report(EXAMPLE_FILES[0]))
    root = lxml_html.document_fromstring(page)
    table = root.xpath("//table")[1]
    first = table.xpath("./tr[1]/td")
    assert (first[0].get("rowspan"), first[0].get("colspan")) == ("3", "3")
    assert "勾稽关系" in first[0].text_content()
    assert (first[1].text_content(), first[1].get("colspan")) == ("申请人情况", "7")
    group = table.xpath(".//td[text()='法人或其他组织']")[0]
    assert group.get("colspan") == "5"
    results = table.xpath(".//td[text()='三、本年度办理结果']")[0]
    layout = ogi_report.load_report(EXAMPLE_FILES[0]).layout
    rows = len(layout.table("applications").descendants("results"))
    assert results.get("rowspan") == str(rows)


def test_a_report_without_tables_renders_its_headings() -> None:
    report = ogi_report.load_report(next(p for p in EXAMPLE_FILES if p.name.startswith("shanwei")))
    page = render_html(report)
    strict_parse(page)
    assert "<table" not in page
    for section in report.layout.sections:
        assert f"<h2>{section.label}</h2>" in page
    assert extract_page(page).report.to_dict() == report.to_dict()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(explained_reports())
def test_extract_page_reads_back_what_render_html_wrote(data: dict[str, Any]) -> None:
    report = report_of(data)
    assert extract_page(render_html(report)).report.to_dict() == report.to_dict()


def test_explanations_are_kept_in_metadata_never_shown() -> None:
    data = {
        **raw("illustrative-2021-county.json"),
        "explanations": [{"fingerprint": "0" * 16, "text": HOSTILE}],
    }
    report = report_of(data)
    page = render_html(report)
    strict_parse(page)
    assert HOSTILE not in page  # escaped, in an attribute
    visible = lxml_html.fromstring(page).text_content()
    assert "fingerprint" not in visible
    assert extract_page(page).report.explanations == report.explanations


def test_explanations_that_are_not_json_are_one_line_error() -> None:
    page = render_html(report_of(raw("illustrative-2021-county.json")))
    page = page.replace("</head>", f'<meta name="{META_PREFIX}explanations" content="[{{oops">\n</head>')
    with pytest.raises(ogi_report.ReportError, match="explanations is not JSON"):
        extract_page(page)
