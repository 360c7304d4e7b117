"""Pydantic models of a report, generated from the layout registry."""

from ogi_report.model.cells import Cell
from ogi_report.model.metadata import Agency, Sections
from ogi_report.model.report import (
    REPORT_ADAPTER,
    REPORT_MODELS,
    Explanation,
    Report,
    Report2019Trial,
    Report2021,
)
from ogi_report.model.tables import RowModel, TableModel, table_model

__all__ = [
    "REPORT_ADAPTER",
    "REPORT_MODELS",
    "Agency",
    "Cell",
    "Explanation",
    "Report",
    "Report2019Trial",
    "Report2021",
    "RowModel",
    "Sections",
    "TableModel",
    "table_model",
]
