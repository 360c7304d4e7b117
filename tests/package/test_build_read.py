"""Building packages: layout of the folders, descriptor, CSV bytes, validity under frictionless and
the CKAN mapper, exact round trips, and an atomic, recoverable publish."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import frictionless
import pytest
from hypothesis import example, given, settings

import ogi_report
from ogi_report import LoadedReport
from ogi_report.fileio import lock
from ogi_report.package import PackageOptions, build_packages, package_name
from ogi_report.package.build import recover
from ogi_report.package.read import read_package
from ogi_report.package.resources import RESOURCE_NAMES
from ogi_report.readers import iter_reports
from tests.helpers import COMPLETE_TRIAL, EXAMPLES, patched, raw
from tests.package import (
    EXAMPLE_YEARS,
    NO_SHRINK,
    Batch,
    broken_batches,
    build,
    descriptor_of,
    example_reports,
    explicit_batch,
    readable_broken_reports,
    single_cell_batches,
    tree_bytes,
)

PACKAGE_SCHEMA = "https://datapackage.org/profiles/2.0/datapackage.json"
NAME = re.compile(r"[a-z0-9._-]+")  # a v2 package or resource name: lower-case ASCII
SHANGHAI = "shanghai-2019-trial.json"
COUNTY = "illustrative-2021-county.json"


@pytest.fixture(scope="module")
def example_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    out = tmp_path_factory.mktemp("examples")
    folders = build(example_reports(), out)
    return {int(f.name.rsplit("-", 1)[1]): f for f in folders}


def _descriptor(folder: Path) -> dict[str, Any]:
    data = json.loads(descriptor_of(folder).read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def _frictionless_errors(descriptor: Path) -> list[list[str]]:
    report = frictionless.validate(str(descriptor))
    return [] if report.valid else report.flatten(["type", "note"])


def _by_year(reports: list[LoadedReport]) -> dict[int, list[LoadedReport]]:
    grouped: dict[int, list[LoadedReport]] = defaultdict(list)
    for loaded in reports:
        grouped[loaded.report.year].append(loaded)
    return grouped


def _read_all(folders: list[Path]) -> list[LoadedReport]:
    return [loaded for folder in folders for loaded in read_package(descriptor_of(folder))]


# --- folders and descriptor ---------------------------------------------------------------------


def test_one_folder_per_year_with_descriptor_and_data(example_packages: dict[int, Path]) -> None:
    assert sorted(example_packages) == list(EXAMPLE_YEARS)
    out = next(iter(example_packages.values())).parent
    assert sorted(p.name for p in out.iterdir()) == [package_name(y) for y in EXAMPLE_YEARS]
    for year, folder in example_packages.items():
        assert folder.name == f"ogi-reports-{year}"
        assert sorted(p.name for p in folder.iterdir()) == ["data", "datapackage.json"]
        assert sorted(p.name for p in (folder / "data").iterdir()) == sorted(
            f"{n}.csv" for n in RESOURCE_NAMES
        )


def test_descriptor_metadata(example_packages: dict[int, Path]) -> None:
    reports = _by_year(example_reports())
    for year, folder in example_packages.items():
        descriptor = _descriptor(folder)
        assert descriptor["$schema"] == PACKAGE_SCHEMA
        assert descriptor["name"] == package_name(year)
        assert descriptor["name"].isascii()
        assert NAME.fullmatch(descriptor["name"])
        assert isinstance(descriptor["title"], str)
        assert str(year) in descriptor["title"]
        assert descriptor["licenses"]
        assert all(
            isinstance(lic, dict) and (lic.get("name") or lic.get("path")) for lic in descriptor["licenses"]
        )
        assert descriptor["sources"]
        assert all(s.get("title") for s in descriptor["sources"])
        assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", descriptor["version"])
        ogi = descriptor["ogi"]
        assert ogi["library_version"] == ogi_report.__version__
        assert ogi["catalogue_version"] == ogi_report.CATALOGUE_VERSION
        assert ogi["schema_version"] == ogi_report.SCHEMA_VERSION
        assert ogi["year"] == year
        assert ogi["reports"] == len(reports[year])
        assert "created" not in descriptor  # reproducible unless a time is asked for


def test_created_only_when_given(tmp_path: Path) -> None:
    stamp = "2025-02-01T08:00:00Z"
    [folder] = build(iter_reports([EXAMPLES / COUNTY]), tmp_path, created=stamp)
    assert _descriptor(folder)["created"] == stamp


def test_licenses_are_the_options(tmp_path: Path) -> None:
    licenses = [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}]
    [folder] = build_packages(iter_reports([EXAMPLES / COUNTY]), tmp_path, PackageOptions(licenses=licenses))
    assert _descriptor(folder)["licenses"] == licenses


def test_resources_are_ascii_relative_and_match_their_files(example_packages: dict[int, Path]) -> None:
    for folder in example_packages.values():
        for resource in _descriptor(folder)["resources"]:
            assert resource["name"].isascii()
            assert NAME.fullmatch(resource["name"])
            path = resource["path"]
            assert isinstance(path, str)
            assert path.isascii()
            posix = PurePosixPath(path)
            assert not posix.is_absolute()
            assert ".." not in posix.parts
            assert "://" not in path
            assert "\\" not in path
            data = (folder / path).read_bytes()
            assert resource["bytes"] == len(data)
            assert resource["hash"].startswith("sha256:")


def test_csv_is_utf8_without_bom(example_packages: dict[int, Path]) -> None:
    for folder in example_packages.values():
        for file in sorted((folder / "data").glob("*.csv")):
            data = file.read_bytes()
            assert not data.startswith(b"\xef\xbb\xbf"), file
            data.decode("utf-8")  # strict


def test_blank_is_an_empty_field_and_zero_is_0(example_packages: dict[int, Path]) -> None:
    source = raw(SHANGHAI, decimals=False)
    [shanghai] = list(read_package(descriptor_of(example_packages[2019])))
    report_id = shanghai.source
    columns = ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total"]
    new_received = source["applications"]["new_received"]
    assert new_received["research"] is None  # a blank in the published table
    licensing = source["proactive"]["licensing"]
    assert licensing["prior_year_items"] == 0

    lines = (example_packages[2019] / "data" / "applications.csv").read_text("utf-8").splitlines()
    cells = ["" if new_received[c] is None else str(new_received[c]) for c in columns]
    assert ",".join([str(report_id), "new_received", *cells]) in lines
    assert ",," in next(line for line in lines if ",new_received," in line)

    trial = (example_packages[2019] / "data" / "proactive_2019_trial.csv").read_text("utf-8")
    rows = {row["row"]: row for row in csv.DictReader(io.StringIO(trial))}
    assert rows["licensing"]["prior_year_items"] == "0"
    assert rows["licensing"]["new_made"] == ""  # a cell outside the row's columns stays blank
    assert rows["regulations"]["prior_year_items"] == ""


def test_building_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    build(example_reports(), tmp_path / "a")
    build(example_reports(), tmp_path / "b")
    first = tree_bytes(tmp_path / "a")
    assert first == tree_bytes(tmp_path / "b")
    build(example_reports(), tmp_path / "a")  # rebuilding over a package
    assert tree_bytes(tmp_path / "a") == first


def test_two_reports_of_one_agency_and_year_get_distinct_ids(tmp_path: Path) -> None:
    one = iter_reports([EXAMPLES / COUNTY])
    [folder] = build([*one, *iter_reports([EXAMPLES / COUNTY]), *iter_reports([EXAMPLES / COUNTY])], tmp_path)
    ids = [r.source for r in read_package(descriptor_of(folder))]
    base = "2024-11330000MB12345679"
    assert ids == [base, f"{base}-2", f"{base}-3"]
    applications = (folder / "data" / "applications.csv").read_text("utf-8")
    assert {row["report_id"] for row in csv.DictReader(io.StringIO(applications))} == set(ids)


# --- validity under frictionless and the CKAN mapper --------------------------------------------


@pytest.mark.parametrize("year", EXAMPLE_YEARS)
def test_frictionless_accepts_the_example_packages(example_packages: dict[int, Path], year: int) -> None:
    assert _frictionless_errors(descriptor_of(example_packages[year])) == []


@settings(max_examples=3, deadline=None, phases=NO_SHRINK)
@given(broken_batches(min_size=300, max_size=300, bases=6))
@example(
    explicit_batch(
        (COMPLETE_TRIAL, {"proactive.procurement.amount": "-12.25", "applications.granted.total": -1}),
        (COUNTY, {"proactive.fees.amount": "-3", "applications.granted.total": "12件"}),
    )
)
def test_frictionless_accepts_packages_of_broken_reports(batch: Batch) -> None:
    """Negative counts are written blank (kept in CELL-NEGATIVE), unreadable cells blank (kept in
    CELL-TYPE): whatever the reports say, the package itself is valid."""
    with tempfile.TemporaryDirectory() as tmp:
        folders = build(batch.loaded(), Path(tmp))
        assert sum(len(list(read_package(descriptor_of(f)))) for f in folders) == len(batch.datas)
        for folder in folders:
            assert _frictionless_errors(descriptor_of(folder)) == [], folder.name


def test_ckan_mapper_accepts_every_descriptor(example_packages: dict[int, Path]) -> None:
    mapper = pytest.importorskip("frictionless_ckan_mapper.frictionless_to_ckan")
    for folder in example_packages.values():
        descriptor = _descriptor(folder)
        dataset = mapper.package(descriptor)
        assert dataset["name"] == descriptor["name"]
        assert [r["name"] for r in dataset["resources"]] == list(RESOURCE_NAMES)
        assert [r["url"] for r in dataset["resources"]] == [f"data/{n}.csv" for n in RESOURCE_NAMES]
        json.dumps(dataset, ensure_ascii=False)


# --- round trips --------------------------------------------------------------------------------


def test_examples_round_trip_to_the_same_bytes(example_packages: dict[int, Path], tmp_path: Path) -> None:
    out = next(iter(example_packages.values())).parent
    build(_read_all(list(example_packages.values())), tmp_path)
    assert tree_bytes(tmp_path) == tree_bytes(out)


def test_examples_round_trip_to_equal_models(example_packages: dict[int, Path]) -> None:
    expected = [r for year in sorted(example_packages) for r in _by_year(example_reports())[year]]
    back = _read_all([example_packages[y] for y in sorted(example_packages)])
    assert [r.report.to_dict() for r in back] == [r.report.to_dict() for r in expected]
    assert [r.unreadable for r in back] == [r.unreadable for r in expected]


def test_readable_broken_examples_round_trip(tmp_path: Path) -> None:
    reports = readable_broken_reports()
    assert any(r.unreadable for r in reports)  # 12件
    first = build(reports, tmp_path / "a")
    back = _read_all(first)
    build(back, tmp_path / "b")
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    expected = [r for year in sorted(_by_year(reports)) for r in _by_year(reports)[year]]
    assert [r.report.to_dict() for r in back] == [r.report.to_dict() for r in expected]
    assert [r.unreadable for r in back] == [r.unreadable for r in expected]


@settings(max_examples=6, deadline=None, phases=NO_SHRINK)
@given(broken_batches(min_size=20, max_size=40))
def test_broken_reports_round_trip_to_the_same_bytes(batch: Batch) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        first = build(batch.loaded(), Path(tmp) / "a")
        build(_read_all(first), Path(tmp) / "b")
        assert tree_bytes(Path(tmp) / "a") == tree_bytes(Path(tmp) / "b")


@settings(max_examples=40, deadline=None, phases=NO_SHRINK)
@given(single_cell_batches())
@example(
    explicit_batch(
        (COMPLETE_TRIAL, {"proactive.procurement.amount": "-12.25"}),
        (COUNTY, {"applications.granted.total": "12件"}),
        (COUNTY, {"review_litigation.reconsideration.upheld": -3}),
    )
)
def test_models_round_trip_through_a_package(batch: Batch) -> None:
    """models -> package -> models: equal reports and equal unreadable cells, in package order."""
    reports = batch.loaded()
    order = [i for year in sorted(_by_year(reports)) for i, r in enumerate(reports) if r.report.year == year]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            back = _read_all(build(reports, Path(tmp)))
            for loaded, index in zip(back, order, strict=True):
                assert loaded.report.to_dict() == reports[index].report.to_dict()
                assert loaded.unreadable == reports[index].unreadable
        except Exception as exc:
            described = "\n".join(batch.describe(i) for i in range(len(reports)))
            raise AssertionError(f"{described}\n{type(exc).__name__}: {exc}") from exc


@pytest.mark.parametrize(
    "changes",
    [
        {"proactive.fees.amount": "-12.5"},  # a negative amount is kept like a negative count
        {"proactive.fees.amount": "-3"},
        {"applications.granted.natural_person": 10**19},  # an integer beyond 64 bits
        {"sections.overview": ""},  # empty text is not an absent section
        {"agency.name": '示例县人民政府,"办公室"\r\n'},
        {"agency.name": "示例县\r人民政府", "sections.overview": "第一段\r第二段"},  # a lone CR
    ],
    ids=[
        "negative-amount",
        "negative-whole-amount",
        "huge-count",
        "empty-section",
        "csv-quoting",
        "lone-carriage-return",
    ],
)
def test_odd_values_round_trip(tmp_path: Path, changes: dict[str, Any]) -> None:
    loaded = ogi_report.parse_report(patched(raw(COUNTY), changes))
    [folder] = build([loaded], tmp_path / "a")
    [back] = read_package(descriptor_of(folder))
    assert back.report.to_dict() == loaded.report.to_dict()
    assert back.unreadable == loaded.unreadable
    build([back], tmp_path / "b")
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    assert _frictionless_errors(descriptor_of(folder)) == []


# --- atomic publish -----------------------------------------------------------------------------


class InputBroke(RuntimeError):
    pass


def _failing(reports: list[LoadedReport], after: int) -> Iterator[LoadedReport]:
    yield from reports[:after]
    raise InputBroke("the input failed half-way")


def _leftovers(out: Path) -> list[str]:
    return sorted(
        p.name for p in out.iterdir() if p.name.startswith(".ogi-staging-") or p.name.endswith(".old")
    )


@pytest.mark.parametrize("after", [0, 2, 4])
def test_failed_build_leaves_the_previous_packages(tmp_path: Path, after: int) -> None:
    build(example_reports(), tmp_path)
    before = tree_bytes(tmp_path)
    changed = [ogi_report.parse_report(patched(raw(COUNTY), {"applications.granted.total": 1}))]
    with pytest.raises(InputBroke):
        build(_failing(changed + example_reports(), after), tmp_path)
    assert tree_bytes(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_unreadable_input_leaves_the_previous_packages(tmp_path: Path) -> None:
    build(example_reports(), tmp_path)
    before = tree_bytes(tmp_path)
    inputs = [EXAMPLES / COUNTY, EXAMPLES / "broken" / "2021-county.malformed.json"]
    with pytest.raises(ogi_report.ReportError):
        build(iter_reports(inputs), tmp_path)
    assert tree_bytes(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_failed_first_build_leaves_no_package(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(InputBroke):
        build(_failing(example_reports(), 3), out)
    assert not out.exists()  # not even the folder the build made


def test_killed_build_is_recovered_by_the_next(tmp_path: Path) -> None:
    build(example_reports(), tmp_path)
    before = tree_bytes(tmp_path / "ogi-reports-2024")
    # Killed between setting the old package aside and moving the new one in, with staging left.
    (tmp_path / "ogi-reports-2024").rename(tmp_path / ".ogi-reports-2024.old")
    stale = tmp_path / ".ogi-staging-x" / "ogi-reports-2024" / "data"
    stale.mkdir(parents=True)
    (stale / "reports.csv").write_text("report_id\npartial\n", "utf-8")
    build(iter_reports([EXAMPLES / SHANGHAI]), tmp_path)
    assert tree_bytes(tmp_path / "ogi-reports-2024") == before
    assert _leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [package_name(y) for y in EXAMPLE_YEARS]


def test_set_aside_copy_is_dropped_when_the_package_is_in_place(tmp_path: Path) -> None:
    build(example_reports(), tmp_path)
    before = tree_bytes(tmp_path)
    shutil.copytree(tmp_path / "ogi-reports-2023", tmp_path / ".ogi-reports-2023.old")
    (tmp_path / ".ogi-reports-2023.old" / "datapackage.json").write_text("{}", "utf-8")
    build(iter_reports([EXAMPLES / SHANGHAI]), tmp_path)
    assert tree_bytes(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_recover_leaves_the_staging_folder_of_a_live_build(tmp_path: Path) -> None:
    live, dead = tmp_path / ".ogi-staging-live", tmp_path / ".ogi-staging-dead"
    for folder in (live, dead):
        (folder / "ogi-reports-2024").mkdir(parents=True)
    held = lock(live)  # as build_packages holds its own while it runs
    assert held is not None
    try:
        recover(tmp_path)
        assert live.is_dir()
        assert not dead.exists()
    finally:
        os.close(held)
    recover(tmp_path)
    assert list(tmp_path.iterdir()) == []
