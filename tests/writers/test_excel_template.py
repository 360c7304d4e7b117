"""The Excel template: labels from the registry, the official merged headings, protection, data
validation, deterministic output, and a golden dump of the empty 2021 template.

The golden file tests/writers/golden/template-2021.json holds every sheet's non-empty cell values,
merged ranges, data validations and protection. When the layout registry or the template's drawing
changes on purpose, regenerate it and review the diff:

    python -c "from tests.writers.test_excel_template import regenerate_golden; regenerate_golden()"
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from ogi_report import LAYOUT_2019_TRIAL, LAYOUT_2021, Layout, ReportError, load_report, parse_report
from ogi_report.documents import METADATA_SHEET, metadata_fields, sections_sheet_name, table_sheet_name
from ogi_report.layout import TEXT_SECTIONS, CellKind, Table
from ogi_report.model import Agency, Report
from ogi_report.readers.excel import read_workbook
from ogi_report.writers import build_workbook, template_bytes, write_template
from ogi_report.writers.excel_template import EXCEL_TEXT_LIMIT, money_value
from tests.helpers import COMPLETE_2021, COMPLETE_TRIAL, EXAMPLES, patched, raw

GOLDEN = Path(__file__).resolve().parent / "golden" / "template-2021.json"
BOTH = pytest.mark.parametrize("layout", [LAYOUT_2021, LAYOUT_2019_TRIAL], ids=["2021", "2019-trial"])


def workbook_of(layout: Layout, report: Report | None = None) -> Workbook:
    """The template as written to bytes and opened again (what a user's Excel would see)."""
    return openpyxl.load_workbook(io.BytesIO(template_bytes(layout.code, report)))


def strings(ws: Worksheet) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def find(ws: Worksheet, text: str) -> list[str]:
    """Coordinates of the cells holding exactly `text`."""
    return [c.coordinate for row in ws.iter_rows() for c in row if c.value == text]


def merged_at(ws: Worksheet, coordinate: str) -> CellRange:
    """The merged range whose top-left cell is `coordinate` (fails if the cell is not merged)."""
    for merged in ws.merged_cells.ranges:
        if merged.coord.split(":")[0] == coordinate:
            return CellRange(merged.coord)
    raise AssertionError(f"{ws.title}!{coordinate} is not the top-left cell of a merged range")


def only(ws: Worksheet, text: str) -> str:
    found = find(ws, text)
    assert len(found) == 1, (ws.title, text, found)
    return found[0]


def expected_labels(table: Table) -> set[str]:
    labels = {table.label, *(r.label for r in table.rows)}
    labels |= {table.column(code).label for r in table.data_rows for code in r.columns}
    labels |= {label for label, _ in table.column_groups}
    labels |= {r.block for r in table.rows if r.block is not None}
    labels |= {text for text in (table.note, table.row_heading) if text is not None}
    return labels


def dump(workbook: Workbook) -> dict[str, Any]:
    """Every sheet's non-empty values, merged ranges, validations and protection, JSON-ready."""
    sheets: dict[str, Any] = {}
    for ws in workbook.worksheets:
        cells = {
            c.coordinate: c.value if isinstance(c.value, str | int) else str(c.value)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        }
        validations = sorted(
            [
                dv.type,
                dv.operator,
                dv.formula1,
                dv.formula2,
                " ".join(sorted(str(r) for r in dv.sqref.ranges)),
            ]
            for dv in ws.data_validations.dataValidation
        )
        sheets[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": validations,
            "protected": bool(ws.protection.sheet),
        }
    return {"sheets": list(workbook.sheetnames), "content": sheets}


def regenerate_golden() -> None:
    """Rewrite the golden file from the current template (review the diff before committing)."""
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(dump(workbook_of(LAYOUT_2021)), ensure_ascii=False, indent=1, sort_keys=True)
    GOLDEN.write_text(text + "\n", "utf-8")


# --- Sheets and labels -----------------------------------------------------------------------------


@BOTH
def test_sheets_are_named_from_the_registry(layout: Layout) -> None:
    workbook = workbook_of(layout)
    tables = [table_sheet_name(t) for t in layout.tables]
    assert workbook.sheetnames == [METADATA_SHEET, *tables, sections_sheet_name(layout)]
    # the numeral of each table's label: 二、主动公开… -> 表二
    assert tables == ["表二", "表三", "表四"]
    assert sections_sheet_name(layout) == "正文"


@BOTH
def test_table_sheet_labels_are_the_registry_labels(layout: Layout) -> None:
    workbook = workbook_of(layout)
    for table in layout.tables:
        ws = workbook[table_sheet_name(table)]
        assert set(strings(ws)) == expected_labels(table)
        for row in table.rows:
            only(ws, row.label)  # every row label once, exactly as in the registry


@BOTH
def test_metadata_labels_are_the_model_field_titles(layout: Layout) -> None:
    ws = workbook_of(layout)[METADATA_SHEET]
    labels = [c.value for c in ws["A"][1:] if c.value is not None]
    agency = [f"agency.{name}" for name in Agency.model_fields]
    assert [f.key for f in metadata_fields(layout)] == [
        "format",
        "year",
        *agency,
        "scope",
        "published",
        "source_url",
        "_note",
    ]
    assert labels == [f.title for f in metadata_fields(layout)]
    assert "报告主体" in labels
    assert "统一社会信用代码" in labels
    assert ws["A1"].value == layout.title
    assert ws[f"B{2 + labels.index('报告格式')}"].value == layout.code


@BOTH
def test_sections_sheet_has_the_narrative_sections(layout: Layout) -> None:
    ws = workbook_of(layout)[sections_sheet_name(layout)]
    assert [c.value for c in ws["A"]] == [s.label for s in TEXT_SECTIONS]


# --- The official merged headings -----------------------------------------------------------------


@BOTH
def test_applications_header_is_merged_as_in_the_official_table(layout: Layout) -> None:
    table = layout.table("applications")
    ws = workbook_of(layout)[table_sheet_name(table)]
    depth = max(len(table.ancestors(r.code)) for r in table.data_rows) + 1
    columns = len(table.columns)
    corner = merged_at(ws, only(ws, table.note or ""))
    assert (corner.min_col, corner.max_col) == (1, depth)  # over the label columns
    header_rows = corner.max_row - corner.min_row + 1
    assert header_rows == len(table.column_groups) + 1
    outer, inner = (label for label, _ in table.column_groups)
    applicants = merged_at(ws, only(ws, outer))
    assert (applicants.min_col, applicants.max_col) == (depth + 1, depth + columns)
    assert applicants.min_row == corner.min_row
    members = [i for i, c in enumerate(table.columns) if c.group == inner]
    legal = merged_at(ws, only(ws, inner))
    assert (legal.min_col, legal.max_col) == (depth + 1 + members[0], depth + 1 + members[-1])
    assert len(members) == 5
    for index, column in enumerate(table.columns):
        cell = ws[only(ws, column.label)]
        assert cell.column == depth + 1 + index
        if column.group != inner:  # 自然人 and 总计 span the two lower header rows
            span = merged_at(ws, cell.coordinate)
            assert (span.min_row, span.max_row) == (corner.min_row + 1, corner.max_row)


@BOTH
def test_group_labels_are_merged_to_the_left_of_their_rows(layout: Layout) -> None:
    table = layout.table("applications")
    ws = workbook_of(layout)[table_sheet_name(table)]
    for group in (r for r in table.rows if r.is_group):
        cell = ws[only(ws, group.label)]
        rows = sorted(ws[only(ws, r.label)].row for r in table.descendants(group.code))
        assert cell.column == len(table.ancestors(group.code)) + 1
        span = merged_at(ws, cell.coordinate)
        assert (span.min_row, span.max_row) == (rows[0], rows[-1])
        assert rows == list(range(rows[0], rows[-1] + 1))
    # the 2021 results group spans 22 rows, the trial one 20 (docs/standard.md, How published copies look)
    results = merged_at(ws, only(ws, table.row("results").label))
    assert results.max_row - results.min_row + 1 == (22 if layout is LAYOUT_2021 else 20)
    for row in table.data_rows:
        cell = ws[only(ws, row.label)]
        assert cell.column == len(table.ancestors(row.code)) + 1


@BOTH
def test_review_litigation_blocks_sit_side_by_side(layout: Layout) -> None:
    table = layout.table("review_litigation")
    assert table.rows_across
    ws = workbook_of(layout)[table_sheet_name(table)]
    spans = {r.code: merged_at(ws, only(ws, r.label)) for r in table.rows}
    width = len(table.column_map)
    assert spans["reconsideration"].size["columns"] == width
    assert spans["litigation"].size["columns"] == 2 * width  # 行政诉讼 over both of its blocks
    for child in table.descendants("litigation"):
        span = spans[child.code]
        assert span.min_row == spans["litigation"].max_row + 1
        assert spans["litigation"].min_col <= span.min_col <= span.max_col <= spans["litigation"].max_col
    labels_row = [c.value for c in ws[spans["litigation"].max_row + 2]]
    assert labels_row == [table.column(code).label for r in table.data_rows for code in r.columns]


@BOTH
def test_proactive_blocks_have_their_headings(layout: Layout) -> None:
    table = layout.table("proactive")
    ws = workbook_of(layout)[table_sheet_name(table)]
    width = max(len(r.columns) for r in table.data_rows) + 1
    blocks = list(dict.fromkeys(r.block for r in table.data_rows))
    for block in blocks:
        assert block is not None
        span = merged_at(ws, only(ws, block))
        assert (span.min_col, span.max_col) == (1, width)
    assert len(find(ws, table.row_heading or "")) == len(blocks)  # 信息内容 under each heading


# --- Protection and validation -------------------------------------------------------------------


def _validation_of(ws: Worksheet, coordinate: str) -> Any:
    found = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) == 1, (ws.title, coordinate, found)
    return found[0]


@BOTH
def test_labels_locked_inputs_unlocked_and_validated(layout: Layout, tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", layout.code, load_report(EXAMPLES / example_of(layout)))
    workbook = openpyxl.load_workbook(path)
    for ws in workbook.worksheets:
        assert ws.protection.sheet is True
        assert not ws.protection.password
        if ws.title in (METADATA_SHEET, sections_sheet_name(layout)):
            assert all(c.protection.locked for c in ws["A"])  # the labels
            assert all(c.protection.locked is False for c in ws["B"][1:] if c.value != layout.code)
    places = read_workbook(path).places
    for table in layout.tables:
        ws = workbook[table_sheet_name(table)]
        inputs = {
            f"{ws.title}!{c.coordinate}"
            for row in ws.iter_rows()
            for c in row
            if not c.protection.locked and not isinstance(c, MergedCell)
        }
        cell_places = {places[f"{table.code}.{r.code}.{c.code}"] for r, c in table.cells()}
        assert inputs == cell_places  # unlocked exactly where the cells are
        for row, column in table.cells():
            coordinate = places[f"{table.code}.{row.code}.{column.code}"].split("!")[1]
            dv = _validation_of(ws, coordinate)
            if column.kind is CellKind.COUNT:
                assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
            elif column.kind is CellKind.MONEY:
                assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0")
            else:
                assert (dv.type, dv.operator) == ("whole", "between")
                assert int(dv.formula1) < 0 < int(dv.formula2)
            assert dv.showErrorMessage
        for label in expected_labels(table):
            for coordinate in find(ws, label):
                assert ws[coordinate].protection.locked is not False


def example_of(layout: Layout) -> str:
    return COMPLETE_2021 if layout is LAYOUT_2021 else COMPLETE_TRIAL


def test_metadata_inputs_are_unlocked_and_format_is_locked() -> None:
    ws = workbook_of(LAYOUT_2021)[METADATA_SHEET]
    fields = metadata_fields(LAYOUT_2021)
    for offset, meta in enumerate(fields):
        label, value = ws.cell(2 + offset, 1), ws.cell(2 + offset, 2)
        assert label.value == meta.title
        assert label.protection.locked is not False
        assert value.protection.locked is meta.fixed
    year = _validation_of(ws, f"B{2 + [f.key for f in fields].index('year')}")
    assert (year.type, year.formula1, year.formula2) == ("whole", "2019", "2100")
    level = _validation_of(ws, f"B{2 + [f.key for f in fields].index('agency.level')}")
    assert level.type == "list"
    assert "county" in level.formula1


# --- Determinism and the golden file ------------------------------------------------------------------


@BOTH
def test_output_is_deterministic(layout: Layout, tmp_path: Path) -> None:
    report = load_report(EXAMPLES / example_of(layout))
    first = write_template(tmp_path / "a.xlsx", layout.code, report)
    second = write_template(tmp_path / "b.xlsx", layout.code, report)
    assert first.read_bytes() == second.read_bytes()
    assert dump(openpyxl.load_workbook(first)) == dump(openpyxl.load_workbook(second))
    properties = openpyxl.load_workbook(first).properties
    assert properties.created == properties.modified


def test_golden_2021_template() -> None:
    assert GOLDEN.is_file(), f"missing {GOLDEN}: run regenerate_golden() (see the module docstring)"
    golden = json.loads(GOLDEN.read_text("utf-8"))
    current = json.loads(json.dumps(dump(workbook_of(LAYOUT_2021)), ensure_ascii=False))
    assert current == golden, "template changed: regenerate the golden file (module docstring) and review"


def test_golden_file_places_the_first_cell_of_table_three_at_d5() -> None:
    golden = json.loads(GOLDEN.read_text("utf-8"))["content"]["表三"]["cells"]
    assert golden["A5"] == LAYOUT_2021.table("applications").data_rows[0].label
    assert golden["D3"] == LAYOUT_2021.table("applications").columns[0].label


# --- Pre-filled values ---------------------------------------------------------------------------------


@BOTH
def test_prefilled_cells_hold_the_report_values(layout: Layout, tmp_path: Path) -> None:
    report = load_report(EXAMPLES / example_of(layout))
    path = write_template(tmp_path / "t.xlsx", layout.code, report)
    places = read_workbook(path).places
    workbook = openpyxl.load_workbook(path)
    for cell_path in layout.cell_paths():
        sheet, coordinate = places[cell_path].split("!")
        value = workbook[sheet][coordinate].value
        expected = report.cell(cell_path)
        if isinstance(expected, Decimal):
            assert Decimal(str(value)) == expected
        else:
            assert value == expected


@pytest.mark.parametrize(
    ("amount", "value", "number_format"),
    [
        ("2181.669177", 2181.669177, "0.000000"),
        ("10.00", 10.0, "0.00"),
        ("0", 0, "0"),
        ("46825300.5", 46825300.5, "0.0"),
        ("2181.66917712345678901", "2181.66917712345678901", "@"),  # beyond a double: kept as text
    ],
)
def test_money_is_written_with_every_digit(amount: str, value: object, number_format: str) -> None:
    assert money_value(Decimal(amount)) == (value, number_format)


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    data = patched(
        raw(COMPLETE_2021, decimals=False), {"sections.overview": "=HYPERLINK(1)", "_note": "=1+1"}
    )
    report = parse_report(data).report
    path = write_template(tmp_path / "t.xlsx", "2021", report)
    ws = openpyxl.load_workbook(path)[sections_sheet_name(LAYOUT_2021)]
    assert ws["B1"].value == "=HYPERLINK(1)"
    assert ws["B1"].data_type == "s"
    assert read_workbook(path).report.to_dict() == report.to_dict()


FORMULA_TEXTS = {
    "agency.name": '=HYPERLINK("http://example.com/x","点此")',
    "sections.overview": "+1",
    "sections.problems": "-1",
    "sections.other_matters": "@SUM(A1:A9)",
    "source_url": "=1+1",
    "_note": "'=quoted already",
}


@BOTH
def test_no_text_becomes_a_formula(layout: Layout, tmp_path: Path) -> None:
    base = raw(COMPLETE_2021 if layout is LAYOUT_2021 else COMPLETE_TRIAL, decimals=False)
    report = parse_report(patched(base, FORMULA_TEXTS)).report
    path = write_template(tmp_path / "t.xlsx", layout.code, report)
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert len(sheets) == len(layout.tables) + 2
        for name in sheets:
            xml = archive.read(name).decode("utf-8")
            assert re.search(r"<f[\s>/]", xml) is None, name  # no formula element
    workbook = openpyxl.load_workbook(path)
    places = read_workbook(path).places
    shown = {
        f"{ws.title}!{c.coordinate}": c for ws in workbook.worksheets for row in ws.iter_rows() for c in row
    }
    for cell_path in ("sections.overview", "sections.problems", "sections.other_matters"):
        cell = shown[places[cell_path]]
        assert cell.value == FORMULA_TEXTS[cell_path]
        assert cell.data_type == "s"
        assert cell.quotePrefix, cell_path  # Excel shows it as text and keeps it text when edited
    formula_like = [c for c in shown.values() if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert len(formula_like) >= 5
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_like)
    assert read_workbook(path).report.to_dict() == report.to_dict()


# --- Refusals ------------------------------------------------------------------------------------------


def test_unknown_layout_is_a_report_error() -> None:
    with pytest.raises(ReportError, match="unknown layout"):
        build_workbook("2008")


def test_report_of_another_layout_is_a_report_error() -> None:
    report = load_report(EXAMPLES / COMPLETE_TRIAL)
    with pytest.raises(ReportError, match="2019-trial"):
        build_workbook("2021", report)


def test_text_an_excel_cell_cannot_hold_is_a_report_error(tmp_path: Path) -> None:
    data = raw(COMPLETE_2021, decimals=False)
    control = parse_report(patched(data, {"sections.problems": "a\x01b"})).report
    with pytest.raises(ReportError, match="control character") as caught:
        write_template(tmp_path / "t.xlsx", "2021", control)
    assert "sections.problems" in str(caught.value)
    long = parse_report(patched(data, {"sections.overview": "字" * (EXCEL_TEXT_LIMIT + 1)})).report
    with pytest.raises(ReportError, match=str(EXCEL_TEXT_LIMIT)):
        build_workbook("2021", long)
    assert list(tmp_path.iterdir()) == []  # nothing written, no temporary file left
