"""The JSON Schemas: valid draft 2020-12, faithful to the model and the registry, and not stale."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import ogi_report
from ogi_report import LAYOUT_2019_TRIAL, LAYOUT_2021, Layout, load_report, validate_file
from ogi_report.schema import DRAFT, SCHEMA_FILES, dumps, schema_texts
from tests.helpers import COMPLETE_2021, COMPLETE_TRIAL, EXAMPLE_FILES, SCHEMAS, patched, raw

EXAMPLES = pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
BOTH = pytest.mark.parametrize("layout", [LAYOUT_2021, LAYOUT_2019_TRIAL], ids=["2021", "2019-trial"])


def iso_dates(value: Any) -> Any:
    """YAML data as JSON would hold it: dates as ISO strings."""
    if isinstance(value, dict):
        return {k: iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso_dates(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def example_data(path: Path) -> dict[str, Any]:
    data = iso_dates(raw(path, decimals=False))
    assert isinstance(data, dict)
    return data


def report_validator() -> Any:
    return Draft202012Validator(ogi_report.report_json_schema())


def validation_validator() -> Any:
    return Draft202012Validator(ogi_report.validation_json_schema())


def rejected(data: Any) -> list[str]:
    """Messages of the report schema's errors for `data` (empty when it is accepted)."""
    return [e.message for e in report_validator().iter_errors(data)]


# --- Well-formed schemas -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "schema",
    [ogi_report.report_json_schema, ogi_report.validation_json_schema],
    ids=["report", "validation"],
)
def test_schemas_are_valid_draft_2020_12(schema: Any) -> None:
    document = schema()
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$schema"] == DRAFT
    assert document["$id"].startswith("urn:ogi-report:schema:")
    assert document["$id"].endswith(ogi_report.SCHEMA_VERSION)


def test_output_is_deterministic() -> None:
    first = schema_texts()
    second = schema_texts()
    assert first == second
    assert set(first) == {"report.schema.json", "validation-result.schema.json"}
    assert dumps(ogi_report.report_json_schema()) == dumps(ogi_report.report_json_schema())
    for text in first.values():
        assert text.endswith("}\n")
        json.loads(text)


def test_chinese_titles_are_written_unescaped() -> None:
    text = schema_texts()["report.schema.json"]
    assert '"title": "（一）予以公开"' in text
    assert '"title": "1.属于国家秘密"' in text
    assert '"title": "本年收费金额（单位：万元）"' in text
    assert '"title": "三、收到和处理政府信息公开申请情况"' in text
    assert "\\u" not in text


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES.values()))
def test_checked_in_schema_files_are_up_to_date(name: str) -> None:
    checked_in = (SCHEMAS / name).read_text("utf-8")
    assert checked_in == schema_texts()[name], (
        f"schemas/{name} is stale: it differs from the schema the library generates. "
        "Run `ogi schema -o schemas/` and commit the result."
    )


def test_write_schemas_writes_the_same_text(tmp_path: Path) -> None:
    paths = ogi_report.write_schemas(tmp_path / "out")
    texts = schema_texts()
    assert sorted(p.name for p in paths) == sorted(texts)
    for path in paths:
        assert path.read_text("utf-8") == texts[path.name]


# --- Titles come from the registry ----------------------------------------------------------------


def _table_def(schema: dict[str, Any], layout: Layout, table: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the property of the report referring to the table, the table's definition)."""
    defs = schema["$defs"]
    report = defs[layout.model_name]
    prop = report["properties"][table]
    refs = [alt["$ref"] for alt in prop["anyOf"] if "$ref" in alt]
    assert len(refs) == 1
    return prop, defs[refs[0].rsplit("/", 1)[-1]]


@BOTH
def test_row_and_column_titles_are_registry_labels(layout: Layout) -> None:
    schema = ogi_report.report_json_schema()
    defs = schema["$defs"]
    checked = 0
    for table in layout.tables:
        prop, table_def = _table_def(schema, layout, table.code)
        assert prop["title"] == table.label
        assert table_def["additionalProperties"] is False
        assert list(table_def["properties"]) == [r.code for r in table.data_rows]
        assert table_def["required"] == [r.code for r in table.data_rows]
        for row in table.data_rows:
            row_prop = table_def["properties"][row.code]
            assert row_prop["title"] == row.label
            row_def = defs[row_prop["$ref"].rsplit("/", 1)[-1]]
            assert row_def["additionalProperties"] is False
            assert list(row_def["properties"]) == list(row.columns)
            for code in row.columns:
                assert row_def["properties"][code]["title"] == table.column(code).label
                checked += 1
    assert checked == len(list(layout.cell_paths()))


def test_the_report_schema_is_a_union_on_format() -> None:
    schema = ogi_report.report_json_schema()
    assert schema["discriminator"]["propertyName"] == "format"
    assert sorted(schema["discriminator"]["mapping"]) == ["2019-trial", "2021"]
    assert len(schema["oneOf"]) == 2
    for layout in (LAYOUT_2021, LAYOUT_2019_TRIAL):
        report = schema["$defs"][layout.model_name]
        assert report["properties"]["format"]["const"] == layout.code
        assert report["additionalProperties"] is False
        assert set(report["required"]) >= {"format", "year", "agency", *(t.code for t in layout.tables)}


# --- Examples accepted, broken documents rejected -----------------------------------------------


@EXAMPLES
def test_every_example_is_accepted(path: Path) -> None:
    assert rejected(example_data(path)) == []


@EXAMPLES
def test_to_dict_of_every_example_is_accepted(path: Path) -> None:
    assert rejected(load_report(path).to_dict()) == []


def _without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


@pytest.mark.parametrize(
    ("name", "broken"),
    [
        ("negative count", lambda d: patched(d, {"applications.granted.total": -1})),
        ("negative decisions", lambda d: patched(d, {"proactive.licensing.decisions": -5})),
        ("negative money", lambda d: patched(d, {"proactive.fees.amount": "-1.5"})),
        ("missing table", lambda d: _without(d, "applications")),
        ("missing row", lambda d: {**d, "applications": _without(d["applications"], "granted")}),
        ("unknown top-level key", lambda d: patched(d, {"colour": "red"})),
        ("unknown key in a row", lambda d: patched(d, {"applications.granted.extra": 0})),
        ("unknown key in agency", lambda d: patched(d, {"agency.nickname": "x"})),
        ("count as string", lambda d: patched(d, {"applications.granted.total": "12"})),
        ("count as float", lambda d: patched(d, {"applications.granted.total": 12.5})),
        ("count as bool", lambda d: patched(d, {"applications.granted.total": True})),
        ("money with unit", lambda d: patched(d, {"proactive.fees.amount": "2181.67万元"})),
        ("wrong format", lambda d: patched(d, {"format": "2020"})),
        ("format of the other layout", lambda d: patched(d, {"format": "2019-trial"})),
        ("missing format", lambda d: _without(d, "format")),
        ("year before 2019", lambda d: patched(d, {"year": 2018})),
        ("division code not 6 digits", lambda d: patched(d, {"agency.division_code": "4415"})),
        ("empty agency name", lambda d: patched(d, {"agency.name": ""})),
    ],
)
def test_broken_documents_are_rejected(name: str, broken: Any) -> None:
    good = raw(COMPLETE_2021, decimals=False)
    assert rejected(good) == []
    assert rejected(broken(good)) != [], name


def test_negative_change_is_accepted_in_2019_trial() -> None:
    good = raw(COMPLETE_TRIAL, decimals=False)
    assert rejected(patched(good, {"proactive.fees.change": -3})) == []
    assert rejected(patched(good, {"proactive.fees.prior_year_items": -3})) != []


def test_blank_cells_and_absent_tables_are_accepted() -> None:
    good = raw(COMPLETE_2021, decimals=False)
    assert rejected(patched(good, {"applications.granted.total": None, "proactive": None})) == []


@pytest.mark.parametrize("amount", ["2181.669177", "0", 2181.669177, 0, None])
def test_money_forms_are_accepted(amount: Any) -> None:
    good = raw(COMPLETE_2021, decimals=False)
    assert rejected(patched(good, {"proactive.fees.amount": amount})) == []


# --- The validation document --------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validation_document_of_all_examples_is_valid(lang: Any) -> None:
    results = [validate_file(p) for p in EXAMPLE_FILES]
    document = ogi_report.validation_document(results, lang=lang)
    data = json.loads(document.model_dump_json())
    validation_validator().validate(data)
    assert data["summary"]["reports"] == len(EXAMPLE_FILES)
    assert data["lang"] == lang
    assert data["schema_version"] == ogi_report.SCHEMA_VERSION
    assert sum(len(r["findings"]) for r in data["reports"]) > 0, "some example has findings"


def test_validation_schema_rejects_a_malformed_document() -> None:
    results = [validate_file(p) for p in EXAMPLE_FILES]
    data = json.loads(ogi_report.validation_document(results).model_dump_json())
    validator = validation_validator()
    assert list(validator.iter_errors({**data, "extra": 1}))
    assert list(validator.iter_errors(_without(data, "summary")))
    assert list(validator.iter_errors({**data, "lang": "fr"}))
