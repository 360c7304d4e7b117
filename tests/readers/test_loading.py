"""load_report / read_report / parse_report on good and bad input."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

import ogi_report
from ogi_report import (
    LoadedReport,
    Report2019Trial,
    Report2021,
    ReportError,
    load_report,
    parse_report,
    read_report,
)
from ogi_report.readers.loading import read_small_file
from tests.helpers import COMPLETE_2021, COMPLETE_TRIAL, EXAMPLE_FILES, patched, raw

EXAMPLES = pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])


def plain(name: str = COMPLETE_2021) -> dict[str, Any]:
    """An example as JSON-ready data (money as the strings the file holds)."""
    return raw(name, decimals=False)


def write_json(tmp_path: Path, data: Any, name: str = "report.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    return path


def write_text(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def attempt(data: Any) -> LoadedReport | ReportError:
    """parse_report's result, or the ReportError it raised (any other exception propagates)."""
    try:
        return parse_report(data)
    except ReportError as err:
        return err


def attempt_file(path: Path) -> LoadedReport | ReportError:
    try:
        return read_report(path)
    except ReportError as err:
        return err


# --- Good input ------------------------------------------------------------------------------------


@EXAMPLES
def test_every_example_loads(path: Path) -> None:
    report = load_report(path)
    assert report.format in ("2021", "2019-trial")
    loaded = read_report(path)
    assert isinstance(loaded, LoadedReport)
    assert loaded.unreadable == {}
    assert loaded.source == str(path)
    assert loaded.report == report


def test_load_report_accepts_str_and_path(tmp_path: Path) -> None:
    path = write_json(tmp_path, plain())
    assert type(load_report(str(path))) is Report2021
    assert type(load_report(path)) is Report2021
    assert type(load_report(write_json(tmp_path, plain(COMPLETE_TRIAL), "t.json"))) is Report2019Trial


def test_parse_report_on_plain_data() -> None:
    loaded = parse_report(raw(COMPLETE_2021), source="memo")
    assert loaded.source == "memo"
    assert loaded.unreadable == {}
    assert loaded.report.cell("applications.granted.total") == 54


def test_parse_report_does_not_modify_its_input() -> None:
    data = patched(plain(), {"applications.granted.total": "12件"})
    before = json.dumps(data, ensure_ascii=False)
    loaded = parse_report(data)
    assert loaded.unreadable == {"applications.granted.total": "12件"}
    assert json.dumps(data, ensure_ascii=False) == before


def test_yaml_report_with_unquoted_date_and_format(tmp_path: Path) -> None:
    data = plain()
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    text = text.replace("published: '2025-03-20'", "published: 2025-03-20")
    assert "published: 2025-03-20\n" in text
    report = load_report(write_text(tmp_path, text, "report.yaml"))
    assert report.published is not None
    assert report.published.isoformat() == "2025-03-20"
    assert report.to_dict() == data


def test_yaml_floats_are_kept_as_decimal(tmp_path: Path) -> None:
    text = yaml.safe_dump(plain(), allow_unicode=True, sort_keys=False)
    text = text.replace("amount: '356.208143'", "amount: 2181.66917712345678901")
    assert "amount: 2181.66917712345678901" in text
    report = load_report(write_text(tmp_path, text, "report.yml"))
    amount = report.cell("proactive.fees.amount")
    assert isinstance(amount, Decimal)
    assert amount == Decimal("2181.66917712345678901")
    assert report.to_dict()["proactive"]["fees"]["amount"] == "2181.66917712345678901"


def test_yaml_float_in_a_count_is_unreadable_not_truncated(tmp_path: Path) -> None:
    text = yaml.safe_dump(plain(), allow_unicode=True, sort_keys=False)
    path = write_text(tmp_path, text.replace("total: 54\n", "total: 54.0\n", 1), "report.yaml")
    loaded = read_report(path)
    assert loaded.unreadable == {"applications.granted.total": "54.0"}  # as written, not 54
    assert loaded.report.cell("applications.granted.total") is None


def test_json_money_number_is_exact(tmp_path: Path) -> None:
    text = json.dumps(plain()).replace('"356.208143"', "0.1000000000000000055511151231257827")
    report = load_report(write_text(tmp_path, text, "r.json"))
    assert report.cell("proactive.fees.amount") == Decimal("0.1000000000000000055511151231257827")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(plain(), ensure_ascii=False).encode("utf-8"))
    report = load_report(path)
    assert report.agency.name == "示例县人民政府"


def test_utf8_bom_yaml_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + yaml.safe_dump(plain(), allow_unicode=True).encode("utf-8"))
    assert load_report(path).agency.name == "示例县人民政府"


def test_content_decides_when_the_extension_is_unknown(tmp_path: Path) -> None:
    json_path = write_json(tmp_path, plain(), "report.txt")
    assert load_report(json_path).year == 2024
    yaml_path = write_text(tmp_path, yaml.safe_dump(plain(), allow_unicode=True), "report.dat")
    assert load_report(yaml_path).year == 2024


# --- Malformed files -----------------------------------------------------------------------------


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = write_text(tmp_path, '{\n  "format": "2021",\n  "year": 2024,,\n}\n', "bad.json")
    with pytest.raises(ReportError) as info:
        load_report(path)
    err = info.value
    assert err.source == str(path)
    assert err.location == "line 3 column 16"
    assert "invalid JSON" in err.one_line()
    assert str(path) in err.one_line()
    assert "line 3 column 16" in err.one_line()


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = write_text(tmp_path, 'format: "2021"\nyear: 2024\nagency: [a, b\nscope: x\n', "bad.yaml")
    with pytest.raises(ReportError) as info:
        load_report(path)
    err = info.value
    assert "invalid YAML" in err.message
    assert err.location is not None
    assert err.location.startswith("line 4 ")
    assert str(path) in err.one_line()


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['echo pwned > {marker}']\n",
        "format: !!python/object/apply:os.system ['echo pwned > {marker}']\n",
        "format: '2021'\nyear: !!python/object/new:builtins.int ['2024']\n",
        "agency: !!python/name:os.system\n",
    ],
)
def test_yaml_tags_that_construct_python_objects_are_refused(tmp_path: Path, text: str) -> None:
    marker = tmp_path / "marker"
    path = write_text(tmp_path, text.format(marker=marker), "evil.yaml")
    with pytest.raises(ReportError) as info:
        load_report(path)
    assert "invalid YAML" in info.value.message
    assert str(path) in info.value.one_line()
    assert not marker.exists()


def test_gbk_bytes_give_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes(json.dumps(plain(), ensure_ascii=False).encode("gbk"))
    with pytest.raises(ReportError) as info:
        load_report(path)
    line = info.value.one_line()
    assert str(path) in line
    assert "UTF-8" in line


def test_a_missing_file_is_a_report_error(tmp_path: Path) -> None:
    path = tmp_path / "no-such-report.json"
    with pytest.raises(ReportError) as info:
        load_report(path)
    assert info.value.source == str(path)
    assert "cannot read" in info.value.message
    with pytest.raises(ReportError):
        read_report(path)


def test_a_directory_is_a_report_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError):
        load_report(tmp_path)


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("[1, 2]", "list.json", "list"),
        ("- format: '2021'\n", "list.yaml", "list"),
        ('"a report"', "str.json", "str"),
        ("42", "int.json", "int"),
        ("", "empty.yaml", "NoneType"),
        ("null", "null.json", "NoneType"),
    ],
)
def test_a_top_level_non_object_is_not_a_report(tmp_path: Path, text: str, name: str, kind: str) -> None:
    path = write_text(tmp_path, text, name)
    with pytest.raises(ReportError) as info:
        load_report(path)
    assert "not a report" in info.value.message
    assert kind in info.value.message
    assert str(path) in info.value.one_line()


def test_an_empty_json_file_is_a_report_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="empty: the file holds no JSON"):
        load_report(write_text(tmp_path, " \n", "empty.json"))


# --- Structural problems: ReportError naming file and field path -------------------------------


@pytest.mark.parametrize(
    ("changes", "location", "words"),
    [
        ({"colour": "red"}, "colour", "unknown key 'colour'"),
        ({"agency.nickname": "x"}, "agency.nickname", "unknown key 'nickname'"),
        ({"applications.granted.extra": 1}, "applications.granted.extra", "unknown key 'extra'"),
        ({"applications.made_up_row": {}}, "applications.made_up_row", "unknown key"),
        ({"agency.name": ""}, "agency.name", "at least 1 character"),
        ({"year": 2018}, "year", "2019"),
        ({"agency.division_code": "4415"}, "agency.division_code", "pattern"),
        ({"published": "next year"}, "published", "date"),
        ({"applications": []}, "applications", "list"),
    ],
)
def test_structural_problems_name_file_and_path(
    tmp_path: Path, changes: dict[str, Any], location: str, words: str
) -> None:
    path = write_json(tmp_path, patched(plain(), changes))
    with pytest.raises(ReportError) as info:
        load_report(path)
    err = info.value
    assert err.source == str(path)
    assert err.location == location
    assert words in err.message
    assert err.one_line().startswith(f"{path}: {location}: ")
    # read_report is lenient only about cell values, not about structure
    with pytest.raises(ReportError):
        read_report(path)


def test_missing_agency_name_names_the_path(tmp_path: Path) -> None:
    data = plain()
    del data["agency"]["name"]
    path = write_json(tmp_path, data)
    with pytest.raises(ReportError) as info:
        load_report(path)
    assert info.value.location == "agency.name"
    assert "required key 'name' is missing" in info.value.message
    assert str(path) in info.value.one_line()


def test_missing_table_names_it(tmp_path: Path) -> None:
    data = plain()
    del data["review_litigation"]
    path = write_json(tmp_path, data)
    with pytest.raises(ReportError) as info:
        load_report(path)
    assert info.value.location == "review_litigation"
    assert "missing" in info.value.message


@pytest.mark.parametrize("fmt", ["2020", "2019", 2021, None, "", "２０２１"])
def test_wrong_format_value_names_file_and_format(tmp_path: Path, fmt: Any) -> None:
    path = write_json(tmp_path, patched(plain(), {"format": fmt}))
    with pytest.raises(ReportError) as info:
        load_report(path)
    line = info.value.one_line()
    assert info.value.location == "format"
    assert line.startswith(f"{path}: format: ")
    assert "'format'" in line
    assert "'2021'" in line
    assert "'2019-trial'" in line


def test_missing_format_is_a_report_error(tmp_path: Path) -> None:
    data = plain()
    del data["format"]
    with pytest.raises(ReportError, match="'format' must be"):
        load_report(write_json(tmp_path, data))


@pytest.mark.parametrize("fmt", [[], ["2021"], {}, {"v": "2021"}])
def test_unhashable_format_value_is_a_report_error(fmt: Any) -> None:
    with pytest.raises(ReportError, match="'format' must be"):
        parse_report(patched(plain(), {"format": fmt}))


def test_more_problems_are_counted(tmp_path: Path) -> None:
    path = write_json(tmp_path, patched(plain(), {"colour": 1, "agency.nickname": 2}))
    with pytest.raises(ReportError) as info:
        load_report(path)
    assert "(and 1 more problem(s))" in info.value.message


# --- Unreadable cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("applications.granted.total", "12件"),
        ("applications.carried_out.natural_person", "/"),
        ("review_litigation.litigation_direct.pending", 1.5),
        ("proactive.licensing.decisions", "31461宗"),
        ("proactive.fees.amount", "2181.67万元"),
    ],
)
def test_an_unreadable_cell_is_returned_by_read_report(tmp_path: Path, cell: str, value: Any) -> None:
    path = write_json(tmp_path, patched(plain(), {cell: value}))
    loaded = read_report(path)
    assert set(loaded.unreadable) == {cell}
    assert loaded.unreadable[cell] == str(value)  # what was written, as text
    assert loaded.report.cell(cell) is None
    # every other cell is read as written
    assert loaded.report.cell("applications.new_received.total") == 134


@pytest.mark.parametrize(
    ("cell", "value"),
    [("applications.granted.total", "12件"), ("review_litigation.reconsideration.upheld", "一")],
)
def test_load_report_raises_naming_the_unreadable_cell(tmp_path: Path, cell: str, value: str) -> None:
    path = write_json(tmp_path, patched(plain(), {cell: value}))
    with pytest.raises(ReportError) as info:
        load_report(path)
    err = info.value
    assert err.location == cell
    assert repr(value) in err.message
    assert err.one_line().startswith(f"{path}: {cell}: ")


def test_several_unreadable_cells_are_all_returned(tmp_path: Path) -> None:
    changes = {
        "applications.granted.total": "12件",
        "applications.granted.business": "三",
        "proactive.penalty.decisions": True,
        "review_litigation.reconsideration.total": "-",
    }
    loaded = read_report(write_json(tmp_path, patched(plain(), changes)))
    assert loaded.unreadable == {**changes, "proactive.penalty.decisions": "true"}  # as written in JSON
    for cell in changes:
        assert loaded.report.cell(cell) is None


def test_unreadable_cells_in_a_2019_trial_report(tmp_path: Path) -> None:
    changes = {"proactive.fees.change": "减2", "applications.other_handling.total": "5件"}
    loaded = read_report(write_json(tmp_path, patched(plain(COMPLETE_TRIAL), changes)))
    assert loaded.unreadable == changes
    assert type(loaded.report) is Report2019Trial


def test_a_bad_cell_does_not_hide_a_structural_error(tmp_path: Path) -> None:
    path = write_json(tmp_path, patched(plain(), {"applications.granted.total": "12件", "colour": 1}))
    with pytest.raises(ReportError) as info:
        read_report(path)
    assert info.value.location == "colour"


# --- Deep nesting --------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [50_000, 2_000])
def test_deeply_nested_json_does_not_crash(tmp_path: Path, depth: int) -> None:
    path = write_text(tmp_path, "[" * depth + "]" * depth, "deep.json")
    with pytest.raises(ReportError):
        load_report(path)


def test_deeply_nested_yaml_does_not_crash(tmp_path: Path) -> None:
    path = write_text(tmp_path, "format: " + "[" * 50_000 + "]" * 50_000 + "\n", "deep.yaml")
    with pytest.raises(ReportError):
        load_report(path)


@pytest.mark.parametrize(
    "where",
    [
        "sections.overview",
        "agency.name",
        "applications.granted",
        "unknown_key",
        "applications.granted.total",
        "proactive.fees.amount",
    ],
)
@pytest.mark.parametrize("depth", [200, 600])
def test_deeply_nested_value_does_not_crash(tmp_path: Path, where: str, depth: int) -> None:
    text = json.dumps(patched(plain(), {where: "DEEP"})).replace('"DEEP"', "[" * depth + "]" * depth)
    path = write_text(tmp_path, text, "deep.json")
    outcome = attempt_file(path)
    if isinstance(outcome, ReportError):
        assert str(path) in outcome.one_line()
        assert where.count(".") != 2, "a cell of the wrong type is recorded, not raised"
    else:
        assert set(outcome.unreadable) == {where}
        assert outcome.report.cell(where) is None


# --- Property: any JSON value either loads or raises ReportError ---------------------------------

_KEYS = st.sampled_from(
    [
        "format",
        "year",
        "agency",
        "name",
        "sections",
        "proactive",
        "applications",
        "review_litigation",
        "granted",
        "total",
        "fees",
        "amount",
        "_note",
    ]
) | st.text(max_size=8)

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["2021", "2019-trial", 2024, "12件"])
)

JSON_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=5),
    max_leaves=25,
)


@given(JSON_VALUES)
@example({"format": []})
@example({"format": {}})
@example({"format": "2021"})
@example([])
def test_parse_report_returns_or_raises_report_error(data: Any) -> None:
    outcome = attempt(data)
    if isinstance(outcome, ogi_report.ReportError):
        assert outcome.one_line()
    else:
        assert isinstance(outcome, LoadedReport)
        assert isinstance(data, dict)
        assert outcome.report.format == data["format"]


_CELL_PATHS = sorted(ogi_report.LAYOUT_2021.cell_paths())


@given(st.sampled_from(_CELL_PATHS), JSON_VALUES)
def test_any_value_in_a_cell_is_read_or_recorded(path: str, value: Any) -> None:
    loaded = parse_report(patched(raw(COMPLETE_2021), {path: value}))
    stored = loaded.report.cell(path)
    if path in loaded.unreadable:
        assert set(loaded.unreadable) == {path}
        assert stored is None
    elif value is None or (isinstance(value, int) and not isinstance(value, bool)):
        assert loaded.unreadable == {}
        assert stored == value
    else:  # only a money cell takes a non-integer
        assert path.endswith(".amount")
        assert isinstance(stored, Decimal)


@given(
    st.sampled_from(["format", "year", "agency", "agency.name", "sections", "scope", "applications.granted"]),
    JSON_VALUES,
)
def test_any_value_in_metadata_loads_or_raises_report_error(path: str, value: Any) -> None:
    outcome = attempt(patched(raw(COMPLETE_2021), {path: value}))
    if isinstance(outcome, ReportError):
        assert outcome.location is not None
    else:
        assert outcome.unreadable == {}


def test_a_file_growing_while_read_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "growing.json"
    path.write_bytes(b"x" * 100)
    assert read_small_file(path, 10, 1000) == b"x" * 100  # grew from 10 to 100 bytes: all read
    assert read_small_file(path, 10, 50) == b"x" * 51  # past the limit: one byte more, refused by the caller
    assert read_small_file(path, 100, 1000) == b"x" * 100
