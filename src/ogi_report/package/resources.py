"""The data package's resources and the declarations of their fields (package/fields.py), derived
from the layout registry and the models: field titles and row-code categories carry the exact
official labels. The Table Schemas are generated from the declarations, as are the writer's and the
reader's columns."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from ogi_report.layout import LAYOUT_2019_TRIAL, LAYOUT_2021, LAYOUTS, TEXT_SECTIONS, Row, Table
from ogi_report.model import Agency, Report2021
from ogi_report.model.numbers import integer_or_text
from ogi_report.package.fields import (
    MISSING,
    Field,
    as_is,
    blank_is_none,
    cell_field,
    fills,
    read_fills,
    read_words,
    value,
    words,
)

TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"

REPORT_ID = Field(
    "report_id", "string", "报告编号", "Stable report id", constraints={"required": True}, read=as_is
)
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
RESOURCE_NAMES = ("reports", "sections", *(r.name for r in TABLE_RESOURCES), "findings", "explanations")
OPTIONAL_RESOURCES = ("explanations",)
"""Resources a package may lack (one built before they existed): read as empty."""


def _categories(rows: tuple[Row, ...]) -> tuple[dict[str, str], ...]:
    return tuple({"value": r.code, "label": r.label} for r in rows)


def _table_fields(resource: TableResource) -> tuple[Field, ...]:
    rows = resource.rows()
    key = Field(
        resource.key,
        "string",
        "行" if resource.key == "row" else "类别",
        "Row code of the official table; the label is the official row label",
        categories=_categories(rows),
        constraints={"required": True, "enum": [r.code for r in rows]},
    )
    return (REPORT_ID, key, *(cell_field(c) for c in resource.source_table().columns))


def _title(model: Any, name: str) -> str:
    return str(model.model_fields[name].title)


def _enum(model: Any, name: str) -> list[str]:
    """The allowed values of a Literal (or optional Literal) metadata field."""
    annotation = model.model_fields[name].annotation
    values: list[str] = []
    for arg in getattr(annotation, "__args__", ()):
        values += [v for v in getattr(arg, "__args__", (arg,)) if isinstance(v, str)]
    return values


def _enum_field(name: str, model: Any, path: tuple[str, ...]) -> Field:
    attr = path[-1]
    constraints = {"enum": _enum(model, attr)}
    return Field(name, "string", _title(model, attr), constraints=constraints, path=path, read=blank_is_none)


def _reports_fields() -> tuple[Field, ...]:
    """The report's metadata, each field with its path in the report model."""
    return (
        replace(REPORT_ID, constraints={"required": True, "unique": True}),
        Field(
            "year",
            "integer",
            _title(Report2021, "year"),
            constraints={"required": True, "minimum": 2019},
            path=("year",),
            read=integer_or_text,  # a blank year stays "" for the model to refuse, as written
        ),
        Field(
            "format",
            "string",
            _title(Report2021, "format"),
            constraints={"required": True, "enum": list(LAYOUTS)},
            path=("format",),
        ),
        Field(
            "agency_name",
            "string",
            _title(Agency, "name"),
            constraints={"required": True},
            path=("agency", "name"),
        ),
        Field(
            "agency_code",
            "string",
            _title(Agency, "code"),
            "统一社会信用代码 (GB 32100-2015)",
            path=("agency", "code"),
            read=blank_is_none,
        ),
        Field(
            "agency_division_code",
            "string",
            _title(Agency, "division_code"),
            constraints={"pattern": "[0-9]{6}"},
            path=("agency", "division_code"),
            read=blank_is_none,
        ),
        _enum_field("agency_level", Agency, ("agency", "level")),
        _enum_field("agency_kind", Agency, ("agency", "kind")),
        _enum_field("scope", Report2021, ("scope",)),
        Field("published", "date", _title(Report2021, "published"), path=("published",), read=blank_is_none),
        Field(
            "source_url", "string", _title(Report2021, "source_url"), path=("source_url",), read=blank_is_none
        ),
        Field("note", "string", _title(Report2021, "note"), path=("note",), read=blank_is_none),
    )


def _sections_fields() -> tuple[Field, ...]:
    section = Field(
        "section",
        "string",
        "部分",
        categories=tuple({"value": s.code, "label": s.label} for s in TEXT_SECTIONS),
        constraints={"required": True, "enum": [s.code for s in TEXT_SECTIONS]},
    )
    # No missing values for the text itself: an absent section has no row; "" stays "".
    return (REPORT_ID, section, Field("text", "string", "正文", missing_values=()))


def _findings_fields() -> tuple[Field, ...]:
    """A finding's fields, each with its path in the Finding model."""

    def described(name: str, title: str, description: str, **codec: Any) -> Field:
        return Field(name, "string", title, description, path=(name,), **codec)

    required = {"required": True}
    return (
        REPORT_ID,
        Field("seq", "integer", "序号", constraints={"required": True, "minimum": 1}, read=int),
        Field("rule", "string", "规则", constraints=required, path=("rule",)),
        Field(
            "severity",
            "string",
            "严重程度",
            constraints={"required": True, "enum": ["error", "warning"]},
            path=("severity",),
        ),
        described(
            "cells", "单元格", "table.row.column codes, separated by spaces", write=words, read=read_words
        ),
        described("stated", "填报值", "The value the report states", read=value),
        described("expected", "应为", "The value the rule expects, where determined", read=value),
        described(
            "blanks", "空白单元格", "Blank cells involved, separated by spaces", write=words, read=read_words
        ),
        described(
            "fill",
            "空白应填",
            "blank cell=value it must take, separated by spaces",
            write=fills,
            read=read_fills,
        ),
        described("message_zh", "说明", "Message in Chinese"),
        described("message_en", "Message", "Message in English"),
    )


def _explanations_fields() -> tuple[Field, ...]:
    """A report's explanation of a finding (`Explanation`), each field with its path in the model."""
    return (
        REPORT_ID,
        Field(
            "fingerprint",
            "string",
            "核对结果指纹",
            "Fingerprint of the finding explained (Finding.fingerprint: layout, rule, sorted cells)",
            constraints={"required": True, "pattern": "[0-9a-f]{16}"},
            path=("fingerprint",),
        ),
        Field("text", "string", "说明", "The explanation", constraints={"required": True}, path=("text",)),
        Field("by", "string", "说明人", "Who explains", path=("by",), read=blank_is_none),
        Field("at", "date", "说明日期", "When it was explained", path=("at",), read=blank_is_none),
    )


@cache
def resource_fields() -> dict[str, tuple[Field, ...]]:
    """Resource name -> its field declarations, in package and column order: what the Table
    Schemas, the writer and the reader all iterate."""
    fields = {"reports": _reports_fields(), "sections": _sections_fields()}
    for resource in TABLE_RESOURCES:
        fields[resource.name] = _table_fields(resource)
    fields["findings"] = _findings_fields()
    fields["explanations"] = _explanations_fields()
    return fields


def fields_of(name: str) -> tuple[Field, ...]:
    return resource_fields()[name]


def _schema(name: str, fields: tuple[Field, ...]) -> dict[str, Any]:
    key = [f.name for f in fields[:2]] if name not in ("reports", "findings") else ["report_id"]
    schema: dict[str, Any] = {
        "$schema": TABLESCHEMA_PROFILE,
        "fields": [f.schema() for f in fields],
        "missingValues": [MISSING],
        "primaryKey": ["report_id", "seq"] if name == "findings" else key,
    }
    if name != "reports":
        schema["foreignKeys"] = _FK
    return schema


RESOURCE_TITLES = {
    "reports": ("报告", "Reports: one row per report"),
    "sections": ("正文", "Narrative sections: one row per report and section"),
    "findings": ("核对结果", "Validation findings of every report"),
    "explanations": ("核对结果说明", "The publishers' explanations of findings, by finding fingerprint"),
}


@cache
def table_schemas() -> dict[str, dict[str, Any]]:
    """Resource name -> Table Schema, in package order."""
    return {name: _schema(name, fields) for name, fields in resource_fields().items()}


def resource_title(name: str) -> tuple[str, str]:
    """(Chinese, English) title of a resource."""
    if name in RESOURCE_TITLES:
        return RESOURCE_TITLES[name]
    resource = next(r for r in TABLE_RESOURCES if r.name == name)
    table = resource.source_table()
    suffix = "（2019 试行格式）" if resource.layouts == (LAYOUT_2019_TRIAL.code,) else ""
    return table.label + suffix, table.en + (" (2019-trial layout)" if suffix else "")


def field_names(name: str) -> list[str]:
    return [f.name for f in fields_of(name)]


@cache
def string_fields(name: str) -> tuple[str, ...]:
    """The string-typed fields of a resource: the ones the text escape applies to."""
    return tuple(f.name for f in fields_of(name) if f.escaped)


@cache
def string_positions(name: str) -> tuple[int, ...]:
    """The column positions of `string_fields(name)` in the resource's CSV rows."""
    return tuple(i for i, f in enumerate(fields_of(name)) if f.escaped)
