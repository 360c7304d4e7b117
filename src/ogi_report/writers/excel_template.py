"""The Excel template: a workbook that looks like the official tables, built from the layout registry.

Sheets, in order: 元数据 (the report's metadata, one labelled row per field, the labels being the
pydantic field titles), one sheet per table named after its numeral (表二, 表三, 表四) and laid out
as the official table (merged headings, group labels to the left of their rows, 表四's blocks side by
side), and 正文 (the narrative sections). Labels are locked (sheet protection, no password); input
cells are unlocked and restricted by data validation to what the cell may hold. Every label, row,
column and order comes from `ogi_report.layout`, the sheet names and metadata rows from
`ogi_report.documents` (shared with the reader); nothing is retyped here.

The output is byte-for-byte deterministic: document times are fixed and the zip entries are dated
1980-01-01.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ogi_report.documents import (
    FORMULA_STARTS,
    METADATA_SHEET,
    explanation_columns,
    explanations_sheet_name,
    metadata_fields,
    sections_sheet_name,
    table_sheet_name,
)
from ogi_report.errors import ReportError
from ogi_report.fileio import write_bytes_atomic
from ogi_report.layout import TEXT_SECTIONS, CellKind, Column, Layout, Table, get_layout
from ogi_report.layout.grid import table_grid
from ogi_report.model import Report
from ogi_report.model.cells import Cell
from ogi_report.model.tables import TableModel

EXCEL_TEXT_LIMIT = 32767  # characters one Excel cell can hold

# Excel's own bounds for a whole-number validation: "any whole number" for 2019-trial 本年增/减.
_EXCEL_INT_MIN, _EXCEL_INT_MAX = -2147483648, 2147483647
_FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_TEXT_FORMAT = "@"
_DATE_FORMAT = "yyyy-mm-dd"

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_INPUT_FILL = PatternFill(fill_type="solid", fgColor="FFF2CC")
_UNLOCKED = Protection(locked=False)

_LABEL_WIDTH = 18.0
_WIDE_LABEL_WIDTH = 44.0
_DATA_WIDTH = 12.0
_TEXT_WIDTH = 100.0


# --- Cell writing -----------------------------------------------------------------------------------


def _check_text(text: str, what: str) -> None:
    if len(text) > EXCEL_TEXT_LIMIT:
        raise ReportError(
            f"{what} has {len(text)} characters; an Excel cell holds at most {EXCEL_TEXT_LIMIT}"
        )


def _put(ws: Worksheet, row: int, col: int, value: Any, what: str) -> Any:
    """Set a cell's value; text is always text, never a formula: stored as a string (openpyxl
    would store a str beginning with '=' as a formula), and shown and kept as text when edited in
    Excel (quotePrefix, the style of a cell typed with a leading ') if it begins like one."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        _check_text(value, what)
    try:
        cell.value = value
    except IllegalCharacterError:
        raise ReportError(f"{what} holds a control character that an Excel cell cannot store") from None
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def money_value(amount: Decimal) -> tuple[int | float | str, str]:
    """(value, number format) that shows an amount with every digit it has, read back exactly:
    a number when a double holds it exactly as written, else the digits as text."""
    exponent = amount.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    number_format = "0." + "0" * places if places else "0"
    if places == 0 and abs(amount) < 2**53:
        return int(amount), number_format
    as_float = float(amount)
    if Decimal(repr(as_float)) == amount:
        return as_float, number_format
    return format(amount, "f"), _TEXT_FORMAT


@dataclass
class _Validations:
    """One data validation per kind of input cell of a sheet."""

    ws: Worksheet
    made: dict[str, DataValidation]

    def add(self, key: str, cells: str, validation: DataValidation) -> None:
        """Add cells to the sheet's validation `key`, made from `validation` the first time."""
        if key not in self.made:
            validation.showErrorMessage = True
            validation.showInputMessage = True
            self.ws.add_data_validation(validation)
            self.made[key] = validation
        self.made[key].add(cells)


def _count_validation(kind: CellKind) -> DataValidation:
    if kind is CellKind.SIGNED:
        return DataValidation(
            type="whole",
            operator="between",
            formula1=str(_EXCEL_INT_MIN),
            formula2=str(_EXCEL_INT_MAX),
            allow_blank=True,
            errorTitle="整数",
            error="请填写整数（可为负数）。",
        )
    if kind is CellKind.MONEY:
        return DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            errorTitle="金额",
            error="请填写不小于0的数字。",
        )
    return DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        errorTitle="整数",
        error="请填写不小于0的整数。",
    )


class _Sheet:
    """A worksheet being drawn: labels and inputs at grid positions, merges applied at the end."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.merges: list[tuple[int, int, int, int]] = []
        self.validations = _Validations(ws, {})

    def label(
        self,
        row: int,
        col: int,
        text: str | None,
        *,
        to: tuple[int, int] | None = None,
        bold: bool = False,
        align: Alignment = _CENTRE,
    ) -> None:
        cell = _put(self.ws, row, col, text, "a label")
        cell.border = _BORDER
        cell.alignment = align
        if bold:
            cell.font = _BOLD
        self._merge(row, col, to)

    def input(
        self,
        row: int,
        col: int,
        value: Any,
        *,
        what: str,
        number_format: str | None = None,
        to: tuple[int, int] | None = None,
        align: Alignment = _CENTRE,
    ) -> str:
        """An unlocked input cell; returns its range (for data validation)."""
        cell = _put(self.ws, row, col, value, what)
        cell.border = _BORDER
        cell.alignment = align
        cell.fill = _INPUT_FILL
        cell.protection = _UNLOCKED
        if number_format is not None:
            cell.number_format = number_format
        self._merge(row, col, to)
        end_row, end_col = to or (row, col)
        first = f"{get_column_letter(col)}{row}"
        last = f"{get_column_letter(end_col)}{end_row}"
        return first if first == last else f"{first}:{last}"

    def blank(self, row: int, col: int) -> None:
        """A locked empty cell inside the table (a cell the row does not have)."""
        self.ws.cell(row=row, column=col).border = _BORDER

    def cell_input(self, row: int, col: int, column: Column, value: Cell, what: str, to: int) -> None:
        """An input cell of a table column: typed value, number format and validation by kind."""
        number_format: str | None = None
        shown: Any = value
        if column.kind is CellKind.MONEY and isinstance(value, Decimal):
            shown, number_format = money_value(value)
        cells = self.input(row, col, shown, what=what, number_format=number_format, to=(row, to))
        self.validations.add(column.kind.value, cells, _count_validation(column.kind))
        if column.kind is CellKind.MONEY and column.unit:
            validation = self.validations.made[column.kind.value]
            validation.promptTitle = column.label
            validation.prompt = f"单位：{column.unit}"

    def _merge(self, row: int, col: int, to: tuple[int, int] | None) -> None:
        if to is not None and to != (row, col):
            for r in range(row, to[0] + 1):
                for c in range(col, to[1] + 1):
                    if (r, c) != (row, col):
                        self.ws.cell(row=r, column=c).border = _BORDER
            self.merges.append((row, col, to[0], to[1]))

    def title(self, text: str, width: int) -> None:
        cell = _put(self.ws, 1, 1, text, "a title")
        cell.font = _TITLE
        cell.alignment = _CENTRE
        if width > 1:
            self.merges.append((1, 1, 1, width))

    def finish(self, widths: dict[int, float]) -> None:
        for first_row, first_col, last_row, last_col in self.merges:
            self.ws.merge_cells(
                start_row=first_row, start_column=first_col, end_row=last_row, end_column=last_col
            )
        for col, width in sorted(widths.items()):
            self.ws.column_dimensions[get_column_letter(col)].width = width
        self.ws.protection.sheet = True


# --- Table sheets -----------------------------------------------------------------------------------

_BOLD_ROLES = {"block", "column_group"}


def _value(values: TableModel | None, path: str) -> Cell:
    _, row, column = path.split(".")
    return None if values is None else values.cell(row, column)


def _draw_table(sheet: _Sheet, table: Table, values: TableModel | None) -> None:
    """The table as layout/grid.py draws it (one geometry for every writer), below a title row:
    labels locked, figures in unlocked input cells."""
    grid = table_grid(table)
    sheet.title(table.label, grid.cols)
    label_cols: set[int] = set()
    for cell in grid.cells:
        row, col = cell.row + 2, cell.col + 1
        to = (row + cell.rowspan - 1, col + cell.colspan - 1)
        if cell.role == "cell" and cell.path is not None:
            column = table.column(cell.path.split(".")[2])
            sheet.cell_input(row, col, column, _value(values, cell.path), cell.path, to[1])
        elif cell.role == "blank":
            for c in range(col, to[1] + 1):
                sheet.blank(row, c)
        else:
            bold = cell.role in _BOLD_ROLES or (table.rows_across and cell.role == "row")
            left = cell.role in ("row", "group") and not table.rows_across
            sheet.label(row, col, cell.text, to=to, bold=bold, align=_LEFT if left else _CENTRE)
            if left:
                label_cols.add(col)
    widths = dict.fromkeys(range(1, grid.cols + 1), _DATA_WIDTH)
    widths.update(dict.fromkeys(label_cols, _LABEL_WIDTH))
    if label_cols:
        widths[max(label_cols)] = _WIDE_LABEL_WIDTH
    sheet.finish(widths)


# --- Metadata and sections ------------------------------------------------------------------------


def _metadata_value(data: dict[str, Any] | None, key: str) -> Any:
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _draw_metadata(sheet: _Sheet, layout: Layout, report: Report | None) -> None:
    data = report.to_dict() if report is not None else None
    sheet.title(layout.title, 2)
    for offset, meta in enumerate(metadata_fields(layout)):
        row = 2 + offset
        sheet.label(row, 1, meta.title, align=_LEFT, bold=meta.required)
        value = layout.code if meta.fixed else _metadata_value(data, meta.key)
        if meta.kind == "date" and isinstance(value, str):
            value = date.fromisoformat(value)
        number_format = {"text": _TEXT_FORMAT, "date": _DATE_FORMAT, "integer": None}[meta.kind]
        if meta.fixed:
            cell = _put(sheet.ws, row, 2, value, meta.key)
            cell.border = _BORDER
            cell.alignment = _LEFT
            continue
        cells = sheet.input(row, 2, value, what=meta.key, number_format=number_format, align=_LEFT)
        if meta.choices:
            choices = '"' + ",".join(meta.choices) + '"'
            sheet.validations.add(
                meta.key, cells, DataValidation(type="list", formula1=choices, allow_blank=not meta.required)
            )
        elif meta.kind == "integer" and meta.minimum is not None and meta.maximum is not None:
            low, high = meta.minimum, meta.maximum
            validation = DataValidation(
                type="whole",
                operator="between",
                formula1=str(low),
                formula2=str(high),
                allow_blank=not meta.required,
                error=f"{low}–{high}",
            )
            sheet.validations.add(meta.key, cells, validation)
    sheet.finish({1: _LABEL_WIDTH, 2: _WIDE_LABEL_WIDTH})


def _draw_sections(sheet: _Sheet, report: Report | None) -> None:
    texts = report.sections.model_dump() if report is not None else {}
    for offset, section in enumerate(TEXT_SECTIONS):
        row = 1 + offset
        sheet.label(row, 1, section.label, align=_TOP_LEFT, bold=True)
        sheet.input(row, 2, texts.get(section.code), what=f"sections.{section.code}", align=_TOP_LEFT)
        sheet.ws.row_dimensions[row].height = 120
    sheet.finish({1: _LABEL_WIDTH, 2: _TEXT_WIDTH})


def _draw_explanations(sheet: _Sheet, report: Report) -> None:
    """The publisher's explanations of findings, one a row under the model's field titles."""
    columns = explanation_columns()
    for col, (_, title) in enumerate(columns, start=1):
        sheet.label(1, col, title, bold=True)
    for row, explanation in enumerate(report.explanations, start=2):
        values = explanation.model_dump(mode="json")
        for col, (name, _) in enumerate(columns, start=1):
            sheet.input(row, col, values[name], what=f"explanations[{row - 2}].{name}", align=_TOP_LEFT)
    sheet.finish({1: _LABEL_WIDTH, 2: _TEXT_WIDTH, 3: _LABEL_WIDTH, 4: _LABEL_WIDTH})


# --- The workbook ------------------------------------------------------------------------------------


def _sheets(layout: Layout) -> Iterator[str]:
    yield METADATA_SHEET
    for table in layout.tables:
        yield table_sheet_name(table)
    yield sections_sheet_name(layout)


def build_workbook(layout_code: str = "2021", report: Report | None = None) -> Workbook:
    """The template workbook of a layout, pre-filled from a report when one is given."""
    try:
        layout = get_layout(layout_code)
    except KeyError as exc:
        raise ReportError(str(exc.args[0])) from None
    if report is not None and report.layout is not layout:
        raise ReportError(f"the report has layout {report.format!r}, not {layout_code!r}")
    names = list(_sheets(layout))
    assert len(set(names)) == len(names), names
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    workbook.properties.creator = "ogi-report"
    workbook.properties.title = layout.title
    workbook.properties.created = _FIXED_TIME
    workbook.properties.modified = _FIXED_TIME
    _draw_metadata(_Sheet(workbook.create_sheet(METADATA_SHEET)), layout, report)
    for table in layout.tables:
        sheet = _Sheet(workbook.create_sheet(table_sheet_name(table)))
        values = report.table(table.code) if report is not None else None
        _draw_table(sheet, table, values)
    _draw_sections(_Sheet(workbook.create_sheet(sections_sheet_name(layout))), report)
    if report is not None and report.explanations:  # a sheet only when there are any
        _draw_explanations(_Sheet(workbook.create_sheet(explanations_sheet_name(layout))), report)
    return workbook


def _stable_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, so equal workbooks are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def template_bytes(layout_code: str = "2021", report: Report | None = None) -> bytes:
    """The template workbook as .xlsx bytes (deterministic)."""
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the modified time with the clock.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(build_workbook(layout_code, report), archive).save()
    return _stable_zip(buffer.getvalue())


def write_template(path: str | Path, layout_code: str = "2021", report: Report | None = None) -> Path:
    """Write the template workbook of a layout (pre-filled from `report` when given) to `path`,
    atomically. ReportError for an unknown layout or a report that an Excel cell cannot hold."""
    return write_bytes_atomic(path, template_bytes(layout_code, report))
