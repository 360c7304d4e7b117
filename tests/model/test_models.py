"""The pydantic report models, generated from the layout registry."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

import ogi_report
from ogi_report import LAYOUT_2019_TRIAL, LAYOUT_2021, LAYOUTS, Layout, Report, load_report
from ogi_report.model import (
    REPORT_ADAPTER,
    REPORT_MODELS,
    Report2019Trial,
    Report2021,
    RowModel,
    TableModel,
    table_model,
)
from tests.helpers import COMPLETE_2021, COMPLETE_TRIAL, EXAMPLE_FILES, patched, raw
from tests.helpers import EXAMPLES as EXAMPLES_DIR

BOTH = pytest.mark.parametrize("layout", [LAYOUT_2021, LAYOUT_2019_TRIAL], ids=["2021", "2019-trial"])
EXAMPLES = pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])

# Optional keys of the JSON shape (docs/standard.md: Metadata, Cells) that an input may leave out; output
# writes them.
OPTIONAL_METADATA = ("scope", "published", "source_url")
OPTIONAL_AGENCY = ("code", "division_code", "level", "kind")
TEXT_SECTIONS = ("overview", "problems", "other_matters")
DECIMAL_TEXT = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def validate(data: dict[str, Any]) -> Report:
    return REPORT_ADAPTER.validate_python(data)


def good_2021() -> dict[str, Any]:
    return raw(COMPLETE_2021)


def good_trial() -> dict[str, Any]:
    return raw(COMPLETE_TRIAL)


def good_2021_plain() -> dict[str, Any]:
    return raw(COMPLETE_2021, decimals=False)


def error_locs(exc: ValidationError) -> list[tuple[int | str, ...]]:
    return [tuple(e["loc"]) for e in exc.errors()]


# --- Field titles come from the registry ---------------------------------------------------------


@BOTH
def test_report_model_of_each_layout(layout: Layout) -> None:
    model = REPORT_MODELS[layout.code]
    assert model.layout is layout
    assert issubclass(model, Report)
    assert model.__name__ == layout.model_name
    assert set(REPORT_MODELS) == set(LAYOUTS)


@BOTH
def test_table_field_titles_are_section_labels(layout: Layout) -> None:
    fields = REPORT_MODELS[layout.code].model_fields
    for section in layout.sections:
        if section.table is not None:
            assert fields[section.table].title == section.label
    sections_model = fields["sections"].annotation
    assert isinstance(sections_model, type)
    assert issubclass(sections_model, BaseModel)
    for section in layout.sections:
        if section.table is None:
            assert sections_model.model_fields[section.code].title == section.label


@BOTH
def test_row_and_column_field_titles_are_registry_labels(layout: Layout) -> None:
    checked = 0
    for table in layout.tables:
        model = table_model(table)
        assert model.layout_table is table
        assert list(model.model_fields) == [r.code for r in table.data_rows]
        for row in table.data_rows:
            field = model.model_fields[row.code]
            assert field.title == row.label
            row_model = field.annotation
            assert isinstance(row_model, type)
            assert issubclass(row_model, RowModel)
            assert list(row_model.model_fields) == list(row.columns)
            for code in row.columns:
                assert row_model.model_fields[code].title == table.column(code).label
                checked += 1
    assert checked == len(list(layout.cell_paths()))


def test_titles_spot_checks() -> None:
    apps = table_model(LAYOUT_2021.table("applications"))
    assert apps.model_fields["granted"].title == "（一）予以公开"
    assert apps.model_fields["denied_state_secret"].title == "1.属于国家秘密"
    pro = table_model(LAYOUT_2021.table("proactive"))
    fees = pro.model_fields["fees"].annotation
    assert isinstance(fees, type)
    assert issubclass(fees, BaseModel)
    assert fees.model_fields["amount"].title == "本年收费金额（单位：万元）"


# --- Discriminated union on `format` -------------------------------------------------------------


def test_format_selects_the_model() -> None:
    assert type(validate(good_2021())) is Report2021
    trial = validate(good_trial())
    assert type(trial) is Report2019Trial
    assert trial.layout is LAYOUT_2019_TRIAL
    assert trial.format == "2019-trial"


@pytest.mark.parametrize("fmt", ["2020", "2019", 2021, None, "trial"])
def test_unknown_format_is_rejected(fmt: Any) -> None:
    with pytest.raises(ValidationError):
        validate(patched(good_2021(), {"format": fmt}))


def test_missing_format_is_rejected() -> None:
    data = good_2021()
    del data["format"]
    with pytest.raises(ValidationError):
        validate(data)


def test_tables_must_match_the_declared_layout() -> None:
    with pytest.raises(ValidationError) as info:
        validate(patched(good_2021(), {"format": "2019-trial"}))
    assert ("2019-trial", "proactive", "regulations", "issued") in error_locs(info.value)
    with pytest.raises(ValidationError):
        validate(patched(good_trial(), {"format": "2021"}))


def test_models_validate_directly() -> None:
    report = Report2021.model_validate(good_2021())
    assert report.year == 2024
    with pytest.raises(ValidationError):
        Report2021.model_validate(good_trial())


# --- Counts are strict integers ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["12", 12.0, True, False, Decimal("12"), "", [12], {"v": 12}])
def test_counts_are_strict_ints(value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        validate(patched(good_2021(), {"applications.granted.total": value}))
    assert error_locs(info.value) == [("2021", "applications", "granted", "total")]


@pytest.mark.parametrize("value", ["-2", 1.5, True])
def test_signed_change_is_also_strict(value: Any) -> None:
    with pytest.raises(ValidationError):
        validate(patched(good_trial(), {"proactive.licensing.change": value}))


def test_negative_counts_are_accepted_by_the_model() -> None:
    report = validate(
        patched(
            good_2021(),
            {"applications.granted.total": -3, "review_litigation.reconsideration.pending": -1},
        )
    )
    assert report.cell("applications.granted.total") == -3
    assert report.cell("review_litigation.reconsideration.pending") == -1


def test_negative_change_is_accepted_in_2019_trial() -> None:
    report = validate(patched(good_trial(), {"proactive.fees.change": -7}))
    assert report.cell("proactive.fees.change") == -7


def test_counts_up_to_eighteen_digits_are_kept_and_longer_ones_are_unreadable() -> None:
    big = 10**18 - 1
    report = validate(patched(good_2021(), {"proactive.licensing.decisions": big}))
    assert report.cell("proactive.licensing.decisions") == big
    loaded = ogi_report.parse_report(patched(good_2021(), {"proactive.licensing.decisions": 10**20}))
    assert loaded.unreadable == {"proactive.licensing.decisions": str(10**20)}
    assert loaded.report.cell("proactive.licensing.decisions") is None


# --- Money keeps every digit ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["2181.669177", "0", "46825300.50", "0.000001", "123456789012345678901234567890.123456789"],
)
def test_money_string_keeps_every_digit(value: str) -> None:
    report = validate(patched(good_2021(), {"proactive.fees.amount": value}))
    stored = report.cell("proactive.fees.amount")
    assert isinstance(stored, Decimal)
    assert str(stored) == value
    assert report.to_dict()["proactive"]["fees"]["amount"] == value


def test_money_json_number_read_through_the_reader_stays_exact(tmp_path: Path) -> None:
    text = json.dumps(good_2021_plain()).replace('"356.208143"', "2181.6691771234567890123")
    assert "2181.6691771234567890123" in text
    path = tmp_path / "number.json"
    path.write_text(text, "utf-8")
    report = load_report(path)
    assert report.cell("proactive.fees.amount") == Decimal("2181.6691771234567890123")
    out = report.to_dict()["proactive"]["fees"]["amount"]
    assert out == "2181.6691771234567890123"
    assert isinstance(out, str)


def test_money_integer_is_output_as_string() -> None:
    report = validate(patched(good_trial(), {"proactive.procurement.amount": 251000}))
    assert report.cell("proactive.procurement.amount") == Decimal(251000)
    assert report.to_dict()["proactive"]["procurement"]["amount"] == "251000"


@pytest.mark.parametrize("value", [True, "abc", "12万元", float("nan"), float("inf"), [1]])
def test_money_rejects_non_numbers(value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        validate(patched(good_2021(), {"proactive.fees.amount": value}))
    assert error_locs(info.value) == [("2021", "proactive", "fees", "amount")]


@pytest.mark.parametrize(
    "value", [Decimal("2.5E+3"), Decimal("1.2E-7"), Decimal("0E-8")], ids=["2.5e3", "1.2e-7", "0e-8"]
)
def test_money_is_written_as_a_plain_decimal_string(value: Decimal) -> None:
    # A JSON number such as 2.5e3 is read as Decimal("2.5E+3"); the JSON shape writes money as a
    # decimal string (the report schema's pattern), never in exponent notation.
    report = validate(patched(good_2021(), {"proactive.fees.amount": value}))
    out = report.to_dict()["proactive"]["fees"]["amount"]
    assert isinstance(out, str)
    assert DECIMAL_TEXT.fullmatch(out), out
    assert Decimal(out) == value


# --- Blanks ---------------------------------------------------------------------------------------


def test_null_cells_stay_none_never_zero() -> None:
    data = patched(
        good_2021(),
        {
            "applications.granted.total": None,
            "proactive.fees.amount": None,
            "review_litigation.litigation_direct.total": None,
        },
    )
    report = validate(data)
    assert report.cell("applications.granted.total") is None
    assert report.cell("proactive.fees.amount") is None
    assert report.cell("review_litigation.litigation_direct.total") is None
    out = report.to_dict()
    assert out["applications"]["granted"]["total"] is None
    assert out["proactive"]["fees"]["amount"] is None
    assert out["review_litigation"]["litigation_direct"]["total"] is None


def test_blank_cells_of_a_published_example_stay_none() -> None:
    data = raw("shanghai-2019-trial.json")
    blanks = [
        (row, col)
        for row, cells in data["applications"].items()
        for col, value in cells.items()
        if value is None
    ]
    assert blanks, "the Shanghai example has blank cells"
    report = validate(data)
    for row, col in blanks:
        assert report.cell(f"applications.{row}.{col}") is None


def test_a_cell_key_is_required() -> None:
    data = good_2021()
    del data["applications"]["granted"]["total"]
    with pytest.raises(ValidationError) as info:
        validate(data)
    assert error_locs(info.value) == [("2021", "applications", "granted", "total")]


def test_a_row_key_is_required() -> None:
    data = good_2021()
    del data["applications"]["carried_out"]
    with pytest.raises(ValidationError) as info:
        validate(data)
    assert error_locs(info.value) == [("2021", "applications", "carried_out")]


# --- Unknown and missing keys --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "loc"),
    [
        ("extra", ("2021", "extra")),
        ("agency.extra", ("2021", "agency", "extra")),
        ("sections.extra", ("2021", "sections", "extra")),
        ("applications.extra_row", ("2021", "applications", "extra_row")),
        ("applications.granted.extra", ("2021", "applications", "granted", "extra")),
        ("proactive.fees.issued", ("2021", "proactive", "fees", "issued")),
        ("proactive.procurement", ("2021", "proactive", "procurement")),
    ],
)
def test_unknown_keys_are_rejected(path: str, loc: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError) as info:
        validate(patched(good_2021(), {path: 1}))
    errors = info.value.errors()
    assert [tuple(e["loc"]) for e in errors] == [loc]
    assert errors[0]["type"] == "extra_forbidden"


def test_note_is_only_read_from_its_json_key() -> None:
    # The JSON shape's key is `_note` (the report schema allows no `note`): the Python attribute
    # name is not a second spelling of it in input data.
    data = good_2021()
    data["note"] = data.pop("_note")
    with pytest.raises(ValidationError) as info:
        validate(data)
    assert error_locs(info.value) == [("2021", "note")]


@pytest.mark.parametrize("table", ["proactive", "applications", "review_litigation"])
def test_a_missing_table_key_is_rejected(table: str) -> None:
    data = good_2021()
    del data[table]
    with pytest.raises(ValidationError) as info:
        validate(data)
    assert [(tuple(e["loc"]), e["type"]) for e in info.value.errors()] == [(("2021", table), "missing")]


@pytest.mark.parametrize("table", ["proactive", "applications", "review_litigation"])
def test_a_null_table_is_absent_not_zero(table: str) -> None:
    report = validate(patched(good_2021(), {table: None}))
    assert report.table(table) is None
    assert getattr(report, table) is None
    with pytest.raises(KeyError, match="absent"):
        report.cell(f"{table}.x.y")
    assert report.to_dict()[table] is None


@pytest.mark.parametrize("key", ["year", "agency"])
def test_required_metadata(key: str) -> None:
    data = good_2021()
    del data[key]
    with pytest.raises(ValidationError):
        validate(data)


def test_optional_metadata_defaults_to_none() -> None:
    data = good_2021()
    for key in (*OPTIONAL_METADATA, "sections", "_note"):
        del data[key]
    data["agency"] = {"name": "某县人民政府"}
    report = validate(data)
    assert report.scope is None
    assert report.published is None
    assert report.source_url is None
    assert report.note is None
    assert report.agency.code is None
    out = report.to_dict()
    assert "_note" not in out
    assert out["sections"] == dict.fromkeys(TEXT_SECTIONS)
    assert out["agency"] == {"name": "某县人民政府", **dict.fromkeys(OPTIONAL_AGENCY)}


# --- Metadata rules -------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2018, 2008, 0, -2024])
def test_year_before_2019_is_rejected(year: int) -> None:
    with pytest.raises(ValidationError) as info:
        validate(patched(good_2021(), {"year": year}))
    assert error_locs(info.value) == [("2021", "year")]


@pytest.mark.parametrize("year", [2019, 2020, 2024])
def test_year_from_2019_is_accepted(year: int) -> None:
    assert validate(patched(good_2021(), {"year": year})).year == year


@pytest.mark.parametrize("code", ["12345", "1234567", "44150a", "４４１５０２", "", " 441502", 441502])
def test_division_code_must_be_six_digits(code: Any) -> None:
    with pytest.raises(ValidationError) as info:
        validate(patched(good_2021(), {"agency.division_code": code}))
    assert error_locs(info.value) == [("2021", "agency", "division_code")]


def test_division_code_six_digits_accepted() -> None:
    report = validate(patched(good_2021(), {"agency.division_code": "441502"}))
    assert report.agency.division_code == "441502"


@pytest.mark.parametrize("name", ["", "   "])
def test_agency_name_must_not_be_blank(name: str) -> None:
    with pytest.raises(ValidationError):
        validate(patched(good_2021(), {"agency.name": name}))


@pytest.mark.parametrize(
    ("key", "value"), [("agency.level", "city"), ("agency.kind", "bureau"), ("scope", "all")]
)
def test_enumerated_metadata(key: str, value: str) -> None:
    with pytest.raises(ValidationError):
        validate(patched(good_2021(), {key: value}))


# --- to_dict round-trips -------------------------------------------------------------------------


def with_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """The raw data with the optional keys it leaves out written as null (as to_dict writes them)."""
    out: dict[str, Any] = json.loads(json.dumps(data, default=str))
    for key in OPTIONAL_METADATA:
        out.setdefault(key, None)
    for key in OPTIONAL_AGENCY:
        out["agency"].setdefault(key, None)
    sections = out.setdefault("sections", {})
    for key in TEXT_SECTIONS:
        sections.setdefault(key, None)
    return out


@EXAMPLES
def test_to_dict_round_trips_every_example(path: Path) -> None:
    source = raw(path, decimals=False)
    report = load_report(path)
    out = report.to_dict()
    assert out == with_defaults(source)
    # key order is the JSON shape's: the file's order, with `_note` last when present
    assert list(out) == [k for k in with_defaults(source) if k in out]
    assert ("_note" in out) == ("_note" in source)
    if "_note" in source:
        assert out["_note"] == source["_note"]
    # serialisable as JSON and stable on a second pass
    again = validate(json.loads(json.dumps(out, ensure_ascii=False))).to_dict()
    assert again == out


@EXAMPLES
def test_to_dict_writes_money_as_strings(path: Path) -> None:
    out = load_report(path).to_dict()
    proactive = out["proactive"]
    if proactive is None:
        return
    for row in proactive.values():
        if "amount" in row and row["amount"] is not None:
            assert isinstance(row["amount"], str)
            assert DECIMAL_TEXT.fullmatch(row["amount"])


@pytest.mark.parametrize("name", [COMPLETE_2021, COMPLETE_TRIAL, "illustrative-2021-department.yaml"])
def test_complete_examples_round_trip_exactly(name: str) -> None:
    # These examples write every key, so the output equals the file with nothing added.
    assert load_report(EXAMPLES_DIR / name).to_dict() == raw(name, decimals=False)


def test_to_dict_keeps_the_transcribers_note() -> None:
    report = validate(patched(good_2021(), {"_note": "抄录说明"}))
    assert report.note == "抄录说明"
    assert report.to_dict()["_note"] == "抄录说明"


# --- Accessors -----------------------------------------------------------------------------------


def test_report_cell_and_table_accessors() -> None:
    report = validate(good_2021())
    assert report.cell("applications.granted.total") == 54
    assert report.cell("applications.new_received.natural_person") == 120
    assert report.cell("proactive.fees.amount") == Decimal("356.208143")
    table = report.table("applications")
    assert isinstance(table, TableModel)
    assert table is report.applications
    assert table.cell("granted", "total") == 54
    row = table.row("granted")
    assert isinstance(row, RowModel)
    assert row.cells() == {
        "natural_person": 48,
        "business": 3,
        "research": 1,
        "nonprofit": 0,
        "legal_service": 1,
        "other_org": 1,
        "total": 54,
    }
    assert row.total == 54


@BOTH
def test_rows_and_cells_are_in_registry_order(layout: Layout) -> None:
    report = validate(good_2021() if layout is LAYOUT_2021 else good_trial())
    for table in layout.tables:
        model = report.table(table.code)
        assert model is not None
        rows = model.rows()
        assert list(rows) == [r.code for r in table.data_rows]
        for row in table.data_rows:
            assert list(rows[row.code].cells()) == list(row.columns)
            for code in row.columns:
                assert report.cell(f"{table.code}.{row.code}.{code}") == model.cell(row.code, code)


@pytest.mark.parametrize(
    "path",
    [
        "applications.nope.total",
        "applications.granted.nope",
        "applications.denied.total",  # a group row carries no cells
        "applications.results.total",
        "nope.granted.total",
    ],
)
def test_report_cell_unknown_path_raises_key_error(path: str) -> None:
    report = validate(good_2021())
    with pytest.raises(KeyError):
        report.cell(path)


@pytest.mark.parametrize(
    "path",
    [
        "applications.granted",
        "applications.granted.total.x",
        "agency.name.x",
        "year.a.b",
        "sections.overview.x",
    ],
)
def test_report_cell_malformed_path_raises_key_error(path: str) -> None:
    # Report.cell's docstring: "KeyError if the table is absent or the path unknown".
    report = validate(good_2021())
    with pytest.raises(KeyError):
        report.cell(path)


def test_models_are_rebuilt_from_the_same_registry_object() -> None:
    table = LAYOUT_2021.table("applications")
    assert table_model(table) is table_model(table)
    assert table_model(LAYOUT_2019_TRIAL.table("review_litigation")) is table_model(
        LAYOUT_2021.table("review_litigation")
    )


@pytest.mark.parametrize("written", [" 12 ", "１２", "1e3", "1E+999999999", "12万元", "1" * 70])
def test_money_text_must_be_a_plain_bounded_decimal(written: str) -> None:
    data = patched(raw(COMPLETE_2021), {"proactive.fees.amount": written})
    loaded = ogi_report.parse_report(data)
    assert loaded.unreadable == {"proactive.fees.amount": written}
    assert loaded.report.cell("proactive.fees.amount") is None


def test_money_number_with_huge_exponent_is_unreadable() -> None:
    data = patched(raw(COMPLETE_2021), {"proactive.fees.amount": Decimal("1E+999999999")})
    loaded = ogi_report.parse_report(data)
    assert list(loaded.unreadable) == ["proactive.fees.amount"]
