"""`ogi package` in worker processes (issue 14 part 3): the same bytes as in one process, the same
errors, and nothing written when an input cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ogi_report import build_packages, iter_reports
from ogi_report.cli import cli
from ogi_report.errors import ReportError
from ogi_report.package import build
from ogi_report.package.build import build_packages_from
from ogi_report.synth import write_synth
from tests.helpers import EXAMPLES


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "CHUNK", 16)  # many blocks from a small input (workers are forked)


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """Two years, injected errors, and every report twice (the same agency twice in a year:
    ids -2), then the example files."""
    once = tmp_path / "once.jsonl"
    write_synth(once, 150, seed=5, error_rate=0.2, years=(2020, 2024), workers=1)
    twice = tmp_path / "reports.jsonl"
    twice.write_bytes(once.read_bytes() * 2)
    return twice


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_write_the_same_bytes_as_one_process(tmp_path: Path, reports: Path, jobs: int) -> None:
    inputs = [reports, *sorted(EXAMPLES.glob("*.json"))]
    one = build_packages_from(inputs, tmp_path / "one", jobs=1)
    many = build_packages_from(inputs, tmp_path / "many", jobs=jobs)
    assert [p.name for p in one] == [p.name for p in many]
    assert tree(tmp_path / "one") == tree(tmp_path / "many")
    # ... and as the streaming builder over reports already read
    build_packages(iter_reports(inputs), tmp_path / "read")
    assert tree(tmp_path / "one") == tree(tmp_path / "read")
    descriptor = json.loads((tmp_path / "many" / "ogi-reports-2024" / "datapackage.json").read_text("utf-8"))
    assert descriptor["ogi"]["reports"] > 150


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("jobs", [1, 2])
def test_an_unreadable_line_half_way_stops_the_build_naming_it(
    tmp_path: Path, reports: Path, jobs: int
) -> None:
    lines = reports.read_text("utf-8").splitlines(keepends=True)
    lines.insert(200, '{"format": "2021", "year": }\n')
    reports.write_text("".join(lines), "utf-8")
    out = tmp_path / "out"
    with pytest.raises(ReportError) as caught:
        build_packages_from([reports], out, jobs=jobs)
    assert caught.value.location is not None
    assert caught.value.location.startswith("line 201")
    assert caught.value.source == str(reports)
    assert not out.exists()  # a first build that fails leaves no folder


@pytest.mark.usefixtures("small_chunks")
def test_progress_counts_every_report(tmp_path: Path, reports: Path) -> None:
    seen: list[int] = []
    build_packages_from([reports], tmp_path / "out", jobs=2, progress=seen.append)
    assert seen == sorted(seen)
    assert seen[-1] == 300


def test_ogi_package_jobs(tmp_path: Path, reports: Path) -> None:
    runner = CliRunner()
    for jobs in ("1", "2"):
        done = runner.invoke(cli, ["package", str(reports), "-o", str(tmp_path / jobs), "--jobs", jobs])
        assert done.exit_code == 0, done.output
    assert tree(tmp_path / "1") == tree(tmp_path / "2")
