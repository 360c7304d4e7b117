"""The `explanations` resource: a report's explanations of findings in the data package, written
and read back exactly; a package built before the resource existed still reads and validates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ogi_report import PackageOptions, build_packages, parse_report, read_package, validate, validate_package
from ogi_report.package.resources import OPTIONAL_RESOURCES, RESOURCE_NAMES, table_schemas
from tests.helpers import BROKEN

ROW_TOTAL = BROKEN / "2021-county.row-total-wrong.json"


def _explained() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ROW_TOTAL.read_text("utf-8"))
    result = validate(parse_report(data).report)
    data["explanations"] = [
        {"fingerprint": result.fingerprint(result.findings[0]), "text": '=口径调整, "引号"', "by": "办公室"},
        {"fingerprint": "0123456789abcdef", "text": "旧说明", "at": "2025-03-01"},
    ]
    return data


def test_the_resource_is_declared() -> None:
    assert RESOURCE_NAMES[-1] == "explanations"
    assert OPTIONAL_RESOURCES == ("explanations",)
    schema = table_schemas()["explanations"]
    assert [f["name"] for f in schema["fields"]] == ["report_id", "fingerprint", "text", "by", "at"]
    assert schema["primaryKey"] == ["report_id", "fingerprint"]


def test_written_and_read_back_exactly(tmp_path: Path) -> None:
    data = _explained()
    (folder,) = build_packages([parse_report(data)], tmp_path, PackageOptions())
    written = (folder / "data" / "explanations.csv").read_text("utf-8")
    assert "'=口径调整" in written  # the formula escape, as in every text field
    (back,) = read_package(folder / "datapackage.json")
    assert back.report.to_dict()["explanations"] == parse_report(data).report.to_dict()["explanations"]
    checked = validate_package(folder / "datapackage.json")
    assert checked.rules_run
    assert checked.structure == []


def test_a_package_without_the_resource(tmp_path: Path) -> None:
    (folder,) = build_packages([parse_report(_explained())], tmp_path, PackageOptions())
    descriptor_path = folder / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text("utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "explanations"]
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")
    (folder / "data" / "explanations.csv").unlink()
    (back,) = read_package(descriptor_path)
    assert back.report.explanations == []
    checked = validate_package(descriptor_path)
    assert checked.rules_run
    assert checked.structure == []


def test_a_received_package_matches_its_explanations_to_its_findings(tmp_path: Path) -> None:
    # The same report validated alone and as a package: the same explained and stale explanations.
    data = _explained()
    alone = validate(parse_report(data).report)  # a report carries its own explanations
    (folder,) = build_packages([parse_report(data)], tmp_path, PackageOptions())
    checked = validate_package(folder / "datapackage.json")
    (result,) = checked.report_results()
    assert result.layout == "2021"
    marks = [alone.fingerprint(f) for f in alone.explained]
    assert [result.fingerprint(f) for f in result.explained] == marks
    assert [e.text for e in result.stale] == ["旧说明"]
    assert (len(result.explained), len(result.errors)) == (1, 2)
    assert (checked.ok, checked.accepted) == (False, False)  # one of the two errors is unexplained


def test_a_package_whose_errors_are_all_explained_is_accepted(tmp_path: Path) -> None:
    data = _explained()
    result = validate(parse_report(data).report)
    data["explanations"] = [{"fingerprint": result.fingerprint(f), "text": "口径调整"} for f in result.errors]
    (folder,) = build_packages([parse_report(data)], tmp_path, PackageOptions())
    checked = validate_package(folder / "datapackage.json")
    assert (checked.ok, checked.accepted) == (False, True)


def test_ogi_validate_counts_a_packages_explanations(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ogi_report.cli import cli

    data = _explained()
    result = validate(parse_report(data).report)
    data["explanations"] = [{"fingerprint": result.fingerprint(f), "text": "口径调整"} for f in result.errors]
    (folder,) = build_packages([parse_report(data)], tmp_path, PackageOptions())
    descriptor = str(folder / "datapackage.json")
    runner = CliRunner()
    assert runner.invoke(cli, ["validate", descriptor]).exit_code == 1
    assert runner.invoke(cli, ["validate", "--accept-explained", descriptor]).exit_code == 0
    document = json.loads(runner.invoke(cli, ["validate", "--json", descriptor]).output)
    assert document["summary"]["explained"] == 2
