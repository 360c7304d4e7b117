"""Word and PDF reports (readers/docx_page.py, readers/pdf_page.py, writers/docx_render.py): the
fixtures read as their expected reports, cells are placed in Word and PDF terms, the Word render
reads back to the same report, and what cannot be read is one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import ogi_report
from ogi_report import ReportError, read_report, validate_file
from ogi_report.layout import LAYOUTS
from ogi_report.readers.dispatch import extract_document
from ogi_report.writers.docx_render import docx_bytes, render_docx
from tests.helpers import EXAMPLE_FILES, ROOT
from tests.rules.strategies import explained_reports

FIXTURES = ROOT / "tests" / "fixtures"
DOCX = sorted((FIXTURES / "docx").glob("*.docx"))
PDF = sorted((FIXTURES / "pdf").glob("*.pdf"))
BORDERLESS = sorted((FIXTURES / "pdf-borderless").glob("*.pdf"))
BORDERLESS_EXACT_AT_LEAST = 534  # of 596 cells over the three prints: a ratchet, raise it as reading improves


def expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_name(f"{path.stem}.expected.json").read_text("utf-8"))
    return data


def test_there_are_word_and_pdf_fixtures() -> None:
    assert len(DOCX) >= 5
    assert len(PDF) >= 5


@pytest.mark.parametrize("path", DOCX + PDF, ids=[f"{p.parent.name}/{p.name}" for p in DOCX + PDF])
def test_every_fixture_gives_its_expected_report(path: Path) -> None:
    assert extract_document(path).report.to_dict() == expected(path)


def _table_cells(report: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{table}.{row}.{column}": value
        for table in ("proactive", "applications", "review_litigation")
        for row, columns in (report.get(table) or {}).items()
        for column, value in columns.items()
    }


def test_a_pdf_whose_tables_have_no_rules_reads_no_cell_wrong() -> None:
    """Printed without ruling lines, a table's empty cells leave no trace and long labels wrap around
    their figures: every cell read is the printed one, the others blank, never a guess."""
    assert len(BORDERLESS) >= 3
    exact = 0
    for path in BORDERLESS:
        want = _table_cells(expected(path))
        got = _table_cells(extract_document(path).report.to_dict())
        wrong = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) not in (None, v)}
        assert wrong == {}, path.name
        exact += sum(1 for k, v in want.items() if got.get(k) == v)
    assert exact >= BORDERLESS_EXACT_AT_LEAST


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_examples_render_as_word_and_read_back(path: Path, tmp_path: Path) -> None:
    report = ogi_report.load_report(path)
    out = tmp_path / "r.docx"
    out.write_bytes(render_docx(report))
    assert read_report(out).report.to_dict() == report.to_dict()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(explained_reports())
def test_a_word_document_reads_back_as_the_report_it_was_written_from(data: dict[str, Any]) -> None:
    import tempfile

    report = ogi_report.parse_report(data).report
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.docx"
        out.write_bytes(render_docx(report))
        assert extract_document(out).report.to_dict() == report.to_dict()


def test_word_cells_are_placed_by_table_row_and_column() -> None:
    extracted = extract_document(FIXTURES / "docx" / "official-2021-county.docx")
    assert (
        extracted.places["applications.new_received.natural_person"] == "表三 第4行 第4列"
    )  # three label columns
    assert extracted.places["proactive.regulations.issued"].startswith("表二 第")


def test_a_word_table_four_written_as_one_small_table_a_block_is_read_from_its_captions(
    tmp_path: Path,
) -> None:
    import docx  # the word extra, installed with the tests

    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    for cell, text in zip(
        document.add_table(rows=1, cols=4).rows[0].cells, ["规章", "0", "0", "0"], strict=True
    ):
        cell.text = text
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    blocks = {
        "reconsideration": ("行政复议", [27, 10, 9, 15, 61]),
        "litigation_direct": ("行政诉讼（未经复议直接起诉）", [3, 0, 0, 0, 3]),
        "litigation_after_reconsideration": ("行政诉讼（复议后起诉）", [8, 0, 1, 1, 10]),
    }
    for caption, figures in blocks.values():
        document.add_paragraph(caption)
        table = document.add_table(rows=2, cols=5)
        for cell, text in zip(
            table.rows[0].cells, ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], strict=True
        ):
            cell.text = text
        for cell, figure in zip(table.rows[1].cells, figures, strict=True):
            cell.text = str(figure)
    document.save(str(tmp_path / "captioned.docx"))
    read = extract_document(tmp_path / "captioned.docx").report.to_dict()["review_litigation"]
    assert {row: list(read[row].values()) for row in blocks} == {row: f for row, (_, f) in blocks.items()}


def test_pdf_cells_name_their_page() -> None:
    extracted = extract_document(FIXTURES / "pdf" / "official-2021-county.pdf")
    place = extracted.places["applications.carried_out.total"]
    assert place.startswith("第")
    assert "页 表三 第" in place


def test_findings_of_a_word_report_name_their_cells(tmp_path: Path) -> None:
    data = json.loads((ROOT / "examples" / "illustrative-2021-county.json").read_text("utf-8"))
    data["applications"]["new_received"]["natural_person"] += 1
    out = tmp_path / "r.docx"
    out.write_bytes(render_docx(ogi_report.parse_report(data).report))
    result = validate_file(out)
    assert not result.ok
    cells = [v for f in result.findings for v in f.source_cells.values()]
    assert any("表三 第" in str(c) for c in cells), cells


def test_a_word_narrative_that_disagrees_with_its_table_is_narrative_mismatch(tmp_path: Path) -> None:
    data = json.loads((ROOT / "examples" / "illustrative-2021-county.json").read_text("utf-8"))
    decisions = data["proactive"]["penalty"]["decisions"]
    data["sections"]["overview"] = f"全年作出行政处罚决定{decisions + 5}件。"
    out = tmp_path / "r.docx"
    out.write_bytes(render_docx(ogi_report.parse_report(data).report))
    figures = {f.path: f.value for f in extract_document(out).narrative}
    assert figures.get("proactive.penalty.decisions") == decisions + 5
    rules = [f.rule for f in validate_file(out).findings]
    assert "NARRATIVE-MISMATCH" in rules


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_blank_template_has_the_sections_and_tables(layout: str, tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "t.docx"
    out.write_bytes(docx_bytes(LAYOUTS[layout]))
    document = Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert all(s.label in texts for s in LAYOUTS[layout].sections)
    assert len(document.tables) == 3
    assert any("勾稽关系" in c.text for c in document.tables[1].rows[0].cells)


def test_a_pdf_without_text_is_one_line_saying_so(tmp_path: Path) -> None:
    from tests.hostile.cases import blank_pdf

    path = tmp_path / "scan.pdf"
    path.write_bytes(blank_pdf())
    with pytest.raises(ReportError, match="no text layer"):
        extract_document(path)


def test_ogi_help_imports_neither_python_docx_nor_pdfplumber() -> None:
    code = "import sys; import ogi_report.cli; print([m for m in sys.modules if m in ('docx', 'pdfplumber')])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_running_headers_and_footers_are_the_lines_repeated_in_the_margins() -> None:
    """A line first or last on two pages, in the top or bottom tenth, with the same words but for its
    figures, is a running header or footer; a row of figures or a line in the body never is."""
    from ogi_report.readers.pdf_page import _running, _Text

    def line(text: str, top: float) -> _Text:
        return _Text(text, 50.0, 500.0, top)

    pages = {
        1: [line("12/1/26, 1:10 AM 示例县年度报告", 10), line("正文", 100), line("about:blank 1/2", 830)],
        2: [line("12/1/26, 1:10 AM 示例县年度报告", 10), line("正文", 100), line("about:blank 2/2", 830)],
    }
    items = [(page, ln.top, ln) for page, lines in pages.items() for ln in lines]
    dropped = _running(items, {1: 842.0, 2: 842.0})
    assert {ln.text for ln in (x[2] for x in items) if id(ln) in dropped} == {
        "12/1/26, 1:10 AM 示例县年度报告",
        "about:blank 1/2",
        "about:blank 2/2",
    }
    figures = {page: [line("0 0 0 0 0 0 0", 830), line("正文", 100)] for page in (1, 2)}
    rows = [(page, ln.top, ln) for page, lines in figures.items() for ln in lines]
    assert _running(rows, {1: 842.0, 2: 842.0}) == set()  # no words: a table's row, kept
    body = {page: [line("一、总体情况", 400)] for page in (1, 2)}
    assert (
        _running([(p, ln.top, ln) for p, lines in body.items() for ln in lines], {1: 842.0, 2: 842.0})
        == set()
    )
