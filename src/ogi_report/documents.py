"""How a report is laid out in documents: what the writers emit and the readers look for.

The workbook's sheet names and the rows of its 元数据 sheet (derived from the report models' field
titles), the title form of a page and the names of the `<meta>` tags a page carries, and the first
characters that make a spreadsheet take text for a formula. Both sides import them from here, so that
neither readers nor writers import each other. This module depends on the layout registry and the
models only.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Union, get_args, get_origin

from pydantic.fields import FieldInfo

from ogi_report.layout import Layout, Table
from ogi_report.model import REPORT_MODELS, Agency

# --- Workbooks -------------------------------------------------------------------------------------

METADATA_SHEET = "元数据"
TABLE_SHEET_PREFIX = "表"
SECTIONS_FIELD = "sections"
AGENCY_FIELD = "agency"
EXPLANATIONS_FIELD = "explanations"  # not a metadata row: a sheet of its own when there are any

# First characters that make a spreadsheet read a cell as a formula (or shift it into one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def table_sheet_name(table: Table) -> str:
    """表 + the numeral that opens the table's label: 二、主动公开政府信息情况 -> 表二."""
    numeral = table.label.split("、", 1)[0]
    return f"{TABLE_SHEET_PREFIX}{numeral}"


def sections_sheet_name(layout: Layout) -> str:
    """The sections field's title in the report model (正文)."""
    title = REPORT_MODELS[layout.code].model_fields[SECTIONS_FIELD].title
    assert title is not None
    return title


def explanations_sheet_name(layout: Layout) -> str:
    """The explanations field's title in the report model: the sheet a workbook keeps them in."""
    title = REPORT_MODELS[layout.code].model_fields[EXPLANATIONS_FIELD].title
    assert title is not None
    return title


def explanation_columns() -> tuple[tuple[str, str], ...]:
    """(field, title) of an explanation, in order: the header row of the explanations sheet."""
    from ogi_report.model.report import Explanation

    return tuple((name, info.title or name) for name, info in Explanation.model_fields.items())


@dataclass(frozen=True)
class MetadataField:
    """One row of the 元数据 sheet, derived from a pydantic field."""

    key: str  # path in the JSON shape: "year", "agency.name", "_note"
    title: str  # the field title, written as the row's label
    kind: Literal["text", "integer", "date"]
    choices: tuple[str, ...] = ()  # allowed values of a Literal field
    minimum: int | None = None
    maximum: int | None = None
    required: bool = False
    fixed: bool = False  # set by the template (the layout code): locked


def _plain_type(annotation: Any) -> Any:
    """The annotation without None: `Literal[...] | None` -> `Literal[...]`."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _metadata_field(key: str, info: FieldInfo, *, fixed: bool = False) -> MetadataField:
    annotation = _plain_type(info.annotation)
    title = info.title
    assert title is not None, f"the model field {key} needs a title: it is the row's label"
    bounds = {name: getattr(m, name) for m in info.metadata for name in ("ge", "le") if hasattr(m, name)}
    if get_origin(annotation) is Literal:
        choices = tuple(str(a) for a in get_args(annotation))
        return MetadataField(key, title, "text", choices, required=info.is_required(), fixed=fixed)
    kind: Literal["text", "integer", "date"] = (
        "integer" if annotation is int else "date" if annotation is date else "text"
    )
    return MetadataField(
        key,
        title,
        kind,
        minimum=bounds.get("ge"),
        maximum=bounds.get("le"),
        required=info.is_required(),
        fixed=fixed,
    )


def metadata_fields(layout: Layout) -> tuple[MetadataField, ...]:
    """The metadata rows of a layout's report model, in field order (agency fields expanded)."""
    model = REPORT_MODELS[layout.code]
    tables = {s.table for s in layout.sections if s.table is not None}
    found: list[MetadataField] = []
    for name, info in model.model_fields.items():
        if name in tables or name in (SECTIONS_FIELD, EXPLANATIONS_FIELD):
            continue
        if name == AGENCY_FIELD:
            for sub, sub_info in Agency.model_fields.items():
                found.append(_metadata_field(f"{name}.{sub}", sub_info))
            continue
        found.append(_metadata_field(info.alias or name, info, fixed=name == "format"))
    assert len({f.title for f in found}) == len(found), "metadata titles must be unique"
    return tuple(found)


# --- Pages -----------------------------------------------------------------------------------------

META_PREFIX = "ogi:"
"""`<meta name="ogi:agency.code" content="…">`: metadata a page carries for machines (the HTML writer
writes it; published pages usually have none)."""

TITLE_END = "政府信息公开工作年度报告"


def page_title(agency: str, year: int) -> str:
    """The official title of a report: ××人民政府2024年政府信息公开工作年度报告."""
    return f"{agency}{year}年{TITLE_END}"
