"""The official tables drawn as grids: every label and cell with its position and spans.

Derived from the registry alone (rows, columns, groups, blocks, notes), as the official template sets
them: table 二 in blocks under their article clause, each with its header row (信息内容 and the
block's columns, the last stretching to the table's width); table 三 under a three-row header (the
勾稽关系 note in the corner, 申请人情况 over all columns, 法人或其他组织 over five) with group labels
spanning their rows on the left; table 四 with its blocks side by side (`Table.rows_across`). Writers
(HTML) and the test fixtures draw from this; nothing is retyped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ogi_report.layout.tables import Column, Row, Table

Role = Literal["block", "corner", "column_group", "column", "group", "row", "cell", "blank"]


@dataclass(frozen=True)
class GridCell:
    """A cell of the drawn table. `path` (table.row.column) is set for the cells that hold figures."""

    row: int  # 0-based
    col: int
    role: Role
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    path: str | None = None


@dataclass(frozen=True)
class TableGrid:
    table: Table
    cells: tuple[GridCell, ...]
    rows: int
    cols: int

    def by_row(self) -> list[list[GridCell]]:
        """The cells that start in each grid row, left to right."""
        out: list[list[GridCell]] = [[] for _ in range(self.rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        return [sorted(row, key=lambda c: c.col) for row in out]


def _depth(table: Table, row: Row) -> int:
    return len(table.ancestors(row.code))


def _group_level(table: Table, column: Column) -> int:
    labels = [label for label, _ in table.column_groups]
    return labels.index(column.group) if column.group in labels else -1


def blocks(table: Table) -> list[tuple[str | None, list[Row]]]:
    """Consecutive data rows sharing a block heading (table 二), or one block of every data row."""
    blocks: list[tuple[str | None, list[Row]]] = []
    for row in table.data_rows:
        if blocks and blocks[-1][0] == row.block:
            blocks[-1][1].append(row)
        else:
            blocks.append((row.block, [row]))
    return blocks


def block_columns(table: Table, rows: list[Row]) -> tuple[Column, ...]:
    used = {code for row in rows for code in row.columns}
    return tuple(c for c in table.columns if c.code in used)


def _header(
    table: Table, columns: tuple[Column, ...], top: int, left: int, width: int
) -> tuple[list[GridCell], int]:
    """Column labels under their nested groups; the last column stretches to `width` columns."""
    levels = [_group_level(table, c) for c in columns]
    rows = max(levels) + 2 if levels else 1
    cells: list[GridCell] = []

    def span(first: int, last: int) -> int:
        end = width - 1 if last == len(columns) - 1 else last
        return end - first + 1

    for level, (group, _) in enumerate(table.column_groups):
        index = 0
        while index < len(columns):
            if levels[index] < level:
                index += 1
                continue
            end = index
            while end + 1 < len(columns) and levels[end + 1] >= level:
                end += 1
            cells.append(GridCell(top + level, left + index, "column_group", group, 1, span(index, end)))
            index = end + 1
    for index, column in enumerate(columns):
        first_row = top + levels[index] + 1
        cells.append(
            GridCell(
                first_row, left + index, "column", column.label, top + rows - first_row, span(index, index)
            )
        )
    return cells, rows


def _vertical(table: Table) -> TableGrid:
    label_cols = max(_depth(table, r) for r in table.data_rows) + 1
    row_blocks = blocks(table)
    width = max(len(block_columns(table, rows)) for _, rows in row_blocks)
    cells: list[GridCell] = []
    top = 0
    first_data: dict[str, int] = {}
    for block, rows in row_blocks:
        columns = block_columns(table, rows)
        if block is not None:
            cells.append(GridCell(top, 0, "block", block, 1, label_cols + width))
            top += 1
        header, height = _header(table, columns, top, label_cols, width)
        corner = table.note or table.row_heading or ""
        cells.append(GridCell(top, 0, "corner", corner, height, label_cols))
        cells += header
        top += height
        for row in rows:
            depth = _depth(table, row)
            first_data[row.code] = top
            cells.append(GridCell(top, depth, "row", row.label, 1, label_cols - depth))
            for index, column in enumerate(columns):
                colspan = width - index if index == len(columns) - 1 else 1
                if column.code in row.columns:
                    path = f"{table.code}.{row.code}.{column.code}"
                    cells.append(GridCell(top, label_cols + index, "cell", "", 1, colspan, path))
                else:
                    cells.append(GridCell(top, label_cols + index, "blank", "", 1, colspan))
            top += 1
    for group in (r for r in table.rows if r.is_group):
        below = [first_data[r.code] for r in table.descendants(group.code) if r.code in first_data]
        if below:
            first, last = min(below), max(below)
            cells.append(GridCell(first, _depth(table, group), "group", group.label, last - first + 1, 1))
    return TableGrid(table, tuple(cells), top, label_cols + width)


def _across(table: Table) -> TableGrid:
    levels = max(_depth(table, r) for r in table.data_rows) + 1
    spans: dict[str, tuple[int, int]] = {}
    col = 0
    for row in table.data_rows:
        spans[row.code] = (col, col + len(row.columns) - 1)
        col += len(row.columns)
    cells: list[GridCell] = []
    for row in table.data_rows:
        first, last = spans[row.code]
        depth = _depth(table, row)
        cells.append(GridCell(depth, first, "row", row.label, levels - depth, last - first + 1))
    for group in (r for r in table.rows if r.is_group):
        below = [spans[r.code] for r in table.descendants(group.code)]
        if below:
            first, last = min(s[0] for s in below), max(s[1] for s in below)
            cells.append(GridCell(_depth(table, group), first, "group", group.label, 1, last - first + 1))
    for row in table.data_rows:
        first, _ = spans[row.code]
        for index, code in enumerate(row.columns):
            cells.append(GridCell(levels, first + index, "column", table.column(code).label))
            cells.append(
                GridCell(levels + 1, first + index, "cell", "", path=f"{table.code}.{row.code}.{code}")
            )
    return TableGrid(table, tuple(cells), levels + 2, col)


def table_grid(table: Table) -> TableGrid:
    """The official drawing of a table."""
    return _across(table) if table.rows_across else _vertical(table)
