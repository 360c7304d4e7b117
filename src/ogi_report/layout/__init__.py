"""The official table layouts, as data."""

from ogi_report.layout.tables import (
    APPLICATIONS_NOTE,
    LAYOUT_2019_TRIAL,
    LAYOUT_2021,
    LAYOUTS,
    SECTIONS,
    TEXT_SECTIONS,
    CellKind,
    Column,
    Layout,
    Row,
    Section,
    Table,
    get_layout,
)

__all__ = [
    "APPLICATIONS_NOTE",
    "LAYOUTS",
    "LAYOUT_2019_TRIAL",
    "LAYOUT_2021",
    "SECTIONS",
    "TEXT_SECTIONS",
    "CellKind",
    "Column",
    "Layout",
    "Row",
    "Section",
    "Table",
    "get_layout",
]
