"""xlsx_page: a workbook not laid out as the template, its tables drawn as a document draws them, is
read as a page: merged cells one cell, empty cells no cells, nothing placed where a cell is missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi_report import load_report, read_report
from ogi_report.readers.dispatch import extract_document
from ogi_report.readers.excel import shown_text
from ogi_report.writers import write_template
from tests.helpers import EXAMPLES

ORGS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
CODES = ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total")
ROWS = (
    ("一、本年新收政府信息公开申请数量", "new_received"),
    ("二、上年结转政府信息公开申请数量", "carried_in"),
)


def _sheet(path: Path, figures: list[list[Any]]) -> Path:
    """A report drawn in one sheet: title, headings, table 二 with its block headings merged across
    the table, table 三 with merged header cells; `figures` the two rows of table 三 (None: empty)."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.append(["示例县水利局2023年政府信息公开工作年度报告"])
    ws.append(["一、总体情况"])
    ws.append(["全年推进公开。"])
    ws.append(["二、主动公开政府信息情况"])
    ws.append(["第二十条第（一）项"])
    ws.merge_cells("A5:D5")
    ws.append(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    ws.append(["规章", 0, 1, 7])
    ws.append(["行政规范性文件", 2, 0, 15])
    ws.append(["三、收到和处理政府信息公开申请情况"])
    ws.append(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", None, "申请人情况"])
    ws.merge_cells("A10:B12")
    ws.merge_cells("C10:I10")
    ws.append([None, None, "自然人", "法人或其他组织", None, None, None, None, "总计"])
    ws.merge_cells("D11:H11")
    ws.append([None, None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
    for (label, _), row in zip(ROWS, figures, strict=True):
        ws.append([label, None, *row])
        ws.merge_cells(f"A{ws.max_row}:B{ws.max_row}")
    workbook.save(path)
    return path


def test_a_sheet_drawing_the_tables_is_read_as_a_page(tmp_path: Path) -> None:
    figures: list[list[Any]] = [[5, 1, " ", 0, 0, 0, 6], [0, 0, 0, 0, 0, 0, 0]]
    loaded = read_report(_sheet(tmp_path / "report.xlsx", figures))
    report = loaded.report.to_dict()
    assert report["proactive"]["regulations"] == {"issued": 0, "repealed": 1, "in_force": 7}
    assert report["proactive"]["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 15}
    assert report["applications"]["new_received"] == dict(zip(CODES, [5, 1, None, 0, 0, 0, 6], strict=True))
    assert (loaded.report.year, loaded.report.agency.name) == (2023, "示例县水利局")
    assert loaded.places["applications.new_received.natural_person"] == "Sheet!C13"  # as Excel names it


def test_empty_cells_not_kept_are_told_by_the_header_columns(tmp_path: Path) -> None:
    # the row's empty cells not written at all (as LibreOffice pastes a page): each figure stands
    # under a header cell, so the columns between are the row's empty cells
    figures: list[list[Any]] = [[5, None, None, None, None, None, 5], [0, 0, 0, 0, 0, 0, 0]]
    report = read_report(_sheet(tmp_path / "report.xlsx", figures)).report.to_dict()
    assert report["applications"]["new_received"] == dict(
        zip(CODES, [5, None, None, None, None, None, 5], strict=True)
    )


def test_a_row_whose_figures_stand_under_no_header_has_none_placed(tmp_path: Path) -> None:
    figures: list[list[Any]] = [[5, None, None, None, None, None, None, 5], [0, 0, 0, 0, 0, 0, 0]]
    report = read_report(_sheet(tmp_path / "report.xlsx", figures)).report.to_dict()
    assert set(report["applications"]["new_received"].values()) == {None}  # J: no column there
    assert report["applications"]["carried_in"]["total"] == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [(3, "3"), (3.0, "3"), (0.092, "0.092"), (1e-7, "0.0000001"), (True, "TRUE"), ("12件", "12件")],
)
def test_cells_read_as_the_text_they_show(value: Any, text: str) -> None:
    assert shown_text(value) == text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.lists(st.one_of(st.integers(0, 999), st.just(" ")), min_size=7, max_size=7), min_size=2, max_size=2
    )
)
def test_any_figures_drawn_in_a_sheet_read_back(tmp_path: Path, figures: list[list[Any]]) -> None:
    """Any figures, blanks written as a space or not written at all (as pasted tables keep them):
    each reads back under its own column, never shifted; a row of no figure reads blank."""
    path = _sheet(tmp_path / "report.xlsx", figures)
    table = read_report(path).report.to_dict()["applications"]
    for (_, code), row in zip(ROWS, figures, strict=True):
        assert [table[code][c] for c in CODES] == [None if v in (" ", None) else v for v in row]


def test_a_template_workbook_extracted_is_read_by_the_template_reader(tmp_path: Path) -> None:
    """`ogi extract` of a filled-in template: read by label, its metadata sheet too."""
    report = load_report(EXAMPLES / "illustrative-2021-county.json")
    path = write_template(tmp_path / "report.xlsx", "2021", report)
    extracted = extract_document(path)
    assert extracted.report == read_report(path).report
    assert extracted.report.agency.name == report.agency.name
    assert extracted.places["year"].startswith("元数据!")


def test_extract_a_folder_of_workbooks(tmp_path: Path) -> None:
    """`ogi extract DIR` takes workbooks too: the template's by label, any other's as a document."""
    import json

    from click.testing import CliRunner

    from ogi_report.cli import cli

    folder = tmp_path / "in"
    folder.mkdir()
    report = load_report(EXAMPLES / "illustrative-2021-county.json")
    write_template(folder / "a-template.xlsx", "2021", report)
    _sheet(folder / "b-drawn.xlsx", [[5, 1, " ", 0, 0, 0, 6], [0, 0, 0, 0, 0, 0, 0]])
    out = tmp_path / "reports.jsonl"
    done = CliRunner().invoke(cli, ["extract", str(folder), "-o", str(out), "--quiet"])
    assert done.exit_code == 0, done.output
    template, drawn = (json.loads(line) for line in out.read_text("utf-8").splitlines())
    assert template["agency"]["name"] == report.agency.name
    assert drawn["applications"]["new_received"]["total"] == 6
