"""The data package's resources and their Table Schemas, derived from the layout registry and the
models: field titles and row-code categories carry the exact official labels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ogi_report.layout import LAYOUT_2019_TRIAL, LAYOUT_2021, LAYOUTS, TEXT_SECTIONS, CellKind, Row, Table
from ogi_report.model import Agency, Report2021
from ogi_report.package.escape import ESCAPE_NOTE

TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
MISSING = ""  # a blank or placeholder cell: never written as 0

_ID = {
    "name": "report_id",
    "type": "string",
    "title": "报告编号",
    "description": "Stable report id",
    "constraints": {"required": True},
}
_FK = [{"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["report_id"]}}]


@dataclass(frozen=True)
class TableResource:
    """A resource holding one statistical table: one CSV row per report and table row."""

    name: str
    table: str  # table code in the layouts
    layouts: tuple[str, ...]
    key: str  # the name of the row-code column

    def rows(self) -> tuple[Row, ...]:
        """The data rows of every layout the resource holds, merged in table order."""
        merged: list[Row] = []
        for code in self.layouts:
            for row in LAYOUTS[code].table(self.table).data_rows:
                if row.code not in {r.code for r in merged}:
                    after = [r.code for r in LAYOUTS[code].table(self.table).data_rows]
                    position = _insert_position(merged, after, row.code)
                    merged.insert(position, row)
        return tuple(merged)

    def source_table(self) -> Table:
        return LAYOUTS[self.layouts[0]].table(self.table)


def _insert_position(merged: list[Row], order: list[str], code: str) -> int:
    """After the last merged row that precedes `code` in its own layout's order."""
    before = order[: order.index(code)]
    positions = [i for i, r in enumerate(merged) if r.code in before]
    return positions[-1] + 1 if positions else len(merged)


# Table 二 differs between layouts (columns, units), so each layout has its own resource.
TABLE_RESOURCES = (
    TableResource("proactive", "proactive", (LAYOUT_2021.code,), "row"),
    TableResource("proactive_2019_trial", "proactive", (LAYOUT_2019_TRIAL.code,), "row"),
    TableResource("applications", "applications", (LAYOUT_2021.code, LAYOUT_2019_TRIAL.code), "row"),
    TableResource(
        "review_litigation", "review_litigation", (LAYOUT_2021.code, LAYOUT_2019_TRIAL.code), "block"
    ),
)
RESOURCE_NAMES = ("reports", "sections", *(r.name for r in TABLE_RESOURCES), "findings")


def _cell_field(table: Table, code: str) -> dict[str, Any]:
    column = table.column(code)
    field: dict[str, Any] = {"name": code, "title": column.label, "description": column.en}
    if column.kind is CellKind.MONEY:
        field |= {
            "type": "number",
            "description": f"{column.en}, in {column.unit}",
            "constraints": {"minimum": 0},
        }
    elif column.kind is CellKind.SIGNED:
        field |= {"type": "integer"}
    else:
        field |= {"type": "integer", "constraints": {"minimum": 0}}
    return field


def _categories(rows: tuple[Row, ...]) -> list[dict[str, str]]:
    return [{"value": r.code, "label": r.label} for r in rows]


def _table_schema(resource: TableResource) -> dict[str, Any]:
    table = resource.source_table()
    rows = resource.rows()
    key = {
        "name": resource.key,
        "type": "string",
        "title": "行" if resource.key == "row" else "类别",
        "description": "Row code of the official table; the label is the official row label",
        "categories": _categories(rows),
        "constraints": {"required": True, "enum": [r.code for r in rows]},
    }
    return {
        "$schema": TABLESCHEMA_PROFILE,
        "fields": [_ID, key, *(_cell_field(table, c.code) for c in table.columns)],
        "missingValues": [MISSING],
        "primaryKey": ["report_id", resource.key],
        "foreignKeys": _FK,
    }


def _title(model: Any, name: str) -> str:
    return str(model.model_fields[name].title)


def _enum(model: Any, name: str) -> list[str]:
    """The allowed values of a Literal (or optional Literal) metadata field."""
    annotation = model.model_fields[name].annotation
    values: list[str] = []
    for arg in getattr(annotation, "__args__", ()):
        values += [v for v in getattr(arg, "__args__", (arg,)) if isinstance(v, str)]
    return values


def _reports_schema() -> dict[str, Any]:
    def enum_field(name: str, model: Any, attr: str) -> dict[str, Any]:
        return {
            "name": name,
            "type": "string",
            "title": _title(model, attr),
            "constraints": {"enum": _enum(model, attr)},
        }

    fields = [
        {**_ID, "constraints": {"required": True, "unique": True}},
        {
            "name": "year",
            "type": "integer",
            "title": _title(Report2021, "year"),
            "constraints": {"required": True, "minimum": 2019},
        },
        {
            "name": "format",
            "type": "string",
            "title": _title(Report2021, "format"),
            "constraints": {"required": True, "enum": list(LAYOUTS)},
        },
        {
            "name": "agency_name",
            "type": "string",
            "title": _title(Agency, "name"),
            "constraints": {"required": True},
        },
        {
            "name": "agency_code",
            "type": "string",
            "title": _title(Agency, "code"),
            "description": "统一社会信用代码 (GB 32100-2015)",
        },
        {
            "name": "agency_division_code",
            "type": "string",
            "title": _title(Agency, "division_code"),
            "constraints": {"pattern": "[0-9]{6}"},
        },
        enum_field("agency_level", Agency, "level"),
        enum_field("agency_kind", Agency, "kind"),
        enum_field("scope", Report2021, "scope"),
        {"name": "published", "type": "date", "title": _title(Report2021, "published")},
        {"name": "source_url", "type": "string", "title": _title(Report2021, "source_url")},
        {"name": "note", "type": "string", "title": _title(Report2021, "note")},
    ]
    return {
        "$schema": TABLESCHEMA_PROFILE,
        "fields": fields,
        "missingValues": [MISSING],
        "primaryKey": ["report_id"],
    }


def _sections_schema() -> dict[str, Any]:
    section = {
        "name": "section",
        "type": "string",
        "title": "部分",
        "categories": [{"value": s.code, "label": s.label} for s in TEXT_SECTIONS],
        "constraints": {"required": True, "enum": [s.code for s in TEXT_SECTIONS]},
    }
    # No missing values for the text itself: an absent section has no row; "" stays "".
    text = {"name": "text", "type": "string", "title": "正文", "missingValues": []}
    return {
        "$schema": TABLESCHEMA_PROFILE,
        "fields": [_ID, section, text],
        "missingValues": [MISSING],
        "primaryKey": ["report_id", "section"],
        "foreignKeys": _FK,
    }


def _findings_schema() -> dict[str, Any]:
    def text(name: str, title: str, description: str) -> dict[str, Any]:
        return {"name": name, "type": "string", "title": title, "description": description}

    fields = [
        _ID,
        {"name": "seq", "type": "integer", "title": "序号", "constraints": {"required": True, "minimum": 1}},
        {"name": "rule", "type": "string", "title": "规则", "constraints": {"required": True}},
        {
            "name": "severity",
            "type": "string",
            "title": "严重程度",
            "constraints": {"required": True, "enum": ["error", "warning"]},
        },
        text("cells", "单元格", "table.row.column codes, separated by spaces"),
        text("stated", "填报值", "The value the report states"),
        text("expected", "应为", "The value the rule expects, where determined"),
        text("blanks", "空白单元格", "Blank cells involved, separated by spaces"),
        text("fill", "空白应填", "blank cell=value it must take, separated by spaces"),
        text("message_zh", "说明", "Message in Chinese"),
        text("message_en", "Message", "Message in English"),
    ]
    return {
        "$schema": TABLESCHEMA_PROFILE,
        "fields": fields,
        "missingValues": [MISSING],
        "primaryKey": ["report_id", "seq"],
        "foreignKeys": _FK,
    }


RESOURCE_TITLES = {
    "reports": ("报告", "Reports: one row per report"),
    "sections": ("正文", "Narrative sections: one row per report and section"),
    "findings": ("核对结果", "Validation findings of every report"),
}


def _noting_the_escape(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with the text escape (package/escape.py) stated on every string field."""
    fields = []
    for field in schema["fields"]:
        described = field.get("description")
        note = f"{described}. {ESCAPE_NOTE}" if described else ESCAPE_NOTE
        fields.append({**field, "description": note} if field["type"] == "string" else field)
    return {**schema, "fields": fields}


@cache
def table_schemas() -> dict[str, dict[str, Any]]:
    """Resource name -> Table Schema, in package order."""
    schemas = {"reports": _reports_schema(), "sections": _sections_schema()}
    for resource in TABLE_RESOURCES:
        schemas[resource.name] = _table_schema(resource)
    schemas["findings"] = _findings_schema()
    return {name: _noting_the_escape(schema) for name, schema in schemas.items()}


def resource_title(name: str) -> tuple[str, str]:
    """(Chinese, English) title of a resource."""
    if name in RESOURCE_TITLES:
        return RESOURCE_TITLES[name]
    resource = next(r for r in TABLE_RESOURCES if r.name == name)
    table = resource.source_table()
    suffix = "（2019 试行格式）" if resource.layouts == (LAYOUT_2019_TRIAL.code,) else ""
    return table.label + suffix, table.en + (" (2019-trial layout)" if suffix else "")


def field_names(name: str) -> list[str]:
    return [f["name"] for f in table_schemas()[name]["fields"]]


@cache
def string_fields(name: str) -> tuple[str, ...]:
    """The string-typed fields of a resource: the ones the text escape applies to."""
    return tuple(f["name"] for f in table_schemas()[name]["fields"] if f["type"] == "string")


@cache
def string_positions(name: str) -> tuple[int, ...]:
    """The column positions of `string_fields(name)` in the resource's CSV rows."""
    names = field_names(name)
    return tuple(names.index(f) for f in string_fields(name))
