"""The package's Table Schemas are derived from the layout registry: row codes and their exact
official labels, column labels, types and constraints, keys."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from ogi_report import LAYOUTS
from ogi_report.layout import TEXT_SECTIONS, CellKind, Table
from ogi_report.package.resources import RESOURCE_NAMES, table_schemas
from tests.package import build, descriptor_of, example_reports

# Resource -> (table code, layouts it holds): what the package promises, spelled out once here.
TABLE_RESOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "proactive": ("proactive", ("2021",)),
    "proactive_2019_trial": ("proactive", ("2019-trial",)),
    "applications": ("applications", ("2021", "2019-trial")),
    "review_litigation": ("review_litigation", ("2021", "2019-trial")),
}
KEYED = [n for n in RESOURCE_NAMES if n != "reports"]


def _tables(resource: str) -> list[Table]:
    table, layouts = TABLE_RESOURCES[resource]
    return [LAYOUTS[code].table(table) for code in layouts]


def _fields(resource: str) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in table_schemas()[resource]["fields"]}


def _key_field(resource: str) -> dict[str, Any]:
    field = table_schemas()[resource]["fields"][1]
    assert isinstance(field, dict)
    return field


def test_resources_are_the_promised_ones_in_order() -> None:
    assert list(table_schemas()) == list(RESOURCE_NAMES)
    assert set(TABLE_RESOURCES) <= set(RESOURCE_NAMES)
    assert {"reports", "sections", "findings"} <= set(RESOURCE_NAMES)
    assert RESOURCE_NAMES[0] == "reports"  # what every foreign key points at


@pytest.mark.parametrize("resource", sorted(TABLE_RESOURCES))
def test_row_categories_carry_the_exact_registry_labels(resource: str) -> None:
    key = _key_field(resource)
    categories = key["categories"]
    values = [c["value"] for c in categories]
    assert len(values) == len(set(values)), "a row code appears twice"
    expected_codes = {r.code for t in _tables(resource) for r in t.data_rows}
    assert set(values) == expected_codes
    for category in categories:
        labels = {t.row(category["value"]).label for t in _tables(resource) if category["value"] in t.row_map}
        assert labels == {category["label"]}, category
    assert key["constraints"]["enum"] == values
    assert key["constraints"]["required"] is True
    assert key["type"] == "string"


@pytest.mark.parametrize("resource", sorted(TABLE_RESOURCES))
def test_rows_keep_each_layouts_table_order(resource: str) -> None:
    values = [c["value"] for c in _key_field(resource)["categories"]]
    for table in _tables(resource):
        own = [r.code for r in table.data_rows]
        assert [v for v in values if v in own] == own


@pytest.mark.parametrize("resource", sorted(TABLE_RESOURCES))
def test_cell_fields_come_from_the_registry_columns(resource: str) -> None:
    schema = table_schemas()[resource]
    names = [f["name"] for f in schema["fields"]]
    tables = _tables(resource)
    columns = [c.code for c in tables[0].columns]
    for table in tables[1:]:  # a resource holding two layouts needs the same columns in both
        assert [c.code for c in table.columns] == columns
    assert names == ["report_id", _key_field(resource)["name"], *columns]
    fields = _fields(resource)
    for table in tables:
        for column in table.columns:
            field = fields[column.code]
            assert field["title"] == column.label
            constraints = field.get("constraints", {})
            if column.kind is CellKind.MONEY:
                assert field["type"] == "number"
                assert constraints.get("minimum") == 0
            elif column.kind is CellKind.SIGNED:
                assert field["type"] == "integer"
                assert "minimum" not in constraints
            else:
                assert field["type"] == "integer"
                assert constraints.get("minimum") == 0


def test_only_the_trial_change_column_may_be_negative() -> None:
    signed = []
    for resource in TABLE_RESOURCES:
        for field in table_schemas()[resource]["fields"][2:]:
            if field["type"] in ("integer", "number") and "minimum" not in field.get("constraints", {}):
                signed.append((resource, field["name"]))
    assert signed == [("proactive_2019_trial", "change")]
    change = _fields("proactive_2019_trial")["change"]
    assert change["title"] == LAYOUTS["2019-trial"].table("proactive").column("change").label == "本年增/减"


def test_money_fields_are_numbers_with_their_unit() -> None:
    assert _fields("proactive")["amount"]["type"] == "number"
    assert "万元" in _fields("proactive")["amount"]["description"]
    assert _fields("proactive_2019_trial")["amount"]["type"] == "number"
    assert "元" in _fields("proactive_2019_trial")["amount"]["description"]


@pytest.mark.parametrize("resource", RESOURCE_NAMES)
def test_keys_and_missing_values(resource: str) -> None:
    schema = table_schemas()[resource]
    names = [f["name"] for f in schema["fields"]]
    assert schema["fields"][0]["name"] == "report_id"
    assert schema["fields"][0]["constraints"]["required"] is True
    assert schema["primaryKey"], resource
    assert set(schema["primaryKey"]) <= set(names)
    assert schema["missingValues"] == [""]  # a blank is blank, never 0
    if resource == "reports":
        assert schema["primaryKey"] == ["report_id"]
        assert "foreignKeys" not in schema
        assert schema["fields"][0]["constraints"]["unique"] is True
    else:
        assert schema["foreignKeys"] == [
            {"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["report_id"]}}
        ]
    if resource in TABLE_RESOURCES:
        assert schema["primaryKey"] == ["report_id", _key_field(resource)["name"]]


def test_keyed_resources_are_all_but_reports() -> None:
    assert [n for n in RESOURCE_NAMES if "foreignKeys" in table_schemas()[n]] == KEYED


def test_applications_merge_both_layouts_in_table_order() -> None:
    codes = [c["value"] for c in _key_field("applications")["categories"]]
    rows_2021 = [r.code for r in LAYOUTS["2021"].table("applications").data_rows]
    rows_trial = [r.code for r in LAYOUTS["2019-trial"].table("applications").data_rows]
    # 2019-trial's single （六）其他处理 row sits where 2021's group heading of its three sub-rows sits.
    at = rows_2021.index("other_no_correction")
    assert codes == [*rows_2021[:at], "other_handling", *rows_2021[at:]]
    assert {"other_no_correction", "other_no_fee", "other_misc", "other_handling"} <= set(codes)
    assert codes[-2:] == ["total_handled", "carried_out"]
    assert set(codes) == set(rows_2021) | set(rows_trial)
    labels = {c["value"]: c["label"] for c in _key_field("applications")["categories"]}
    assert labels["other_handling"] == "（六）其他处理"
    assert labels["other_no_correction"] == (
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    )


def test_sections_categories_are_the_text_sections() -> None:
    section = _fields("sections")["section"]
    assert section["categories"] == [{"value": s.code, "label": s.label} for s in TEXT_SECTIONS]
    assert section["constraints"]["enum"] == [s.code for s in TEXT_SECTIONS]
    assert _fields("sections")["text"]["missingValues"] == []  # "" is text, not a blank


def test_built_packages_carry_these_schemas_and_headers(tmp_path: Path) -> None:
    for folder in build(example_reports(), tmp_path):
        descriptor = json.loads(descriptor_of(folder).read_text("utf-8"))
        assert [r["name"] for r in descriptor["resources"]] == list(RESOURCE_NAMES)
        for resource in descriptor["resources"]:
            assert resource["schema"] == table_schemas()[resource["name"]]
            with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle))
            assert header == [f["name"] for f in resource["schema"]["fields"]]
