"""Pydantic models of the three tables, generated from the layout registry."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, cast

from pydantic import BaseModel, ConfigDict, Field, create_model

from ogi_report.layout import Row, Table
from ogi_report.model.cells import CELL_TYPES, Cell

_CONFIG = ConfigDict(extra="forbid")


class RowModel(BaseModel):
    """One table row: a cell per column code (attribute access typed as `Cell`)."""

    model_config = _CONFIG
    layout_row: ClassVar[Row]

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Cell: ...

    def cells(self) -> dict[str, Cell]:
        """Column code -> value, in column order."""
        return dict(self.__dict__)


class TableModel(BaseModel):
    """One table: a row model per data row code (attribute access typed as `RowModel`)."""

    model_config = _CONFIG
    layout_table: ClassVar[Table]

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> RowModel: ...

    def row(self, code: str) -> RowModel:
        return cast(RowModel, self.__dict__[code])

    def cell(self, row: str, column: str) -> Cell:
        return cast(Cell, self.row(row).__dict__[column])

    def rows(self) -> dict[str, RowModel]:
        """Row code -> row, in table order."""
        return dict(self.__dict__)


def _row_model(table: Table, row: Row, name: str) -> type[RowModel]:
    fields: dict[str, Any] = {}
    for code in row.columns:
        column = table.column(code)
        cell_type = CELL_TYPES[column.kind]
        fields[code] = (cell_type, Field(title=column.label, description=column.en))
    model = create_model(
        name,
        __base__=RowModel,
        __doc__=f"{row.label} ({row.en})",
        __module__=__name__,
        **fields,
    )
    model.layout_row = row
    return cast(type[RowModel], model)


def _row_model_name(table: Table, row: Row) -> str:
    uniform = len({r.columns for r in table.data_rows}) == 1
    if uniform:
        return f"{table.model_name}Row"
    return table.model_name + "".join(part.title() for part in row.code.split("_"))


@cache
def table_model(table: Table) -> type[TableModel]:
    """The model of a table. Rows sharing a column set share a row model."""
    row_models: dict[tuple[str, ...], type[RowModel]] = {}
    fields: dict[str, Any] = {}
    for row in table.data_rows:
        if row.columns not in row_models:
            row_models[row.columns] = _row_model(table, row, _row_model_name(table, row))
        path = " / ".join(a.label for a in table.ancestors(row.code))
        fields[row.code] = (
            row_models[row.columns],
            Field(title=row.label, description=f"{path} / {row.en}" if path else row.en),
        )
    model = create_model(
        table.model_name,
        __base__=TableModel,
        __doc__=f"{table.label} ({table.en})",
        __module__=__name__,
        **fields,
    )
    model.layout_table = table
    return cast(type[TableModel], model)
