"""Each resource field is declared once (package/resources.py, package/fields.py): the Table
Schema, the writer and the reader all follow the declarations, and nothing else."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ogi_report.package import fields as fields_module
from ogi_report.package import read, resources, rows, structure
from ogi_report.package.read import read_package
from ogi_report.package.resources import RESOURCE_NAMES, fields_of, table_schemas
from ogi_report.package.stored import finding_from_row
from ogi_report.validation import validate_loaded
from tests.package import build, descriptor_of, example_reports

_CACHED = (
    resources.resource_fields,
    resources.table_schemas,
    resources.string_fields,
    resources.string_positions,
    rows._plan,
    rows._getters,
    read._cell_fields,
    structure.plain_fields,
)


@pytest.fixture
def fresh_declarations() -> Iterator[None]:
    """Every cache derived from the declarations, emptied before and after the test."""
    for cached in _CACHED:
        cached.cache_clear()
    yield
    for cached in _CACHED:
        cached.cache_clear()


def _header(folder: Path, name: str) -> list[str]:
    with (folder / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


@pytest.mark.parametrize("name", RESOURCE_NAMES)
def test_schema_writer_and_reader_have_the_declared_fields(name: str, tmp_path: Path) -> None:
    declared = [f.name for f in fields_of(name)]
    assert [f["name"] for f in table_schemas()[name]["fields"]] == declared
    [folder] = build(example_reports()[:1], tmp_path)
    assert _header(folder, name) == declared
    with (folder / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        assert all(len(row) == len(declared) for row in csv.reader(handle))


def test_every_schema_entry_is_its_declaration() -> None:
    for name in RESOURCE_NAMES:
        for field, entry in zip(fields_of(name), table_schemas()[name]["fields"], strict=True):
            assert entry == field.schema()
            assert entry["type"] == field.type
            assert entry.get("constraints") == (dict(field.constraints) if field.constraints else None)


def test_a_renamed_declaration_is_renamed_in_schema_writer_and_reader(
    fresh_declarations: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The note's field declared under another name: the schema, the CSV header and the reader
    all follow, and the note still goes package -> model."""
    declared = resources._reports_fields

    def renamed() -> tuple[fields_module.Field, ...]:
        return tuple(replace(f, name="remark") if f.name == "note" else f for f in declared())

    monkeypatch.setattr(resources, "_reports_fields", renamed)
    loaded = next(r for r in example_reports() if r.report.note)
    [folder] = build([loaded], tmp_path)
    assert "remark" in [f["name"] for f in table_schemas()["reports"]["fields"]]
    assert "note" not in _header(folder, "reports")
    assert "remark" in _header(folder, "reports")
    [back] = read_package(descriptor_of(folder))
    assert back.report.note == loaded.report.note


def test_reports_fields_read_back_to_their_model_paths(tmp_path: Path) -> None:
    """Every reports field with a model path is written from there and read back there."""
    for loaded in example_reports():
        [folder] = build([loaded], tmp_path / loaded.report.agency.name)
        [back] = read_package(descriptor_of(folder))
        for field in fields_of("reports"):
            if field.path:
                assert rows._at(back.report, field.path) == rows._at(loaded.report, field.path), field.name


def test_findings_rows_read_back_to_the_findings(tmp_path: Path) -> None:
    """The findings resource's declarations read a finding back as it was made (where its values
    are counts or texts, as the declarations read them)."""
    for loaded in example_reports():
        [folder] = build([loaded], tmp_path / loaded.report.agency.name)
        made = validate_loaded(loaded).findings
        with (folder / "data" / "findings.csv").open(encoding="utf-8", newline="") as handle:
            stored = [finding_from_row(row) for row in csv.DictReader(handle)]
        assert len(stored) == len(made)
        for back, finding in zip(stored, made, strict=True):
            assert (back.rule, back.severity, back.cells, back.blanks) == (
                finding.rule,
                finding.severity,
                finding.cells,
                finding.blanks,
            )
            assert (back.message_zh, back.message_en) == (finding.message_zh, finding.message_en)
