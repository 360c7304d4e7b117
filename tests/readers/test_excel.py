"""read_workbook: template round trips, cells read as written, reading by label, bad files, and the
`ogi validate` / `ogi template` commands on workbooks."""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings

import ogi_report
from ogi_report import (
    LAYOUT_2021,
    LoadedReport,
    ReportError,
    load_report,
    parse_report,
    read_report,
    validate_file,
)
from ogi_report.cli import cli
from ogi_report.documents import METADATA_SHEET, sections_sheet_name, table_sheet_name
from ogi_report.layout import Layout
from ogi_report.readers.excel import read_workbook
from ogi_report.writers import template_bytes, write_template
from tests.helpers import BROKEN, COMPLETE_2021, COMPLETE_TRIAL, EXAMPLE_FILES, EXAMPLES, patched, raw
from tests.rules.strategies import consistent_reports

APPLICATIONS = LAYOUT_2021.table("applications")
SHEET_3 = table_sheet_name(APPLICATIONS)
FIRST = f"applications.{APPLICATIONS.data_rows[0].code}.{APPLICATIONS.columns[0].code}"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def template_of(tmp_path: Path, name: str = COMPLETE_2021, file: str = "report.xlsx") -> Path:
    report = load_report(EXAMPLES / name)
    return write_template(tmp_path / file, report.format, report)


def edit(path: Path, changes: Mapping[str, Any]) -> Path:
    """Set cells by place (`表三!D5`) as a person editing the workbook would, and save."""
    workbook = openpyxl.load_workbook(path)
    for place, value in changes.items():
        sheet, coordinate = place.split("!")
        workbook[sheet][coordinate].value = value
    workbook.save(path)
    return path


def attempt(path: Path) -> ReportError:
    with pytest.raises(ReportError) as caught:
        read_workbook(path)
    message = str(caught.value)
    assert "\n" not in message
    assert "Traceback" not in message
    assert str(path) in message
    return caught.value


# --- Round trips ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_every_example_round_trips(path: Path, tmp_path: Path) -> None:
    report = load_report(path)
    written = write_template(tmp_path / "r.xlsx", report.format, report)
    loaded = read_workbook(written)
    assert loaded.report.to_dict() == report.to_dict()
    assert loaded.unreadable == {}
    assert loaded.notes == []
    assert loaded.source == str(written)


@given(consistent_reports())
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_consistent_reports_round_trip(data: dict[str, Any]) -> None:
    report = parse_report(data).report
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.xlsx"
        path.write_bytes(template_bytes(report.format, report))
        loaded = read_workbook(path)
    assert loaded.report.to_dict() == report.to_dict()
    assert loaded.unreadable == {}


@pytest.mark.parametrize("name", [COMPLETE_2021, COMPLETE_TRIAL])
def test_places_name_every_cell_and_field(name: str, tmp_path: Path) -> None:
    loaded = read_workbook(template_of(tmp_path, name))
    layout: Layout = loaded.report.layout
    for path in layout.cell_paths():
        sheet = table_sheet_name(layout.table(path.split(".")[0]))
        assert loaded.places[path].startswith(f"{sheet}!")
    assert loaded.places[FIRST] == f"{SHEET_3}!D5"
    assert loaded.places["year"].startswith(f"{METADATA_SHEET}!B")
    assert loaded.places["agency.code"].startswith(f"{METADATA_SHEET}!B")
    assert loaded.places["sections.overview"] == f"{sections_sheet_name(layout)}!B1"


def test_read_report_and_load_report_dispatch_workbooks(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    expected = load_report(EXAMPLES / COMPLETE_2021)
    assert load_report(path) == expected
    assert read_report(str(path)).report == expected
    disguised = tmp_path / "report.json"  # by content: a zip is a workbook whatever its name
    disguised.write_bytes(path.read_bytes())
    assert load_report(disguised) == expected


# --- Cells as written -----------------------------------------------------------------------------


def test_blank_and_placeholder_cells_read_as_none(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    places = read_workbook(path).places
    cells = [f"applications.granted.{c.code}" for c in APPLICATIONS.columns]
    placeholders = [None, "/", "-", "—", "无", " ／ ", "  "]
    edit(path, {places[c]: v for c, v in zip(cells, placeholders, strict=False)})
    loaded = read_workbook(path)
    for cell in cells[: len(placeholders)]:
        assert loaded.report.cell(cell) is None
    assert loaded.unreadable == {}


def test_text_with_a_unit_is_cell_type_naming_the_sheet_cell(tmp_path: Path) -> None:
    path = edit(template_of(tmp_path), {f"{SHEET_3}!D5": "12件"})
    loaded = read_workbook(path)
    assert loaded.unreadable == {FIRST: "12件"}
    assert loaded.report.cell(FIRST) is None
    result = validate_file(path)
    [finding] = [f for f in result.findings if f.rule == "CELL-TYPE"]
    assert finding.cells == (FIRST,)
    assert finding.source_cells == {FIRST: f"{SHEET_3}!D5"}
    with pytest.raises(ReportError, match="12件"):
        load_report(path)


def test_numbers_dates_and_booleans_in_count_cells(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    places = read_workbook(path).places
    cells = {
        "applications.granted.natural_person": 7.0,  # a whole float is the count it shows
        "applications.granted.business": 2.5,
        "applications.granted.research": True,
    }
    loaded = read_workbook(edit(path, {places[c]: v for c, v in cells.items()}))
    assert loaded.report.cell("applications.granted.natural_person") == 7
    assert loaded.unreadable == {
        "applications.granted.business": "2.5",  # what was written, as text
        "applications.granted.research": "TRUE",
    }


def test_money_keeps_its_digits_and_shown_decimals(tmp_path: Path) -> None:
    data = raw(COMPLETE_2021, decimals=False)
    for amount in ("2181.669177", "10.00", "0", "1234567.890123456789"):
        report = parse_report(patched(data, {"proactive.fees.amount": amount})).report
        path = write_template(tmp_path / "m.xlsx", "2021", report)
        assert read_workbook(path).report.to_dict()["proactive"]["fees"]["amount"] == amount


def test_formulas_without_cached_values_read_blank(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    places = read_workbook(path).places
    total = "applications.granted.total"
    sheet, coordinate = places[total].split("!")
    row = coordinate[1:]
    edit(path, {places[total]: f"=SUM(D{row}:I{row})"})  # openpyxl saves no calculated value
    assert openpyxl.load_workbook(path)[sheet][coordinate].value.startswith("=SUM")
    loaded = read_workbook(path)
    assert loaded.report.cell(total) is None
    assert loaded.unreadable == {}


def test_metadata_values_as_a_person_types_them(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    places = read_workbook(path).places
    edit(path, {places["agency.division_code"]: 441502, places["year"]: "2024", places["scope"]: "/"})
    report = read_workbook(path).report
    assert report.agency.division_code == "441502"
    assert report.year == 2024
    assert report.scope is None


def test_an_empty_table_is_read_as_absent(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    places = read_workbook(path).places
    edit(path, {places[p]: None for p in LAYOUT_2021.cell_paths() if p.startswith("review_litigation.")})
    loaded = read_workbook(path)
    assert loaded.report.review_litigation is None
    assert any(f.rule == "SECTION-MISSING" for f in validate_file(path).findings)


# --- Reading by label ---------------------------------------------------------------------------------


def _rebuild_applications(path: Path, labels: Mapping[str, str]) -> Path:
    """Replace 表三 with a hand-made sheet: a note line, the columns in another order, the rows in
    reverse order with a blank line between, and some labels retyped (`labels`: code -> text)."""
    report = load_report(path)
    values = report.applications
    assert values is not None
    workbook = openpyxl.load_workbook(path)
    index = workbook.sheetnames.index(SHEET_3)
    del workbook[SHEET_3]
    ws = workbook.create_sheet(SHEET_3, index)
    ws.append(["填报说明：本表由某单位整理"])
    ws.append([])
    columns = list(reversed(APPLICATIONS.columns))
    ws.append(["", "", *(c.label for c in columns)])
    for row in reversed(APPLICATIONS.data_rows):
        cells = values.row(row.code).cells()
        ws.append([labels.get(row.code, row.label), None, *(cells[c.code] for c in columns)])
        ws.append([])
    workbook.save(path)
    return path


def test_moved_rows_and_columns_and_edited_labels_are_read_by_label(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    edited = {
        "granted": "(一)予以公开",  # half-width brackets
        "partially_granted": "（二）部分公开",  # truncated
        "denied_state_secret": "1. 属于 国家秘密",  # spaces
        "other_no_correction": "1.申请人无正当理由逾期不补正,行政机关不再处理其政府信息公开申请",
    }
    _rebuild_applications(path, edited)
    loaded = read_workbook(path)
    assert loaded.report.to_dict() == load_report(EXAMPLES / COMPLETE_2021).to_dict()
    assert loaded.unreadable == {}
    assert "ROWS-REORDERED" in {note.code for note in loaded.notes}
    edits = {note.written: note.became for note in loaded.notes if note.code == "LABEL-EDITED"}
    for code, text in edited.items():
        assert edits[text] == APPLICATIONS.row(code).label
    # places follow the rows where they now are: the last data row is now the first one
    last = APPLICATIONS.data_rows[-1].code
    assert loaded.places[f"applications.{last}.total"] == f"{SHEET_3}!C4"


def test_a_missing_row_is_blank_and_noted(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    place = read_workbook(path).places["applications.granted.natural_person"]
    label = f"{SHEET_3}!B{place.split('!')[1][1:]}"
    edit(path, {label: "某地方自设项目"})
    loaded = read_workbook(path)
    assert all(v is None for v in loaded.report.applications.row("granted").cells().values())  # type: ignore[union-attr]
    assert any(note.code == "ROW-MISSING" and note.params["row"] == "（一）予以公开" for note in loaded.notes)


def test_a_row_read_twice_is_a_report_error(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    place = read_workbook(path).places["applications.partially_granted.natural_person"]
    edit(path, {f"{SHEET_3}!B{place.split('!')[1][1:]}": APPLICATIONS.row("granted").label})
    error = attempt(path)
    assert "two rows" in error.message
    assert f"{SHEET_3}!B" in str(error)


# --- Files that are not workbooks or not reports ------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert "empty" in attempt(path).message


def test_text_file_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_text('{"format": "2021"}', "utf-8")
    assert "not a zip" in attempt(path).message
    with pytest.raises(ReportError):
        read_report(path)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "not a readable Excel workbook" in attempt(path).message


def test_truncated_workbook(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    path.write_bytes(path.read_bytes()[:2000])
    attempt(path)


def test_workbook_without_the_table_three_sheet(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    workbook = openpyxl.load_workbook(path)
    del workbook[SHEET_3]
    workbook.save(path)
    error = attempt(path)
    assert error.location == SHEET_3
    assert SHEET_3 in error.message


def test_table_sheet_without_recognisable_labels(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    workbook = openpyxl.load_workbook(path)
    index = workbook.sheetnames.index(SHEET_3)
    del workbook[SHEET_3]
    ws = workbook.create_sheet(SHEET_3, index)
    ws.append(["甲", "乙"])
    ws.append([1, 2])
    workbook.save(path)
    error = attempt(path)
    assert error.location == SHEET_3
    assert "no row label" in error.message


def test_workbook_without_metadata_and_with_a_bad_year(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    places = read_workbook(path).places
    edit(path, {places["year"]: "明年"})
    error = attempt(path)
    assert error.location == f"{places['year']} (year)"
    workbook = openpyxl.load_workbook(path)
    del workbook[METADATA_SHEET]
    workbook.save(path)
    assert attempt(path).location == METADATA_SHEET


def test_a_workbook_of_any_other_kind(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    workbook = openpyxl.Workbook()
    assert workbook.active is not None
    workbook.active.append(["姓名", "年龄"])
    workbook.save(path)
    assert METADATA_SHEET in attempt(path).message
    # read_report then reads it as a document (readers/xlsx_page.py): no report in it either
    with pytest.raises(ReportError) as caught:
        read_report(path)
    assert str(path) in str(caught.value)
    assert "not a report workbook" in str(caught.value)
    assert "\n" not in str(caught.value)


# --- The commands ------------------------------------------------------------------------------------


def test_ogi_validate_workbook_names_sheet_cells(tmp_path: Path) -> None:
    path = template_of(tmp_path)
    places = read_workbook(path).places
    edit(path, {f"{SHEET_3}!D5": "12件", places["applications.granted.total"]: 9999})
    result = run("validate", "--json", path)
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""
    [report] = json.loads(result.stdout)["reports"]
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert by_rule["CELL-TYPE"]["source_cells"] == {FIRST: f"{SHEET_3}!D5"}
    row_total = by_rule["T3-ROW-TOTAL"]
    assert row_total["source_cells"]["applications.granted.total"] == places["applications.granted.total"]
    assert set(row_total["source_cells"]) == set(row_total["cells"])
    assert all(v.startswith(f"{SHEET_3}!") for v in row_total["source_cells"].values())


def test_ogi_validate_a_folder_includes_workbooks(tmp_path: Path) -> None:
    template_of(tmp_path)
    result = run("validate", "--lang", "en", tmp_path)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "report.xlsx: passed" in result.stdout


def test_ogi_validate_a_broken_workbook_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    result = run("validate", path)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("ogi: error: ")
    assert str(path) in lines[0]


def test_ogi_template_end_to_end(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    result = run("template", "-o", empty)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(empty)
    assert openpyxl.load_workbook(empty).sheetnames[1] == table_sheet_name(LAYOUT_2021.tables[0])

    trial = tmp_path / "trial.xlsx"
    assert run("template", "--layout", "2019-trial", "-o", trial).exit_code == 0
    assert openpyxl.load_workbook(trial)[METADATA_SHEET]["B2"].value == "2019-trial"

    filled = tmp_path / "filled.xlsx"
    assert run("template", "--from", EXAMPLES / COMPLETE_TRIAL, "-o", filled).exit_code == 0
    assert load_report(filled) == load_report(EXAMPLES / COMPLETE_TRIAL)
    assert run("validate", filled).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.xlsx", "filled.xlsx", "trial.xlsx"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--from", BROKEN / "2021-county.malformed.json"], "invalid JSON"),
        (["--from", BROKEN / "2021-county.count-with-unit.json"], "12件"),
        (["--from", EXAMPLES / COMPLETE_TRIAL, "--layout", "2021"], "2019-trial"),
        (["--from", EXAMPLES / "no-such-report.json"], "no-such-report.json"),
    ],
)
def test_ogi_template_bad_input_is_one_line_and_exit_2(
    args: list[Any], expected: str, tmp_path: Path
) -> None:
    result = run("template", *args, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("ogi: error: ")
    assert expected in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_ogi_template_into_a_missing_folder(tmp_path: Path) -> None:
    result = run("template", "-o", tmp_path / "missing" / "out.xlsx")
    assert result.exit_code == 2
    assert "missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_loaded_report_defaults_stay_compatible() -> None:
    loaded = LoadedReport(load_report(EXAMPLES / COMPLETE_2021))
    assert loaded.places == {}
    assert loaded.notes == []


def test_review_litigation_laid_out_down_the_sheet_is_read(tmp_path: Path) -> None:
    """表四 printed with its blocks as rows (as some reports do) rather than side by side."""
    path = template_of(tmp_path)
    report = load_report(path)
    table = LAYOUT_2021.table("review_litigation")
    values = report.review_litigation
    assert values is not None
    workbook = openpyxl.load_workbook(path)
    name = table_sheet_name(table)
    index = workbook.sheetnames.index(name)
    del workbook[name]
    ws = workbook.create_sheet(name, index)
    ws.append([table.label])
    ws.append(["", *(c.label for c in table.columns)])
    for row in table.data_rows:
        ws.append([row.label, *values.row(row.code).cells().values()])
    workbook.save(path)
    loaded = read_workbook(path)
    assert loaded.report.to_dict() == report.to_dict()
    assert loaded.places["review_litigation.reconsideration.upheld"] == f"{name}!B3"


def test_header_with_a_note_is_matched_by_prefix(tmp_path: Path) -> None:
    path = template_of(tmp_path, COMPLETE_TRIAL)
    table = load_report(path).layout.table("proactive")
    sheet = table_sheet_name(table)
    workbook = openpyxl.load_workbook(path)
    ws = workbook[sheet]
    label = table.column("prior_year_items").label
    headers = [c.coordinate for row in ws.iter_rows() for c in row if c.value == label]
    assert headers
    for coordinate in headers:
        ws[coordinate].value = f"{label}(指2019年事项数)"
    workbook.save(path)
    loaded = read_workbook(path)
    assert loaded.report.to_dict() == load_report(EXAMPLES / COMPLETE_TRIAL).to_dict()
    assert any("指2019年事项数" in (note.written or "") for note in loaded.notes)


def test_validate_warns_about_a_retyped_label(tmp_path: Path) -> None:
    """A workbook read by label despite an edited label says so: in the result and in the output."""
    path = template_of(tmp_path)
    places = read_workbook(path).places
    workbook = openpyxl.load_workbook(path)
    sheet, cell = places["applications.granted.total"].split("!")
    row = workbook[sheet][cell].row
    for candidate in workbook[sheet][row]:
        if candidate.value == "（一）予以公开":
            candidate.value = "(一)予以公开"
    workbook.save(path)
    result = ogi_report.validate_file(path)
    assert any(note.written == "(一)予以公开" for note in result.notes)
    shown = CliRunner().invoke(cli, ["validate", "--lang", "en", "--json", str(path)])
    document = json.loads(shown.stdout)
    [note] = document["reports"][0]["notes"]
    assert note["code"] == "LABEL-EDITED"
    assert (note["written"], note["became"]) == ("(一)予以公开", "（一）予以公开")
    assert note["message"] == note["message_en"] == f"{note['cell']}: read '(一)予以公开' as '（一）予以公开'"
    assert note["message_zh"] == f"{note['cell']}：“(一)予以公开”读作“（一）予以公开”"


def test_explanations_go_to_their_own_sheet_and_come_back(tmp_path: Path) -> None:
    # A publisher's explanations (footnotes to findings) survive the workbook, formula-like text too;
    # a report without any gets no such sheet.
    import json

    from ogi_report import parse_report, validate, write_template
    from ogi_report.readers import read_report
    from tests.helpers import BROKEN

    data = json.loads((BROKEN / "2021-county.row-total-wrong.json").read_text("utf-8"))
    found = validate(parse_report(data).report)
    data["explanations"] = [
        {
            "fingerprint": found.fingerprint(found.errors[0]),
            "text": "=口径调整",
            "by": "办公室",
            "at": "2025-03-01",
        },
        {"fingerprint": "0123456789abcdef", "text": "旧说明"},
    ]
    report = parse_report(data).report
    path = write_template(tmp_path / "explained.xlsx", "2021", report)
    assert read_report(path).report.to_dict()["explanations"] == report.to_dict()["explanations"]
    data.pop("explanations")
    plain = write_template(tmp_path / "plain.xlsx", "2021", parse_report(data).report)
    from openpyxl import load_workbook

    assert "核对结果说明" not in load_workbook(plain).sheetnames
    assert "核对结果说明" in load_workbook(path).sheetnames
