"""One placeholder vocabulary and one label matcher for every format: a workbook and a page read the
same label variants and the same placeholders the same way (`暂无` is blank in both)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ogi_report import LAYOUT_2021, parse_report, validate_file
from ogi_report.layout import CellKind
from ogi_report.readers.cell_text import read_cell
from ogi_report.readers.excel import cell_value, read_workbook
from ogi_report.readers.page import extract_page
from ogi_report.writers import write_template
from ogi_report.writers.html_render import render_html
from tests.helpers import COMPLETE_2021, EXAMPLES, patched, raw

PLACEHOLDERS = ("/", "-", "—", "–", "——", "--", "－", "无", "暂无", "暫無", "無", "空", "不适用", " / ")
COUNT = LAYOUT_2021.table("proactive").column("issued")

AMOUNT = LAYOUT_2021.table("proactive").column("amount").label  # 本年收费金额（单位：万元）
AMOUNT_VARIANT = "本年收费金额(万元)"  # the note shortened: only the shared matcher takes it
PROBLEMS = "五、存在的主要问题及改进情况"
PROBLEMS_VARIANT = "五、政府信息公开工作存在的主要问题及改进情况"  # a heading variant pages use
MARK = 98765  # a figure found once in the page, then written as 暂无
CELL = "proactive.regulations.issued"


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_a_placeholder_is_blank_in_a_workbook_cell_and_in_a_page_cell(text: str) -> None:
    assert cell_value(text, "General", CellKind.COUNT) is None
    read = read_cell(text, COUNT)
    assert read.readable
    assert read.value is None


@pytest.mark.parametrize("text", ["约3件", "n/a", "见附件"])
def test_other_text_stays_text_in_a_workbook_and_unreadable_on_a_page(text: str) -> None:
    assert cell_value(text, "General", CellKind.COUNT) == text
    assert not read_cell(text, COUNT).readable


def _data() -> dict[str, object]:
    return patched(raw(EXAMPLES / COMPLETE_2021), {CELL: MARK})


def _workbook(tmp_path: Path) -> Path:
    report = parse_report(_data()).report
    path = write_template(tmp_path / "edited.xlsx", report.format, report)
    place = read_workbook(path).places[CELL]
    workbook = openpyxl.load_workbook(path)
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == AMOUNT:
                    cell.value = AMOUNT_VARIANT
                elif cell.value == PROBLEMS:
                    cell.value = PROBLEMS_VARIANT
    sheet, coordinate = place.split("!")
    workbook[sheet][coordinate].value = "暂无"
    workbook.save(path)
    return path


def _page(tmp_path: Path) -> Path:
    html = render_html(parse_report(_data()).report)
    assert html.count(f">{MARK}<") == 1
    html = (
        html.replace(f">{MARK}<", ">暂无<")
        .replace(AMOUNT, AMOUNT_VARIANT)
        .replace(PROBLEMS, PROBLEMS_VARIANT)
    )
    path = tmp_path / "edited.html"
    path.write_text(html, "utf-8")
    return path


def test_a_workbook_and_a_page_read_the_same_variants_and_placeholders(tmp_path: Path) -> None:
    from_workbook = read_workbook(_workbook(tmp_path))
    from_page = extract_page(_page(tmp_path)).loaded
    expected = patched(raw(EXAMPLES / COMPLETE_2021), {CELL: None})
    for loaded in (from_workbook, from_page):
        assert loaded.unreadable == {}
        assert loaded.report.to_dict() == parse_report(expected).report.to_dict()
    # the renamed column and heading were found, and said so
    edited = {(note.code, note.written, note.became) for note in from_workbook.notes}
    assert ("LABEL-EDITED", AMOUNT_VARIANT, AMOUNT) in edited


def test_a_workbook_cell_holding_zanwu_is_blank_not_cell_type(tmp_path: Path) -> None:
    result = validate_file(_workbook(tmp_path))
    assert "CELL-TYPE" not in {f.rule for f in result.findings}
    assert CELL in {cell for f in result.findings if f.rule == "CELL-MISSING" for cell in f.cells}
