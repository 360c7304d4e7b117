"""Received packages with structural problems: the bulk validator reports them under frictionless's
error codes (and frictionless, run on the same files, reports the same codes); descriptors that
cannot be read safely stop with a one-line ReportError."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frictionless
import pytest

import ogi_report
from ogi_report import Finding
from ogi_report.package.bulk import PackageValidation, validate_package
from ogi_report.package.read import read_package
from ogi_report.package.resources import table_schemas
from ogi_report.package.structure import check_file
from tests.package import (
    build,
    copy_package,
    descriptor_of,
    edit_descriptor,
    engine_keys,
    example_reports,
    keys,
    rehash,
)

# The codes frictionless gives its structural errors (and the bulk validator reuses).
STRUCTURAL = {
    "type-error",
    "constraint-error",
    "scheme-error",
    "incorrect-label",
    "missing-label",
    "extra-label",
    "extra-cell",
    "missing-cell",
    "encoding-error",
    "primary-key",
    "foreign-key",
    "unique-error",
    "byte-count",
    "hash-count",
    "package-error",
    "source-error",
}
COUNTY_ID = "2024-11330000MB12345679"  # illustrative-2021-county.json


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2024 package of the examples: the illustrative county and 汕尾 (tables lost)."""
    out = tmp_path_factory.mktemp("base")
    folders = build([r for r in example_reports() if r.report.year == 2024], out)
    [folder] = folders
    return folder


@pytest.fixture
def package(base: Path, tmp_path: Path) -> Path:
    """A copy of the base package to break."""
    return copy_package(base, tmp_path / "received" / base.name)


# --- editing a received package -----------------------------------------------------------------


def _read_rows(folder: Path, resource: str) -> list[list[str]]:
    with (folder / "data" / f"{resource}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write_rows(folder: Path, resource: str, rows: list[list[str]], *, encoding: str = "utf-8") -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    (folder / "data" / f"{resource}.csv").write_bytes(text.getvalue().encode(encoding))
    rehash(folder, resource)


def _set_cell(
    folder: Path, resource: str, report_id: str, row_code: str | None, field: str, value: str
) -> int:
    """Write a raw value into one cell (row_code None: the report's only row); return its row
    number as frictionless counts (the header is row 1)."""
    rows = _read_rows(folder, resource)
    header = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        if row[0] == report_id and (row_code is None or row[1] == row_code):
            row[header.index(field)] = value
            _write_rows(folder, resource, rows)
            return number
    raise AssertionError(f"no row {report_id} {row_code} in {resource}")


def _edit_text(folder: Path, resource: str, change: Callable[[str], str], *, keep_hash: bool = False) -> None:
    path = folder / "data" / f"{resource}.csv"
    path.write_text(change(path.read_text("utf-8")), "utf-8")
    if not keep_hash:
        rehash(folder, resource)


# --- what each side reports ---------------------------------------------------------------------


def _structural(validation: PackageValidation) -> list[Finding]:
    """Every structural finding, whether kept apart or attached to a report."""
    attached = [f for found in validation.results.values() for f in found if f.rule in STRUCTURAL]
    return validation.structure + attached


def _codes(validation: PackageValidation) -> set[str]:
    return {f.rule for f in _structural(validation)}


def _frictionless(folder: Path) -> list[Any]:
    report = frictionless.validate(str(descriptor_of(folder)))
    return [error for task in report.tasks for error in task.errors] + list(report.errors)


def _frictionless_codes(folder: Path) -> set[str]:
    return {str(error.type) for error in _frictionless(folder)}


def _validate(folder: Path) -> PackageValidation:
    return validate_package(descriptor_of(folder))


def _rule_findings(validation: PackageValidation, report_id: str, rule: str) -> list[Finding]:
    return [f for f in validation.results.get(report_id, []) if f.rule == rule]


# --- the base package is clean ------------------------------------------------------------------


def test_base_package_has_no_structural_findings(base: Path) -> None:
    validation = _validate(base)
    assert _structural(validation) == []
    assert validation.rules_run
    assert _frictionless(base) == []


# --- cells --------------------------------------------------------------------------------------


def test_unreadable_count_is_a_type_error_and_cell_type(package: Path) -> None:
    number = _set_cell(package, "applications", COUNTY_ID, "granted", "natural_person", "abc")
    validation = _validate(package)
    assert validation.rules_run
    assert _codes(validation) == {"type-error"}
    [error] = _structural(validation)
    assert error.cells == ("applications.granted.natural_person",)  # resource, row and field
    assert error.message_en.startswith(f"data/applications.csv row {number}:")
    assert "natural_person" in error.message_en
    assert error.report == COUNTY_ID
    [cell_type] = _rule_findings(validation, COUNTY_ID, "CELL-TYPE")
    assert cell_type.cells[0] == "applications.granted.natural_person"
    assert cell_type.stated == "abc"

    errors = _frictionless(package)
    assert {e.type for e in errors} == {"type-error"}
    assert [(e.row_number, e.field_name) for e in errors] == [(number, "natural_person")]


def test_negative_count_is_a_constraint_error_and_cell_negative(package: Path) -> None:
    number = _set_cell(package, "applications", COUNTY_ID, "granted", "natural_person", "-48")
    validation = _validate(package)
    assert validation.rules_run
    assert _codes(validation) == {"constraint-error"}
    [error] = _structural(validation)
    assert error.cells == ("applications.granted.natural_person",)
    assert error.message_en.startswith(f"data/applications.csv row {number}:")
    [negative] = _rule_findings(validation, COUNTY_ID, "CELL-NEGATIVE")
    assert negative.cells == ("applications.granted.natural_person",)
    assert negative.stated == -48

    errors = _frictionless(package)
    assert {e.type for e in errors} == {"constraint-error"}
    assert [(e.row_number, e.field_name) for e in errors] == [(number, "natural_person")]


# Cell texts at the edges of each type. Frictionless reads integers with Python's int() (so "+5",
# "05", full-width and other Unicode digits, and any size are integers, "1.5" and "1e3" are not),
# dates as ISO 8601 `YYYY-MM-DD` only. The bulk validator must type them the same.
EDGE_CELLS = (
    [
        ("applications", "granted", "natural_person", text)
        for text in (
            "05",
            "+5",
            "1.5",
            "5.0",
            "1e3",
            "0x10",
            "５",
            "10000000000000000000",
            "9223372036854775807",
        )
    ]
    + [("proactive", "fees", "amount", text) for text in ("1e3", ".5", "NaN", "５")]
    + [
        ("reports", None, "published", text)
        for text in ("2025-1-5", "2025/01/05", " 2025-01-05", "2025-01-05T00:00:00", "20250105", "2025-02-30")
    ]
    + [("reports", None, "year", text) for text in ("+2024", "2024.0", "２０２４")]
)


@pytest.mark.parametrize(("resource", "row", "field", "text"), EDGE_CELLS, ids=lambda v: repr(v))
def test_cells_are_typed_as_frictionless_types_them(
    package: Path, resource: str, row: str | None, field: str, text: str
) -> None:
    _set_cell(package, resource, COUNTY_ID, row, field, text)
    expected = _frictionless_codes(package)
    assert expected <= {"type-error", "constraint-error"}
    assert _codes(_validate(package)) == expected


# Cells at the edges of what the load reads as plain (at most 15 digits, no sign, no blank...):
# whatever the screen makes of them, the reports' rule findings are the engine's.
SCREEN_EDGE_CELLS = [
    ("applications", "granted", "natural_person", text)
    for text in ("999999999999999", "1000000000000000", "+5", "05", "", " 5", "5.4", "-0", "1,2", "０")
] + [("proactive", "fees", "amount", text) for text in ("NaN", "", "0.5", "1e3", "-0.0", "1.")]


@pytest.mark.parametrize(("resource", "row", "field", "text"), SCREEN_EDGE_CELLS, ids=lambda v: repr(v))
def test_edge_cells_give_the_engines_findings(
    package: Path, resource: str, row: str, field: str, text: str
) -> None:
    _set_cell(package, resource, COUNTY_ID, row, field, text)
    _assert_engines_findings(package)


def test_a_leading_zero_keeps_a_report_clean(package: Path) -> None:
    rows = _read_rows(package, "applications")
    rows[1:] = [[*r[:2], *("0" + c if c else c for c in r[2:])] for r in rows[1:]]
    _write_rows(package, "applications", rows)
    _assert_engines_findings(package)


def _assert_engines_findings(package: Path) -> None:
    validation = _validate(package)
    assert validation.rules_run
    for loaded in read_package(descriptor_of(package)):
        report_id = str(loaded.source)
        found = [f for f in validation.results.get(report_id, []) if f.rule not in STRUCTURAL]
        assert keys(found) == engine_keys(loaded, source=report_id), report_id


# --- files --------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["sections", "applications", "reports"])
def test_missing_file_is_a_scheme_error(package: Path, resource: str) -> None:
    (package / "data" / f"{resource}.csv").unlink()
    validation = _validate(package)
    assert not validation.rules_run
    assert _codes(validation) == {"scheme-error"}
    assert all(f.cells == (resource,) for f in _structural(validation))
    assert _frictionless_codes(package) == {"scheme-error"}


@pytest.mark.parametrize("resource", ["sections", "reports"])
def test_gbk_file_is_an_encoding_error(package: Path, resource: str) -> None:
    rows = _read_rows(package, resource)
    assert any(not cell.isascii() for row in rows for cell in row)  # GBK differs from UTF-8 here
    _write_rows(package, resource, rows, encoding="gbk")
    validation = _validate(package)
    assert not validation.rules_run
    assert _codes(validation) == {"encoding-error"}
    assert _frictionless_codes(package) == {"encoding-error"}


@pytest.mark.parametrize(
    ("change", "codes"),
    [
        (lambda t: t.replace(",3,1,0,1,5", ",3,1,0,2,5", 1), {"hash-count"}),  # same length
        (lambda t: t.replace(",3,1,0,1,5", ",3,1,0,1,15", 1), {"byte-count", "hash-count"}),
    ],
    ids=["same-length", "longer"],
)
def test_changed_bytes_are_byte_and_hash_count(
    package: Path, change: Callable[[str], str], codes: set[str]
) -> None:
    before = (package / "data" / "review_litigation.csv").read_text("utf-8")
    assert change(before) != before
    _edit_text(package, "review_litigation", change, keep_hash=True)
    validation = _validate(package)
    assert _codes(validation) == codes
    assert _frictionless_codes(package) == codes


# --- header and row shape -----------------------------------------------------------------------


def test_renamed_column_is_an_incorrect_label(package: Path) -> None:
    rows = _read_rows(package, "review_litigation")
    rows[0][rows[0].index("upheld")] = "uphold"
    _write_rows(package, "review_litigation", rows)
    validation = _validate(package)
    assert _codes(validation) == {"incorrect-label"}
    assert "'uphold'" in _structural(validation)[0].message_en
    assert _frictionless_codes(package) == {"incorrect-label"}


def test_extra_column_is_an_extra_label(package: Path) -> None:
    rows = _read_rows(package, "review_litigation")
    _write_rows(package, "review_litigation", [[*rows[0], "remark"], *([*r, ""] for r in rows[1:])])
    validation = _validate(package)
    assert _codes(validation) == {"extra-label"}
    assert _frictionless_codes(package) == {"extra-label"}


@pytest.mark.parametrize(("extra", "code"), [(True, "extra-cell"), (False, "missing-cell")])
def test_ragged_row(package: Path, extra: bool, code: str) -> None:
    rows = _read_rows(package, "review_litigation")
    rows[1] = [*rows[1], "9"] if extra else rows[1][:-1]
    _write_rows(package, "review_litigation", rows)
    validation = _validate(package)
    assert _codes(validation) == {code}
    [error] = _structural(validation)
    assert " row 2" in error.message_en
    errors = _frictionless(package)
    assert {e.type for e in errors} == {code}
    assert [e.row_number for e in errors] == [2]


# --- keys ---------------------------------------------------------------------------------------


def test_duplicate_primary_key(package: Path) -> None:
    rows = _read_rows(package, "review_litigation")
    _write_rows(package, "review_litigation", [*rows, list(rows[1])])
    validation = _validate(package)
    assert _codes(validation) == {"primary-key"}
    assert _frictionless_codes(package) == {"primary-key"}


def _same_as_the_engine(folder: Path, validation: PackageValidation) -> None:
    """Every report's rule findings in bulk are the engine's on the report as the reader reads it."""
    for loaded in read_package(descriptor_of(folder)):
        report_id = str(loaded.source)
        bulk = [f for f in validation.results.get(report_id, []) if f.rule not in STRUCTURAL]
        assert keys(bulk) == engine_keys(loaded, source=report_id), report_id


@pytest.mark.parametrize(
    ("resource", "kept", "lost"),
    [
        ("applications", "granted", "denied_state_secret"),
        ("review_litigation", "reconsideration", "litigation_direct"),
        ("proactive", "regulations", "normative_documents"),
    ],
)
def test_a_row_repeated_in_place_of_another(package: Path, resource: str, kept: str, lost: str) -> None:
    """As many rows as the table has, yet one is missing: a primary-key error, and the engine reads
    the report (the missing row is blank to it) although no count is off."""
    rows = _read_rows(package, resource)
    copy = next(list(r) for r in rows if r[:2] == [COUNTY_ID, kept])
    number = next(n for n, r in enumerate(rows) if r[:2] == [COUNTY_ID, lost])
    rows[number] = copy
    _write_rows(package, resource, rows)
    validation = _validate(package)
    assert _codes(validation) == {"primary-key"}
    assert _frictionless_codes(package) == {"primary-key"}
    assert any(f.rule == "CELL-MISSING" for f in validation.results[COUNTY_ID])
    _same_as_the_engine(package, validation)


def test_keys_are_checked_as_written(package: Path) -> None:
    """A row code written escaped (`'regulations`) beside the same code unescaped: as written the
    keys differ (frictionless finds the code not allowed, and no repeat); the reader's unescaping
    must not make them one."""
    rows = _read_rows(package, "proactive")
    rows.append(["'" + cell if n == 1 else cell for n, cell in enumerate(rows[1])])
    _write_rows(package, "proactive", rows)
    validation = _validate(package)
    assert _codes(validation) == {"constraint-error"}
    assert _frictionless_codes(package) == {"constraint-error"}


@pytest.mark.parametrize("blank", ["report_id", "row"])
def test_blank_keys_repeated(package: Path, blank: str) -> None:
    """Two rows whose key has the same blank part: required (constraint-error) and, as frictionless
    compares keys, a repeated key; the report's digest cannot tell, so the rows are counted."""
    rows = _read_rows(package, "applications")
    column = rows[0].index(blank)
    picked = [n for n, r in enumerate(rows) if r[:2] == [COUNTY_ID, "carried_out"]]
    copy = list(rows[picked[0]])
    for row in (rows[picked[0]], copy):
        row[column] = ""
    _write_rows(package, "applications", [*rows, copy])
    assert _codes(_validate(package)) == {"constraint-error", "primary-key"}
    assert _frictionless_codes(package) == {"constraint-error", "primary-key"}


def test_repeated_keys_come_in_key_order_every_run(package: Path) -> None:
    rows = _read_rows(package, "applications")
    _write_rows(package, "applications", [*rows, *(list(r) for r in rows[40:1:-7])])
    runs = [[f.message_en for f in _validate(package).structure] for _ in range(6)]
    assert len(runs[0]) == len(rows[40:1:-7]) > 3
    assert all(run == runs[0] for run in runs)
    assert runs[0] == sorted(runs[0])  # by report id, then row code


def test_report_id_missing_from_reports_is_a_foreign_key_error(package: Path) -> None:
    rows = _read_rows(package, "applications")
    number = next(n for n, r in enumerate(rows[1:], start=2) if r[:2] == [COUNTY_ID, "carried_out"])
    rows[number - 1][0] = "2024-NOT-A-REPORT"
    _write_rows(package, "applications", rows)
    validation = _validate(package)
    assert _codes(validation) == {"foreign-key"}
    [error] = _structural(validation)
    assert error.message_en.startswith("data/applications.csv")
    assert "2024-NOT-A-REPORT" in error.message_en
    errors = _frictionless(package)
    assert {e.type for e in errors} == {"foreign-key"}
    assert [e.row_number for e in errors] == [number]


# --- descriptors that cannot be read safely -----------------------------------------------------


def _refused(path: Path, **options: Any) -> ogi_report.ReportError:
    with pytest.raises(ogi_report.ReportError) as caught:
        validate_package(path, **options)
    with pytest.raises(ogi_report.ReportError) as again:
        list(read_package(path, **options))
    assert str(again.value) == str(caught.value)
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    assert message.strip() == message
    return caught.value


def _set_path(resource: str, path: str) -> Callable[[dict[str, Any]], None]:
    def change(descriptor: dict[str, Any]) -> None:
        for entry in descriptor["resources"]:
            if entry["name"] == resource:
                entry["path"] = path

    return change


def test_descriptor_not_json(package: Path) -> None:
    descriptor_of(package).write_text('{"name": "ogi-reports-2024", "resources": [', "utf-8")
    assert "not JSON" in _refused(descriptor_of(package)).message


@pytest.mark.parametrize("descriptor", ['{"name": "x"}', '{"resources": {}}', "[]"])
def test_descriptor_without_resources(package: Path, descriptor: str) -> None:
    descriptor_of(package).write_text(descriptor, "utf-8")
    assert "resources" in _refused(descriptor_of(package)).message


def test_absolute_path_only_when_allowed(package: Path) -> None:
    absolute = (package / "data" / "sections.csv").resolve()
    edit_descriptor(package, _set_path("sections", str(absolute)))
    assert "unsafe path" in _refused(descriptor_of(package)).message
    allowed = validate_package(descriptor_of(package), allow_unsafe_paths=True)
    assert _structural(allowed) == []
    assert allowed.rules_run
    assert len(list(read_package(descriptor_of(package), allow_unsafe_paths=True))) == 2


def test_absolute_path_to_a_missing_file_when_allowed(package: Path) -> None:
    edit_descriptor(package, _set_path("sections", str((package / "nowhere.csv").resolve())))
    allowed = validate_package(descriptor_of(package), allow_unsafe_paths=True)
    assert _codes(allowed) == {"scheme-error", "extra-file"}  # data/sections.csv is now unlisted
    assert not allowed.rules_run


@pytest.mark.parametrize("path", ["../outside/sections.csv", "data/../../outside/sections.csv"])
def test_parent_path_only_when_allowed(package: Path, path: str) -> None:
    outside = package.parent / "outside"
    outside.mkdir()
    shutil.move(package / "data" / "sections.csv", outside / "sections.csv")
    edit_descriptor(package, _set_path("sections", path))
    assert "unsafe path" in _refused(descriptor_of(package)).message
    allowed = validate_package(descriptor_of(package), allow_unsafe_paths=True)
    assert _structural(allowed) == []
    assert allowed.rules_run


@pytest.mark.parametrize(
    "path", ["http://example.com/sections.csv", "https://example.com/sections.csv", "//example.com/s.csv"]
)
@pytest.mark.parametrize("allow", [False, True])
def test_remote_path_never(package: Path, path: str, allow: bool) -> None:
    edit_descriptor(package, _set_path("sections", path))
    assert "remote path" in _refused(descriptor_of(package), allow_unsafe_paths=allow).message


def test_a_moved_package_says_the_same(base: Path, package: Path) -> None:
    """Paths are relative: a copy of a package elsewhere gives the very same findings."""
    moved, original = _validate(package), _validate(base)
    assert {k: keys(v) for k, v in moved.results.items()} == {k: keys(v) for k, v in original.results.items()}
    assert moved.structure == original.structure == []


def test_unlisted_files_and_unknown_resources_are_warnings(package: Path) -> None:
    (package / "data" / "notes.txt").write_text("left here", encoding="utf-8")
    (package / "extra").mkdir()
    (package / "extra" / "copy.csv").write_text("a\n", encoding="utf-8")
    edit_descriptor(package, lambda d: d["resources"].append({"name": "mine", "path": "extra/copy.csv"}))
    checked = validate_package(descriptor_of(package))
    found = {(f.rule, f.cells[0], f.severity.value) for f in checked.structure}
    assert found == {
        ("extra-file", "data/notes.txt", "warning"),
        ("extra-resource", "resources[mine]", "warning"),
    }
    assert checked.ok
    assert checked.rules_run


# check_file reads a file in chunks of 1 MiB: a character may be cut between two of them.
_CUT = 1 << 20


@pytest.mark.parametrize(
    ("tail", "ok"),
    [
        ("中".encode()[:1] + b"b" * 10, False),  # a lead byte, then ASCII: not UTF-8
        # a lead byte, a whole chunk of ASCII, then the rest of the character (whole only if
        # the ASCII chunk were skipped)
        ("中".encode()[:1] + b"b" * _CUT + "中".encode()[1:], False),
        ("中".encode()[:2] + b"\n", False),  # the character cut short by the end of a line
        ("中".encode() + b"b" * 10, True),  # a character across the cut, whole
        (b"b" * 10 + b"\xff" + b"b", False),  # a byte never in UTF-8, inside an ASCII run
    ],
    ids=["lead-then-ascii", "lead-chunk-rest", "cut-short", "whole-across", "stray-byte"],
)
def test_utf8_checked_across_chunks(tmp_path: Path, tail: bytes, ok: bool) -> None:
    header = ",".join(f["name"] for f in table_schemas()["sections"]["fields"])
    head = (header + "\n").encode()
    body = head + b"a" * (_CUT - len(head) - 1) + tail  # the tail starts one byte before the cut
    path = tmp_path / "sections.csv"
    path.write_bytes(body)
    checked = check_file(path, {}, "sections")
    assert checked.ok is ok
    assert {f.rule for f in checked.findings} == (set() if ok else {"encoding-error"})
    with pytest.raises(UnicodeDecodeError) if not ok else contextlib.nullcontext():
        body.decode("utf-8")  # Python decoding the whole file at once agrees
